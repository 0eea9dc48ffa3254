// npm run --silent proof:workers [-- --workspaces 60 --workers 3 --rounds 3 --kill-round 2]
// Issue 10's worker proof: N real worker processes (`npm run start:worker`) on one Redis share the
// syncs of many connected workspaces with no double run and no lost run. The workers start with
// the workspaces' schedules (round 1 is each scheduler's first job), later rounds are manual syncs
// of every workspace after the org changed; in the kill round one worker is SIGKILLed inside its
// syncs and BullMQ's stalled-job recovery hands them to the others. Then scripts/proof/checks.ts
// checks the database and the workers' logs. Progress and PASS/FAIL lines on stderr; the last
// stdout line is one JSON object; exit 1 on any failure. Loopback only, its own database (dropped
// after) and queue prefix (deleted after).
import os from 'node:os';
import IORedis from 'ioredis';
import type { Database } from '../../src/platform/db/client';
import { startServiceProcess, type ServiceProcess } from '../chaos/processes';
import { runChecks, type Round, type WorkerLog } from './checks';
import { connectProofWorkspace, proofChats, startProofSalesforce, type ProofWorkspace } from './setup';
import { assertLoopback, onCleanup, readOptions, runMain, say, scratch, sleep } from './harness';

const USAGE =
  'usage: npm run --silent proof:workers -- [--workspaces 60] [--workers 3] [--rounds 3] [--kill-round 2|0] ' +
  '[--opportunities 20] [--concurrency 2] [--database-url postgres://…] [--redis-url redis://…]';

interface Options {
  workspaces: number;
  workers: number;
  rounds: number;
  killRound: number;
  opportunities: number;
  concurrency: number;
  adminUrl: string;
  redisUrl: string;
}

function parseOptions(argv: string[]): Options {
  const { value, num } = readOptions(argv, [
    'workspaces',
    'workers',
    'rounds',
    'kill-round',
    'opportunities',
    'concurrency',
    'database-url',
    'redis-url',
  ]);
  const o: Options = {
    workspaces: num('workspaces', 60, 1, 500),
    workers: num('workers', 3, 1, 10),
    rounds: num('rounds', 3, 1, 20),
    killRound: num('kill-round', 2, 0, 20),
    opportunities: num('opportunities', 20, 10, 10_000),
    concurrency: num('concurrency', 2, 1, 64),
    adminUrl: value('database-url') ?? process.env.PROOF_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres',
    redisUrl: value('redis-url') ?? process.env.PROOF_REDIS_URL ?? 'redis://127.0.0.1:6379',
  };
  if (o.killRound > o.rounds) throw new Error('--kill-round: at most --rounds (0: no kill)');
  if (o.killRound > 0 && o.workers < 2) throw new Error('--kill-round: needs at least 2 workers');
  if (o.killRound === 1) throw new Error('--kill-round: from round 2 (round 1 starts the workers)');
  assertLoopback([o.adminUrl, o.redisUrl], 'the proof');
  return o;
}

interface LogLine {
  msg?: string;
  connectionId?: string;
  /** pino's isoTime, as platform/logger.ts writes it. */
  time?: string;
}

const timeOf = (l: LogLine) => (l.time ? Date.parse(l.time) : 0);

/** The JSON log lines of a worker with this message. */
function linesOf(w: ServiceProcess, msg: string): LogLine[] {
  const out: LogLine[] = [];
  for (const line of w.output().split('\n')) {
    if (!line.includes(`"msg":"${msg}"`)) continue;
    try {
      out.push(JSON.parse(line) as LogLine);
    } catch {
      // a line cut by the kill
    }
  }
  return out;
}

