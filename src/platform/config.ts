// The environment, parsed once at the door. Nothing else reads process.env.
import { z } from 'zod';
import { AppError } from './errors';

const int = (min: number, max: number, fallback: number) => {
  const expected = `expected a whole number from ${min} to ${max}`;
  return z.coerce.number({ error: expected }).int(expected).min(min, expected).max(max, expected).default(fallback);
};
const port = (fallback: number) => int(0, 65535, fallback);
const url = (protocols: RegExp, example: string) =>
  z.string().refine((v) => {
    try {
      return protocols.test(new URL(v).protocol);
    } catch {
      return false;
    }
  }, `expected a URL such as ${example}`);

const keyList = (what: string) =>
  z
    .string()
    .regex(
      /^([A-Za-z0-9_-]+:[A-Za-z0-9+/=]{43,44})(,[A-Za-z0-9_-]+:[A-Za-z0-9+/=]{43,44})*$/,
      `expected "keyid:BASE64" items (32-byte ${what} keys) separated by commas`,
    )
    .optional();
const keyId = (list: string) =>
  z
    .string()
    .regex(/^[A-Za-z0-9_-]+$/, `expected a key id from ${list}`)
    .optional();

const env = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  HOST: z.string().min(1).default('127.0.0.1'),
  PORT: port(3000),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  DATABASE_URL: url(/^postgres(ql)?:$/, 'postgres://user:password@host:5432/db').optional(),
  DATABASE_MIGRATION_URL: url(/^postgres(ql)?:$/, 'postgres://owner:password@host:5432/db').optional(),
  DATABASE_POOL_MAX: int(1, 200, 10),
  DATA_DIR: z.string().min(1).default('.data'),
  EMBEDDED_POSTGRES_PORT: port(54329),
  REDIS_URL: url(/^rediss?:$/, 'redis://127.0.0.1:6379').optional(),
  QUEUE_PREFIX: z
    .string()
    .regex(/^[a-z0-9_-]+$/i, 'expected letters, digits, - or _')
    .default('attribution'),
  WORKER_CONCURRENCY: int(1, 64, 2),
  WORKER_STALLED_SECONDS: int(1, 3600, 30),
  WORKER_BACKFILL_CONCURRENCY: int(1, 64, 1),
  SCHEDULE_RECONCILE_SECONDS: int(1, 3600, 60),
  RECOMPUTE_BATCH_SIZE: int(1, 50_000, 1000),
  SHUTDOWN_TIMEOUT_MS: int(1000, 600_000, 15_000),
  PUBLIC_URL: url(/^https?:$/, 'https://attribution.example.com').optional(),
  ENCRYPTION_KEYS: keyList('encryption'),
  ENCRYPTION_KEY_ID: keyId('ENCRYPTION_KEYS'),
  LEDGER_KEYS: keyList('ledger'),
  LEDGER_KEY_ID: keyId('LEDGER_KEYS'),
  SALESFORCE_CLIENT_ID: z.string().min(10, 'expected the Consumer Key of your connected app').optional(),
  SALESFORCE_CLIENT_SECRET: z.string().min(10, 'expected the Consumer Secret of your connected app').optional(),
  SALESFORCE_API_VERSION: z
    .string()
    .regex(/^\d{2}\.0$/, 'expected a version such as 62.0')
    .default('62.0'),
  SALESFORCE_SYNC_INTERVAL_MINUTES: int(1, 1440, 15),
  SALESFORCE_SYNC_OVERLAP_MINUTES: int(0, 1440, 10),
  SALESFORCE_API_BUDGET_PERCENT: int(1, 100, 80),
  SALESFORCE_BULK_THRESHOLD: int(1, 100_000_000, 50_000),
  SALESFORCE_BULK_POLL_TIMEOUT_MINUTES: int(1, 720, 30),
  SALESFORCE_BULK_PARALLEL_PAGES: int(1, 10, 3),
  SALESFORCE_REQUEST_TIMEOUT_MS: int(1000, 600_000, 60_000),
  SALESFORCE_DELETED_CHECK_HOURS: int(0, 24 * 14, 0),
  LOCAL_SALESFORCE: z.enum(['auto', 'on', 'off']).default('auto'),
  LOCAL_SALESFORCE_PORT: port(3001),
  RATE_LIMIT_PER_MINUTE: int(1, 1_000_000, 600),
  OAUTH_RATE_LIMIT_PER_MINUTE: int(1, 100_000, 30),
  /** Whose X-Forwarded-For to believe: unset (nobody), a hop count, or addresses, subnets and loopback/linklocal/uniquelocal. */
  TRUST_PROXY: z
    .string()
    .regex(
      /^(\d{1,2}|(loopback|linklocal|uniquelocal|[0-9a-fA-F:.]+(\/\d{1,3})?)(\s*,\s*(loopback|linklocal|uniquelocal|[0-9a-fA-F:.]+(\/\d{1,3})?))*)$/,
      'expected the number of proxies in front, or their addresses or subnets separated by commas (loopback, linklocal, uniquelocal, 10.0.0.0/8, ...)',
    )
    .optional(),
  SIGN_IN_FAILURES_PER_ACCOUNT: int(1, 100_000, 50),
  SIGN_IN_FAILURES_PER_ADDRESS: int(1, 100_000, 100),
  PASSWORD_HASH_CONCURRENCY: int(1, 64, 2),
  WEBHOOK_MAX_BODY_BYTES: int(1024, 100 * 1024 * 1024, 256 * 1024),
  WEBHOOK_RATE_LIMIT_PER_MINUTE: int(1, 1_000_000, 600),
  WEBHOOK_REFUSALS_PER_MINUTE: int(1, 1_000_000, 60),
  MAX_BODY_BYTES: int(1024, 100 * 1024 * 1024, 5 * 1024 * 1024),
  EXPORT_POOL_MAX: int(1, 50, 2),
  EXPORTS_PER_WORKSPACE: int(1, 10, 1),
  EXPORT_IDLE_TIMEOUT_SECONDS: int(5, 3600, 30),
  EXPORT_MAX_MINUTES: int(1, 24 * 60, 30),
  /** Where weekly digests are sent through; its password is a secret (never logged). */
  SMTP_URL: url(/^smtps?:$/, 'smtps://user:password@smtp.example.com:465 or smtp://smtp.example.com:587').optional(),
  DIGEST_FROM: z
    .string()
    .regex(
      /^([^<>\r\n]*<[^\s@<>]+@[^\s@<>]+>|[^\s@<>]+@[^\s@<>]+)$/,
      'expected an address such as digest@example.com or "Revenue attribution <digest@example.com>"',
    )
    .optional(),
  DIGEST_CHECK_MINUTES: int(1, 60, 15),
});

