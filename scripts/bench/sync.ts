// Benchmarks the first sync of an org end to end, through the service's own code: the local test
// Salesforce (its own process) filled by its seeded generator, then runSync (REST and Bulk API 2.0
// over HTTP, history tables) and recomputeDirty (engine, ledger) until the ledger is complete; then
// 1,000 changed opportunities the same way; then the floor: COPY of the same rows into a scratch schema.
// usage: see USAGE. Progress on stderr; the last line on stdout is one JSON object.
import { randomBytes } from 'node:crypto';
import { parseArgs } from 'node:util';
import pino from 'pino';
import postgres from 'postgres';
import { recordConversations, type NewConversation } from '../../src/history/record';
import { ledgerKeysOf, type LedgerKeys } from '../../src/ledger/keys';
import { recomputeDirty } from '../../src/ledger/recompute';
import { loadConfig } from '../../src/platform/config';
import { createSecretBox, newKey } from '../../src/platform/crypto';
import { connectDatabase, type Database } from '../../src/platform/db/client';
import { runMigrations } from '../../src/platform/db/migrate';
import { teams } from '../../src/platform/db/schema';
import { createLogger, type Logger } from '../../src/platform/logger';
import { withTransaction } from '../../src/platform/tx';
import { syncSettings } from '../../src/salesforce/settings';
import { runSync, type SyncDeps } from '../../src/salesforce/sync-run';
import { chunksOf } from '../../src/platform/batch';
import { copyFloor } from './copy-floor';
import { measureEngineIncremental, sampleOpportunities } from './engine-incremental';
import { cpuSnapshot, cpuSpent } from './cpu';
import { round } from './measure';
import { Random } from './prng';
import { benchApp, connectWorkspace, generatedOrg, startBenchSalesforce, type GeneratedOrg } from './sync-org';

const USAGE =
  'usage: npm run --silent bench:sync -- --opportunities N [--seed N] [--changed 1000] [--database-url postgres://…]';
const DEFAULT_ADMIN_URL = 'postgres://postgres@127.0.0.1:5432/postgres';
const TEAMS = ['sales', 'support', 'enterprise', 'emea'];
/** Chats per opportunity, and the share whose email is a generated contact's (they link). */
const CHATS_PER_OPPORTUNITY = 0.6;
const LINKABLE_SHARE = 0.5;
const DAY = 86_400_000;

class UsageError extends Error {}

interface Options {
  opportunities: number;
  seed: number;
  changed: number;
  adminUrl: string;
}

function parseOptions(argv: string[]): Options {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        opportunities: { type: 'string' },
        seed: { type: 'string' },
        changed: { type: 'string' },
        'database-url': { type: 'string' },
      },
    }));
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
  const opportunities = Number(values.opportunities ?? 2000);
  const seed = Number(values.seed ?? 20_260_301);
  const changed = Number(values.changed ?? 1000);
  if (!Number.isInteger(opportunities) || opportunities < 10 || !Number.isInteger(seed) || !(changed >= 1)) {
    throw new UsageError('--opportunities must be a whole number ≥ 10, --seed an integer, --changed ≥ 1');
  }
  // A benchmark is a tool run by hand or by CI: it takes its database like the tests do.
  const adminUrl = values['database-url'] ?? process.env.BENCH_DATABASE_URL ?? DEFAULT_ADMIN_URL;
  return { opportunities, seed, changed: Math.min(changed, opportunities), adminUrl };
}

const started = Date.now();
function progress(message: string): void {
  process.stderr.write(`[${((Date.now() - started) / 1000).toFixed(1).padStart(7)} s] ${message}\n`);
}

const maxRssMB = () => round((process.resourceUsage().maxRSS * 1024) / (1024 * 1024));

