// The ledger as finance reads it: entries in chain order, filtered, keyset-paginated on `seq`,
// and "as recorded at" an instant (only entries recorded by then). With a team set, each entry
// counts on the day the dashboard counts it for that set, and the page carries the filters' sums,
// so a team-filtered drill-down ties out with the dashboard.
import { and, asc, eq, gt, lte, sql, type SQL } from 'drizzle-orm';
import { z } from 'zod';
import type { DbOrTx } from '../../platform/db/client';
import { ledgerEntries } from '../../platform/db/schema';
import { money } from '../money-view';
import { dayInput, instantInput } from '../../platform/dates';
import { invalidField, AppError } from '../../platform/errors';
import { latestNames } from '../../history/names';
import { textArray } from '../../platform/db/sql';

export const ledgerFilters = z.object({
  from: dayInput.optional().meta({ description: 'First effective day, included.' }),
  to: dayInput.optional().meta({ description: 'Last effective day, included.' }),
  opportunityId: z.string().min(1).optional(),
  measure: z.enum(['pipeline', 'closed_won']).optional().meta({ description: 'Only entries of this measure.' }),
  teams: z.string().optional().meta({
    description:
      'Comma-separated team ids: only opportunities these teams influenced, each entry on the day it counts for them (`countedDay`), as the dashboard counts that team set.',
  }),
  reason: z
    .string()
    .min(1)
    .optional()
    .meta({ description: 'influence_started, amount_changed, won, reopened, lost, deleted, restored or reversed.' }),
  asOf: instantInput
    .optional()
    .meta({ description: 'The ledger as it was recorded at this instant: only entries recorded at or before it.' }),
});
export type LedgerFilters = z.infer<typeof ledgerFilters>;
/** The filters with the team list resolved (the API checks the teams exist); null: all teams. */
export type LedgerSelection = Omit<LedgerFilters, 'teams'> & { teams: readonly string[] | null };

export const ledgerQuery = ledgerFilters.extend({
  cursor: z
    .string()
    .optional()
    .meta({ description: 'The `nextCursor` of the previous page; keep the other parameters the same.' }),
  limit: z.coerce.number().int().min(1).max(1000).default(100),
});
export type LedgerQuery = Omit<z.output<typeof ledgerQuery>, 'teams'> & LedgerSelection;

export const ledgerEntryView = z
  .object({
    seq: z.number().int().meta({ description: 'Position in the workspace hash chain, from 1.' }),
    opportunityId: z.string(),
    opportunityName: z
      .string()
      .nullable()
      .meta({ description: 'Its latest Opportunity Name (not hashed: names change).' }),
    measure: z.enum(['pipeline', 'closed_won']),
    effectiveDay: z.iso.date(),
    countedDay: z.iso.date().meta({
      description:
        'The day the entry counts on: its effective day, or with `teams`, the first day those teams influenced the opportunity when the entry is earlier.',
    }),
    amount: money,
    currency: z.string(),
    reason: z.string(),
    correction: z.boolean().meta({ description: 'True when the entry corrects a day already booked (late data).' }),
    causes: z.object({ versions: z.array(z.string()), conversations: z.array(z.string()) }),
    recordedAt: z.iso.datetime(),
    engineVersion: z.string(),
    hash: z.string(),
  })
  .meta({ id: 'LedgerEntry' });
export type LedgerEntryView = z.infer<typeof ledgerEntryView>;

export const ledgerPage = z
  .object({
    entries: z.array(ledgerEntryView),
    totals: z
      .object({ entries: z.number().int(), pipeline: money, closedWon: money })
      .meta({ description: 'Over every entry the filters select (all pages), by measure.' }),
    nextCursor: z
      .string()
      .nullable()
      .meta({ description: 'Pass as `cursor` for the next page; null on the last page.' }),
  })
  .meta({ id: 'LedgerPage' });
export type LedgerPage = z.infer<typeof ledgerPage>;

type EntryRow = typeof ledgerEntries.$inferSelect;

export const entryView = (
  e: EntryRow,
  names: ReadonlyMap<string, string> = new Map(),
  countedDay: string = e.effectiveDay,
): LedgerEntryView => ({
  seq: e.seq,
  opportunityId: e.opportunityId,
  opportunityName: names.get(e.opportunityId) ?? null,
  measure: e.measure,
  effectiveDay: e.effectiveDay,
  countedDay,
  amount: e.amount,
  currency: e.currency,
  reason: e.reason,
  correction: e.correction,
  causes: e.causes,
  recordedAt: e.recordedAt.toISOString(),
  engineVersion: e.engineVersion,
  hash: e.hash,
});

/**
 * The first day the team set influenced the entry's opportunity (null: never), and the day the
 * entry counts on for that set: earlier entries collapse onto it, as in `ledgerSeries`.
 */