async function main(o: Options): Promise<boolean> {
  const started = Date.now();
  const { database, queue, secrets, workerEnv, prefix } = await scratch('proof', o.adminUrl, o.redisUrl);
  const { fake, org } = await startProofSalesforce(o.opportunities, 20_261_010, 10);
  onCleanup(() => fake.close());
  const chats = proofChats(org, 7);
  const spaces: ProofWorkspace[] = [];
  for (let i = 0; i < o.workspaces; i++) spaces.push(await connectProofWorkspace(database.db, secrets, fake, i, chats));
  say(
    `${o.workspaces} workspaces connected to an org of ${org.opportunities} opportunities ` +
      `(${org.contacts} contacts, ${org.opportunityHistory} history rows), ${chats.length} chats each`,
  );

  const env = workerEnv(fake.url, {
    WORKER_CONCURRENCY: String(o.concurrency),
    // Round 1 is every org's first sync: as many at once as the other rounds (fairness is bench:fairness's).
    WORKER_BACKFILL_CONCURRENCY: String(o.concurrency),
    // A killed worker's jobs are taken over within about twice this (BullMQ's default is 30 s).
    WORKER_STALLED_SECONDS: '3',
  });

  // Round 1: the workers start; each restores the schedules, whose first jobs run at once.
  const rounds: Round[] = [{ n: 1, since: new Date(), trigger: 'schedule' }];
  const workers = await Promise.all(
    Array.from({ length: o.workers }, async (_, i) => {
      const w = await startServiceProcess('worker', env, 120_000);
      onCleanup(() => w.kill('SIGTERM'));
      return { name: `worker-${i + 1}`, process: w, killed: false, exitedAlone: false };
    }),
  );
  for (const w of workers)
    void w.process.exited.then(() => {
      if (!w.process.stopRequested) w.exitedAlone = true;
    });
  say(`${o.workers} workers started (concurrency ${o.concurrency} each); round 1: the scheduled first syncs`);
  await settle(database, spaces, rounds[0]!, 240_000);

  let killedAt: number | null = null;
  let cutShort: string[] = [];
  for (let n = 2; n <= o.rounds; n++) {
    await fake.control('changeOpportunities', { count: Math.max(1, Math.floor(org.opportunities / 4)), seed: n });
    const round: Round = { n, since: new Date(), trigger: 'manual' };
    rounds.push(round);
    for (const s of spaces)
      await queue.enqueue(
        'salesforce.sync',
        { connectionId: s.connectionId, trigger: 'manual' },
        { jobId: `proof-${n}:${s.connectionId}` },
      );
    if (n === o.killRound) ({ killedAt, cutShort } = await killInsideSyncs(workers, round.since));
    say(
      `round ${n}: ${spaces.length} manual syncs enqueued after the org changed${n === o.killRound ? `; ${cutShort.length} syncs cut short by SIGKILL` : ''}`,
    );
    await settle(database, spaces, round, 240_000);
  }

  const counts = await Promise.all(
    (['salesforce-sync', 'attribution-recompute', 'attribution-sweep'] as const).map(async (q) => {
      const redis = new IORedis(o.redisUrl, { maxRetriesPerRequest: null });
      try {
        return await redis.zcard(`${prefix}:${q}:failed`);
      } finally {
        await redis.quit();
      }
    }),
  );
  const logs: WorkerLog[] = workers.map((w) => ({
    name: w.name,
    killed: w.killed,
    exitedAlone: w.exitedAlone,
    finished: linesOf(w.process, 'sync finished').map((l) => ({ connectionId: l.connectionId!, at: timeOf(l) })),
  }));
  const results = await runChecks({
    db: database,
    workspaces: spaces,
    rounds,
    workers: logs,
    cutShort,
    killedAt,
    killRound: o.killRound || null,
    failedJobs: counts.reduce((s, n) => s + n, 0),
  });
  const failed = results.filter((r) => !r.ok);
  for (const r of results) say(`${r.ok ? 'PASS' : 'FAIL'} ${r.name}${r.detail ? `: ${r.detail}` : ''}`);
  const [runs] = await database.sql<{ ok: number; interrupted: number }[]>`
    select count(*) filter (where outcome = 'ok')::int as ok, count(*) filter (where outcome = 'interrupted')::int as interrupted
    from salesforce_sync_runs`;
  process.stdout.write(
    `${JSON.stringify({
      workspaces: o.workspaces,
      workers: o.workers,
      rounds: o.rounds,
      okRuns: runs?.ok ?? 0,
      interruptedRuns: runs?.interrupted ?? 0,
      syncsPerWorker: Object.fromEntries(logs.map((l) => [l.name + (l.killed ? ' (killed)' : ''), l.finished.length])),
      killRound: o.killRound || null,
      passed: results.length - failed.length,
      failed: failed.length,
      seconds: Math.round((Date.now() - started) / 1000),
      loadAverage: os.loadavg().map((l) => Math.round(l * 100) / 100),
    })}\n`,
  );
  return failed.length === 0;
}

