// Open pipeline and deal outcomes of a range, for the opportunities chat influenced (for the team
// set) and, as the baseline, for those it did not: the open pipeline at the end of the range (a
// stock), the opportunities created, won and lost in the range (flows), win rate, average deal
// size and days to close. Every state is read as it stood at the end of the range, so a past
// range always gives the same answer. Deleted opportunities count nowhere.
import { sql } from 'drizzle-orm';
import { z } from 'zod';
import { addDays, calendarFor } from '../attribution/calendar';
import { formatCents, type Cents } from '../attribution/money';
import type { DbOrTx } from '../platform/db/client';
import { textArray } from '../platform/db/sql';
import { money } from '../ledger/money-view';
import { teamsParam } from './dashboard';
import { opportunityStates, type OpportunityState } from './opportunity-states';
import { reportContext, type ReportAccess, type ReportContext } from './report-context';
import { periodQuery } from './reporting-period';
import { median, ratio } from './statistics';

export const outcomesQuery = periodQuery.extend({ teams: teamsParam });
export type OutcomesQuery = z.output<typeof outcomesQuery>;

const countAndAmount = (what: string) =>
  z
    .object({
      count: z.number().int(),
      amount: money.meta({ description: 'Their amounts at the end of the range, in the reporting currency.' }),
    })
    .meta({ description: what });

export const outcomeFigures = z
  .object({
    openPipeline: countAndAmount(
      'Open (not closed, not deleted) at the end of the range: a stock, not a flow. For influenced ones, influence started by then.',
    ),
    created: countAndAmount('Created (CreatedDate) on a day of the range.'),
    won: countAndAmount('Closed Won at the end of the range, having become so on a day of the range.'),
    lost: countAndAmount('Closed Lost at the end of the range, having become so on a day of the range.'),
    winRate: z.number().nullable().meta({ description: 'won / (won + lost); null without a closed deal.' }),
    averageDealSize: money.nullable().meta({ description: 'The won amount / won count, rounded to the cent.' }),
    medianDaysToClose: z
      .number()
      .nullable()
      .meta({ description: 'Median of calendar days from creation to closing, over the won and lost ones.' }),
    medianDaysFirstChatToClose: z
      .number()
      .nullable()
      .meta({
        description:
          'Influenced only: median of calendar days from the first touching chat of the team set to closing, over the won ' +
          'and lost ones. Null for the baseline.',
      }),
  })
  .meta({ id: 'OutcomeFigures' });
export type OutcomeFigures = z.infer<typeof outcomeFigures>;

export const outcomesView = z
  .object({
    from: z.iso.date(),
    to: z.iso.date(),
    asOf: z.iso.datetime().meta({ description: 'The end of the range: every state is read as it stood then.' }),
    currency: z.string(),
    teams: z.array(z.string()).nullable(),
    influenced: outcomeFigures.meta({
      description: 'Opportunities whose influence (for the team set) started by the end of the range.',
    }),
    baseline: outcomeFigures.meta({
      description: 'Every other opportunity: those chat (of the team set) did not influence.',
    }),
  })
  .meta({ id: 'Outcomes' });
export type OutcomesView = z.infer<typeof outcomesView>;

/** The raw facts behind one group's figures (the lift reads the won amounts). */
export interface GroupFacts {
  open: OpportunityState[];
  created: OpportunityState[];
  won: OpportunityState[];
  lost: OpportunityState[];
  daysToClose: number[];
  daysFirstChatToClose: number[];
}

export interface OutcomeFacts {
  asOf: Date;
  /** Every opportunity's state at asOf, deleted ones included: for callers that group them otherwise. */
  states: Map<string, OpportunityState>;
  influenced: GroupFacts;
  baseline: GroupFacts;
}

/**
 * One definition of every outcome figure: section 3 and the lift both read it. With `accountIds`,
 * the facts of only the opportunities a version before asOf put on one of those accounts (each
 * opportunity's facts are its own, so these are exactly the whole facts' share of them).
 */