/** Chats over the org's year, about half carrying a generated contact's email. */
function benchChats(org: GeneratedOrg, seed: number): NewConversation[] {
  const rng = new Random(seed);
  const from = Date.parse(org.from);
  const to = Date.parse(org.to);
  const count = Math.round(org.opportunities * CHATS_PER_OPPORTUNITY);
  return Array.from({ length: count }, (_, i) => {
    const email = rng.chance(LINKABLE_SHARE)
      ? `contact-${rng.int(org.contacts)}@generated.example`
      : `visitor-${rng.int(1_000_000)}@visitor.example`;
    return {
      id: `bench-conv-${i}`,
      teamId: rng.pick(TEAMS),
      agentId: `agent-${rng.int(40)}`,
      startedAt: new Date(from + rng.int(Math.max(1, to - from - DAY))),
      emails: [email],
    };
  });
}

async function timed<T>(run: () => Promise<T>): Promise<{ value: T; seconds: number }> {
  const t0 = process.hrtime.bigint();
  const value = await run();
  return { value, seconds: Number(process.hrtime.bigint() - t0) / 1e9 };
}

/** One sync run and the recompute it enqueues, as the job handlers run them, back to back. */
async function syncAndRecompute(
  deps: SyncDeps & { ledgerKeys: LedgerKeys },
  batchSize: number,
  connectionId: string,
  trigger: string,
) {
  const { value: sync, seconds: syncSeconds } = await timed(() => runSync(deps, connectionId, trigger));
  if (sync.outcome !== 'ok' || !sync.workspaceId) throw new Error(`the sync ended ${sync.outcome}`);
  const workspaceId = sync.workspaceId;
  const { value: recompute, seconds: recomputeSeconds } = await timed(() =>
    recomputeDirty({ db: deps.db, logger: deps.logger, batchSize, ledgerKeys: deps.ledgerKeys }, workspaceId),
  );
  progress(`  ${trigger} run: sync ${syncSeconds.toFixed(2)} s, recompute ${recomputeSeconds.toFixed(2)} s`);
  return { sync, recompute };
}

