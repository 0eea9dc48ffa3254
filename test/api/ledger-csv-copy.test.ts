// ledger.csv is written by PostgreSQL (COPY … TO STDOUT, ledger-csv.ts). Its bytes must be the
// ones the row export wrote before it (a cursor's rows through csv-stringify and the formula guard,
// ledger-csv-rows.ts and sendCsv): same columns, quoting, money, days, order. Both run here on the
// same ledger, with every filter, and are compared byte for byte.
import { Writable } from 'node:stream';
import { sql } from 'drizzle-orm';
import { sendCsv } from '../../src/api/exports';
import type { RunningService } from '../../src/app/service';
import { LEDGER_CSV_COLUMNS, ledgerCsvCopy } from '../../src/ledger/read/ledger-csv';
import { ledgerCsvRecords } from '../../src/ledger/read/ledger-csv-rows';
import type { LedgerSelection } from '../../src/ledger/read/ledger-entries';
import { openDisposableConnection } from '../../src/platform/db/disposable-connection';
import { useTestDatabase } from '../support/database';
import { inProcessJobs } from '../support/queues';
import { startTestService } from '../support/service';
import { newKey, newWorkspace } from './helpers';

const database = useTestDatabase();
let service: RunningService;
let workspaceId: string;
let key: string;

// Cells a CSV writer must quote or guard, in every text column the export has.
const HOSTILE = [
  'a,b"c',
  'line\nbreak',
  'cr\rthen',
  '\t=tab',
  '-dash',
  '-12.5',
  '',
  '@x y',
  '=1+1',
  '+SUM(A1)',
  'plain',
  'é ünï',
];
const N = 240;

beforeAll(async () => {
  service = await startTestService({ database, jobs: inProcessJobs(), role: 'api' });
  const ws = await newWorkspace(database.db, 'csv-copy-bytes');
  workspaceId = ws.id;
  key = await newKey(database.db, ws.id, ['ledger:read']);
  const hostile = `(array[${HOSTILE.map((v) => `'${v.replace(/'/g, "''")}'`).join(', ')}]::text[])`;
  const pick = (i: string) => `${hostile}[1 + (${i}) % ${HOSTILE.length}]`;
  await database.db.execute(
    sql.raw(`
    insert into ledger_entries (workspace_id, seq, opportunity_id, measure, effective_day, amount, currency, reason, correction,
                                causes, recorded_at, engine_version, revision, batch_id, prev_hash, hash)
    select '${ws.id}', i, case when i % 7 = 0 then ${pick('i')} else '006' || lpad((i % 40)::text, 15, '0') end,
           case when i % 3 = 0 then 'closed_won' else 'pipeline' end,
           date '2025-12-20' + (i % 90),
           case when i % 5 = 0 then -(i * 1000.25) when i % 5 = 1 then 0 else i * 12345.67 end,
           case when i % 11 = 0 then 'EUR' else 'USD' end,
           (array['influence_started', 'amount_changed', 'won', 'reversed'])[1 + i % 4], i % 6 = 0,
           jsonb_build_object(
             'versions', case when i % 4 = 0 then jsonb_build_array() else jsonb_build_array('v' || i, ${pick('i + 1')}) end,
             'conversations', case when i % 9 = 0 then jsonb_build_array() else jsonb_build_array(${pick('i')}, 'conv-' || i) end),
           timestamptz '2026-03-01 10:00:00.123+00' + i * interval '1 hour 17 minutes 0.456 seconds',
           'rules-v1.1/engine-2', 0, gen_random_uuid(), md5(i::text) || md5(i::text), md5((i + 1)::text) || md5((i + 1)::text)
    from generate_series(1, ${N}) as i`),
  );
  // Names (the latest non-null one counts), some hostile, some opportunities without any.
  await database.db.execute(
    sql.raw(`
    insert into opportunity_versions (workspace_id, version_id, occurred_at, source, opportunity_id, name, is_closed, is_won)
    select '${ws.id}', 'v' || o || '-' || k, timestamptz '2026-01-01' + (o * 10 + k) * interval '1 hour', 'test',
           '006' || lpad(o::text, 15, '0'), case when k = 3 then null else ${pick('o + k')} || ' ' || k end, false, false
    from generate_series(0, 29) as o, generate_series(1, 3) as k`),
  );
  // Two teams' influence starts, before, inside and after the entries' days.
  await database.db.execute(
    sql.raw(`
    insert into opportunity_influence (workspace_id, opportunity_id, team_id, started_at, start_day, conversation_id,
                                       contact_id, contact_role_id, version_ids)
    select '${ws.id}', '006' || lpad(o::text, 15, '0'), t, now(), date '2025-12-01' + o * 4 + (t = 'sales')::int * 9,
           'c', 'c', 'r', array[]::text[]
    from generate_series(0, 35) as o, unnest(array['sales', 'support']) as t
    where (o + length(t)) % 3 <> 0`),
  );
});
afterAll(() => service.close());

