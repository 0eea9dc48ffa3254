// What a chat visitor is worth (the seed: "the value of a live chat customer = conversion rate ×
// average sale"). The visitors of a range are counted once each; what they became is read to date
// (their deals as they stand now): a cohort. The lift compares the deals chat influenced with the
// others, from the outcomes of the same range (outcomes.ts), each with a 95% confidence interval.
import { sql } from 'drizzle-orm';
import { z } from 'zod';
import { formatCents, type Cents } from '../attribution/money';
import type { DbOrTx } from '../platform/db/client';
import { textArray } from '../platform/db/sql';
import { money } from '../ledger/money-view';
import { teamsParam } from './dashboard';
import { opportunityStates } from './opportunity-states';
import { averageCents, outcomeFacts } from './outcomes';
import { reportContext, type ReportAccess } from './report-context';
import { instantsOf, periodQuery } from './reporting-period';
import { meanInterval, newcombeDifference, ratio, round4, welchDifference, wilson } from './statistics';

export const conversionQuery = periodQuery.extend({ teams: teamsParam });
export type ConversionQuery = z.output<typeof conversionQuery>;

const rate = z.number().nullable();
const rateEstimate = z.object({
  rate: rate.meta({ description: 'won / closed: the win rate of these deals.' }),
  low: rate.meta({ description: 'Lower bound of the Wilson 95% interval of the rate.' }),
  high: rate.meta({ description: 'Upper bound of the Wilson 95% interval of the rate.' }),
  won: z.number().int().meta({ description: 'Deals won in the range.' }),
  closed: z.number().int().meta({ description: 'The sample size: deals won or lost in the range.' }),
});
const meanEstimate = z.object({
  mean: money.nullable().meta({ description: 'The mean won amount, rounded to the cent.' }),
  low: money.nullable().meta({ description: 'Lower bound of the t 95% interval of the mean; null below two deals.' }),
  high: money.nullable().meta({ description: 'Upper bound of the t 95% interval of the mean; null below two deals.' }),
  n: z.number().int().meta({ description: 'The sample size: deals won in the range.' }),
});

export const conversionView = z
  .object({
    from: z.iso.date(),
    to: z.iso.date(),
    asOf: z.iso.datetime().meta({ description: 'When the visitors’ deals were read: now (a cohort, to date).' }),
    currency: z.string(),
    teams: z.array(z.string()).nullable(),
    visitors: z
      .number()
      .int()
      .meta({
        description:
          'Unique chat visitors of the range: by normalized email (the data-ask email, else the first captured), else by ' +
          'visitorId (taking the email another chat of that visitorId gave), else one per conversation.',
      }),
    linkedVisitors: z
      .number()
      .int()
      .meta({ description: 'Visitors with an email that a Salesforce contact or lead has (in any version).' }),
    influencedVisitors: z
      .number()
      .int()
      .meta({ description: 'Visitors whose chats of the range touched an opportunity (ATTRIBUTION.md rule 3).' }),
    wonVisitors: z
      .number()
      .int()
      .meta({ description: 'Visitors whose chats touched an opportunity that is Closed Won now.' }),
    conversionRate: rate.meta({ description: 'wonVisitors / visitors.' }),
    averageWonAmount: money.nullable().meta({
      description: 'The mean amount of the Closed Won opportunities those visitors touched, each counted once.',
    }),
    valuePerVisitor: money.nullable().meta({ description: 'conversionRate × averageWonAmount, rounded to the cent.' }),
    successfulChats: z.number().int().meta({ description: 'Conversations of the range rated 1 to 3 fires.' }),
    successfulChatsWon: z
      .number()
      .int()
      .meta({ description: 'Successful chats that touched an opportunity that is Closed Won now.' }),
    valuePerSuccessfulChat: money.nullable().meta({
      description:
        '(successfulChatsWon / successfulChats) × the mean amount of the Closed Won opportunities they touched.',
    }),
    lift: z
      .object({
        winRate: z.object({
          influenced: rateEstimate,
          baseline: rateEstimate,
          difference: z
            .object({ value: z.number(), low: z.number(), high: z.number() })
            .nullable()
            .meta({ description: 'influenced − baseline, Newcombe’s hybrid score 95% interval.' }),
          relative: rate.meta({ description: 'influenced / baseline − 1.' }),
        }),
        dealSize: z.object({
          influenced: meanEstimate,
          baseline: meanEstimate,
          difference: z.object({ value: money, low: money, high: money, df: z.number() }).nullable().meta({
            description: 'influenced − baseline mean won amount, Welch 95% interval; null below two deals a side.',
          }),
          relative: rate.meta({ description: 'influenced / baseline mean − 1.' }),
        }),
      })
      .meta({
        description:
          'Deals won or lost in the range (GET /api/v1/outcomes), influenced by chat of the team set or not. An ' +
          'association, not proof that chat caused it: chatters may differ from other buyers.',
      }),
  })
  .meta({ id: 'Conversion' });
