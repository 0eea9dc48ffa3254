// Daily Pipeline / Closed-Won Influenced series read from the ledger.
import { sql, type SQL } from 'drizzle-orm';
import { parseCents } from '../attribution/money';
import type { DailyTotal } from '../attribution/result';
import type { DbOrTx } from '../platform/db/client';
import { textArray } from '../platform/db/sql';
import { scopeDays } from './opportunity-days';
import { teamScope } from './team-totals';

export interface SeriesQuery {
  from?: string;
  to?: string;
  /** Only these teams' chats count; null or absent: all teams. */
  teams?: readonly string[] | null;
  /** The ledger as it was recorded at this instant (team starts are always the current ones). */
  asOf?: Date | null;
}

type Row = { day: string; pipeline: string; closed_won: string };

export async function ledgerSeries(db: DbOrTx, workspaceId: string, q: SeriesQuery = {}): Promise<DailyTotal[]> {
  const from = q.from ?? '0001-01-01';
  const to = q.to ?? '9999-12-31';
  const teams = q.teams ? [...new Set(q.teams)] : null;
  let rows: Row[];
  if (!q.asOf && (teams === null || teams.length === 1)) {
    // The rollup kept in step with the ledger.
    const scope = teams === null ? 'all' : teamScope(teams[0]!);
    rows = await db.execute<Row>(sql`
      select day::text as day, pipeline::text as pipeline, closed_won::text as closed_won from daily_totals
      where workspace_id = ${workspaceId} and scope = ${scope} and day between ${from} and ${to}
      order by day`);
  } else if (!q.asOf && teams !== null) {
    // Any other team set: the opportunities' days and the set's starts (opportunity-days.ts).
    rows = await db.execute<Row>(sql`
      select day::text as day, coalesce(sum(pipeline), 0)::text as pipeline, coalesce(sum(closed_won), 0)::text as closed_won
      from (${scopeDays({ workspaceId, teams, from, to })}) d
      group by 1 order by 1`);
  } else if (teams === null) {
    rows = await db.execute<Row>(sql`
      select effective_day::text as day,
             coalesce(sum(amount) filter (where measure = 'pipeline'), 0)::text as pipeline,
             coalesce(sum(amount) filter (where measure = 'closed_won'), 0)::text as closed_won
      from ledger_entries
      where workspace_id = ${workspaceId} and effective_day between ${from} and ${to}
        ${recordedBy(q.asOf, sql`recorded_at`)}
      group by 1 order by 1`);
  } else {
    // As recorded at an instant, for a team set: the ledger itself, entries before the set's start
    // day collapsed onto it (see team-totals.ts).
    rows = await db.execute<Row>(sql`
      with starts as (
        select opportunity_id, min(start_day) as start_day from opportunity_influence
        where workspace_id = ${workspaceId} and team_id = any(${textArray(teams)})
        group by 1
      ), moved as (
        select greatest(l.effective_day, s.start_day) as day, l.measure, l.amount
        from ledger_entries l join starts s on s.opportunity_id = l.opportunity_id
        where l.workspace_id = ${workspaceId} ${recordedBy(q.asOf, sql`l.recorded_at`)}
      )
      select day::text as day,
             coalesce(sum(amount) filter (where measure = 'pipeline'), 0)::text as pipeline,
             coalesce(sum(amount) filter (where measure = 'closed_won'), 0)::text as closed_won
      from moved where day between ${from} and ${to}
      group by 1 order by 1`);
  }
  return rows
    .map((r) => ({
      date: r.day,
      pipelineInfluenced: parseCents(r.pipeline),
      closedWonInfluenced: parseCents(r.closed_won),
    }))
    .filter((t) => t.pipelineInfluenced !== 0n || t.closedWonInfluenced !== 0n);
}

/** "as recorded at T": only entries recorded at or before the instant. */
function recordedBy(asOf: Date | null | undefined, column: SQL): SQL {
  return asOf ? sql`and ${column} <= ${asOf.toISOString()}::timestamptz` : sql``;
}
