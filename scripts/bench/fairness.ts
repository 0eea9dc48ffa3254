// npm run --silent bench:fairness [-- --small 50 --large 10000 --workers 1 --concurrency 2]
// Fairness across tenants (issue 10): one large first sync must not delay the 15-minute syncs and
// recomputes of many small workspaces beside it. Real worker processes (`npm run start:worker`)
// on one Redis; two local test Salesforce processes, a small generated org that the small
// workspaces share (scripts/proof/setup.ts says why) and a large one for the large workspace.
//   floor:  every small workspace's org changed, a sync of each enqueued at once, alone; the latency
//           of each is from the enqueue until its sync ran and its recompute drained (polled).
//   beside: the same, while the large workspace's first sync (as the OAuth callback enqueues it) runs.
// Progress on stderr; the last stdout line is one JSON object. Loopback only; its own database and
// queue prefix, removed after.
import { randomBytes } from 'node:crypto';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import IORedis from 'ioredis';
import postgres from 'postgres';
import { BullmqJobQueue } from '../../src/jobs/bullmq';
import { createSecretBox, newKey } from '../../src/platform/crypto';
import { connectDatabase, type Database } from '../../src/platform/db/client';
import { runMigrations } from '../../src/platform/db/migrate';
import { createLogger } from '../../src/platform/logger';
import { requestSync, scheduleSync } from '../../src/salesforce/schedules';
import { startServiceProcess } from '../chaos/processes';
import { connectProofWorkspace, proofChats, startProofSalesforce, type ProofWorkspace } from '../proof/setup';
import { round } from './measure';

const USAGE =
  'usage: npm run --silent bench:fairness -- [--small 50] [--large 10000] [--workers 1] [--concurrency 2] ' +
  '[--database-url postgres://…] [--redis-url redis://…]';
const LOOPBACK = new Set(['127.0.0.1', 'localhost', '::1', '[::1]']);

interface Options {
  small: number;
  large: number;
  workers: number;
  concurrency: number;
  adminUrl: string;
  redisUrl: string;
}

function parseOptions(argv: string[]): Options {
  const { values: v } = parseArgs({
    args: argv,
    options: Object.fromEntries(
      ['small', 'large', 'workers', 'concurrency', 'database-url', 'redis-url'].map((k) => [
        k,
        { type: 'string' as const },
      ]),
    ),
  });
  const num = (name: string, fallback: number, min: number, max: number) => {
    const raw = v[name];
    const n = raw === undefined ? fallback : Number(raw);
    if (!Number.isInteger(n) || n < min || n > max)
      throw new Error(`--${name}: expected a whole number from ${min} to ${max}`);
    return n;
  };
  const o: Options = {
    small: num('small', 50, 1, 500),
    large: num('large', 10_000, 100, 1_000_000),
    workers: num('workers', 1, 1, 10),
    concurrency: num('concurrency', 2, 1, 64),
    adminUrl: v['database-url'] ?? process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres',
    redisUrl: v['redis-url'] ?? process.env.BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379',
  };
  for (const url of [o.adminUrl, o.redisUrl])
    if (!LOOPBACK.has(new URL(url).hostname)) throw new Error(`${url}: the benchmark runs on loopback only`);
  return o;
}

const started = Date.now();
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const say = (line: string) =>
  process.stderr.write(`[${((Date.now() - started) / 1000).toFixed(1).padStart(6)} s] ${line}\n`);

const cleanup: (() => Promise<unknown>)[] = [];
async function runCleanup(): Promise<void> {
  // Each step bounded: a stuck one must not keep the rest (the worker processes above all) alive.
  for (const step of cleanup.splice(0).reverse()) await Promise.race([step().catch(() => {}), sleep(20_000)]);
}
for (const signal of ['SIGINT', 'SIGTERM'] as const)
  process.once(signal, () => void runCleanup().finally(() => process.exit(130)));

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

interface Latencies {
  p50: number;
  p99: number;
  max: number;
  seconds: number[];
}

