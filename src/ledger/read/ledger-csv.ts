// The ledger as CSV for finance, streamed: rows come through a postgres.js cursor (one snapshot,
// a few hundred rows in memory at a time) and leave as soon as the reader takes them.
import type postgres from 'postgres';
import type { Db } from '../../platform/db/client';
import { assertOpportunityKnown, type LedgerSelection } from './ledger-entries';

export const LEDGER_CSV_COLUMNS = [
  'seq',
  'opportunity_id',
  'measure',
  'effective_day',
  'amount',
  'currency',
  'reason',
  'correction',
  'cause_versions',
  'cause_conversations',
  'recorded_at',
  'engine_version',
  'hash',
  'opportunity_name',
  'counted_day',
] as const;

export type LedgerCsvRecord = Record<(typeof LEDGER_CSV_COLUMNS)[number], string>;

const ROWS_PER_FETCH = 500;

/**
 * Checks the filters on `db`, then yields the rows from a cursor on `cursorSql` (the export pool),
 * a fetch at a time: the query runs as the caller iterates.
 */
export async function ledgerCsvRecords(
  db: Db,
  cursorSql: postgres.Sql,
  workspaceId: string,
  f: LedgerSelection,
): Promise<AsyncIterable<LedgerCsvRecord[]>> {
  if (f.opportunityId) await assertOpportunityKnown(db, workspaceId, f.opportunityId);
  return records(cursorSql, workspaceId, f);
}

async function* records(sql: postgres.Sql, workspaceId: string, f: LedgerSelection): AsyncGenerator<LedgerCsvRecord[]> {
  // The same selection as `ledgerConditions`, in postgres.js for its cursor.
  const start = f.teams
    ? sql`(select min(i.start_day) from opportunity_influence i
           where i.workspace_id = l.workspace_id and i.opportunity_id = l.opportunity_id
             and i.team_id = any(${[...f.teams]}::text[]))`
    : sql`l.effective_day`;
  const cursor = sql<LedgerCsvRecord[]>`
    select * from (
      select seq as ord, seq::text as seq, opportunity_id, measure,
             coalesce((select v.name from opportunity_versions v
                       where v.workspace_id = l.workspace_id and v.opportunity_id = l.opportunity_id
                         and v.name is not null
                       order by v.occurred_at desc, v.seq desc limit 1), '') as opportunity_name,
             effective_day::text as effective_day, amount::text as amount,
             currency, reason, correction::text as correction,
             array_to_string(array(select jsonb_array_elements_text(causes -> 'versions')), ' ') as cause_versions,
             array_to_string(array(select jsonb_array_elements_text(causes -> 'conversations')), ' ') as cause_conversations,
             to_char(recorded_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') as recorded_at, engine_version, hash,
             greatest(l.effective_day, ${start})::text as counted_day, ${start} is not null as influenced
      from ledger_entries l
      where l.workspace_id = ${workspaceId}
        ${f.opportunityId ? sql`and l.opportunity_id = ${f.opportunityId}` : sql``}
        ${f.measure ? sql`and l.measure = ${f.measure}` : sql``}
        ${f.reason ? sql`and l.reason = ${f.reason}` : sql``}
        ${f.asOf ? sql`and l.recorded_at <= ${f.asOf}::timestamptz` : sql``}
    ) e
    where influenced
      ${f.from ? sql`and counted_day >= ${f.from}` : sql``}
      ${f.to ? sql`and counted_day <= ${f.to}` : sql``}
    order by e.ord`.cursor(ROWS_PER_FETCH);
  // Whole fetches, not rows: the export formats a batch at a time. Rows carry `ord` and
  // `influenced` too; the CSV writes only its columns.
  for await (const rows of cursor) yield rows;
}
