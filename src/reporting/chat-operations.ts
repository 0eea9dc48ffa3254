// Chat operations: is the chat team working? Missed chats, wait and response times, duration,
// messages, tags, channels, satisfaction (CSAT, NPS), resolution, and when chats come in (hour of
// day × weekday in the workspace's zone), per period and in total, over the conversations that
// started in the range (their teams in the team set). One query computes each figure, so the total
// and the periods share one definition (docs/metrics.md "Chat operations").
import { sql, type SQL } from 'drizzle-orm';
import { z } from 'zod';
import type { DbOrTx } from '../platform/db/client';
import { textArray } from '../platform/db/sql';
import type { MetricsScope } from './chat-metrics';
import { teamsParam } from './dashboard';
import { reportContext, type ReportAccess } from './report-context';
import { granularity, instantsOf, periodQuery, periodsOf, type DayRange, type Granularity } from './reporting-period';
import { ratio } from './statistics';

export const chatOperationsQuery = periodQuery.extend({
  teams: teamsParam,
  granularity: granularity
    .default('day')
    .meta({ description: 'day, week (ISO, Monday first) or month; partial periods at the edges.' }),
});
export type ChatOperationsQuery = z.output<typeof chatOperationsQuery>;

const seconds = z.number().nullable();
const durations = (what: string) =>
  z
    .object({ n: z.number().int(), median: seconds, p90: seconds, mean: seconds })
    .meta({ description: `${what} In seconds (one decimal); null without a chat to measure. n: the chats measured.` });

const figures = {
  chats: z.number().int().meta({ description: 'Conversations that started in the period, every kind.' }),
  answered: z
    .number()
    .int()
    .meta({ description: 'Answered by an agent: status answered, or no status but a first agent reply (acceptedAt).' }),
  missed: z.number().int().meta({ description: 'Status missed: the visitor asked and no agent answered.' }),
  missedRate: z.number().nullable().meta({ description: 'missed / chats.' }),
  waitSeconds: durations(
    'Wait time: startedAt to acceptedAt, over answered chats a visitor or a bot opened (not agent-initiated).',
  ),
  firstResponseSeconds: durations(
    'First response time: startedAt to acceptedAt over answered chats the visitor opened, where an agent was asked directly.',
  ),
  responseSeconds: durations(
    "Response time: the chat product's avgResponseSeconds, over answered chats that carry it.",
  ),
  durationSeconds: durations('Duration: startedAt to endedAt, over answered chats that ended.'),
  messagesPerChat: z
    .object({
      n: z.number().int(),
      mean: z.number().nullable(),
      median: z.number().nullable(),
      visitorMean: z.number().nullable(),
      agentMean: z.number().nullable(),
    })
    .meta({ description: 'Visitor plus agent messages, over chats that carry both counts (two decimals).' }),
  csat: z
    .object({
      n: z.number().int(),
      average: z.number().nullable().meta({ description: 'Mean score, 1 to 5 (two decimals).' }),
      satisfiedRate: z.number().nullable().meta({ description: 'Share of scores 4 and 5.' }),
    })
    .meta({ description: 'Customer satisfaction over the chats rated (csat).' }),
  nps: z
    .object({
      n: z.number().int(),
      promoters: z.number().int().meta({ description: 'Answers 9 and 10.' }),
      passives: z.number().int().meta({ description: 'Answers 7 and 8.' }),
      detractors: z.number().int().meta({ description: 'Answers 0 to 6.' }),
      score: z
        .number()
        .nullable()
        .meta({ description: 'Net Promoter Score: % promoters − % detractors, −100 to 100 (one decimal).' }),
    })
    .meta({ description: 'Net Promoter answers given in chats (nps).' }),
  resolution: z
    .object({ n: z.number().int(), resolved: z.number().int(), rate: z.number().nullable() })
    .meta({ description: 'resolved / chats that say whether they were resolved.' }),
};
const figuresShape = z.object(figures);
type Figures = z.infer<typeof figuresShape>;

