// Benchmarks the read API at scale: builds a ledger of --rows entries over --workspaces workspaces
// (COPY from a seeded generator, then ANALYZE), starts the API as its own process, and loads the
// dashboard (all teams, two teams), the leaderboard and ledger?limit=100 at each concurrency for
// --seconds. The floor is the same statements replayed straight through postgres.js.
// Progress goes to stderr; stdout gets one JSON line per endpoint and concurrency.
import os from 'node:os';
import { parseArgs } from 'node:util';
import { drizzle } from 'drizzle-orm/postgres-js';
import postgres from 'postgres';
import { createApiKey } from '../../src/access/api-keys';
import { runMigrations } from '../../src/platform/db/migrate';
import { listLedgerEntries, ledgerQuery } from '../../src/ledger/read/ledger-entries';
import type { Db } from '../../src/platform/db/client';
import * as schema from '../../src/platform/db/schema';
import { buildDashboard, dashboardQuery } from '../../src/reporting/dashboard';
import { buildLeaderboard, leaderboardQuery } from '../../src/reporting/leaderboard';
import { workspaceFacts } from '../../src/workspaces/workspace-cache';
import { copyLedger, createWorkspaces, deriveTables, REPORT_RANGE, TEAMS } from './api-data';
import { startApiProcess } from './api-service';
import { freshDatabase, timed } from './bench-db';
import { figuresOf, loadHttp, loadSql, type Sample, type Script, type Statement } from './load';

const USAGE =
  'usage: npm run --silent bench:api [-- --rows 10000000] [--workspaces 1000] [--seconds 10] [--concurrency 10,50] ' +
  '[--sample 50] [--reuse] [--database postgres://postgres@127.0.0.1:5432/bench_api] [--redis redis://127.0.0.1:6379]';

/** The service's own pool size (DATABASE_POOL_MAX's default): the floor gets the same. */
const POOL = 10;
/** HTTP and floor alternate in rounds of about this long. */
const ROUND_SECONDS = 5;

function options() {
  const { values } = parseArgs({
    options: {
      rows: { type: 'string', default: '10000000' },
      workspaces: { type: 'string', default: '1000' },
      seconds: { type: 'string', default: '10' },
      concurrency: { type: 'string', default: '10,50' },
      sample: { type: 'string', default: '50' },
      seed: { type: 'string', default: '42' },
      reuse: { type: 'boolean', default: false },
      database: { type: 'string', default: 'postgres://postgres@127.0.0.1:5432/bench_api' },
      redis: { type: 'string', default: 'redis://127.0.0.1:6379' },
      endpoints: { type: 'string' },
    },
  });
  const o = {
    rows: Number(values.rows),
    workspaces: Number(values.workspaces),
    seconds: Number(values.seconds),
    concurrency: values.concurrency.split(',').map(Number),
    sample: Number(values.sample),
    seed: Number(values.seed),
    reuse: values.reuse,
    database: values.database,
    redis: values.redis,
    endpoints: values.endpoints?.split(',') ?? null,
  };
  const whole = [o.rows, o.workspaces, o.seconds, o.sample, o.seed, ...o.concurrency];
  if (!whole.every((x) => Number.isInteger(x) && x > 0) || o.rows < o.workspaces) {
    console.error(USAGE);
    process.exit(2);
  }
  return o;
}

const settle = () => new Promise((r) => setTimeout(r, 2000));
const log = (line: string) => process.stderr.write(`${line}\n`);

async function build(sql: postgres.Sql, o: ReturnType<typeof options>): Promise<void> {
  await timed('migrate', () => freshDatabase(o.database));
  const ids = await timed('workspaces and teams', () => createWorkspaces(sql, o.workspaces));
  const rows = await timed(`COPY ledger (${o.rows} rows)`, () => copyLedger(sql, ids, o));
  log(`  ${rows} ledger rows`);
  await timed('starts, touches, totals', () => deriveTables(sql, o.seed));
  await timed('ANALYZE', () => sql`analyze`);
}

interface Endpoint {
  name: string;
  path: string;
  /** Runs what the route runs, on `db`. */
  run(db: Db, workspaceId: string): Promise<unknown>;
}

const range = `from=${REPORT_RANGE.from}&to=${REPORT_RANGE.to}`;
const twoTeams = `${TEAMS[0]},${TEAMS[1]}`;
const ENDPOINTS: Endpoint[] = [
  {
    name: 'dashboard',
    path: `/api/v1/dashboard?${range}`,
    run: (db, ws) => buildDashboard(db, { workspaceId: ws, teams: null }, dashboardQuery.parse({ ...REPORT_RANGE })),
  },
  {
    name: 'dashboard?teams=2',
    path: `/api/v1/dashboard?${range}&teams=${twoTeams}`,
    run: (db, ws) =>
      buildDashboard(db, { workspaceId: ws, teams: null }, dashboardQuery.parse({ ...REPORT_RANGE, teams: twoTeams })),
  },
  {
    name: 'leaderboard',
    path: `/api/v1/leaderboard?${range}`,
    run: (db, ws) =>
      buildLeaderboard(db, { workspaceId: ws, teams: null }, leaderboardQuery.parse({ ...REPORT_RANGE })),
  },
  {
    name: 'ledger?limit=100',
    path: '/api/v1/ledger?limit=100',
    run: (db, ws) => listLedgerEntries(db, ws, { ...ledgerQuery.parse({ limit: '100' }), teams: null }),
  },
];

