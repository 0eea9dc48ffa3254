// The worker is SIGKILLed at 20+ random points during a sync of a few thousand records and
// restarted. Afterwards its workspace holds exactly the versions a clean sync of the same org
// produces (nothing lost, nothing doubled) and its ledger equals a fresh replay.
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { eq, sql } from 'drizzle-orm';
import { createUser } from '../../src/access/users';
import { salesforceConnections } from '../../src/platform/db/schema';
import { createSecretBox, newKey } from '../../src/platform/crypto';
import { BullmqJobQueue } from '../../src/jobs/bullmq';
import { recordConversations } from '../../src/history/record';
import { recomputeDirty } from '../../src/ledger/recompute';
import { verifyLedger } from '../../src/ledger/verify';
import { LOCAL_CLIENT } from '../../src/app/salesforce';
import { completeAuthorization, startAuthorization } from '../../src/salesforce/oauth-flow';
import { runSync } from '../../src/salesforce/sync-run';
import { createWorkspace, getWorkspace } from '../../src/workspaces/workspaces';
import { useTestDatabase } from '../support/database';
import { testLogger } from '../support/logger';
import { testLedgerKeys } from '../support/ledger-keys';
import { bullmqJobs, eventually } from '../support/queues';
import { describeWithRedis, redisUrl } from '../support/redis';
import type { RemoteFakeSalesforce } from '../support/fake-salesforce';
import { startTestSalesforce } from '../support/salesforce';
import { seedChaosOrg } from '../../scripts/chaos/org';

const database = useTestDatabase();
const root = path.join(__dirname, '..', '..');
const KILLS = 22;
const keyText = newKey();
const secrets = createSecretBox(new Map([['crash', Buffer.from(keyText, 'base64')]]), 'crash');

async function connect(fake: RemoteFakeSalesforce, workspaceId: string) {
  const app = {
    ...LOCAL_CLIENT,
    redirectUri: 'http://127.0.0.1:1/oauth/salesforce/callback',
    apiVersion: '62.0',
    requestTimeoutMs: 10_000,
    loginUrls: { production: fake.url, sandbox: fake.url },
    hostPolicy: { extraOrigins: [new URL(fake.url).origin] },
  };
  const deps = { db: database.db, secrets, app };
  // A signed-in admin of the workspace, in the browser holding the flow's nonce (as the routes do it).
  const admin = await createUser(database.db, workspaceId, {
    email: 'admin@crash.example',
    name: 'Admin',
    password: 'correct horse battery staple',
  });
  const browserNonce = 'nonce-of-the-admin-browser';
  const { authorizeUrl } = await startAuthorization(
    deps,
    { workspaceId, userId: admin.id, browserNonce },
    { environment: 'production' },
  );
  const back = await fake.approveAuthorization(authorizeUrl);
  const outcome = await completeAuthorization(
    deps,
    { code: back.searchParams.get('code')!, state: back.searchParams.get('state')! },
    { nonce: browserNonce, session: { userId: admin.id, workspaceId } },
  );
  if (!outcome.ok) throw new Error(`${outcome.title}: ${outcome.detail}`);
  return { connection: outcome.connection, app };
}