async function run(options: Options, logger: Logger): Promise<Record<string, unknown>> {
  const name = `bench_sync_${randomBytes(4).toString('hex')}`;
  const admin = postgres(options.adminUrl, { max: 1, onnotice: () => {} });
  await admin.unsafe(`create database ${name}`);
  const url = new URL(options.adminUrl);
  url.pathname = `/${name}`;
  let database: Database | null = null;
  const fake = await startBenchSalesforce((line) => progress(`salesforce double: ${line}`));
  try {
    await runMigrations(url.toString());
    database = connectDatabase(url.toString(), { max: 10 });
    const config = loadConfig({ NODE_ENV: 'development', LOCAL_SALESFORCE: 'off', DATABASE_URL: url.toString() });
    const secrets = createSecretBox(new Map([['bench', Buffer.from(newKey(), 'base64')]]), 'bench');

    progress(`generating an org of ${options.opportunities} opportunities in the double (seed ${options.seed})`);
    const gen = await timed(async () =>
      generatedOrg.parse(
        await fake.control('generateOrg', { opportunities: options.opportunities, seed: options.seed }),
      ),
    );
    const org = gen.value;
    progress(
      `generated in ${gen.seconds.toFixed(1)} s: ${org.accounts} accounts, ${org.contacts} contacts, ${org.leads} leads, ` +
        `${org.opportunityHistory} history rows, ${org.contactRoles} contact roles`,
    );
    const { workspace, connection } = await connectWorkspace(database.db, secrets, fake);
    await database.db.insert(teams).values(TEAMS.map((id) => ({ workspaceId: workspace.id, id, name: id })));
    const chats = benchChats(org, options.seed);
    for (const chunk of chunksOf(chats, 10_000))
      await withTransaction(database.db, (tx) => recordConversations(tx, workspace.id, chunk));
    // The chats marked nothing dirty worth timing: no opportunity is known yet.
    await recomputeDirty(
      { db: database.db, logger, batchSize: config.attribution.batchSize, ledgerKeys: ledgerKeysOf(config) },
      workspace.id,
    );
    progress(`workspace ready with ${chats.length} chats; first sync starts`);

    const deps: SyncDeps & { ledgerKeys: LedgerKeys } = {
      db: database.db,
      openSession: database.openSession,
      secrets,
      app: benchApp(fake.url),
      logger,
      settings: syncSettings(config),
      ledgerKeys: ledgerKeysOf(config),
    };
    const batchSize = config.attribution.batchSize;
    const cpuBefore = await cpuSnapshot(database.sql, fake.pid);
    const first = await timed(() => syncAndRecompute(deps, batchSize, connection.id, 'manual'));
    const cpu = cpuSpent(cpuBefore, await cpuSnapshot(database.sql, fake.pid));
    const records = Object.values(first.value.sync.rows).reduce((s, n) => s + n, 0);
    progress(
      `first sync and recompute: ${first.seconds.toFixed(1)} s, ${records} records (${JSON.stringify(first.value.sync.rows)}), ` +
        `${first.value.recompute.opportunities} opportunities recomputed, ${first.value.recompute.entries} ledger entries; ` +
        `CPU seconds: service ${cpu.service}, double ${cpu.double}, postgres ${cpu.postgres}`,
    );

    const changed = await fake.control('changeOpportunities', { count: options.changed, seed: options.seed + 1 });
    const cpuBeforeIncremental = await cpuSnapshot(database.sql, fake.pid);
    const incremental = await timed(() => syncAndRecompute(deps, batchSize, connection.id, 'schedule'));
    const incrementalCpu = cpuSpent(cpuBeforeIncremental, await cpuSnapshot(database.sql, fake.pid));
    progress(
      `incremental of ${String(changed)} changed opportunities: ${incremental.seconds.toFixed(2)} s, ` +
        `rows read ${JSON.stringify(incremental.value.sync.rows)}, ` +
        `${incremental.value.recompute.opportunities} recomputed, ${incremental.value.recompute.entries} ledger entries; ` +
        `CPU seconds: service ${incrementalCpu.service}, double ${incrementalCpu.double}, postgres ${incrementalCpu.postgres}`,
    );
    const rss = maxRssMB();

    // The floor of the incremental's recompute: read its input and run the engine, nothing written.
    const sample = await sampleOpportunities(database.db, workspace.id, options.changed, options.seed + 2);
    const engine = await measureEngineIncremental(database.db, database.sql, workspace, sample);
    progress(
      `engine incremental of ${engine.opportunities} opportunities (${engine.events} events), extraction from ` +
        `PostgreSQL included: ${engine.ms} ms (extraction ${engine.extractMs} ms); the engine alone: ${engine.engineMs} ms; ` +
        `CPU ms per run: service ${engine.cpuMs.service}, postgres ${engine.cpuMs.postgres}`,
    );

    progress('the floor: COPY of the same rows into a scratch schema');
    const floor = await copyFloor(url.toString(), workspace.id);
    progress(`COPY of ${floor.rows} rows: ${floor.seconds.toFixed(2)} s (${JSON.stringify(floor.perTable)})`);
    return {
      opportunities: options.opportunities,
      records,
      seconds: round(first.seconds, 2),
      copySeconds: round(floor.seconds, 2),
      ratio: round(first.seconds / floor.seconds, 1),
      recordsPerSecond: Math.round(records / first.seconds),
      maxRssMB: rss,
      incrementalSeconds: round(incremental.seconds, 2),
      incrementalCpuSeconds: incrementalCpu,
      /** Rows the incremental read per object: what changed, plus what the lower bound re-reads. */
      incrementalRows: incremental.value.sync.rows,
      cpuSeconds: cpu,
      engineIncremental: engine,
      copyRows: floor.rows,
      ledgerEntries: first.value.recompute.entries,
      generateSeconds: round(gen.seconds, 1),
    };
  } finally {
    await fake.close();
    await database?.close();
    await admin.unsafe(`drop database if exists ${name} with (force)`);
    await admin.end();
  }
}

async function main(): Promise<void> {
  const options = parseOptions(process.argv.slice(2));
  // Warnings and errors only, to stderr: stdout carries the one JSON line.
  const logger = createLogger('warn', { bench: 'sync' }, pino.destination(2));
  const result = await run(options, logger);
  process.stdout.write(`${JSON.stringify(result)}\n`);
}

main().catch((err: unknown) => {
  if (err instanceof UsageError) {
    process.stderr.write(`${err.message}\n${USAGE}\n`);
    process.exitCode = 2;
    return;
  }
  process.stderr.write(`bench:sync failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exitCode = 1;
});
