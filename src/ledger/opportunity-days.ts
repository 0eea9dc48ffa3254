// The ledger per opportunity and day (opportunity_days), kept in step with the appends, and the
// one definition of a team set's days read from it. A set's series collapses an opportunity's
// entries dated on or before the set's start day onto that day (docs/ATTRIBUTION.md, choice 12):
// that day is the running total then, later days keep their own delta. So any set is answered
// from the days in range plus one running total per opportunity starting in range.
import { sql, type SQL } from 'drizzle-orm';
import { formatCents } from '../attribution/money';
import type { Tx } from '../platform/db/client';
import { textArray } from '../platform/db/sql';
import type { EntryDraft } from './plan';

/** Adds the drafts to their opportunities' days and refreshes those opportunities' running totals. */
export async function addToOpportunityDays(tx: Tx, workspaceId: string, drafts: readonly EntryDraft[]): Promise<void> {
  const byKey = new Map<string, { opportunityId: string; day: string; pipeline: bigint; closedWon: bigint }>();
  for (const d of drafts) {
    const key = `${d.opportunityId}\u0000${d.effectiveDay}`;
    const t = byKey.get(key) ?? { opportunityId: d.opportunityId, day: d.effectiveDay, pipeline: 0n, closedWon: 0n };
    if (d.measure === 'pipeline') t.pipeline += d.amount;
    else t.closedWon += d.amount;
    byKey.set(key, t);
  }
  if (byKey.size === 0) return;
  const rows = [...byKey.values()];
  const ids = [...new Set(rows.map((r) => r.opportunityId))];
  // Arrays as single parameters (unnest): any number of rows in one statement.
  await tx.execute(sql`
    insert into opportunity_days (workspace_id, opportunity_id, day, pipeline, closed_won, pipeline_to_date, closed_won_to_date)
    select ${workspaceId}, t.opportunity_id, t.day::date, t.pipeline::numeric, t.closed_won::numeric, 0, 0
    from unnest(${textArray(rows.map((r) => r.opportunityId))}, ${textArray(rows.map((r) => r.day))},
                ${textArray(rows.map((r) => formatCents(r.pipeline)))}, ${textArray(rows.map((r) => formatCents(r.closedWon)))})
         as t(opportunity_id, day, pipeline, closed_won)
    on conflict (workspace_id, opportunity_id, day) do update
      set pipeline = opportunity_days.pipeline + excluded.pipeline,
          closed_won = opportunity_days.closed_won + excluded.closed_won`);
  await tx.execute(sql`
    update opportunity_days o set pipeline_to_date = r.pipeline_to_date, closed_won_to_date = r.closed_won_to_date
    from (
      select opportunity_id, day,
             sum(pipeline) over w as pipeline_to_date, sum(closed_won) over w as closed_won_to_date
      from opportunity_days
      where workspace_id = ${workspaceId} and opportunity_id = any(${textArray(ids)})
      window w as (partition by opportunity_id order by day)
    ) r
    where o.workspace_id = ${workspaceId} and o.opportunity_id = r.opportunity_id and o.day = r.day
      and (o.pipeline_to_date, o.closed_won_to_date) is distinct from (r.pipeline_to_date, r.closed_won_to_date)`);
}

export interface DaysScope {
  workspaceId: string;
  /** null: all teams. */
  teams: readonly string[] | null;
  from: string;
  to: string;
}

/**
 * A subquery of (opportunity_id, day, pipeline, closed_won): one row per opportunity and day of
 * the range with anything booked for the scope (zero rows included; callers drop them).
 */
export function scopeDays(s: DaysScope): SQL {
  if (s.teams === null) {
    return sql`
      select opportunity_id, day, pipeline, closed_won from opportunity_days
      where workspace_id = ${s.workspaceId} and day between ${s.from}::date and ${s.to}::date`;
  }
  return sql`
    with starts as (
      select opportunity_id, min(start_day) as start_day from opportunity_influence
      where workspace_id = ${s.workspaceId} and team_id = any(${textArray(s.teams)})
      group by 1
    )
    select d.opportunity_id, d.day, d.pipeline, d.closed_won
    from opportunity_days d join starts s on s.opportunity_id = d.opportunity_id
    where d.workspace_id = ${s.workspaceId} and d.day between ${s.from}::date and ${s.to}::date and d.day > s.start_day
    union all
    select s.opportunity_id, s.start_day, b.pipeline_to_date, b.closed_won_to_date
    from starts s cross join lateral (
      select pipeline_to_date, closed_won_to_date from opportunity_days d
      where d.workspace_id = ${s.workspaceId} and d.opportunity_id = s.opportunity_id and d.day <= s.start_day
      order by d.day desc limit 1
    ) b
    where s.start_day between ${s.from}::date and ${s.to}::date`;
}
