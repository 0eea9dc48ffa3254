// The inputs of credit, per opportunity: the daily deltas of a team set in a range (the very
// sums the dashboard adds up, by opportunity) and the set's touches. One definition, so credit
// totals equal the dashboard's by construction. A team set's deltas come from the opportunities'
// days (ledger/opportunity-days.ts): entries before the set's influence start day collapse onto it
// (docs/ATTRIBUTION.md, choice 12).
import { sql } from 'drizzle-orm';
import type { CreditDay, CreditTouch } from '../attribution/credit';
import { parseCents } from '../attribution/money';
import type { DbOrTx } from '../platform/db/client';
import { textArray } from '../platform/db/sql';
import { scopeDays } from '../ledger/opportunity-days';
import type { DayRange } from './reporting-period';

export interface InfluenceScope {
  workspaceId: string;
  /** null: all teams. */
  teams: readonly string[] | null;
}

/** A stored touch (opportunity_touches): a conversation's earliest touch of the opportunity. */
export interface StoredTouch extends CreditTouch {
  opportunityId: string;
  teamId: string;
  agentId: string | null;
}

/** opportunity id -> its non-zero days in the range, in day order. */
export async function opportunityDeltas(
  db: DbOrTx,
  scope: InfluenceScope,
  range: DayRange,
): Promise<Map<string, CreditDay[]>> {
  const rows = await db.execute<{ opportunity_id: string; day: string; pipeline: string; closed_won: string }>(sql`
    select opportunity_id, day::text as day, pipeline::text as pipeline, closed_won::text as closed_won
    from (${scopeDays({ ...scope, from: range.from, to: range.to })}) d
    order by 1, 2`);
  const out = new Map<string, CreditDay[]>();
  for (const r of rows) {
    const d = { day: r.day, pipeline: parseCents(r.pipeline), closedWon: parseCents(r.closed_won) };
    if (d.pipeline === 0n && d.closedWon === 0n) continue;
    const list = out.get(r.opportunity_id);
    if (list) list.push(d);
    else out.set(r.opportunity_id, [d]);
  }
  return out;
}

/** opportunity id -> the team set's touches of it. */
export async function touchesOf(
  db: DbOrTx,
  scope: InfluenceScope,
  opportunityIds: readonly string[],
): Promise<Map<string, StoredTouch[]>> {
  const out = new Map<string, StoredTouch[]>();
  if (opportunityIds.length === 0) return out;
  const teamFilter = scope.teams ? sql`and team_id = any(${textArray(scope.teams)})` : sql``;
  const rows = await db.execute<{
    opportunity_id: string;
    conversation_id: string;
    team_id: string;
    agent_id: string | null;
    at_ms: string;
    day: string;
  }>(sql`
    select opportunity_id, conversation_id, team_id, agent_id,
           (extract(epoch from touched_at) * 1000)::bigint::text as at_ms, touch_day::text as day
    from opportunity_touches
    where workspace_id = ${scope.workspaceId} and opportunity_id = any(${textArray(opportunityIds)}) ${teamFilter}`);
  for (const r of rows) {
    const touch: StoredTouch = {
      opportunityId: r.opportunity_id,
      conversationId: r.conversation_id,
      teamId: r.team_id,
      agentId: r.agent_id,
      at: Number(r.at_ms),
      day: r.day,
    };
    const list = out.get(r.opportunity_id);
    if (list) list.push(touch);
    else out.set(r.opportunity_id, [touch]);
  }
  return out;
}