function startWorker(env: Record<string, string>): {
  child: ChildProcess;
  ready: Promise<void>;
  exited: Promise<number | null>;
} {
  const child = spawn(process.execPath, ['scripts/run.js', 'src/app/main.ts', '--role=worker'], {
    cwd: root,
    env: { PATH: process.env.PATH ?? '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout!.on('data', (d) => (out += d));
  child.stderr!.on('data', (d) => (out += d));
  const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
  const ready = new Promise<void>((resolve, reject) => {
    const t = setInterval(() => {
      if (out.includes('"msg":"worker started"')) {
        clearInterval(t);
        resolve();
      }
    }, 20);
    void exited.then(() => {
      clearInterval(t);
      reject(new Error(`worker exited early:\n${out}`));
    });
  });
  return { child, ready, exited };
}

const versionsOf = async (table: string, idColumn: string, workspaceId: string) =>
  (
    await database.db.execute<{ k: string }>(sql`
    select ${sql.raw(idColumn)} || '|' || version_id || '|' || is_deleted::text as k from ${sql.raw(table)}
    where workspace_id = ${workspaceId} order by 1`)
  ).map((r) => r.k);

describeWithRedis('a sync killed at random points', () => {
  it(`loses and doubles nothing across ${KILLS} SIGKILLs, and the ledger equals a fresh replay`, async () => {
    const fake = await startTestSalesforce({ ...LOCAL_CLIENT, pageSize: 200 });
    // A little latency on every call, so the kills land inside the sync rather than after it.
    await fake.injectFault({ match: /\/services\/data\//, delayMs: 15, times: 1_000_000 });
    const chats = await seedChaosOrg((calls) => fake.batch(calls as Parameters<typeof fake.batch>[0]), 1, 42);
    const crashed = await createWorkspace(database.db, { slug: 'crashed' });
    const clean = await createWorkspace(database.db, { slug: 'clean' });
    for (const ws of [crashed, clean]) {
      await database.db.transaction((tx) =>
        recordConversations(
          tx,
          ws.id,
          chats.map((c) => ({ ...c, startedAt: new Date(c.startedAt) })),
        ),
      );
    }
    const { connection } = await connect(fake, crashed.id);
    const jobs = bullmqJobs();
    const queue = jobs.queue as BullmqJobQueue;
    const env = {
      DATABASE_URL: database.url,
      REDIS_URL: redisUrl(),
      QUEUE_PREFIX: jobs.prefix,
      LOG_LEVEL: 'info',
      LOCAL_SALESFORCE: 'on',
      LOCAL_SALESFORCE_PORT: new URL(fake.url).port,
      ENCRYPTION_KEYS: `crash:${keyText}`,
      ENCRYPTION_KEY_ID: 'crash',
      RECOMPUTE_BATCH_SIZE: '100',
      DATA_DIR: path.join(root, '.data', 'test-crash'),
    };
    const killedAt: number[] = [];
    try {
      for (let i = 0; i < KILLS; i++) {
        const worker = startWorker(env);
        await worker.ready;
        await queue.enqueue('salesforce.sync', { connectionId: connection.id, trigger: 'manual' });
        const wait = 100 + Math.floor(Math.random() * 1500);
        await new Promise((r) => setTimeout(r, wait));
        worker.child.kill('SIGKILL');
        await worker.exited;
        killedAt.push(wait);
      }
      const [partial] = await database.db.execute<{ n: number }>(
        sql`select count(*)::int as n from salesforce_sync_runs where connection_id = ${connection.id}
          and (finished_at is null or outcome = 'interrupted')`,
      );
      expect(partial!.n).toBeGreaterThan(0); // some runs really were cut short (the next run closes them as interrupted)

      // A last worker finishes the job.
      const worker = startWorker(env);
      await worker.ready;
      const since = new Date();
      await queue.enqueue('salesforce.sync', { connectionId: connection.id, trigger: 'manual' });
      await eventually(
        async () =>
          (
            await database.db.execute<{ n: number }>(sql`
        select count(*)::int as n from salesforce_sync_runs where connection_id = ${connection.id} and outcome = 'ok' and started_at >= ${since.toISOString()}::timestamptz`)
          )[0]!.n,
        (n) => n >= 1,
        120_000,
      );
      await eventually(
        async () =>
          (
            await database.db.execute<{ n: number }>(
              sql`select count(*)::int as n from attribution_dirty where workspace_id = ${crashed.id}`,
            )
          )[0]!.n,
        (n) => n === 0,
        60_000,
      );
      worker.child.kill('SIGTERM');
      await worker.exited;
    } finally {
      await jobs.queue.close();
      await jobs.cleanup();
    }

    // The oracle: one clean sync of the same org into another workspace. An org belongs to one
    // workspace: the crashed one lets it go first (as a disconnect does; its history stays).
    await database.db
      .update(salesforceConnections)
      .set({ status: 'disconnected' })
      .where(eq(salesforceConnections.id, connection.id));
    const cleanConnection = await connect(fake, clean.id);
    const result = await runSync(
      {
        db: database.db,
        openSession: database.openSession,
        secrets,
        app: cleanConnection.app,
        logger: testLogger,
        settings: {
          overlapMs: 600_000,
          bulkThreshold: 1_000_000,
          bulkPollTimeoutMs: 60_000,
          bulkPageSize: 10_000,
          bulkParallelPages: 3,
          deletedCheckEveryMs: 3_600_000,
          budgetPercent: 80,
        },
      },
      cleanConnection.connection.id,
      'manual',
    );
    expect(result.outcome).toBe('ok');
    await recomputeDirty({ db: database.db, logger: testLogger, batchSize: 500, ledgerKeys: testLedgerKeys }, clean.id);

    for (const [table, id] of [
      ['opportunity_versions', 'opportunity_id'],
      ['contact_versions', 'contact_id'],
      ['contact_role_versions', 'contact_role_id'],
      ['lead_versions', 'lead_id'],
    ] as const) {
      const a = await versionsOf(table, id, crashed.id);
      const b = await versionsOf(table, id, clean.id);
      expect({ table, count: a.length }).toEqual({ table, count: b.length });
      expect(a).toEqual(b);
    }
    expect((await versionsOf('opportunity_versions', 'opportunity_id', crashed.id)).length).toBeGreaterThan(2000);
    const ledgerOf = async (ws: string) =>
      (
        await database.db.execute<{ k: string }>(sql`
      select opportunity_id || '|' || measure || '|' || effective_day::text || '|' || sum(amount)::text as k from ledger_entries
      where workspace_id = ${ws} group by opportunity_id, measure, effective_day having sum(amount) <> 0 order by 1`)
      ).map((r) => r.k);
    expect(await ledgerOf(crashed.id)).toEqual(await ledgerOf(clean.id));
    expect(
      (await verifyLedger(database, await getWorkspace(database.db, crashed.id), { keys: testLedgerKeys })).problems,
    ).toEqual([]);
    await fake.close();
  }, 300_000);
});