async function run(o: Options): Promise<Record<string, unknown>> {
  const name = `bench_fair_${randomBytes(4).toString('hex')}`;
  const prefix = `bench-${name}`;
  const dbUrl = Object.assign(new URL(o.adminUrl), { pathname: `/${name}` }).toString();
  const admin = postgres(o.adminUrl, { max: 1, onnotice: () => {} });
  cleanup.push(() => admin.end({ timeout: 5 }));
  await admin.unsafe(`create database ${name}`);
  cleanup.push(() => admin.unsafe(`drop database if exists ${name} with (force)`));
  await runMigrations(dbUrl);
  const database = connectDatabase(dbUrl, { max: 5 });
  cleanup.push(() => database.close());

  const small = await startProofSalesforce(20, 20_261_011, 0);
  cleanup.push(() => small.fake.close());
  say(`generating the large org of ${o.large} opportunities`);
  const large = await startProofSalesforce(o.large, 20_261_012, 0);
  cleanup.push(() => large.fake.close());
  const keyText = newKey();
  const secrets = createSecretBox(new Map([['bench', Buffer.from(keyText, 'base64')]]), 'bench');
  const smallChats = proofChats(small.org, 7);
  const spaces: ProofWorkspace[] = [];
  for (let i = 0; i < o.small; i++)
    spaces.push(await connectProofWorkspace(database.db, secrets, small.fake, i, smallChats));
  say(`${o.small} small workspaces connected (${small.org.opportunities} opportunities each)`);

  const queue = new BullmqJobQueue({ redisUrl: o.redisUrl, prefix, concurrency: 1, logger: createLogger('error') });
  cleanup.push(() => queue.close());
  cleanup.push(async () => {
    const redis = new IORedis(o.redisUrl, { maxRetriesPerRequest: null });
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1000);
      cursor = next;
      if (keys.length > 0) await redis.del(...keys);
    } while (cursor !== '0');
    await redis.quit();
  });
  const env = {
    DATABASE_URL: dbUrl,
    REDIS_URL: o.redisUrl,
    QUEUE_PREFIX: prefix,
    LOG_LEVEL: 'warn',
    PORT: '0',
    LOCAL_SALESFORCE: 'on',
    LOCAL_SALESFORCE_PORT: new URL(small.fake.url).port,
    ENCRYPTION_KEYS: `bench:${keyText}`,
    ENCRYPTION_KEY_ID: 'bench',
    WORKER_CONCURRENCY: String(o.concurrency),
    DATA_DIR: path.join(os.tmpdir(), name),
  };
  // LOG_LEVEL=warn hides the ready line the launcher waits for: it reads "worker started" at info.
  const workers = await Promise.all(
    Array.from({ length: o.workers }, async () => {
      const w = await startServiceProcess('worker', { ...env, LOG_LEVEL: 'info' }, 180_000);
      cleanup.push(() => w.kill('SIGTERM'));
      return w;
    }),
  );
  await settle(database, spaces, new Date(0), 'schedule', 600_000);
  say(`${o.workers} worker(s) of concurrency ${o.concurrency} ran the small workspaces' first syncs`);

  const floor = await smallRound(database, queue, small.fake, spaces, 1);
  say(`floor (alone): p50 ${floor.p50} s, p99 ${floor.p99} s`);

  // The large workspace connects, as the OAuth callback does it: its schedule and a first sync.
  const [big] = [await connectProofWorkspace(database.db, secrets, large.fake, o.small, proofChats(large.org, 8))];
  const bigSince = new Date();
  await scheduleSync(queue, { id: big!.connectionId, syncIntervalMinutes: 15 });
  await requestSync(queue, big!.connectionId, 'connect');
  await waitForRows(database, big!.connectionId, 500, 600_000);
  say('the large first sync is under way; the small workspaces sync beside it');
  const beside = await smallRound(database, queue, small.fake, spaces, 2);
  const bigState = await largeState(database, big!.connectionId, bigSince);
  say(
    `beside the large sync: p50 ${beside.p50} s, p99 ${beside.p99} s; large sync ${bigState.finished ? 'finished' : 'still running'} (${bigState.rows} rows so far)`,
  );
  void workers;
  return {
    small: o.small,
    largeOpportunities: o.large,
    largeRecords:
      large.org.opportunities +
      large.org.accounts +
      large.org.contacts +
      large.org.leads +
      large.org.contactRoles +
      large.org.opportunityHistory,
    workers: o.workers,
    concurrency: o.concurrency,
    floor: { p50: floor.p50, p99: floor.p99, max: floor.max },
    beside: { p50: beside.p50, p99: beside.p99, max: beside.max },
    ratioP50: round(beside.p50 / floor.p50, 2),
    ratioP99: round(beside.p99 / floor.p99, 2),
    largeStillRunning: !bigState.finished,
    largeRowsDuringMeasure: bigState.rows,
    loadAverage: os.loadavg().map((l) => round(l, 2)),
  };
}

