// The dashboard: every chat metric and the two influence measures, per period and in total,
// for one team set. Pipeline and closed-won come from the ledger's series for that exact set
// (ledgerSeries derives any set without double counting); team series are never added up.
import { z } from 'zod';
import { addDays, type Day } from '../attribution/calendar';
import { formatCents, type Cents } from '../attribution/money';
import type { DbOrTx } from '../platform/db/client';
import { ledgerSeries } from '../ledger/series';
import { chatCountsByDay, zeroCounts, type ChatCounts } from './chat-metrics';
import { money } from '../ledger/money-view';
import { granularity, periodQuery, periodsOf } from './reporting-period';
import { reportContext } from './report-context';

export const teamsParam = z
  .string()
  .optional()
  .meta({ description: 'Comma-separated team ids. Default: every team the key may see.' });

export const dashboardQuery = periodQuery.extend({
  teams: teamsParam,
  granularity: granularity
    .default('day')
    .meta({ description: 'day, week (ISO, Monday first) or month; partial periods at the edges.' }),
});
export type DashboardQuery = z.output<typeof dashboardQuery>;

const count = z.number().int();
const metrics = {
  totalChats: count.meta({ description: 'Every conversation a visitor requested, bot and missed included.' }),
  qualifiedChats: count.meta({ description: 'Conversations rated 1, 2 or 3 fires.' }),
  leadVolume: count.meta({
    description: 'Leads: an email counts once a day; a lead without an email counts per conversation.',
  }),
  targetAccounts: count.meta({ description: 'Conversations with a visitor identified as a target account.' }),
  meetingsBooked: count.meta({ description: 'Meetings booked through chat, on the day they were booked.' }),
  pipelineInfluenced: money.meta({ description: 'Daily deltas of Pipeline Influenced, summed over the period.' }),
  closedWonInfluenced: money.meta({ description: 'Daily deltas of Closed-Won Influenced, summed over the period.' }),
};

export const dashboardPeriod = z.object({ from: z.iso.date(), to: z.iso.date(), ...metrics }).meta({
  id: 'DashboardPeriod',
  description: 'One day, week or month; `from` and `to` are its first and last day (clipped to the range).',
});

export const dashboardView = z
  .object({
    from: z.iso.date(),
    to: z.iso.date(),
    granularity,
    timeZone: z.string(),
    currency: z.string(),
    teams: z.array(z.string()).nullable().meta({ description: 'The teams counted; null: all teams.' }),
    totals: z.object(metrics).meta({ description: 'Sums of the series.' }),
    series: z.array(dashboardPeriod).meta({ description: 'Every period of the range, zeros included.' }),
  })
  .meta({ id: 'Dashboard' });
export type DashboardView = z.infer<typeof dashboardView>;

interface Sums extends ChatCounts {
  pipeline: Cents;
  closedWon: Cents;
}

export interface DashboardAccess {
  workspaceId: string;
  /** Teams the caller may see; null: all. */
  teams: readonly string[] | null;
}

export async function buildDashboard(
  db: DbOrTx,
  access: DashboardAccess,
  q: DashboardQuery,
  now = new Date(),
): Promise<DashboardView> {
  const { workspace, range, teams } = await reportContext(db, access, q, now);

  const chats = await chatCountsByDay(db, { workspaceId: workspace.id, timeZone: workspace.timeZone, teams }, range);
  const influence = await ledgerSeries(db, workspace.id, { from: range.from, to: range.to, teams });

  const periods = periodsOf(range, q.granularity);
  const sums = periods.map((): Sums => ({ ...zeroCounts(), pipeline: 0n, closedWon: 0n }));
  const periodOf = new Map<Day, Sums>();
  periods.forEach((p, i) => {
    for (let day = p.from; day <= p.to; day = addDays(day, 1)) periodOf.set(day, sums[i]!);
  });
  for (const [day, c] of chats) {
    const s = periodOf.get(day);
    if (s) addCounts(s, c);
  }
  for (const d of influence) {
    const s = periodOf.get(d.date);
    if (!s) continue;
    s.pipeline += d.pipelineInfluenced;
    s.closedWon += d.closedWonInfluenced;
  }
  const total: Sums = { ...zeroCounts(), pipeline: 0n, closedWon: 0n };
  for (const s of sums) {
    addCounts(total, s);
    total.pipeline += s.pipeline;
    total.closedWon += s.closedWon;
  }
  return {
    from: range.from,
    to: range.to,
    granularity: q.granularity,
    timeZone: workspace.timeZone,
    currency: workspace.reportingCurrency,
    teams,
    totals: view(total),
    series: periods.map((p, i) => ({ from: p.from, to: p.to, ...view(sums[i]!) })),
  };
}

function addCounts(into: ChatCounts, c: ChatCounts): void {
  into.totalChats += c.totalChats;
  into.qualifiedChats += c.qualifiedChats;
  into.leadVolume += c.leadVolume;
  into.targetAccounts += c.targetAccounts;
  into.meetingsBooked += c.meetingsBooked;
}

function view(s: Sums) {
  const { pipeline, closedWon, ...counts } = s;
  return { ...counts, pipelineInfluenced: formatCents(pipeline), closedWonInfluenced: formatCents(closedWon) };
}