export type Config = ReturnType<typeof loadConfig>;

/** The environment is wrong: one line per problem, naming the variable and what it expects. */
export function configError(problems: string[]): AppError {
  return new AppError(
    'misconfigured',
    `invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}\nSee .env.example for every variable.`,
    { details: { problems } },
  );
}

export function loadConfig(source: NodeJS.ProcessEnv = process.env) {
  // An empty variable (FOO= in a .env file) means "not set".
  const present = Object.fromEntries(Object.entries(source).filter(([, v]) => v !== undefined && v !== ''));
  const parsed = env.safeParse(present);
  if (!parsed.success) {
    throw configError(
      parsed.error.issues.map((i) => {
        const name = String(i.path[0]);
        const given = present[name];
        return `${name}: ${i.message}${given === undefined ? '' : ` (got "${redactUrl(given)}")`}`;
      }),
    );
  }
  const e = parsed.data;
  const problems: string[] = [];
  if (e.NODE_ENV === 'production') {
    if (!e.ENCRYPTION_KEYS) problems.push('ENCRYPTION_KEYS: required in production (secrets are encrypted at rest)');
    if (!e.LEDGER_KEYS)
      problems.push(
        'LEDGER_KEYS: required in production (the ledger hash chain is keyed by a secret the database does not hold)',
      );
    if (!e.DATABASE_URL)
      problems.push('DATABASE_URL: required in production (the embedded PostgreSQL is for development only)');
    if (e.LOCAL_SALESFORCE === 'on')
      problems.push(
        'LOCAL_SALESFORCE: the local test Salesforce is a test double and never runs in production; set it to off or leave it unset',
      );
  }
  // 44 base64 characters can also hold 31 bytes ("...=="): the length that counts is the decoded one.
  for (const item of e.ENCRYPTION_KEYS?.split(',') ?? []) {
    const [id, b64] = item.split(':') as [string, string];
    if (Buffer.from(b64, 'base64').length !== 32)
      problems.push(`ENCRYPTION_KEYS: key "${id}" is not 32 bytes: expected base64 of 32 random bytes`);
  }
  const keyPair = (list: string, id: string, purpose: string, keys?: string, active?: string) => {
    if (keys && !active) problems.push(`${id}: required with ${list} (${purpose})`);
    if (keys && active && !keys.split(',').some((k) => k.startsWith(`${active}:`)))
      problems.push(`${id}: "${active}" is not a key id in ${list}`);
  };
  keyPair(
    'ENCRYPTION_KEYS',
    'ENCRYPTION_KEY_ID',
    'which key encrypts new secrets',
    e.ENCRYPTION_KEYS,
    e.ENCRYPTION_KEY_ID,
  );
  keyPair('LEDGER_KEYS', 'LEDGER_KEY_ID', 'which key signs new ledger entries', e.LEDGER_KEYS, e.LEDGER_KEY_ID);
  if (e.DATABASE_MIGRATION_URL && !e.DATABASE_URL)
    problems.push('DATABASE_MIGRATION_URL: set DATABASE_URL too (the service role the owner grants rights to)');
  if (!!e.SALESFORCE_CLIENT_ID !== !!e.SALESFORCE_CLIENT_SECRET) {
    problems.push('SALESFORCE_CLIENT_ID and SALESFORCE_CLIENT_SECRET: set both (from your connected app) or neither');
  }
  if (e.SMTP_URL && !e.DIGEST_FROM)
    problems.push('DIGEST_FROM: required with SMTP_URL (the From address of the weekly digest)');
  if (problems.length > 0) throw configError(problems);
  return {
    env: e.NODE_ENV,
    http: {
      host: e.HOST,
      port: e.PORT,
      /** express's 'trust proxy': false unless TRUST_PROXY names the proxies in front. */
      trustProxy: !e.TRUST_PROXY
        ? false
        : /^\d+$/.test(e.TRUST_PROXY)
          ? Number(e.TRUST_PROXY)
          : e.TRUST_PROXY.split(',').map((s) => s.trim()),
    },
    logLevel: e.LOG_LEVEL,
    database: {
      url: e.DATABASE_URL ?? null,
      /** The tables' owner, for migrations, when DATABASE_URL is the service's restricted role. */
      migrationUrl: e.DATABASE_MIGRATION_URL ?? null,
      poolMax: e.DATABASE_POOL_MAX,
      embeddedPort: e.EMBEDDED_POSTGRES_PORT,
    },
    dataDir: e.DATA_DIR,
    queue: {
      redisUrl: e.REDIS_URL ?? null,
      prefix: e.QUEUE_PREFIX,
      concurrency: e.WORKER_CONCURRENCY,
      /** How long a job's lock lasts without renewal, and how often workers look for stalled jobs:
       * the longest a job of a killed worker waits before another worker runs it. */
      stalledMs: e.WORKER_STALLED_SECONDS * 1000,
      /** First syncs (backfills) at once per worker, on their own queue beside the others. */
      backfillConcurrency: e.WORKER_BACKFILL_CONCURRENCY,
      /** How often a worker re-creates job schedulers Redis lost. */
      reconcileEveryMs: e.SCHEDULE_RECONCILE_SECONDS * 1000,
    },
    attribution: { batchSize: e.RECOMPUTE_BATCH_SIZE },
    shutdownTimeoutMs: e.SHUTDOWN_TIMEOUT_MS,
    publicUrl: (e.PUBLIC_URL ?? `http://${e.HOST === '0.0.0.0' ? 'localhost' : e.HOST}:${e.PORT}`).replace(/\/+$/, ''),
    encryption: { keys: e.ENCRYPTION_KEYS ?? null, activeKeyId: e.ENCRYPTION_KEY_ID ?? null },
    ledger: { keys: e.LEDGER_KEYS ?? null, activeKeyId: e.LEDGER_KEY_ID ?? null },
    salesforce: {
      clientId: e.SALESFORCE_CLIENT_ID ?? null,
      clientSecret: e.SALESFORCE_CLIENT_SECRET ?? null,
      apiVersion: e.SALESFORCE_API_VERSION,
      syncIntervalMinutes: e.SALESFORCE_SYNC_INTERVAL_MINUTES,
      overlapMinutes: e.SALESFORCE_SYNC_OVERLAP_MINUTES,
      apiBudgetPercent: e.SALESFORCE_API_BUDGET_PERCENT,
      bulkThreshold: e.SALESFORCE_BULK_THRESHOLD,
      bulkPollTimeoutMs: e.SALESFORCE_BULK_POLL_TIMEOUT_MINUTES * 60_000,
      bulkParallelPages: e.SALESFORCE_BULK_PARALLEL_PAGES,
      requestTimeoutMs: e.SALESFORCE_REQUEST_TIMEOUT_MS,
      deletedCheckEveryMs: e.SALESFORCE_DELETED_CHECK_HOURS * 3_600_000,
      /** The local test Salesforce: on when asked, or when no connected app is configured outside production. */
      local:
        e.LOCAL_SALESFORCE === 'on' ||
        (e.LOCAL_SALESFORCE === 'auto' && !e.SALESFORCE_CLIENT_ID && e.NODE_ENV !== 'production'),
      localPort: e.LOCAL_SALESFORCE_PORT,
    },
    api: {
      rateLimitPerMinute: e.RATE_LIMIT_PER_MINUTE,
      oauthRateLimitPerMinute: e.OAUTH_RATE_LIMIT_PER_MINUTE,
      maxBodyBytes: e.MAX_BODY_BYTES,
    },
    signIn: {
      failuresPerAccount: e.SIGN_IN_FAILURES_PER_ACCOUNT,
      failuresPerAddress: e.SIGN_IN_FAILURES_PER_ADDRESS,
      hashConcurrency: e.PASSWORD_HASH_CONCURRENCY,
    },
    webhooks: {
      // Never more than the API takes: a webhook carries the same batches.
      maxBodyBytes: Math.min(e.WEBHOOK_MAX_BODY_BYTES, e.MAX_BODY_BYTES),
      perWorkspacePerMinute: e.WEBHOOK_RATE_LIMIT_PER_MINUTE,
      refusalsPerAddressPerMinute: e.WEBHOOK_REFUSALS_PER_MINUTE,
    },
    digest: {
      /** Null: no SMTP, so no digest is scheduled or sent (the pages still show them). A secret: never log it. */
      smtpUrl: e.SMTP_URL ?? null,
      from: e.DIGEST_FROM ?? null,
      /** How often the worker looks for digests due (Mondays 08:00 in each workspace's zone). */
      checkEveryMs: e.DIGEST_CHECK_MINUTES * 60_000,
    },
    exports: {
      poolMax: e.EXPORT_POOL_MAX,
      perWorkspace: e.EXPORTS_PER_WORKSPACE,
      idleMs: e.EXPORT_IDLE_TIMEOUT_SECONDS * 1000,
      totalMs: e.EXPORT_MAX_MINUTES * 60_000,
    },
  };
}

/** A URL fit for logs: the password replaced by "***". */
export function redactUrl(value: string): string {
  try {
    const u = new URL(value);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return value;
  }
}