export type ConversionView = z.infer<typeof conversionView>;

type VisitorRow = {
  visitor: string;
  conversation_id: string;
  rating: number | null;
  linked: boolean;
};

export async function buildConversion(
  db: DbOrTx,
  access: ReportAccess,
  q: ConversionQuery,
  now = new Date(),
): Promise<ConversionView> {
  const ctx = await reportContext(db, access, q, now);
  const { workspace, range, teams } = ctx;
  const { start, end } = instantsOf(range, workspace.timeZone);
  const teamFilter = teams ? sql`and team_id = any(${textArray(teams)})` : sql``;
  const rows = await db.execute<VisitorRow>(sql`
    with c as (
      select id, visitor_id, rating, email_normalized(coalesce(captured_email, emails[1])) as email
      from conversations
      where workspace_id = ${workspace.id} and started_at >= ${start.toISOString()}::timestamptz
        and started_at < ${end.toISOString()}::timestamptz ${teamFilter}
    ), by_visitor_id as (
      select visitor_id, min(email) as email from c where visitor_id is not null and email is not null group by 1
    ), keyed as (
      select c.id, c.rating, coalesce(c.email, v.email) as email,
             coalesce('email:' || coalesce(c.email, v.email), 'visitor:' || c.visitor_id, 'conversation:' || c.id) as visitor
      from c left join by_visitor_id v using (visitor_id)
    ), emails as (
      select k.visitor, e.email_normalized as email from keyed k
      join conversation_emails e on e.workspace_id = ${workspace.id} and e.conversation_id = k.id
      union select visitor, email from keyed where email is not null
    ), linked as (
      select distinct visitor from emails e
      where exists (select 1 from contact_versions cv where cv.workspace_id = ${workspace.id} and cv.email_normalized = e.email)
         or exists (select 1 from lead_versions lv where lv.workspace_id = ${workspace.id} and lv.email_normalized = e.email)
    )
    select k.visitor, k.id as conversation_id, k.rating, (l.visitor is not null) as linked
    from keyed k left join linked l using (visitor)`);

  const touches = await db.execute<{ conversation_id: string; opportunity_id: string }>(sql`
    select conversation_id, opportunity_id from opportunity_touches
    where workspace_id = ${workspace.id} and conversation_id = any(${textArray(rows.map((r) => r.conversation_id))})
      ${teamFilter}`);
  const opportunitiesOf = new Map<string, string[]>();
  for (const t of touches)
    opportunitiesOf.set(t.conversation_id, [...(opportunitiesOf.get(t.conversation_id) ?? []), t.opportunity_id]);
  const states = await opportunityStates(db, workspace.id, { ids: [...new Set(touches.map((t) => t.opportunity_id))] });
  const wonAmount = (id: string): Cents | null => {
    const s = states.get(id);
    return s && s.isWon && !s.deleted ? s.reportingAmount : null;
  };

  const visitors = new Map<string, { linked: boolean; touched: boolean; won: boolean }>();
  const wonByVisitors = new Map<string, Cents>();
  let successful = 0;
  let successfulWon = 0;
  const wonBySuccessful = new Map<string, Cents>();
  for (const r of rows) {
    const opps = opportunitiesOf.get(r.conversation_id) ?? [];
    const won = opps.filter((id) => wonAmount(id) !== null);
    const v = visitors.get(r.visitor) ?? { linked: r.linked, touched: false, won: false };
    v.touched ||= opps.length > 0;
    v.won ||= won.length > 0;
    visitors.set(r.visitor, v);
    for (const id of won) wonByVisitors.set(id, wonAmount(id)!);
    if (r.rating !== null && r.rating >= 1 && r.rating <= 3) {
      successful += 1;
      if (won.length > 0) successfulWon += 1;
      for (const id of won) wonBySuccessful.set(id, wonAmount(id)!);
    }
  }
  const all = [...visitors.values()];
  const wonVisitors = all.filter((v) => v.won).length;

  const facts = await outcomeFacts(db, ctx);
  const amounts = (xs: { reportingAmount: Cents }[]) => xs.map((s) => s.reportingAmount);
  const winRate = (g: typeof facts.influenced) => {
    const closed = g.won.length + g.lost.length;
    const w = wilson(g.won.length, closed);
    return {
      rate: ratio(g.won.length, closed),
      low: w ? round4(w.low) : null,
      high: w ? round4(w.high) : null,
      won: g.won.length,
      closed,
    };
  };
  const dealSize = (g: typeof facts.influenced) => {
    const m = meanInterval(amounts(g.won));
    const cents = (c: Cents | null | undefined) => (c === null || c === undefined ? null : formatCents(c));
    return { mean: cents(m?.mean), low: cents(m?.low), high: cents(m?.high), n: g.won.length };
  };
  const [wi, wb] = [winRate(facts.influenced), winRate(facts.baseline)];
  const rateDiff = newcombeDifference(wi.won, wi.closed, wb.won, wb.closed);
  const [di, db0] = [meanInterval(amounts(facts.influenced.won)), meanInterval(amounts(facts.baseline.won))];
  const meanDiff = welchDifference(amounts(facts.influenced.won), amounts(facts.baseline.won));

  return {
    from: range.from,
    to: range.to,
    asOf: now.toISOString(),
    currency: workspace.reportingCurrency,
    teams,
    visitors: all.length,
    linkedVisitors: all.filter((v) => v.linked).length,
    influencedVisitors: all.filter((v) => v.touched).length,
    wonVisitors,
    conversionRate: ratio(wonVisitors, all.length),
    averageWonAmount: averageCents(sumOf(wonByVisitors), wonByVisitors.size),
    valuePerVisitor: valueOf(wonVisitors, all.length, wonByVisitors),
    successfulChats: successful,
    successfulChatsWon: successfulWon,
    valuePerSuccessfulChat: valueOf(successfulWon, successful, wonBySuccessful),
    lift: {
      winRate: {
        influenced: wi,
        baseline: wb,
        difference: rateDiff
          ? { value: round4(rateDiff.difference), low: round4(rateDiff.low), high: round4(rateDiff.high) }
          : null,
        relative: wi.rate !== null && wb.rate ? round4(wi.won / wi.closed / (wb.won / wb.closed) - 1) : null,
      },
      dealSize: {
        influenced: dealSize(facts.influenced),
        baseline: dealSize(facts.baseline),
        difference: meanDiff
          ? {
              value: formatCents(meanDiff.difference),
              low: formatCents(meanDiff.low),
              high: formatCents(meanDiff.high),
              df: meanDiff.df,
            }
          : null,
        relative: di && db0 && db0.mean !== 0n ? round4(Number(di.mean) / Number(db0.mean) - 1) : null,
      },
    },
  };
}

const sumOf = (m: Map<string, Cents>): Cents => [...m.values()].reduce((t, c) => t + c, 0n);

/** (k / n) × (the mean of the won amounts), in exact cents rounded half away from zero. */
function valueOf(k: number, n: number, won: Map<string, Cents>): string | null {
  if (n === 0) return null;
  if (won.size === 0) return formatCents(0n);
  const num = BigInt(k) * sumOf(won);
  const den = BigInt(n) * BigInt(won.size);
  return formatCents(roundDiv(num, den));
}

function roundDiv(num: bigint, den: bigint): bigint {
  const q = num / den;
  const r = num % den;
  return 2n * (r < 0n ? -r : r) >= den ? q + (num < 0n ? -1n : 1n) : q;
}
