// How each agent (or team) works, for the leaderboard: conversations, the acceptance of
// agent-initiated invitations, average rating and CSAT, median first response; in total and by
// ISO week. The answered and first-response definitions are chat operations' own.
import { sql, type SQL } from 'drizzle-orm';
import type { DbOrTx } from '../platform/db/client';
import { textArray } from '../platform/db/sql';
import type { MetricsScope } from './chat-metrics';
import { FIRST_RESPONSE_CHATS, periodStartSql, WAIT_SECONDS } from './chat-operations';
import { instantsOf, type DayRange } from './reporting-period';
import { ratio } from './statistics';

export interface OperationStats {
  conversations: number;
  agentInitiated: number;
  acceptanceRate: number | null;
  averageRating: number | null;
  averageCsat: number | null;
  medianFirstResponseSeconds: number | null;
}

export type Dimension = 'agent_id' | 'team_id';

type Row = {
  dimension: Dimension;
  key: string;
  week: string | null;
  conversations: number;
  agent_initiated: number;
  offered: number;
  accepted: number;
  rating: number | null;
  csat: number | null;
  first_response: number | null;
};

const two = (v: number | null) => (v === null ? null : Math.round(Number(v) * 100) / 100);

export type Operations = Map<string, { total: OperationStats; weeks: Map<string, OperationStats> }>;

/** The one definition of the figures of one dimension: a statement of Row (without `dimension`). */
function operationsSql(dimension: Dimension, scope: MetricsScope, range: DayRange): SQL {
  const { start, end } = instantsOf(range, scope.timeZone);
  const key = sql.raw(dimension); // one of two column names, never input
  const teamFilter = scope.teams ? sql`and team_id = any(${textArray(scope.teams)})` : sql``;
  return sql`
    with c as (
      select *, ${key} as key, ${periodStartSql(sql`started_at`, scope.timeZone, range, 'week')}::text as week
      from conversations
      where workspace_id = ${scope.workspaceId} and ${key} is not null ${teamFilter}
        and started_at >= ${start.toISOString()}::timestamptz and started_at < ${end.toISOString()}::timestamptz
    )
    select key, case when grouping(week) = 1 then null else week end as week,
           count(*)::int as conversations,
           count(*) filter (where initiated_by = 'agent')::int as agent_initiated,
           count(*) filter (where initiated_by = 'agent' and messages_visitor is not null)::int as offered,
           count(*) filter (where initiated_by = 'agent' and messages_visitor >= 1)::int as accepted,
           avg(rating)::float8 as rating, avg(csat)::float8 as csat,
           percentile_cont(0.5) within group (order by ${WAIT_SECONDS}) filter (where ${FIRST_RESPONSE_CHATS}) as first_response
    from c group by grouping sets ((key, week), (key))`;
}

/**
 * Per dimension, key -> its figures over the range and per week (keyed by the week's first day in
 * the range). Every dimension in one statement (a round trip each was most of their cost).
 */
export async function operationsBy(
  db: DbOrTx,
  dimensions: readonly Dimension[],
  scope: MetricsScope,
  range: DayRange,
): Promise<Map<Dimension, Operations>> {
  const out = new Map<Dimension, Operations>(dimensions.map((d) => [d, new Map()]));
  if (dimensions.length === 0) return out;
  const parts = dimensions.map(
    (d) => sql`select ${d}::text as dimension, o.* from (${operationsSql(d, scope, range)}) o`,
  );
  const rows = await db.execute<Row>(sql.join(parts, sql` union all `));
  for (const r of rows) {
    const stats: OperationStats = {
      conversations: r.conversations,
      agentInitiated: r.agent_initiated,
      acceptanceRate: ratio(r.accepted, r.offered),
      averageRating: two(r.rating),
      averageCsat: two(r.csat),
      medianFirstResponseSeconds: r.first_response === null ? null : Math.round(Number(r.first_response) * 10) / 10,
    };
    const byKey = out.get(r.dimension)!;
    const entry = byKey.get(r.key) ?? { total: stats, weeks: new Map() };
    if (r.week === null) entry.total = stats;
    else entry.weeks.set(r.week, stats);
    byKey.set(r.key, entry);
  }
  return out;
}
