// Who chatted, and what their chats influenced: per agent and per team, the conversations,
// qualified chats and meetings of the range (each on its own day), and the pipeline and
// closed-won booked in the range for the opportunities their conversations touched. An
// opportunity counts once per agent (team), but several agents may share it: those rows do not add
// up. Credit (credit.ts) does: each row's share under a model, summing to the dashboard. Beside
// them, how each agent works (leaderboard-operations.ts) and a weekly trend of every figure.
import { sql, type SQL } from 'drizzle-orm';
import { z } from 'zod';
import { formatCents, parseCents } from '../attribution/money';
import type { DbOrTx } from '../platform/db/client';
import { textArray } from '../platform/db/sql';
import { CREDIT_MODELS } from '../attribution/credit';
import type { DashboardAccess } from './dashboard';
import { teamsParam } from './dashboard';
import { money } from '../ledger/money-view';
import { cmpDesc, creditLines, creditModel, sumBy, type Sums } from './credit';
import { operationsBy, type Dimension, type OperationStats } from './leaderboard-operations';
import { agentNames } from './names';
import { reportContext } from './report-context';
import { instantsOf, periodQuery, periodsOf, type DayRange } from './reporting-period';

export const leaderboardQuery = periodQuery.extend({
  teams: teamsParam,
  model: creditModel,
  rankBy: z.enum(['influence', 'credit']).default('influence').meta({
    description: 'influence (the headline: Pipeline Influenced of the touched opportunities) or credit under model.',
  }),
});
export type LeaderboardQuery = z.output<typeof leaderboardQuery>;

const credit = z.object({ pipeline: money, closedWon: money }).meta({
  description: 'The row’s credit under `model` in the range: rows (with `withoutAgent`) add up to the dashboard.',
});
const operations = {
  agentInitiated: z.number().int().meta({ description: 'Conversations an agent opened (initiatedBy agent).' }),
  acceptanceRate: z.number().nullable().meta({
    description:
      'Of the agent-initiated conversations with message counts, the share where the visitor replied (messages.visitor ≥ 1).',
  }),
  averageRating: z.number().nullable().meta({ description: 'Mean rating in fires (0-3) of the rated conversations.' }),
  averageCsat: z.number().nullable().meta({ description: 'Mean CSAT (1-5) of the conversations that carry one.' }),
  medianFirstResponseSeconds: z.number().nullable().meta({
    description: 'Median startedAt → acceptedAt of answered, visitor-opened conversations (see chat operations).',
  }),
};
const conversations = z
  .number()
  .int()
  .meta({ description: 'Conversations of the row that started in the range (its week, in a trend).' });
const stats = {
  conversations,
  qualifiedChats: z.number().int().meta({ description: 'Of those, conversations rated 1, 2 or 3 fires.' }),
  meetingsBooked: z
    .number()
    .int()
    .meta({ description: 'Meetings booked through the row’s chats in the range, on the day they were booked.' }),
  pipelineInfluenced: money.meta({
    description: 'Pipeline booked in the range for the opportunities the row’s conversations touched (not additive).',
  }),
  closedWonInfluenced: money,
  credit,
  ...operations,
  trend: z
    .array(z.object({ from: z.iso.date(), to: z.iso.date(), conversations, ...operations, credit }))
    .meta({ description: 'The same figures by ISO week (Monday first), clipped to the range.' }),
};
export const leaderboardView = z
  .object({
    from: z.iso.date(),
    to: z.iso.date(),
    currency: z.string(),
    teams: z.array(z.string()).nullable(),
    model: z.enum(CREDIT_MODELS),
    rankBy: z.enum(['influence', 'credit']),
    byAgent: z.array(z.object({ agentId: z.string(), name: z.string().nullable(), ...stats })).meta({
      description: 'Agents of the counted teams; chats without an agent are only in their team row (and withoutAgent).',
    }),
    byTeam: z.array(z.object({ teamId: z.string(), name: z.string(), ...stats })),
    credit: z.object({ totals: credit, withoutAgent: credit }).meta({
      description: 'Credit of every row, and of conversations without an agent (bots): the dashboard totals.',
    }),
  })
  .meta({
    id: 'Leaderboard',
    description:
      'Influence rows are not additive (an opportunity touched by two agents counts in both); credit rows are. Ranked by ' +
      'rankBy, then the other measure, then conversations.',
  });
export type LeaderboardView = z.infer<typeof leaderboardView>;