export const chatOperationsView = z
  .object({
    from: z.iso.date(),
    to: z.iso.date(),
    granularity,
    timeZone: z.string(),
    teams: z.array(z.string()).nullable(),
    totals: figuresShape.extend({
      tags: z
        .array(z.object({ tag: z.string(), chats: z.number().int().meta({ description: 'Chats with the tag.' }) }))
        .meta({ description: 'Chats per tag, most first; a chat with two tags counts under each.' }),
      untagged: z.number().int().meta({ description: 'Chats without a tag.' }),
      channels: z
        .array(
          z.object({ channel: z.string(), chats: z.number().int().meta({ description: 'Chats on the channel.' }) }),
        )
        .meta({ description: 'Chats per channel; "unknown" when the sender gave none.' }),
      csatDistribution: z
        .array(z.number().int())
        .length(5)
        .meta({ description: 'How many chats scored 1, 2, 3, 4 and 5.' }),
      heatmap: z.array(z.array(z.number().int()).length(24)).length(7).meta({
        description:
          'Chats by weekday (rows Monday to Sunday) and hour of the day (columns 0-23), in the workspace zone.',
      }),
    }),
    series: z
      .array(figuresShape.extend({ from: z.iso.date(), to: z.iso.date() }))
      .meta({ description: 'Every period of the range, empty ones included.' }),
  })
  .meta({ id: 'ChatOperations' });
export type ChatOperationsView = z.infer<typeof chatOperationsView>;

/** Answered by an agent: status answered, or no status but a first agent reply. One definition for every report. */
export const ANSWERED = sql`(status = 'answered' or (status is null and accepted_at is not null))`;
/** The chats whose startedAt → acceptedAt is an agent's first response: answered, opened by the visitor. */
export const FIRST_RESPONSE_CHATS = sql`${ANSWERED} and (initiated_by is null or initiated_by = 'visitor')`;
/** Seconds from the request to the first agent reply. */
export const WAIT_SECONDS = sql`extract(epoch from accepted_at - started_at)::float8`;

/** The first day of the (clipped) period a conversation's local day falls in. */
export function periodStartSql(column: SQL, timeZone: string, range: DayRange, by: Granularity): SQL {
  const local = sql`(${column} at time zone ${timeZone})`;
  if (by === 'day') return sql`${local}::date`;
  return sql`greatest(date_trunc(${by}, ${local})::date, ${range.from}::date)`;
}

/** The conversations of the range and team set, with what the figures read. */
function chatsOfRange(scope: MetricsScope, range: DayRange, by: Granularity): SQL {
  const { start, end } = instantsOf(range, scope.timeZone);
  const teamFilter = scope.teams ? sql`and team_id = any(${textArray(scope.teams)})` : sql``;
  return sql`
    select *, ${periodStartSql(sql`started_at`, scope.timeZone, range, by)}::text as period,
           ${ANSWERED} as answered,
           ${WAIT_SECONDS} as wait,
           extract(epoch from ended_at - started_at)::float8 as duration,
           (messages_visitor + messages_agent) as messages
    from conversations
    where workspace_id = ${scope.workspaceId} and started_at >= ${start.toISOString()}::timestamptz
      and started_at < ${end.toISOString()}::timestamptz ${teamFilter}`;
}

type Num = number | string | null;
type FigureRow = Record<string, Num> & { period: string | null };

const stats = (name: string, value: SQL, where: SQL) => sql`
  count(${value}) filter (where ${where})::int as ${sql.raw(`${name}_n`)},
  percentile_cont(0.5) within group (order by ${value}) filter (where ${where}) as ${sql.raw(`${name}_median`)},
  percentile_cont(0.9) within group (order by ${value}) filter (where ${where}) as ${sql.raw(`${name}_p90`)},
  avg(${value}) filter (where ${where})::float8 as ${sql.raw(`${name}_mean`)}`;

