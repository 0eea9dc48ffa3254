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
import os from 'node:os';
import type { BullmqJobQueue } from '../../src/jobs/bullmq';
import type { Database } from '../../src/platform/db/client';
import { requestSync, scheduleSync } from '../../src/salesforce/schedules';
import { startServiceProcess } from '../chaos/processes';
import { connectProofWorkspace, proofChats, startProofSalesforce, type ProofWorkspace } from '../proof/setup';
import { round } from './measure';
import { assertLoopback, onCleanup, readOptions, runMain, say, scratch, sleep } from '../proof/harness';

const USAGE =
  'usage: npm run --silent bench:fairness -- [--small 50] [--large 10000] [--workers 1] [--concurrency 2] ' +
  '[--database-url postgres://…] [--redis-url redis://…]';

interface Options {
  small: number;
  large: number;
  workers: number;
  concurrency: number;
  adminUrl: string;
  redisUrl: string;
}

function parseOptions(argv: string[]): Options {
  const { value, num } = readOptions(argv, ['small', 'large', 'workers', 'concurrency', 'database-url', 'redis-url']);
  const o: Options = {
    small: num('small', 50, 1, 500),
    large: num('large', 10_000, 100, 1_000_000),
    workers: num('workers', 1, 1, 10),
    concurrency: num('concurrency', 2, 1, 64),
    adminUrl: value('database-url') ?? process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres',
    redisUrl: value('redis-url') ?? process.env.BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379',
  };
  assertLoopback([o.adminUrl, o.redisUrl], 'the benchmark');
  return o;
}

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
  const { database, queue, secrets, workerEnv } = await scratch('bench_fair', o.adminUrl, o.redisUrl);
  const small = await startProofSalesforce(20, 20_261_011, 0);
  onCleanup(() => small.fake.close());
  say(`generating the large org of ${o.large} opportunities`);
  const large = await startProofSalesforce(o.large, 20_261_012, 0);
  onCleanup(() => large.fake.close());
  const smallChats = proofChats(small.org, 7);
  const spaces: ProofWorkspace[] = [];
  for (let i = 0; i < o.small; i++)
    spaces.push(await connectProofWorkspace(database.db, secrets, small.fake, i, smallChats));
  say(`${o.small} small workspaces connected (${small.org.opportunities} opportunities each)`);

  const env = workerEnv(small.fake.url, { WORKER_CONCURRENCY: String(o.concurrency) });
  const workers = await Promise.all(
    Array.from({ length: o.workers }, async () => {
      // At info: the launcher waits for the "worker started" line.
      const w = await startServiceProcess('worker', env, 180_000);
      onCleanup(() => w.kill('SIGTERM'));
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

runMain('bench:fairness', USAGE, parseOptions, async (o) => {
  process.stdout.write(`${JSON.stringify(await run(o))}\n`);
  return true;
});
