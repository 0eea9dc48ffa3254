// Benchmarks GET /api/v1/ledger.csv of one workspace of --rows ledger entries, read whole through
// the API process, against the floor: COPY (the same select) TO STDOUT in CSV, read whole.
// Progress goes to stderr; the last line on stdout is one JSON object.
import { readFileSync } from 'node:fs';
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

/** utime + stime of a process in seconds (/proc/<pid>/stat, clock ticks of 1/100 s); 0 once it is gone. */
function cpuSecondsOf(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return 0;
  }
}

/**
 * The CPU of the export's PostgreSQL backends while `during` runs: a download's backend ends with
 * it, so its /proc entry is read every 100 ms and the last reading kept.
 */
async function backendCpuDuring<T>(sql: postgres.Sql, application: string, during: Promise<T>): Promise<[T, number]> {
  const last = new Map<number, number>();
  let done = false;
  const watching = (async () => {
    while (!done) {
      const rows = await sql<
        { pid: number }[]
      >`select pid from pg_stat_activity where application_name = ${application}`;
      for (const { pid } of rows) {
        const s = cpuSecondsOf(pid);
        if (s > 0) last.set(pid, s);
      }
      await new Promise((r) => setTimeout(r, 100));
    }
  })();
  try {
    return [await during, [...last.values()].reduce((a, b) => a + b, 0)];
  } finally {
    done = true;
    await watching;
  }
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
    // CPU seconds: the API process, the export's backend, this process reading (download); the
    // floor's backend and this process reading (COPY).
    const cpu = { api: 0, exportBackend: 0, client: 0, copyBackend: 0, copyClient: 0 };
    try {
      const t0 = performance.now();
      const apiCpu0 = api.cpuMs();
      const client0 = process.cpuUsage();
      [download, cpu.exportBackend] = await backendCpuDuring(
        sql,
        'chat-revenue-attribution:exports',
        (async () => {
          const res = await fetch(`${api.url}/api/v1/ledger.csv`, { headers: { authorization: `Bearer ${key}` } });
          if (!res.ok || !res.body) throw new Error(`GET /api/v1/ledger.csv: ${res.status}`);
          return timed('GET /api/v1/ledger.csv', () => drain(res.body as unknown as AsyncIterable<Uint8Array>));
        })(),
      );
      seconds = (performance.now() - t0) / 1000;
      cpu.api = (api.cpuMs() - apiCpu0) / 1000;
      const client = process.cpuUsage(client0);
      cpu.client = (client.user + client.system) / 1e6;
    } finally {
      await api.stop();
    }
    // The floor on a connection of its own, so its backend's CPU can be read.
    const floorSql = postgres(o.database, { max: 1, onnotice: () => {} });
    const pid = (await floorSql<{ pid: number }[]>`select pg_backend_pid() as pid`)[0]!.pid;
    const backend0 = cpuSecondsOf(pid);
    const copyClient0 = process.cpuUsage();
    const t1 = performance.now();
    const floor = await timed('COPY TO STDOUT (csv)', async () =>
      drain(
        await floorSql.unsafe(`copy (${floorSelect(workspaceId!)}) to stdout with (format csv, header)`).readable(),
      ),
    );
    const copySeconds = (performance.now() - t1) / 1000;
    cpu.copyBackend = cpuSecondsOf(pid) - backend0;
    const copyClient = process.cpuUsage(copyClient0);
    cpu.copyClient = (copyClient.user + copyClient.system) / 1e6;
    await floorSql.end();
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
        cpuSeconds: Object.fromEntries(Object.entries(cpu).map(([k, v]) => [k, r(v)])),
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