export type { Dimension };
type Row = {
  dimension: Dimension;
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
  const { workspace, teamNames: teamName, range, teams, scope } = await reportContext(db, access, q, now);
  const agentName = await agentNames(db, workspace.id);
  const lines = await creditLines(db, { workspaceId: workspace.id, teams }, range, q.model);
  const weeks = periodsOf(range, 'week');
  const weekOf = (day: string) => weeks.find((w) => day >= w.from && day <= w.to)!.from;
  const dimensions: Dimension[] = ['agent_id', 'team_id'];
  const opsBy = await operationsBy(db, dimensions, scope, range);
  const rowsByDimension = await rowsBy(db, dimensions, scope, range);

  const board = (dimension: Dimension) => {
    const key = (l: (typeof lines)[number]) => (dimension === 'agent_id' ? l.touch?.agentId : l.touch?.teamId) ?? null;
    const credits = sumBy(lines, key);
    const weekly = sumBy(lines, (l) => `${key(l)}\u0000${weekOf(l.day)}`);
    const ops = opsBy.get(dimension)!;
    const base = new Map(rowsByDimension.filter((r) => r.dimension === dimension).map((r) => [r.key, r]));
    const keys = new Set([
      ...base.keys(),
      ...ops.keys(),
      ...[...credits.keys()].filter((k): k is string => k !== null),
    ]);
    return [...keys]
      .map((k) => {
        const r = base.get(k);
        const c = credits.get(k) ?? ZERO;
        const o = ops.get(k);
        return {
          key: k,
          credit: c,
          influence: { pipeline: parseCents(r?.pipeline ?? '0'), closedWon: parseCents(r?.closed_won ?? '0') },
          conversations: r?.conversations ?? 0,
          view: {
            conversations: r?.conversations ?? 0,
            qualifiedChats: r?.qualified ?? 0,
            meetingsBooked: r?.meetings ?? 0,
            pipelineInfluenced: formatCents(parseCents(r?.pipeline ?? '0')),
            closedWonInfluenced: formatCents(parseCents(r?.closed_won ?? '0')),
            credit: view(c),
            ...operationView(o?.total),
            trend: weeks.map((w) => ({
              from: w.from,
              to: w.to,
              conversations: o?.weeks.get(w.from)?.conversations ?? 0,
              ...operationView(o?.weeks.get(w.from)),
              credit: view(weekly.get(`${k}\u0000${w.from}`) ?? ZERO),
            })),
          },
        };
      })
      .sort((a, b) => {
        const [first, second] = q.rankBy === 'credit' ? [a.credit, a.influence] : [a.influence, a.credit];
        const [bFirst, bSecond] = q.rankBy === 'credit' ? [b.credit, b.influence] : [b.influence, b.credit];
        return (
          cmpDesc(first.pipeline, bFirst.pipeline) ||
          cmpDesc(first.closedWon, bFirst.closedWon) ||
          cmpDesc(second.pipeline, bSecond.pipeline) ||
          cmpDesc(second.closedWon, bSecond.closedWon) ||
          b.conversations - a.conversations ||
          (a.key < b.key ? -1 : 1)
        );
      });
  };

  const totals = lines.reduce(
    (t, l) => ({ pipeline: t.pipeline + l.pipeline, closedWon: t.closedWon + l.closedWon }),
    ZERO,
  );
  return {
    from: range.from,
    to: range.to,
    currency: workspace.reportingCurrency,
    teams,
    model: q.model,
    rankBy: q.rankBy,
    byAgent: board('agent_id').map((r) => ({ agentId: r.key, name: agentName.get(r.key) ?? null, ...r.view })),
    byTeam: board('team_id').map((r) => ({ teamId: r.key, name: teamName.get(r.key) ?? r.key, ...r.view })),
    credit: {
      totals: view(totals),
      withoutAgent: view(
        sumBy(lines, (l) => (l.touch && l.touch.agentId === null ? 'none' : 'some')).get('none') ?? ZERO,
      ),
    },
  };
}

const ZERO: Sums = { pipeline: 0n, closedWon: 0n };
const view = (s: Sums) => ({ pipeline: formatCents(s.pipeline), closedWon: formatCents(s.closedWon) });

function operationView(o: OperationStats | undefined) {
  return {
    agentInitiated: o?.agentInitiated ?? 0,
    acceptanceRate: o?.acceptanceRate ?? null,
    averageRating: o?.averageRating ?? null,
    averageCsat: o?.averageCsat ?? null,
    medianFirstResponseSeconds: o?.medianFirstResponseSeconds ?? null,
  };
}

/** Chats and influence per key of every dimension, in one statement (a round trip each before). */
async function rowsBy(
  db: DbOrTx,
  dimensions: readonly Dimension[],
  scope: { workspaceId: string; timeZone: string; teams: readonly string[] | null },
  range: DayRange,
): Promise<Row[]> {
  const parts = dimensions.map((d) => sql`select ${d}::text as dimension, r.* from (${rowsSql(d, scope, range)}) r`);
  return db.execute<Row>(sql.join(parts, sql` union all `));
}

/** The one definition of a dimension's rows: conversations, qualified, meetings, influence by key. */
function rowsSql(
  dimension: Dimension,
  scope: { workspaceId: string; timeZone: string; teams: readonly string[] | null },
  range: DayRange,
): SQL {
  const { start, end } = instantsOf(range, scope.timeZone);
  const key = sql.raw(dimension); // one of two column names, never input
  const teamFilter: SQL = scope.teams ? sql`and team_id = any(${textArray(scope.teams)})` : sql``;
  const inRange = (column: SQL) =>
    sql`${column} >= ${start.toISOString()}::timestamptz and ${column} < ${end.toISOString()}::timestamptz`;
  return sql`
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
             coalesce(sum(d.pipeline), 0) as pipeline, coalesce(sum(d.closed_won), 0) as closed_won
      from touched t
      join opportunity_days d on d.workspace_id = ${scope.workspaceId} and d.opportunity_id = t.opportunity_id
      where d.day between ${range.from}::date and ${range.to}::date
      group by 1
    )
    select coalesce(c.key, i.key) as key,
           coalesce(c.conversations, 0) as conversations, coalesce(c.qualified, 0) as qualified, coalesce(c.meetings, 0) as meetings,
           coalesce(i.pipeline, 0)::text as pipeline, coalesce(i.closed_won, 0)::text as closed_won
    from chats c full join influence i on i.key = c.key`;
}
