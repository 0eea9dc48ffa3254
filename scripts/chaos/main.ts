// npm run chaos [-- --minutes 10] [--scale 1] [--seed 42]
// The fault-injection round, repeatable: on a generated org of a few thousand records in the
// local test Salesforce, worker processes are SIGKILLed during syncs and recomputes, the round's
// Redis database is wiped, conversations are posted in parallel with repeated ids, and (only with
// CHAOS_PG_RESTART=1) PostgreSQL is restarted. Then it checks that every version was stored
// exactly once, that the ledger verifies, and that the dashboard equals a clean sync into a second
// workspace; prints `N passed, M failed`; exit 1 on any failure.
// Loopback only: its own database (created and dropped) on CHAOS_DATABASE_URL's server, its own
// Redis database number (CHAOS_REDIS_DB, never 0) and queue prefix. See README, "Chaos round".
import { execSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import postgres from 'postgres';
import IORedis from 'ioredis';
import { LOCAL_CLIENT } from '../../src/app/salesforce';
import { startLocalSalesforce, type LocalSalesforceProcess } from '../../src/app/local-salesforce';
import { createApiKey } from '../../src/access/api-keys';
import { BullmqJobQueue } from '../../src/jobs/bullmq';
import { developmentLedgerKeys } from '../../src/ledger/keys';
import { markWorkspaceDirty } from '../../src/history/mark-dirty';
import { recordConversations } from '../../src/history/record';
import { connectDatabase, type Database } from '../../src/platform/db/client';
import { runMigrations } from '../../src/platform/db/migrate';
import { createSecretBox, newKey } from '../../src/platform/crypto';
import { createLogger } from '../../src/platform/logger';
import { createWorkspace } from '../../src/workspaces/workspaces';
import { runChecks, type CheckContext } from './checks';
import { connectOrg, cleanSync } from './connect';
import { seedChaosOrg, type ChaosChat } from './org';
import { startServiceProcess, type ServiceProcess } from './processes';

const USAGE = 'usage: npm run chaos [-- --minutes 10] [--scale 1] [--seed 42]';
const LOOPBACK = new Set(['127.0.0.1', 'localhost', '::1', '[::1]']);

interface Options {
  minutes: number;
  scale: number;
  seed: number;
  adminUrl: string;
  redisUrl: string;
  redisDb: number;
  pgRestart: string | null;
}

function options(argv: string[]): Options {
  const { values: v } = parseArgs({
    args: argv,
    options: { minutes: { type: 'string' }, scale: { type: 'string' }, seed: { type: 'string' } },
  });
  const num = (name: string, raw: string | undefined, fallback: number, min: number, max: number) => {
    const n = raw === undefined ? fallback : Number(raw);
    if (!Number.isFinite(n) || n < min || n > max)
      throw new Error(`--${name}: expected a number from ${min} to ${max}`);
    return n;
  };
  // The round's own settings, read here: scripts/ is outside the service, whose config.ts reads the environment.
  const env = process.env;
  const adminUrl = env.CHAOS_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
  const redisUrl = env.CHAOS_REDIS_URL ?? 'redis://127.0.0.1:6379';
  const redisDb = num('CHAOS_REDIS_DB', env.CHAOS_REDIS_DB, 13, 1, 15);
  for (const [name, url] of [
    ['CHAOS_DATABASE_URL', adminUrl],
    ['CHAOS_REDIS_URL', redisUrl],
  ] as const) {
    if (!LOOPBACK.has(new URL(url).hostname)) throw new Error(`${name}: the chaos round runs on loopback only`);
  }
  return {
    minutes: num('minutes', v.minutes, 10, 0.5, 120),
    scale: num('scale', v.scale, 1, 0.05, 5),
    seed: num('seed', v.seed, 42, 1, 2 ** 30),
    adminUrl,
    redisUrl,
    redisDb,
    pgRestart:
      env.CHAOS_PG_RESTART === '1'
        ? (env.CHAOS_PG_RESTART_COMMAND ?? 'pg_ctlcluster --skip-systemctl-redirect 15 main restart')
        : null,
  };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const say = (line: string) => process.stdout.write(`${line}\n`);

async function main(argv: string[]): Promise<number> {
  let o: Options;
  try {
    o = options(argv);
  } catch (err) {
    process.stderr.write(`${(err as Error).message}\n${USAGE}\n`);
    return 2;
  }
  const started = Date.now();
  // Half the time for faults; the rest for the final sync, the oracle and the checks. A watchdog
  // ends a round that overruns its bound by half and two minutes (a loaded machine), as a failure.
  const faultsUntil = started + o.minutes * 60_000 * 0.5;
  const watchdog = setTimeout(
    () => {
      say(`the round overran ${o.minutes} minutes by half and two minutes: stopping`);
      void runCleanup().finally(() => {
        say('0 passed, 1 failed');
        process.exit(1);
      });
    },
    o.minutes * 60_000 * 1.5 + 120_000,
  );
  watchdog.unref();
  let s = o.seed;
  const rand = () => (s = (s * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
  const logger = createLogger('error');
  const name = `chaos_${randomBytes(5).toString('hex')}`;
  const prefix = `chaos-${name}`;
  const dbUrl = withDatabase(o.adminUrl, name);
  const redisUrl = `${o.redisUrl.replace(/\/\d*$/, '')}/${o.redisDb}`;
  const admin = postgres(o.adminUrl, { max: 1, onnotice: () => {} });
  cleanup.push(() => admin.end({ timeout: 5 }));
  try {
    await admin.unsafe(`create database ${name}`);
    cleanup.push(() => admin.unsafe(`drop database if exists ${name} with (force)`));
    cleanup.push(async () => rmSync(path.join(os.tmpdir(), name), { recursive: true, force: true }));
    await runMigrations(dbUrl);
    const db = connectDatabase(dbUrl, { max: 5 });
    cleanup.push(() => db.close());

    const fake = await startLocalSalesforce([
      '--port',
      '0',
      '--client-id',
      LOCAL_CLIENT.clientId,
      '--client-secret',
      LOCAL_CLIENT.clientSecret,
      '--page-size',
      '200',
    ]);
    cleanup.push(() => fake.close());
    // A little latency on every call, so the kills land inside the sync rather than after it.
    await fake.control('injectFault', {
      match: { source: '/services/data/', flags: '' },
      delayMs: 15,
      times: 1_000_000,
    });
    const chats = await seedChaosOrg(
      (calls) => fake.control('batch', { calls }) as Promise<unknown[]>,
      o.scale,
      o.seed,
    );
    say(
      `org seeded (scale ${o.scale}): ${chats.length} chats; faults for ${Math.round((faultsUntil - started) / 1000)} s`,
    );

    const keyText = newKey();
    const secrets = createSecretBox(new Map([['chaos', Buffer.from(keyText, 'base64')]]), 'chaos');
    const chaos = await createWorkspace(db.db, { slug: 'chaos' });
    const clean = await createWorkspace(db.db, { slug: 'clean' });
    await db.db.transaction((tx) => recordConversations(tx, clean.id, chats.map(toConversation)));
    const connection = await connectOrg(db, secrets, fake, chaos.id, 'chaos');

    const env = {
      DATABASE_URL: dbUrl,
      REDIS_URL: redisUrl,
      QUEUE_PREFIX: prefix,
      LOG_LEVEL: 'info',
      PORT: '0',
      LOCAL_SALESFORCE: 'on',
      LOCAL_SALESFORCE_PORT: new URL(fake.url).port,
      ENCRYPTION_KEYS: `chaos:${keyText}`,
      ENCRYPTION_KEY_ID: 'chaos',
      RECOMPUTE_BATCH_SIZE: '100',
      RATE_LIMIT_PER_MINUTE: '1000000',
      DATA_DIR: path.join(os.tmpdir(), name),
    };
    const queue = new BullmqJobQueue({ redisUrl, prefix, concurrency: 1, logger });
    cleanup.push(() => queue.close());
    const redis = new IORedis(redisUrl, { maxRetriesPerRequest: null });
    cleanup.push(async () => {
      await redis.flushdb(); // the round's own database number
      await redis.quit();
    });
    const api = await startServiceProcess('api', env);
    cleanup.push(() => api.kill('SIGTERM'));
    const key = (await createApiKey(db.db, chaos.id, { name: 'chaos', scopes: ['admin'] })).key;
    const cleanKey = (await createApiKey(db.db, clean.id, { name: 'clean', scopes: ['admin'] })).key;

    const tally = { kills: 0, wipes: 0, restarts: 0, posts: 0, failedPosts: [] as string[], diedAlone: [] as string[] };
    const posted = new Set<string>();
    const post = async (batch: ChaosChat[]) => {
      // The same batch three times at once: repeated ids in parallel.
      const answers = await Promise.all(
        [0, 1, 2].map(() =>
          fetch(`${api.url}/api/v1/conversations`, {
            method: 'POST',
            headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
            body: JSON.stringify({ conversations: batch }),
          }).then(async (r) => ({ status: r.status, text: r.status >= 300 ? await r.text() : '' })),
        ),
      );
      tally.posts += answers.length;
      for (const a of answers)
        if (a.status >= 300) tally.failedPosts.push(`${a.status} ${a.text.slice(0, 200)}`);
        else batch.forEach((c) => posted.add(c.id));
    };
    const worker = async (): Promise<ServiceProcess> => {
      const w = await startServiceProcess('worker', env);
      void w.exited.then((code) => {
        if (!w.stopRequested) tally.diedAlone.push(`a worker exited with code ${code}:\n${w.output().slice(-2000)}`);
      });
      return w;
    };
    const pending = [...chats];
    const faults = ['kill-during-sync', 'kill-during-recompute', 'redis-wipe', 'duplicate-posts'];
    if (o.pgRestart) faults.push('postgres-restart');
    for (let round = 0; Date.now() < faultsUntil; round++) {
      const fault = faults[round % faults.length]!;
      if (fault === 'duplicate-posts') {
        const batch = pending.splice(0, Math.max(1, Math.ceil(chats.length / 8)));
        if (batch.length > 0) await post(batch);
        continue;
      }
      const w = await worker();
      if (fault === 'kill-during-recompute') {
        await db.db.transaction((tx) => markWorkspaceDirty(tx, chaos.id));
        await queue.enqueue('attribution.recompute', { workspaceId: chaos.id });
      } else {
        await queue.enqueue('salesforce.sync', { connectionId: connection.id, trigger: 'manual' });
      }
      await sleep(100 + Math.floor(rand() * 1400));
      if (fault === 'redis-wipe') {
        await redis.flushdb();
        tally.wipes += 1;
        await sleep(500);
        await w.kill('SIGTERM');
      } else if (fault === 'postgres-restart') {
        execSync(o.pgRestart!, { stdio: 'ignore' });
        tally.restarts += 1;
        await sleep(5_000); // the worker must outlive it
        await w.kill('SIGTERM');
      } else {
        await w.kill('SIGKILL');
        tally.kills += 1;
      }
    }
    // Every chat posted at least once (three times at once), then a last worker finishes the sync and the recompute.
    while (pending.length > 0) await post(pending.splice(0, 200));
    const [cut] = await db.sql<{ n: number }[]>`
      select count(*)::int as n from salesforce_sync_runs where connection_id = ${connection.id} and finished_at is null`;
    say(
      `faults done: ${tally.kills} SIGKILLs (${cut?.n ?? 0} sync runs cut short), ${tally.wipes} Redis wipes, ${tally.restarts} PostgreSQL restarts, ${tally.posts} posts`,
    );
    const last = await worker();
    const since = new Date();
    await queue.enqueue('salesforce.sync', { connectionId: connection.id, trigger: 'manual' });
    await settle(db, connection.id, chaos.id, since, Math.max(60_000, started + o.minutes * 60_000 * 1.4 - Date.now()));
    await last.kill('SIGTERM');

    const oracle = await cleanSync(db, secrets, fake, clean.id, connection.id, logger, developmentLedgerKeys());
    const context: CheckContext = {
      db,
      chaos,
      clean,
      chats,
      posted,
      oracleOutcome: oracle,
      keys: developmentLedgerKeys(),
      apiUrl: api.url!,
      chaosKey: key,
      cleanKey,
      failedPosts: tally.failedPosts,
      diedAlone: tally.diedAlone,
    };
    const results = await runChecks(context);
    const failed = results.filter((r) => !r.ok);
    for (const r of results) say(`${r.ok ? 'PASS' : 'FAIL'} ${r.name}${r.detail ? `: ${r.detail}` : ''}`);
    say(
      `${results.length - failed.length} passed, ${failed.length} failed (${Math.round((Date.now() - started) / 1000)} s)`,
    );
    return failed.length > 0 ? 1 : 0;
  } finally {
    clearTimeout(watchdog);
    await runCleanup();
  }
}

/** What the round started or created, undone last first (once). */
const cleanup: (() => Promise<unknown>)[] = [];
async function runCleanup(): Promise<void> {
  for (const step of cleanup.splice(0).reverse()) await step().catch(() => {});
}

const toConversation = (c: ChaosChat) => ({
  id: c.id,
  teamId: c.teamId,
  agentId: c.agentId,
  startedAt: new Date(c.startedAt),
  emails: c.emails,
});

/** Waits until a sync run started after `since` finished ok and nothing waits for a recompute. */
async function settle(db: Database, connectionId: string, workspaceId: string, since: Date, timeoutMs: number) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const [row] = await db.sql<{ ok: number; dirty: number }[]>`
      select (select count(*)::int from salesforce_sync_runs where connection_id = ${connectionId}
                and outcome = 'ok' and started_at >= ${since.toISOString()}::timestamptz) as ok,
             (select count(*)::int from attribution_dirty where workspace_id = ${workspaceId}) as dirty`;
    if (row && row.ok > 0 && row.dirty === 0) return;
    if (Date.now() > deadline)
      throw new Error(`the last sync and recompute did not finish within ${Math.round(timeoutMs / 1000)} s`);
    await sleep(250);
  }
}

function withDatabase(url: string, name: string): string {
  const u = new URL(url);
  u.pathname = `/${name}`;
  return u.toString();
}

export type { LocalSalesforceProcess };

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
    setTimeout(() => process.exit(code), 2_000).unref(); // a lingering socket must not hold the round open
  },
  (err) => {
    process.stderr.write(`chaos failed: ${(err as Error).stack ?? String(err)}\n`);
    say('0 passed, 1 failed');
    process.exitCode = 1;
    setTimeout(() => process.exit(1), 2_000).unref();
  },
);