export async function buildChatOperations(
  db: DbOrTx,
  access: ReportAccess,
  q: ChatOperationsQuery,
  now = new Date(),
): Promise<ChatOperationsView> {
  const { workspace, range, teams, scope } = await reportContext(db, access, q, now);
  const chats = chatsOfRange(scope, range, q.granularity);
  const notAgent = sql`initiated_by is distinct from 'agent'`;
  const rows = await db.execute<FigureRow>(sql`
    with c as (${chats})
    select case when grouping(period) = 1 then null else period end as period,
      count(*)::int as chats,
      count(*) filter (where answered)::int as answered,
      count(*) filter (where status = 'missed')::int as missed,
      ${stats('wait', sql`wait`, sql`answered and ${notAgent}`)},
      ${stats('first', sql`wait`, FIRST_RESPONSE_CHATS)},
      ${stats('response', sql`avg_response_seconds`, sql`answered`)},
      ${stats('duration', sql`duration`, sql`answered`)},
      ${stats('messages', sql`messages`, sql`true`)},
      avg(messages_visitor) filter (where messages is not null)::float8 as visitor_messages_mean,
      avg(messages_agent) filter (where messages is not null)::float8 as agent_messages_mean,
      count(csat)::int as csat_n, avg(csat)::float8 as csat_mean,
      count(*) filter (where csat >= 4)::int as csat_satisfied,
      count(*) filter (where csat = 1)::int as csat_1, count(*) filter (where csat = 2)::int as csat_2,
      count(*) filter (where csat = 3)::int as csat_3, count(*) filter (where csat = 4)::int as csat_4,
      count(*) filter (where csat = 5)::int as csat_5,
      count(nps)::int as nps_n, count(*) filter (where nps >= 9)::int as nps_promoters,
      count(*) filter (where nps <= 6)::int as nps_detractors,
      count(resolved)::int as resolution_n, count(*) filter (where resolved)::int as resolution_resolved
    from c group by grouping sets ((period), ())`);
  const tags = await db.execute<{ tag: string | null; n: number }>(sql`
    with c as (${chats})
    select t.tag, count(*)::int as n from c left join lateral unnest(c.tags) as t(tag) on true
    group by 1 order by 2 desc, 1`);
  const channels = await db.execute<{ channel: string; n: number }>(sql`
    with c as (${chats})
    select coalesce(channel, 'unknown') as channel, count(*)::int as n from c group by 1 order by 2 desc, 1`);
  const hours = await db.execute<{ weekday: number; hour: number; n: number }>(sql`
    with c as (${chats})
    select extract(isodow from started_at at time zone ${workspace.timeZone})::int as weekday,
           extract(hour from started_at at time zone ${workspace.timeZone})::int as hour, count(*)::int as n
    from c group by 1, 2`);

  const byPeriod = new Map(rows.filter((r) => r.period !== null).map((r) => [r.period!, r]));
  const total = rows.find((r) => r.period === null);
  const heatmap = Array.from({ length: 7 }, () => Array.from({ length: 24 }, () => 0));
  for (const h of hours) heatmap[h.weekday - 1]![h.hour] = h.n;
  return {
    from: range.from,
    to: range.to,
    granularity: q.granularity,
    timeZone: workspace.timeZone,
    teams,
    totals: {
      ...figuresOf(total),
      tags: tags.filter((t) => t.tag !== null).map((t) => ({ tag: t.tag!, chats: t.n })),
      untagged: tags.find((t) => t.tag === null)?.n ?? 0,
      channels: channels.map((c) => ({ channel: c.channel, chats: c.n })),
      csatDistribution: [1, 2, 3, 4, 5].map((s) => Number(total?.[`csat_${s}`] ?? 0)),
      heatmap,
    },
    series: periodsOf(range, q.granularity).map((p) => ({
      from: p.from,
      to: p.to,
      ...figuresOf(byPeriod.get(p.from)),
    })),
  };
}

const num = (v: Num | undefined): number | null => (v === null || v === undefined ? null : Number(v));
const round = (v: Num | undefined, places: number): number | null => {
  const n = num(v);
  return n === null ? null : Math.round(n * 10 ** places) / 10 ** places;
};

function figuresOf(r: FigureRow | undefined): Figures {
  const n = (k: string) => Number(r?.[k] ?? 0);
  const durationsOf = (name: string) => ({
    n: n(`${name}_n`),
    median: round(r?.[`${name}_median`], 1),
    p90: round(r?.[`${name}_p90`], 1),
    mean: round(r?.[`${name}_mean`], 1),
  });
  const npsN = n('nps_n');
  const promoters = n('nps_promoters');
  const detractors = n('nps_detractors');
  return {
    chats: n('chats'),
    answered: n('answered'),
    missed: n('missed'),
    missedRate: ratio(n('missed'), n('chats')),
    waitSeconds: durationsOf('wait'),
    firstResponseSeconds: durationsOf('first'),
    responseSeconds: durationsOf('response'),
    durationSeconds: durationsOf('duration'),
    messagesPerChat: {
      n: n('messages_n'),
      mean: round(r?.messages_mean, 2),
      median: round(r?.messages_median, 2),
      visitorMean: round(r?.visitor_messages_mean, 2),
      agentMean: round(r?.agent_messages_mean, 2),
    },
    csat: { n: n('csat_n'), average: round(r?.csat_mean, 2), satisfiedRate: ratio(n('csat_satisfied'), n('csat_n')) },
    nps: {
      n: npsN,
      promoters,
      passives: npsN - promoters - detractors,
      detractors,
      score: npsN === 0 ? null : Math.round(((promoters - detractors) / npsN) * 1000) / 10,
    },
    resolution: {
      n: n('resolution_n'),
      resolved: n('resolution_resolved'),
      rate: ratio(n('resolution_resolved'), n('resolution_n')),
    },
  };
}