/** The statements each endpoint runs for each workspace, captured as postgres.js sends them. */
async function captureScripts(url: string, workspaceIds: string[]): Promise<Map<string, Script[]>> {
  let current: Statement[] = [];
  const capturing = postgres(url, {
    max: 1,
    onnotice: () => {},
    debug: (_connection, query, parameters) => current.push({ query, parameters }),
  });
  const db = drizzle(capturing, { schema });
  const out = new Map<string, Script[]>();
  try {
    for (const e of ENDPOINTS) {
      const scripts: Script[] = [];
      for (const ws of workspaceIds) {
        // The API answers a workspace it served in the last WORKSPACE_CACHE_MS from memory: the
        // floor replays what a request runs then, not the statements of a cold cache.
        await workspaceFacts(db, ws);
        current = [];
        await e.run(db, ws);
        scripts.push(current);
      }
      out.set(e.name, scripts);
    }
  } finally {
    await capturing.end();
  }
  return out;
}

async function main(): Promise<void> {
  const o = options();
  const sql = postgres(o.database, { max: POOL, onnotice: () => {} });
  try {
    if (o.reuse) {
      log('reusing the existing benchmark database');
      await timed('migrate', () => runMigrations(o.database)); // a new rollup backfills here
    } else await build(sql, o);
    const [counted] = await sql<{ count: string }[]>`select count(*)::text as count from ledger_entries`;
    const workspaces = await sql<{ id: string }[]>`select id from workspaces where slug like 'bench-%' order by slug`;
    const step = Math.max(1, Math.floor(workspaces.length / o.sample));
    const sampled = workspaces
      .filter((_, i) => i % step === 0)
      .slice(0, o.sample)
      .map((w) => w.id);
    const db = drizzle(sql, { schema });
    const keys = new Map<string, string>();
    for (const ws of sampled) {
      const created = await createApiKey(db, ws, { name: 'bench', scopes: ['dashboard:read', 'ledger:read'] });
      keys.set(ws, created.key);
    }
    const scripts = await timed('capture the floor SQL', () => captureScripts(o.database, sampled));
    const api = await timed('start the API process', () => startApiProcess(o.database, o.redis));
    try {
      for (const e of ENDPOINTS.filter((x) => !o.endpoints || o.endpoints.includes(x.name))) {
        const targets = sampled.map((ws) => ({ path: e.path, key: keys.get(ws)! }));
        await loadHttp(api.url, targets, 2, 1); // warm-up: JIT, pools, caches
        for (const c of o.concurrency) {
          const httpSamples: Sample[] = [];
          const floorSamples: Sample[] = [];
          const rounds = Math.max(1, Math.round(o.seconds / ROUND_SECONDS));
          let cpuMs = 0;
          for (let r = 0; r < rounds; r++) {
            const cpu0 = api.cpuMs();
            httpSamples.push(await loadHttp(api.url, targets, c, o.seconds / rounds));
            cpuMs += api.cpuMs() - cpu0;
            await settle(); // requests cut off at the round's end may still be running
            floorSamples.push(await loadSql(sql, scripts.get(e.name)!, c, o.seconds / rounds));
          }
          const http = figuresOf(httpSamples);
          const floor = figuresOf(floorSamples);
          const line = {
            endpoint: e.name,
            concurrency: c,
            rps: http.rps,
            p50: http.p50,
            p99: http.p99,
            errors: http.errors,
            floorRps: floor.rps,
            floorP50: floor.p50,
            floorP99: floor.p99,
            ratio: Math.round((floor.rps / Math.max(http.rps, 0.1)) * 100) / 100,
            // The last workspace's: the first one's also holds postgres.js's one-off read of the array types.
            statements: scripts.get(e.name)!.at(-1)!.length,
            ledgerRows: Number(counted?.count ?? 0),
            workspaces: workspaces.length,
            apiCpuMsPerRequest:
              Math.round(
                (cpuMs /
                  Math.max(
                    1,
                    httpSamples.reduce((t, x) => t + x.latencies.length, 0),
                  )) *
                  100,
              ) / 100,
            loadAverage: Math.round(os.loadavg()[0]! * 10) / 10,
          };
          console.log(JSON.stringify(line));
        }
      }
    } finally {
      await api.stop();
    }
  } finally {
    await sql.end();
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