/** The export as it was: the cursor's rows formatted by sendCsv (csv-stringify, formula guard). */
async function rowExport(f: LedgerSelection): Promise<string> {
  const chunks: Buffer[] = [];
  const res = Object.assign(
    new Writable({
      write(chunk: Buffer, _enc, done) {
        chunks.push(Buffer.from(chunk));
        done();
      },
    }),
    { type: () => res, attachment: () => res },
  );
  const records = await ledgerCsvRecords(database.db, database.sql, workspaceId, f);
  let failed: unknown = null;
  const req = { log: { warn: (e: unknown) => (failed = e) } };
  await sendCsv(
    req as never,
    res as never,
    { name: 'ledger.csv', columns: LEDGER_CSV_COLUMNS, records },
    { idleMs: 10_000, totalMs: 60_000 },
    () => {},
  );
  expect(failed).toBeNull();
  return Buffer.concat(chunks).toString('utf8');
}

async function copyExport(f: LedgerSelection): Promise<string> {
  const copy = await ledgerCsvCopy(
    database.db,
    () => openDisposableConnection(database.url, { applicationName: 'ledger-csv-copy.test' }),
    workspaceId,
    f,
  );
  const chunks: Buffer[] = [];
  try {
    for await (const chunk of copy.source) chunks.push(chunk as Buffer);
  } finally {
    await copy.close();
  }
  return Buffer.concat(chunks).toString('utf8');
}

const none: LedgerSelection = { teams: null };

describe('ledger.csv written by COPY', () => {
  it('is byte for byte the row export over HTTP, hostile cells, money, days and order included', async () => {
    const res = await fetch(`${service.url}/api/v1/ledger.csv`, { headers: { authorization: `Bearer ${key}` } });
    expect(res.status).toBe(200);
    const served = await res.text();
    const expected = await rowExport(none);
    expect(expected.split('\n').length).toBeGreaterThan(N); // hostile cells add lines inside quotes
    expect(served).toBe(expected);
    // What the ledger holds shows through: a negative amount stays a number, a guarded cell is quoted.
    expect(expected).toMatch(/\n5,006000000000000005,pipeline,2025-12-25,-5001.25,USD,/);
    expect(expected).toContain(",'=1+1 conv-");
  });

  const opportunity = '006000000000000004';
  it.each<[string, LedgerSelection]>([
    ['one team, a day range', { teams: ['sales'], from: '2026-01-10', to: '2026-02-20' }],
    ['two teams', { teams: ['sales', 'support'] }],
    ['a team no opportunity has', { teams: ['nobody'] }],
    ['a measure and a reason', { teams: null, measure: 'closed_won', reason: 'won' }],
    ['an opportunity', { teams: null, opportunityId: opportunity }],
    ['as of an instant', { teams: null, asOf: '2026-03-05T12:00:00.000Z' }],
    ['a hostile reason, as a literal', { teams: ["o'brien\\", 'sales'], reason: "x' or 'a'='a" }],
    [
      'every filter',
      { teams: ['support'], from: '2026-01-01', to: '2026-03-01', measure: 'pipeline', asOf: '2026-03-09T00:00:00Z' },
    ],
  ])('is byte for byte the row export with %s', async (_name, f) => {
    const expected = await rowExport(f);
    expect(await copyExport(f)).toBe(expected);
  });

  it('writes the header alone for an empty selection, as the row export did', async () => {
    const f: LedgerSelection = { teams: null, from: '2030-01-01' };
    const expected = await rowExport(f);
    expect(expected).toBe(`${LEDGER_CSV_COLUMNS.join(',')}\n`);
    expect(await copyExport(f)).toBe(expected);
  });
});
