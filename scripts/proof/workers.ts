// npm run --silent proof:workers [-- --workspaces 60 --workers 3 --rounds 3 --kill-round 2]
// Issue 10's worker proof: N real worker processes (`npm run start:worker`) on one Redis share the
// syncs of many connected workspaces with no double run and no lost run. The workers start with
// the workspaces' schedules (round 1 is each scheduler's first job), later rounds are manual syncs
// of every workspace after the org changed; in the kill round one worker is SIGKILLed inside its
// syncs and BullMQ's stalled-job recovery hands them to the others. Then scripts/proof/checks.ts
// checks the database and the workers' logs. Progress and PASS/FAIL lines on stderr; the last
// stdout line is one JSON object; exit 1 on any failure. Loopback only, its own database (dropped
// after) and queue prefix (deleted after).
import { randomBytes } from 'node:crypto';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import IORedis from 'ioredis';
import postgres from 'postgres';
import { BullmqJobQueue } from '../../src/jobs/bullmq';
import { createSecretBox, newKey } from '../../src/platform/crypto';
import { connectDatabase } from '../../src/platform/db/client';
import { runMigrations } from '../../src/platform/db/migrate';
import { createLogger } from '../../src/platform/logger';
import { startServiceProcess, type ServiceProcess } from '../chaos/processes';
import { runChecks, type Round, type WorkerLog } from './checks';
import { connectProofWorkspace, proofChats, startProofSalesforce, type ProofWorkspace } from './setup';

const USAGE =
  'usage: npm run --silent proof:workers -- [--workspaces 60] [--workers 3] [--rounds 3] [--kill-round 2|0] ' +
  '[--opportunities 20] [--concurrency 2] [--database-url postgres://…] [--redis-url redis://…]';
const LOOPBACK = new Set(['127.0.0.1', 'localhost', '::1', '[::1]']);

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
  const { values: v } = parseArgs({
    args: argv,
    options: Object.fromEntries(
      [
        'workspaces',
        'workers',
        'rounds',
        'kill-round',
        'opportunities',
        'concurrency',
        'database-url',
        'redis-url',
      ].map((k) => [k, { type: 'string' as const }]),
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
    workspaces: num('workspaces', 60, 1, 500),
    workers: num('workers', 3, 1, 10),
    rounds: num('rounds', 3, 1, 20),
    killRound: num('kill-round', 2, 0, 20),
    opportunities: num('opportunities', 20, 10, 10_000),
    concurrency: num('concurrency', 2, 1, 64),
    adminUrl: v['database-url'] ?? process.env.PROOF_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres',
    redisUrl: v['redis-url'] ?? process.env.PROOF_REDIS_URL ?? 'redis://127.0.0.1:6379',
  };
  if (o.killRound > o.rounds) throw new Error('--kill-round: at most --rounds (0: no kill)');
  if (o.killRound > 0 && o.workers < 2) throw new Error('--kill-round: needs at least 2 workers');
  if (o.killRound === 1) throw new Error('--kill-round: from round 2 (round 1 starts the workers)');
  for (const url of [o.adminUrl, o.redisUrl])
    if (!LOOPBACK.has(new URL(url).hostname)) throw new Error(`${url}: the proof runs on loopback only`);
  return o;
}

const started = Date.now();
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const say = (line: string) =>
  process.stderr.write(`[${((Date.now() - started) / 1000).toFixed(1).padStart(6)} s] ${line}\n`);

/** What undoes the proof's processes, database and keys, last first. */
const cleanup: (() => Promise<unknown>)[] = [];
async function runCleanup(): Promise<void> {
  // Each step bounded: a stuck one must not keep the rest (the worker processes above all) alive.
  for (const step of cleanup.splice(0).reverse()) await Promise.race([step().catch(() => {}), sleep(20_000)]);
}
for (const signal of ['SIGINT', 'SIGTERM'] as const)
  process.once(signal, () => void runCleanup().finally(() => process.exit(130)));

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
  const name = `proof_${randomBytes(5).toString('hex')}`;
  const prefix = `proof-${name}`;
  const dbUrl = Object.assign(new URL(o.adminUrl), { pathname: `/${name}` }).toString();
  const admin = postgres(o.adminUrl, { max: 1, onnotice: () => {} });
  cleanup.push(() => admin.end({ timeout: 5 }));
  await admin.unsafe(`create database ${name}`);
  cleanup.push(() => admin.unsafe(`drop database if exists ${name} with (force)`));
  await runMigrations(dbUrl);
  const database = connectDatabase(dbUrl, { max: 5 });
  cleanup.push(() => database.close());

  const { fake, org } = await startProofSalesforce(o.opportunities, 20_261_010, 10);
  cleanup.push(() => fake.close());
  const keyText = newKey();
  const secrets = createSecretBox(new Map([['proof', Buffer.from(keyText, 'base64')]]), 'proof');
  const chats = proofChats(org, 7);
  const spaces: ProofWorkspace[] = [];
  for (let i = 0; i < o.workspaces; i++) spaces.push(await connectProofWorkspace(database.db, secrets, fake, i, chats));
  say(
    `${o.workspaces} workspaces connected to an org of ${org.opportunities} opportunities ` +
      `(${org.contacts} contacts, ${org.opportunityHistory} history rows), ${chats.length} chats each`,
  );

  const logger = createLogger('error');
  const queue = new BullmqJobQueue({ redisUrl: o.redisUrl, prefix, concurrency: 1, logger });
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
    LOG_LEVEL: 'info',
    PORT: '0',
    LOCAL_SALESFORCE: 'on',
    LOCAL_SALESFORCE_PORT: new URL(fake.url).port,
    ENCRYPTION_KEYS: `proof:${keyText}`,
    ENCRYPTION_KEY_ID: 'proof',
    WORKER_CONCURRENCY: String(o.concurrency),
    // Round 1 is every org's first sync: as many at once as the other rounds (fairness is bench:fairness's).
    WORKER_BACKFILL_CONCURRENCY: String(o.concurrency),
    // A killed worker's jobs are taken over within about twice this (BullMQ's default is 30 s).
    WORKER_STALLED_SECONDS: '3',
    DATA_DIR: path.join(os.tmpdir(), name),
  };

  // Round 1: the workers start; each restores the schedules, whose first jobs run at once.
  const rounds: Round[] = [{ n: 1, since: new Date(), trigger: 'schedule' }];
  const workers = await Promise.all(
    Array.from({ length: o.workers }, async (_, i) => {
      const w = await startServiceProcess('worker', env, 120_000);
      cleanup.push(() => w.kill('SIGTERM'));
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
async function settle(
  database: ReturnType<typeof connectDatabase>,
  spaces: ProofWorkspace[],
  round: Round,
  timeoutMs: number,
) {
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

let options: Options;
try {
  options = parseOptions(process.argv.slice(2));
} catch (err) {
  process.stderr.write(`${(err as Error).message}\n${USAGE}\n`);
  process.exit(2);
}
main(options).then(
  async (ok) => {
    await runCleanup();
    process.exitCode = ok ? 0 : 1;
    setTimeout(() => process.exit(ok ? 0 : 1), 2_000).unref(); // a lingering socket must not hold the proof open
  },
  async (err) => {
    process.stderr.write(`proof failed: ${(err as Error).stack ?? String(err)}\n`);
    await runCleanup();
    process.exitCode = 1;
    setTimeout(() => process.exit(1), 2_000).unref();
  },
);
