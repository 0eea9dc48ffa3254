// What the worker proof and the fairness benchmark share: whole-number options, loopback only,
// timestamped progress, a cleanup list that also runs on SIGINT/SIGTERM, a scratch database and
// queue prefix of their own (dropped and deleted after), and the worker processes' environment.
import { randomBytes } from 'node:crypto';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import IORedis from 'ioredis';
import postgres from 'postgres';
import { BullmqJobQueue } from '../../src/jobs/bullmq';
import { createSecretBox, newKey, type SecretBox } from '../../src/platform/crypto';
import { connectDatabase, type Database } from '../../src/platform/db/client';
import { runMigrations } from '../../src/platform/db/migrate';
import { createLogger } from '../../src/platform/logger';

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '::1', '[::1]']);

/** The string options named, and a reader of whole numbers among them that names a bad one. */
export function readOptions(argv: string[], names: readonly string[]) {
  const { values } = parseArgs({
    args: argv,
    options: Object.fromEntries(names.map((k) => [k, { type: 'string' as const }])),
  });
  const v = values as Record<string, string | undefined>;
  const num = (name: string, fallback: number, min: number, max: number): number => {
    const raw = v[name];
    const n = raw === undefined ? fallback : Number(raw);
    if (!Number.isInteger(n) || n < min || n > max)
      throw new Error(`--${name}: expected a whole number from ${min} to ${max}`);
    return n;
  };
  return { value: (name: string) => v[name], num };
}

/** Refuses anything but loopback: these runs create and drop databases and delete Redis keys. */
export function assertLoopback(urls: string[], what: string): void {
  for (const url of urls)
    if (!LOOPBACK.has(new URL(url).hostname)) throw new Error(`${url}: ${what} runs on loopback only`);
}

const started = Date.now();
export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
export const say = (line: string): void =>
  void process.stderr.write(`[${((Date.now() - started) / 1000).toFixed(1).padStart(6)} s] ${line}\n`);

/** What undoes the run's processes, database and keys, last first. */
const cleanup: (() => Promise<unknown>)[] = [];
export const onCleanup = (step: () => Promise<unknown>): void => void cleanup.push(step);
export async function runCleanup(): Promise<void> {
  // Each step bounded: a stuck one must not keep the rest (the worker processes above all) alive.
  for (const step of cleanup.splice(0).reverse()) await Promise.race([step().catch(() => {}), sleep(20_000)]);
}
for (const signal of ['SIGINT', 'SIGTERM'] as const)
  process.once(signal, () => void runCleanup().finally(() => process.exit(130)));

/**
 * Parses the options (exit 2 with the usage on a bad one), runs `body`, cleans up and exits:
 * 0 when it returns true, 1 when false or when it throws.
 */
export function runMain<O>(
  name: string,
  usage: string,
  parse: (argv: string[]) => O,
  body: (o: O) => Promise<boolean>,
) {
  let options: O;
  try {
    options = parse(process.argv.slice(2));
  } catch (err) {
    process.stderr.write(`${(err as Error).message}\n${usage}\n`);
    process.exit(2);
  }
  const end = async (ok: boolean) => {
    await runCleanup();
    process.exitCode = ok ? 0 : 1;
    setTimeout(() => process.exit(ok ? 0 : 1), 2_000).unref(); // a lingering socket must not hold the run open
  };
  body(options).then(end, async (err) => {
    process.stderr.write(`${name} failed: ${(err as Error).stack ?? String(err)}\n`);
    await end(false);
  });
}

export interface Scratch {
  name: string;
  /** The queue prefix, whose keys are deleted after. */
  prefix: string;
  dbUrl: string;
  database: Database;
  queue: BullmqJobQueue;
  secrets: SecretBox;
  /** The environment of a worker process on this database, queue and local Salesforce. */
  workerEnv: (salesforceUrl: string, more?: Record<string, string>) => Record<string, string>;
}

/** A migrated database and a queue prefix of the run's own, removed by the cleanup. */
export async function scratch(label: string, adminUrl: string, redisUrl: string): Promise<Scratch> {
  const name = `${label}_${randomBytes(5).toString('hex')}`;
  const prefix = `${label.replace(/_/g, '-')}-${name}`;
  const dbUrl = Object.assign(new URL(adminUrl), { pathname: `/${name}` }).toString();
  const admin = postgres(adminUrl, { max: 1, onnotice: () => {} });
  onCleanup(() => admin.end({ timeout: 5 }));
  await admin.unsafe(`create database ${name}`);
  onCleanup(() => admin.unsafe(`drop database if exists ${name} with (force)`));
  await runMigrations(dbUrl);
  const database = connectDatabase(dbUrl, { max: 5 });
  onCleanup(() => database.close());
  const keyText = newKey();
  const secrets = createSecretBox(new Map([[label, Buffer.from(keyText, 'base64')]]), label);
  const queue = new BullmqJobQueue({ redisUrl, prefix, concurrency: 1, logger: createLogger('error') });
  onCleanup(() => queue.close());
  onCleanup(async () => {
    const redis = new IORedis(redisUrl, { maxRetriesPerRequest: null });
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1000);
      cursor = next;
      if (keys.length > 0) await redis.del(...keys);
    } while (cursor !== '0');
    await redis.quit();
  });
  const workerEnv = (salesforceUrl: string, more: Record<string, string> = {}) => ({
    DATABASE_URL: dbUrl,
    REDIS_URL: redisUrl,
    QUEUE_PREFIX: prefix,
    LOG_LEVEL: 'info',
    PORT: '0',
    LOCAL_SALESFORCE: 'on',
    LOCAL_SALESFORCE_PORT: new URL(salesforceUrl).port,
    ENCRYPTION_KEYS: `${label}:${keyText}`,
    ENCRYPTION_KEY_ID: label,
    DATA_DIR: path.join(os.tmpdir(), name),
    ...more,
  });
  return { name, prefix, dbUrl, database, queue, secrets, workerEnv };
}