/** Changes the small org, enqueues a sync of every small workspace at once; each one's latency. */
async function smallRound(
  database: Database,
  queue: BullmqJobQueue,
  fake: { control(command: string, args?: Record<string, unknown>): Promise<unknown> },
  spaces: ProofWorkspace[],
  n: number,
): Promise<Latencies> {
  await fake.control('changeOpportunities', { count: 5, seed: n });
  const since = new Date();
  for (const s of spaces)
    await queue.enqueue(
      'salesforce.sync',
      { connectionId: s.connectionId, trigger: 'manual' },
      { jobId: `fair-${n}:${s.connectionId}` },
    );
  const done = await settle(database, spaces, since, 'manual', 900_000);
  const seconds = [...done.values()].map((t) => round((t - since.getTime()) / 1000, 2)).sort((a, b) => a - b);
  return { p50: percentile(seconds, 50), p99: percentile(seconds, 99), max: seconds[seconds.length - 1]!, seconds };
}

/** Polls until each workspace has an ok run since then and nothing dirty; when each got there. */
async function settle(
  database: Database,
  spaces: ProofWorkspace[],
  since: Date,
  trigger: string,
  timeoutMs: number,
): Promise<Map<string, number>> {
  const done = new Map<string, number>();
  const ids = spaces.map((s) => s.workspaceId);
  const deadline = Date.now() + timeoutMs;
  while (done.size < spaces.length) {
    const rows = await database.sql<{ workspace_id: string }[]>`
      select c.workspace_id from salesforce_connections c
      where c.workspace_id = any(${ids}::uuid[])
        and exists (select 1 from salesforce_sync_runs r where r.connection_id = c.id and r.outcome = 'ok'
                    and r.trigger = ${trigger} and r.started_at >= ${since.toISOString()}::timestamptz)
        and not exists (select 1 from attribution_dirty d where d.workspace_id = c.workspace_id)`;
    const now = Date.now();
    for (const r of rows) if (!done.has(r.workspace_id)) done.set(r.workspace_id, now);
    if (now > deadline) throw new Error(`${done.size}/${spaces.length} settled within ${timeoutMs / 1000} s`);
    await sleep(100);
  }
  return done;
}

/** Waits until the large first sync has written this many rows (it is well under way). */
async function waitForRows(database: Database, connectionId: string, rows: number, timeoutMs: number) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const [r] = await database.sql<{ n: number }[]>`
      select coalesce(sum(progress_rows), 0)::int as n from salesforce_sync_objects where connection_id = ${connectionId}`;
    if ((r?.n ?? 0) >= rows) return;
    if (Date.now() > deadline) throw new Error(`the large sync wrote ${r?.n ?? 0} rows in ${timeoutMs / 1000} s`);
    await sleep(250);
  }
}

async function largeState(database: Database, connectionId: string, since: Date) {
  const [r] = await database.sql<{ finished: boolean; rows: number }[]>`
    select exists (select 1 from salesforce_sync_runs where connection_id = ${connectionId} and outcome = 'ok'
                   and started_at >= ${since.toISOString()}::timestamptz) as finished,
           (select coalesce(sum(progress_rows), 0)::int from salesforce_sync_objects where connection_id = ${connectionId}) as rows`;
  return { finished: r?.finished ?? false, rows: r?.rows ?? 0 };
}

let options: Options;
try {
  options = parseOptions(process.argv.slice(2));
} catch (err) {
  process.stderr.write(`${(err as Error).message}\n${USAGE}\n`);
  process.exit(2);
}
run(options).then(
  async (figures) => {
    process.stdout.write(`${JSON.stringify(figures)}\n`);
    await runCleanup();
    setTimeout(() => process.exit(0), 2_000).unref();
  },
  async (err) => {
    process.stderr.write(`bench:fairness failed: ${(err as Error).stack ?? String(err)}\n`);
    await runCleanup();
    setTimeout(() => process.exit(1), 2_000).unref();
  },
);