function teamStart(teams: readonly string[]): SQL {
  return sql`(select min(i.start_day) from opportunity_influence i
    where i.workspace_id = ${ledgerEntries.workspaceId} and i.opportunity_id = ${ledgerEntries.opportunityId}
      and i.team_id = any(${textArray(teams)}))`;
}

export function countedDay(teams: readonly string[] | null): SQL<string> {
  return teams
    ? sql<string>`greatest(${ledgerEntries.effectiveDay}, ${teamStart(teams)})::text`
    : sql<string>`${ledgerEntries.effectiveDay}::text`;
}

/** The filters as SQL. */
export function ledgerConditions(workspaceId: string, f: LedgerSelection): SQL {
  const day = f.teams
    ? sql`greatest(${ledgerEntries.effectiveDay}, ${teamStart(f.teams)})`
    : ledgerEntries.effectiveDay;
  return and(
    eq(ledgerEntries.workspaceId, workspaceId),
    f.teams ? sql`${teamStart(f.teams)} is not null` : undefined,
    f.from ? sql`${day} >= ${f.from}::date` : undefined,
    f.to ? sql`${day} <= ${f.to}::date` : undefined,
    f.opportunityId ? eq(ledgerEntries.opportunityId, f.opportunityId) : undefined,
    f.measure ? eq(ledgerEntries.measure, f.measure) : undefined,
    f.reason ? eq(ledgerEntries.reason, f.reason) : undefined,
    f.asOf ? lte(ledgerEntries.recordedAt, new Date(f.asOf)) : undefined,
  )!;
}

export async function listLedgerEntries(db: DbOrTx, workspaceId: string, q: LedgerQuery): Promise<LedgerPage> {
  if (q.opportunityId) await assertOpportunityKnown(db, workspaceId, q.opportunityId);
  const after = q.cursor === undefined ? 0 : decodeCursor(q.cursor);
  const rows = await db
    .select({ entry: ledgerEntries, countedDay: countedDay(q.teams) })
    .from(ledgerEntries)
    .where(and(ledgerConditions(workspaceId, q), gt(ledgerEntries.seq, after)))
    .orderBy(asc(ledgerEntries.seq))
    .limit(q.limit + 1);
  const page = rows.slice(0, q.limit);
  const last = page.at(-1);
  const names = await latestNames(
    db,
    'opportunity',
    workspaceId,
    page.map((r) => r.entry.opportunityId),
  );
  return {
    entries: page.map((r) => entryView(r.entry, names, r.countedDay)),
    totals: await ledgerTotals(db, workspaceId, q),
    nextCursor: rows.length > q.limit && last ? encodeCursor(last.entry.seq) : null,
  };
}

/** The sums of everything the filters select, so the page ties out without adding rows up. */
async function ledgerTotals(db: DbOrTx, workspaceId: string, f: LedgerSelection): Promise<LedgerPage['totals']> {
  const [row] = await db
    .select({
      entries: sql<number>`count(*)::int`,
      pipeline: sql<string>`coalesce(sum(${ledgerEntries.amount}) filter (where ${ledgerEntries.measure} = 'pipeline'), 0)::numeric(20,2)::text`,
      closedWon: sql<string>`coalesce(sum(${ledgerEntries.amount}) filter (where ${ledgerEntries.measure} = 'closed_won'), 0)::numeric(20,2)::text`,
    })
    .from(ledgerEntries)
    .where(ledgerConditions(workspaceId, f));
  return row ?? { entries: 0, pipeline: '0.00', closedWon: '0.00' };
}

/** An opportunity id this workspace has never seen is a 404, whoever else may have it. */
export async function assertOpportunityKnown(db: DbOrTx, workspaceId: string, opportunityId: string): Promise<void> {
  const [known] = await db.execute<{ known: boolean }>(sql`
    select exists (select 1 from opportunity_versions where workspace_id = ${workspaceId} and opportunity_id = ${opportunityId})
        or exists (select 1 from ledger_entries where workspace_id = ${workspaceId} and opportunity_id = ${opportunityId}) as known`);
  if (!known?.known) throw new AppError('not_found', `no opportunity "${opportunityId}" in this workspace`);
}

// Opaque on purpose: clients pass it back, they never build one.
const encodeCursor = (seq: number) => Buffer.from(`seq:${seq}`).toString('base64url');

function decodeCursor(cursor: string): number {
  const m = /^seq:(\d{1,15})$/.exec(Buffer.from(cursor, 'base64url').toString('utf8'));
  if (!m)
    throw invalidField('cursor', 'not a cursor this API gave out; pass `nextCursor` from the previous page as it is');
  return Number(m[1]);
}