/** The connections whose sync this worker started since then and has not finished (by its log). */
function openSyncs(w: ServiceProcess, since: Date): string[] {
  const open = new Map<string, number>();
  const count = (msg: string, by: number) => {
    for (const l of linesOf(w, msg))
      if (timeOf(l) >= since.getTime() && l.connectionId)
        open.set(l.connectionId, (open.get(l.connectionId) ?? 0) + by);
  };
  count('sync started', 1);
  count('sync finished', -1);
  return [...open].filter(([, k]) => k > 0).map(([id]) => id);
}

/** SIGKILLs the worker with the most syncs in flight in this round, once it has one; which ones it cut short. */
async function killInsideSyncs(
  workers: { name: string; process: ServiceProcess; killed: boolean }[],
  since: Date,
): Promise<{ killedAt: number; cutShort: string[] }> {
  const deadline = Date.now() + 60_000;
  for (;;) {
    const inFlight = workers.map((w) => openSyncs(w.process, since));
    // Preferably one that has finished syncs already, so every worker did some whole ones.
    const worked = workers.map((w) => linesOf(w.process, 'sync finished').length > 0);
    const score = (i: number) => inFlight[i]!.length * 2 + (worked[i] ? 1 : 0);
    const victim = inFlight.reduce((best, _ids, i) => (score(i) > score(best) ? i : best), 0);
    if (inFlight[victim]!.length > 0 && worked[victim]) {
      const w = workers[victim]!;
      w.killed = true;
      const killedAt = Date.now();
      await w.process.kill('SIGKILL');
      // What it logged up to its death: the syncs started and not finished are the ones cut short.
      return { killedAt, cutShort: openSyncs(w.process, since) };
    }
    if (Date.now() > deadline) throw new Error('no worker started a sync of the kill round within 60 s');
    await sleep(20);
  }
}

/** Waits until every workspace has an ok run of this round and nothing waits for a recompute. */
async function settle(database: Database, spaces: ProofWorkspace[], round: Round, timeoutMs: number) {
  const deadline = Date.now() + timeoutMs;
  let last = '';
  for (;;) {
    const [row] = await database.sql<{ ok: number; dirty: number }[]>`
      select (select count(distinct connection_id)::int from salesforce_sync_runs
                where outcome = 'ok' and trigger = ${round.trigger} and started_at >= ${round.since.toISOString()}::timestamptz) as ok,
             (select count(*)::int from attribution_dirty) as dirty`;
    const now = `${row?.ok ?? 0}/${spaces.length} synced, ${row?.dirty ?? 0} opportunities waiting for a recompute`;
    if (row && row.ok === spaces.length && row.dirty === 0) {
      say(`round ${round.n} settled: ${now}`);
      return;
    }
    if (now !== last && Math.random() < 0.05) say(`round ${round.n}: ${now}`);
    last = now;
    if (Date.now() > deadline) throw new Error(`round ${round.n} did not settle within ${timeoutMs / 1000} s: ${now}`);
    await sleep(200);
  }
}

runMain('proof', USAGE, parseOptions, main);
