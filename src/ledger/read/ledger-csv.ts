// The ledger as CSV for finance, written by PostgreSQL (COPY … TO STDOUT) and streamed to the
// reader as it comes: one snapshot, no row built in JS, backpressure down to the database socket.
import type { Readable } from 'node:stream';
import type { DisposableConnection } from '../../platform/db/disposable-connection';
import { invalidField } from '../../platform/errors';
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

/** A download in progress: the CSV bytes as PostgreSQL writes them, and how to end it. */
export interface CsvCopy {
  readonly source: Readable;
  /** Ends the download's connection: after the last byte, or early to stop the statement. */
  close(): Promise<void>;
}

/**
 * Checks the filters on `db`, then streams `COPY (the ledger's rows, formatted as the CSV needs)
 * TO STDOUT WITH (FORMAT csv, HEADER)` on a connection of its own (`open`, taken under one of the
 * export slots): PostgreSQL writes the CSV and the bytes go to the reader untouched, with no row
 * ever built in JS (bench:csv). Backpressure reaches the database: postgres.js pauses the socket
 * when the stream is full, so a slow reader leaves the rows in PostgreSQL, not in this process.
 * `close` destroys the connection's socket, after the last byte or to stop the statement early;
 * the backend sees its client gone at once (platform/db/disposable-connection.ts says why `end()`
 * is not enough).
 *
 * The bytes are those csv-stringify wrote before (`ledgerCsvRecords` below, through `sendCsv`;
 * test/api/ledger-csv-copy.test.ts compares the two): a field is quoted when it holds a comma, a
 * quote, CR or LF (both double a quote inside), every line ends in LF, and an empty or null cell is
 * written as nothing, never as `""` (hence `nullif(…, '')`: COPY writes `""` for an empty string).
 * The formula guard of api/exports.ts (`formulaSafe`) is applied in SQL: a cell beginning with =,
 * +, -, @, tab or CR gets a leading quote, unless it is a plain decimal number.
 */
export async function ledgerCsvCopy(
  db: Db,
  open: () => DisposableConnection,
  workspaceId: string,
  f: LedgerSelection,
): Promise<CsvCopy> {
  if (f.opportunityId) await assertOpportunityKnown(db, workspaceId, f.opportunityId);
  const statement = copyStatement(workspaceId, f);
  const connection = open();
  const close = async () => connection.destroy();
  try {
    const query = connection.sql.unsafe(statement);
    // Destroying the connection early rejects the query; the stream tells the reader what it needs.
    query.then(undefined, () => {});
    const source = await query.readable();
    return { source, close };
  } catch (err) {
    await close();
    throw err;
  }
}

/**
 * COPY takes no bind parameters, so the filters are written into the statement as literals:
 * E'…' with backslashes and quotes doubled reads the same whatever standard_conforming_strings
 * says (libpq's PQescapeLiteral escapes so). A NUL cannot be in a statement at all.
 */
function literal(value: string, field: string): string {
  if (value.includes('\u0000')) throw invalidField(field, 'must not contain the NUL character');
  return `E'${value.replace(/\\/g, '\\\\').replace(/'/g, "''")}'`;
}

/** A cell as the CSV writes it: text, formula-guarded, empty as null (see ledgerCsvCopy). */
const cell = (column: string) =>
  `nullif(case when left(${column}, 1) in ('=', '+', '-', '@', chr(9), chr(13))
                and ${column} !~ '^-?[0-9]+([.][0-9]+)?$' then '''' || ${column}
           else ${column} end, '') as ${column}`;

export function copyStatement(workspaceId: string, f: LedgerSelection): string {
  // The same selection as `ledgerConditions`, written out for COPY.
  const start = f.teams
    ? `(select min(i.start_day) from opportunity_influence i
        where i.workspace_id = l.workspace_id and i.opportunity_id = l.opportunity_id
          and i.team_id = any(array[${f.teams.map((t) => literal(t, 'teams')).join(', ')}]::text[]))`
    : `l.effective_day`;
  const where = [
    `l.workspace_id = ${literal(workspaceId, 'workspaceId')}::uuid`,
    f.opportunityId ? `l.opportunity_id = ${literal(f.opportunityId, 'opportunityId')}` : null,
    f.measure ? `l.measure = ${literal(f.measure, 'measure')}` : null,
    f.reason ? `l.reason = ${literal(f.reason, 'reason')}` : null,
    f.asOf ? `l.recorded_at <= ${literal(f.asOf, 'asOf')}::timestamptz` : null,
  ].filter((c) => c !== null);
  const counted = [
    f.from ? `and counted_day >= ${literal(f.from, 'from')}` : '',
    f.to ? `and counted_day <= ${literal(f.to, 'to')}` : '',
  ];
  // \`offset 0\` keeps PostgreSQL from inlining the inner level into the outer one: the formula
  // guard names each cell up to four times, and inlined, every name would run the name lookup and
  // the causes' subqueries again (the team start twice); fenced, each runs once per row. The scan,
  // its order and its subqueries stay in one level, as in a plain select: the planner reads the
  // (workspace_id, seq) index in order, with no sort, and the rows stream as they are read.
  return `copy (
    select ${LEDGER_CSV_COLUMNS.map(cell).join(', ')} from (
      select r.*, greatest(r.day, r.start)::text as counted_day from (
        select l.seq as ord, l.seq::text as seq, l.opportunity_id::text as opportunity_id, l.measure::text as measure,
               coalesce((select v.name from opportunity_versions v
                         where v.workspace_id = l.workspace_id and v.opportunity_id = l.opportunity_id
                           and v.name is not null
                         order by v.occurred_at desc, v.seq desc limit 1), '')::text as opportunity_name,
               l.effective_day::text as effective_day, l.amount::text as amount,
               l.currency::text as currency, l.reason::text as reason, l.correction::text as correction,
               array_to_string(array(select jsonb_array_elements_text(l.causes -> 'versions')), ' ') as cause_versions,
               array_to_string(array(select jsonb_array_elements_text(l.causes -> 'conversations')), ' ') as cause_conversations,
               to_char(l.recorded_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') as recorded_at,
               l.engine_version::text as engine_version, l.hash::text as hash,
               l.effective_day as day, ${start} as start
        from ledger_entries l
        where ${where.join(' and ')}
        order by l.seq offset 0
      ) r
    ) e
    where e.start is not null ${counted.join(' ')}
    order by e.ord
  ) to stdout with (format csv, header)`;
}
