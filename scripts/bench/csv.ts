// Benchmarks GET /api/v1/ledger.csv of one workspace of --rows ledger entries, read whole through
// the API process, against the floor: COPY (the same select) TO STDOUT in CSV, read whole.
// Progress goes to stderr; the last line on stdout is one JSON object.
import os from 'node:os';
import { parseArgs } from 'node:util';
import { drizzle } from 'drizzle-orm/postgres-js';
import postgres from 'postgres';
import { createApiKey } from '../../src/access/api-keys';
import * as schema from '../../src/platform/db/schema';
import { copyLedger, createWorkspaces } from './api-data';
import { startApiProcess } from './api-service';
import { freshDatabase, timed } from './bench-db';

function options() {
  const { values } = parseArgs({
    options: {
      rows: { type: 'string', default: '1000000' },
      seed: { type: 'string', default: '11' },
      database: { type: 'string', default: 'postgres://postgres@127.0.0.1:5432/bench_csv' },
      redis: { type: 'string', default: 'redis://127.0.0.1:6379' },
    },
  });
  const o = { rows: Number(values.rows), seed: Number(values.seed), database: values.database, redis: values.redis };
  if (!Number.isInteger(o.rows) || o.rows < 1) {
    console.error('usage: npm run --silent bench:csv [-- --rows 1000000]');
    process.exit(2);
  }
  return o;
}

/** The select of ledger-csv.ts, every row of the workspace, in chain order. */
const floorSelect = (workspaceId: string) => `
  select seq, opportunity_id, measure, effective_day, amount, currency, reason, correction,
         array_to_string(array(select jsonb_array_elements_text(causes -> 'versions')), ' ') as cause_versions,
         array_to_string(array(select jsonb_array_elements_text(causes -> 'conversations')), ' ') as cause_conversations,
         to_char(recorded_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') as recorded_at, engine_version, hash,
         coalesce((select v.name from opportunity_versions v
                   where v.workspace_id = l.workspace_id and v.opportunity_id = l.opportunity_id and v.name is not null
                   order by v.occurred_at desc, v.seq desc limit 1), '') as opportunity_name
  from ledger_entries l where workspace_id = '${workspaceId}' order by seq`;

async function drain(stream: AsyncIterable<Uint8Array>): Promise<{ bytes: number; lines: number }> {
  let bytes = 0;
  let lines = 0;
  for await (const chunk of stream) {
    bytes += chunk.length;
    for (const b of chunk) if (b === 10) lines++;
  }
  return { bytes, lines };
}

async function main(): Promise<void> {
  const o = options();
  await timed('migrate', () => freshDatabase(o.database));
  const sql = postgres(o.database, { max: 2, onnotice: () => {} });
  try {
    const [workspaceId] = await createWorkspaces(sql, 1);
    await timed(`COPY ledger (${o.rows} rows)`, () => copyLedger(sql, [workspaceId!], { ...o, workspaces: 1 }));
    await sql`analyze`;
    const key = (await createApiKey(drizzle(sql, { schema }), workspaceId!, { name: 'bench', scopes: ['ledger:read'] }))
      .key;
    const api = await timed('start the API process', () => startApiProcess(o.database, o.redis));
    let seconds: number;
    let download = { bytes: 0, lines: 0 };
    try {
      const t0 = performance.now();
      const res = await fetch(`${api.url}/api/v1/ledger.csv`, { headers: { authorization: `Bearer ${key}` } });
      if (!res.ok || !res.body) throw new Error(`GET /api/v1/ledger.csv: ${res.status}`);
      download = await timed('GET /api/v1/ledger.csv', () => drain(res.body as unknown as AsyncIterable<Uint8Array>));
      seconds = (performance.now() - t0) / 1000;
    } finally {
      await api.stop();
    }
    const t1 = performance.now();
    const floor = await timed('COPY TO STDOUT (csv)', async () =>
      drain(await sql.unsafe(`copy (${floorSelect(workspaceId!)}) to stdout with (format csv, header)`).readable()),
    );
    const copySeconds = (performance.now() - t1) / 1000;
    const r = (x: number, d = 2) => Math.round(x * 10 ** d) / 10 ** d;
    console.log(
      JSON.stringify({
        rows: o.rows,
        seconds: r(seconds),
        rowsPerSecond: Math.round(o.rows / seconds),
        bytes: download.bytes,
        lines: download.lines,
        copySeconds: r(copySeconds),
        copyRowsPerSecond: Math.round(o.rows / copySeconds),
        copyBytes: floor.bytes,
        ratio: r(seconds / copySeconds),
        loadAverage: r(os.loadavg()[0]!, 1),
      }),
    );
  } finally {
    await sql.end();
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
