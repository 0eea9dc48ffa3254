// Per-team daily totals, derived from the 'all' ledger and each team's influence start:
// an opportunity's entries dated before a team's start day collapse onto that day (its running
// total then), later ones stay. That is exactly the series with only that team's chats.
import { sql } from 'drizzle-orm';
import { parseCents } from '../attribution/money';
import type { DbOrTx, Tx } from '../platform/db/client';
import { textArray } from '../platform/db/sql';
import { addToDailyTotals, type DayAmounts } from './append';

export const teamScope = (teamId: string) => `team:${teamId}`;

type Contributions = Map<string, DayAmounts>; // scope -> day -> amounts

/** What these opportunities contribute to each team's series, as the tables stand now. */
export async function teamContributions(
  db: DbOrTx,
  workspaceId: string,
  opportunityIds: string[],
): Promise<Contributions> {
  const rows = await db.execute<{ team_id: string; day: string; pipeline: string; closed_won: string }>(sql`
    select i.team_id, greatest(d.day, i.start_day)::text as day,
           sum(d.pipeline)::text as pipeline, sum(d.closed_won)::text as closed_won
    from opportunity_days d
    join opportunity_influence i on i.workspace_id = d.workspace_id and i.opportunity_id = d.opportunity_id
    where d.workspace_id = ${workspaceId} and d.opportunity_id = any(${textArray(opportunityIds)})
    group by 1, 2`);
  const out: Contributions = new Map();
  for (const r of rows) {
    const scope = teamScope(r.team_id);
    const days: DayAmounts = out.get(scope) ?? new Map();
    days.set(r.day, { pipeline: parseCents(r.pipeline), closedWon: parseCents(r.closed_won) });
    out.set(scope, days);
  }
  return out;
}

/** Moves the team totals from the `before` contributions to the `after` ones. */
export async function applyTeamContributionChange(
  tx: Tx,
  workspaceId: string,
  before: Contributions,
  after: Contributions,
): Promise<void> {
  for (const scope of new Set([...before.keys(), ...after.keys()])) {
    const diff: DayAmounts = new Map();
    const old: DayAmounts = before.get(scope) ?? new Map();
    const now: DayAmounts = after.get(scope) ?? new Map();
    for (const day of new Set([...old.keys(), ...now.keys()])) {
      const o = old.get(day) ?? { pipeline: 0n, closedWon: 0n };
      const n = now.get(day) ?? { pipeline: 0n, closedWon: 0n };
      diff.set(day, { pipeline: n.pipeline - o.pipeline, closedWon: n.closedWon - o.closedWon });
    }
    await addToDailyTotals(tx, workspaceId, scope, diff);
  }
}
