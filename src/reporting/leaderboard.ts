// Who chatted, and what their chats influenced: per agent and per team, the conversations,
// qualified chats and meetings of the range (each on its own day), and the pipeline and
// closed-won booked in the range for the opportunities their conversations touched. An
// opportunity counts once per agent (team), but several agents may share it: rows do not add up.
import { sql, type SQL } from 'drizzle-orm';
import { z } from 'zod';
import { formatCents, parseCents } from '../attribution/money';
import type { DbOrTx } from '../platform/db/client';
import { textArray } from '../platform/db/sql';
import { getWorkspace } from '../workspaces/workspaces';
import type { DashboardAccess } from './dashboard';
import { teamsParam } from './dashboard';
import { money } from '../ledger/money-view';
import { instantsOf, periodQuery, resolveDayRange, type DayRange } from './reporting-period';
import { parseTeamList, resolveTeamFilter } from './team-scope';

export const leaderboardQuery = periodQuery.extend({ teams: teamsParam });
export type LeaderboardQuery = z.output<typeof leaderboardQuery>;

const stats = {
  conversations: z.number().int(),
  qualifiedChats: z.number().int(),
  meetingsBooked: z.number().int(),
  pipelineInfluenced: money,
  closedWonInfluenced: money,
};
export const leaderboardView = z
  .object({
    from: z.iso.date(),
    to: z.iso.date(),
    currency: z.string(),
    teams: z.array(z.string()).nullable(),
    byAgent: z
      .array(z.object({ agentId: z.string(), ...stats }))
      .meta({ description: 'Agents of the counted teams; chats without an agent are only in their team row.' }),
    byTeam: z.array(z.object({ teamId: z.string(), name: z.string(), ...stats })),
  })
  .meta({
    id: 'Leaderboard',
    description: 'Rows are not additive: an opportunity touched by two agents counts in both rows.',
  });
export type LeaderboardView = z.infer<typeof leaderboardView>;

type Dimension = 'agent_id' | 'team_id';
type Row = {
  key: string;
  conversations: number;
  qualified: number;
  meetings: number;
  pipeline: string;
  closed_won: string;
};

export async function buildLeaderboard(
  db: DbOrTx,
  access: DashboardAccess,
  q: LeaderboardQuery,
  now = new Date(),
): Promise<LeaderboardView> {
  const workspace = await getWorkspace(db, access.workspaceId);
  const range = resolveDayRange(q, workspace.timeZone, now);
  const teams = await resolveTeamFilter(db, workspace.id, access.teams, parseTeamList(q.teams));
  const scope = { workspaceId: workspace.id, timeZone: workspace.timeZone, teams };

  const names = new Map(
    (
      await db.execute<{ id: string; name: string }>(
        sql`select id, name from teams where workspace_id = ${workspace.id}`,
      )
    ).map((t) => [t.id, t.name]),
  );
  const stat = (r: Row) => ({
    conversations: r.conversations,
    qualifiedChats: r.qualified,
    meetingsBooked: r.meetings,
    pipelineInfluenced: formatCents(parseCents(r.pipeline)),
    closedWonInfluenced: formatCents(parseCents(r.closed_won)),
  });
  return {
    from: range.from,
    to: range.to,
    currency: workspace.reportingCurrency,
    teams,
    byAgent: (await rowsBy(db, 'agent_id', scope, range)).map((r) => ({ agentId: r.key, ...stat(r) })),
    byTeam: (await rowsBy(db, 'team_id', scope, range)).map((r) => ({
      teamId: r.key,
      name: names.get(r.key) ?? r.key,
      ...stat(r),
    })),
  };
}

async function rowsBy(
  db: DbOrTx,
  dimension: Dimension,
  scope: { workspaceId: string; timeZone: string; teams: readonly string[] | null },
  range: DayRange,
): Promise<Row[]> {
  const { start, end } = instantsOf(range, scope.timeZone);
  const key = sql.raw(dimension); // one of two column names, never input
  const teamFilter: SQL = scope.teams ? sql`and team_id = any(${textArray(scope.teams)})` : sql``;
  const inRange = (column: SQL) =>
    sql`${column} >= ${start.toISOString()}::timestamptz and ${column} < ${end.toISOString()}::timestamptz`;
  const rows = await db.execute<Row>(sql`
    with chats as (
      select ${key} as key,
             count(*) filter (where ${inRange(sql`started_at`)})::int as conversations,
             count(*) filter (where ${inRange(sql`started_at`)} and rating between 1 and 3)::int as qualified,
             count(*) filter (where ${inRange(sql`meeting_booked_at`)})::int as meetings
      from conversations
      where workspace_id = ${scope.workspaceId} and ${key} is not null ${teamFilter}
        and (${inRange(sql`started_at`)} or ${inRange(sql`meeting_booked_at`)})
      group by 1
    ), touched as (
      select distinct ${key} as key, opportunity_id from opportunity_touches
      where workspace_id = ${scope.workspaceId} and ${key} is not null ${teamFilter}
    ), influence as (
      select t.key,
             coalesce(sum(l.amount) filter (where l.measure = 'pipeline'), 0) as pipeline,
             coalesce(sum(l.amount) filter (where l.measure = 'closed_won'), 0) as closed_won
      from touched t
      join ledger_entries l on l.workspace_id = ${scope.workspaceId} and l.opportunity_id = t.opportunity_id
      where l.effective_day between ${range.from}::date and ${range.to}::date
      group by 1
    )
    select coalesce(c.key, i.key) as key,
           coalesce(c.conversations, 0) as conversations, coalesce(c.qualified, 0) as qualified, coalesce(c.meetings, 0) as meetings,
           coalesce(i.pipeline, 0)::text as pipeline, coalesce(i.closed_won, 0)::text as closed_won
    from chats c full join influence i on i.key = c.key
    order by coalesce(i.pipeline, 0) desc, coalesce(i.closed_won, 0) desc, coalesce(c.conversations, 0) desc, 1`);
  return rows;
}