export async function outcomeFacts(
  db: DbOrTx,
  ctx: ReportContext,
  options: { accountIds?: readonly string[] } = {},
): Promise<OutcomeFacts> {
  const { workspace, range, teams } = ctx;
  const calendar = calendarFor(workspace.timeZone);
  const asOf = calendar.startOfDay(addDays(range.to, 1));
  const states = await opportunityStates(db, workspace.id, { before: asOf, accountIds: options.accountIds });
  const teamFilter = teams ? sql`and t.team_id = any(${textArray(teams)})` : sql``;
  const only = options.accountIds ? sql`and t.opportunity_id = any(${textArray([...states.keys()])})` : sql``;
  // Influence started by the end of the range: the set's first touch fell on a day up to `to`.
  const firstChats = await db.execute<{ opportunity_id: string; first_chat_ms: string }>(sql`
    select t.opportunity_id, (extract(epoch from min(c.started_at)) * 1000)::bigint::text as first_chat_ms
    from opportunity_touches t join conversations c on c.workspace_id = t.workspace_id and c.id = t.conversation_id
    where t.workspace_id = ${workspace.id} ${teamFilter} ${only}
    group by 1 having min(t.touch_day) <= ${range.to}::date`);
  const firstChat = new Map(firstChats.map((r) => [r.opportunity_id, Number(r.first_chat_ms)]));

  const inRange = (ms: number) => {
    const day = calendar.dayOf(ms);
    return day >= range.from && day <= range.to;
  };
  const days = (fromMs: number, toMs: number) => calendar.dayNumberOf(toMs) - calendar.dayNumberOf(fromMs);
  const group = (): GroupFacts => ({
    open: [],
    created: [],
    won: [],
    lost: [],
    daysToClose: [],
    daysFirstChatToClose: [],
  });
  const influenced = group();
  const baseline = group();
  for (const s of states.values()) {
    if (s.deleted) continue;
    const chat = firstChat.get(s.opportunityId);
    const g = chat === undefined ? baseline : influenced;
    if (!s.isClosed) g.open.push(s);
    if (inRange(s.createdAt)) g.created.push(s);
    if (s.isClosed && inRange(s.resultAt)) {
      (s.isWon ? g.won : g.lost).push(s);
      g.daysToClose.push(days(s.createdAt, s.resultAt));
      if (chat !== undefined) g.daysFirstChatToClose.push(days(chat, s.resultAt));
    }
  }
  return { asOf, states, influenced, baseline };
}

const sum = (xs: OpportunityState[]): Cents => xs.reduce((t, s) => t + s.reportingAmount, 0n);
const figure = (xs: OpportunityState[]) => ({ count: xs.length, amount: formatCents(sum(xs)) });

/** num / den rounded half away from zero, as a money string. */
export function averageCents(total: Cents, n: number): string | null {
  if (n === 0) return null;
  const den = BigInt(n);
  const q = total / den;
  const r = total % den;
  const abs = r < 0n ? -r : r;
  return formatCents(2n * abs >= den ? q + (total < 0n ? -1n : 1n) : q);
}

export function figuresOf(g: GroupFacts, influenced: boolean): OutcomeFigures {
  return {
    openPipeline: figure(g.open),
    created: figure(g.created),
    won: figure(g.won),
    lost: figure(g.lost),
    winRate: ratio(g.won.length, g.won.length + g.lost.length),
    averageDealSize: averageCents(sum(g.won), g.won.length),
    medianDaysToClose: median(g.daysToClose),
    medianDaysFirstChatToClose: influenced ? median(g.daysFirstChatToClose) : null,
  };
}

export async function buildOutcomes(
  db: DbOrTx,
  access: ReportAccess,
  q: OutcomesQuery,
  now = new Date(),
): Promise<OutcomesView> {
  const ctx = await reportContext(db, access, q, now);
  const facts = await outcomeFacts(db, ctx);
  return {
    from: ctx.range.from,
    to: ctx.range.to,
    asOf: facts.asOf.toISOString(),
    currency: ctx.workspace.reportingCurrency,
    teams: ctx.teams,
    influenced: figuresOf(facts.influenced, true),
    baseline: figuresOf(facts.baseline, false),
  };
}
