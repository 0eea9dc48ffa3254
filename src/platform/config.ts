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

const env = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  HOST: z.string().min(1).default('127.0.0.1'),
  PORT: port(3000),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  DATABASE_URL: url(/^postgres(ql)?:$/, 'postgres://user:password@host:5432/db').optional(),
  DATABASE_POOL_MAX: int(1, 200, 10),
  DATA_DIR: z.string().min(1).default('.data'),
  EMBEDDED_POSTGRES_PORT: port(54329),
  REDIS_URL: url(/^rediss?:$/, 'redis://127.0.0.1:6379').optional(),
  QUEUE_PREFIX: z
    .string()
    .regex(/^[a-z0-9_-]+$/i, 'expected letters, digits, - or _')
    .default('attribution'),
  WORKER_CONCURRENCY: int(1, 64, 2),
  SCHEDULE_RECONCILE_SECONDS: int(1, 3600, 60),
  RECOMPUTE_BATCH_SIZE: int(1, 50_000, 1000),
  SHUTDOWN_TIMEOUT_MS: int(1000, 600_000, 15_000),
  PUBLIC_URL: url(/^https?:$/, 'https://attribution.example.com').optional(),
  ENCRYPTION_KEYS: z
    .string()
    .regex(
      /^([A-Za-z0-9_-]+:[A-Za-z0-9+/=]{43,44})(,[A-Za-z0-9_-]+:[A-Za-z0-9+/=]{43,44})*$/,
      'expected "keyid:BASE64" items (32-byte keys) separated by commas',
    )
    .optional(),
  ENCRYPTION_KEY_ID: z
    .string()
    .regex(/^[A-Za-z0-9_-]+$/, 'expected a key id from ENCRYPTION_KEYS')
    .optional(),
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
  SALESFORCE_REQUEST_TIMEOUT_MS: int(1000, 600_000, 60_000),
  SALESFORCE_DELETED_CHECK_HOURS: int(0, 24 * 14, 0),
  LOCAL_SALESFORCE: z.enum(['auto', 'on', 'off']).default('auto'),
  LOCAL_SALESFORCE_PORT: port(3001),
  RATE_LIMIT_PER_MINUTE: int(1, 1_000_000, 600),
  MAX_BODY_BYTES: int(1024, 100 * 1024 * 1024, 5 * 1024 * 1024),
  EXPORT_POOL_MAX: int(1, 50, 2),
  EXPORTS_PER_WORKSPACE: int(1, 10, 1),
  EXPORT_IDLE_TIMEOUT_SECONDS: int(5, 3600, 30),
  EXPORT_MAX_MINUTES: int(1, 24 * 60, 30),
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
    if (!e.DATABASE_URL)
      problems.push('DATABASE_URL: required in production (the embedded PostgreSQL is for development only)');
    if (e.LOCAL_SALESFORCE === 'on')
      problems.push(
        'LOCAL_SALESFORCE: the local test Salesforce is a test double and never runs in production; set it to off or leave it unset',
      );
  }
  if (e.ENCRYPTION_KEYS && !e.ENCRYPTION_KEY_ID)
    problems.push('ENCRYPTION_KEY_ID: required with ENCRYPTION_KEYS (which key encrypts new secrets)');
  if (
    e.ENCRYPTION_KEYS &&
    e.ENCRYPTION_KEY_ID &&
    !e.ENCRYPTION_KEYS.split(',').some((k) => k.startsWith(`${e.ENCRYPTION_KEY_ID}:`))
  ) {
    problems.push(`ENCRYPTION_KEY_ID: "${e.ENCRYPTION_KEY_ID}" is not a key id in ENCRYPTION_KEYS`);
  }
  if (!!e.SALESFORCE_CLIENT_ID !== !!e.SALESFORCE_CLIENT_SECRET) {
    problems.push('SALESFORCE_CLIENT_ID and SALESFORCE_CLIENT_SECRET: set both (from your connected app) or neither');
  }
  if (problems.length > 0) throw configError(problems);
  return {
    env: e.NODE_ENV,
    http: { host: e.HOST, port: e.PORT },
    logLevel: e.LOG_LEVEL,
    database: {
      url: e.DATABASE_URL ?? null,
      poolMax: e.DATABASE_POOL_MAX,
      embeddedPort: e.EMBEDDED_POSTGRES_PORT,
    },
    dataDir: e.DATA_DIR,
    queue: {
      redisUrl: e.REDIS_URL ?? null,
      prefix: e.QUEUE_PREFIX,
      concurrency: e.WORKER_CONCURRENCY,
      /** How often a worker re-creates job schedulers Redis lost. */
      reconcileEveryMs: e.SCHEDULE_RECONCILE_SECONDS * 1000,
    },
    attribution: { batchSize: e.RECOMPUTE_BATCH_SIZE },
    shutdownTimeoutMs: e.SHUTDOWN_TIMEOUT_MS,
    publicUrl: (e.PUBLIC_URL ?? `http://${e.HOST === '0.0.0.0' ? 'localhost' : e.HOST}:${e.PORT}`).replace(/\/+$/, ''),
    encryption: { keys: e.ENCRYPTION_KEYS ?? null, activeKeyId: e.ENCRYPTION_KEY_ID ?? null },
    salesforce: {
      clientId: e.SALESFORCE_CLIENT_ID ?? null,
      clientSecret: e.SALESFORCE_CLIENT_SECRET ?? null,
      apiVersion: e.SALESFORCE_API_VERSION,
      syncIntervalMinutes: e.SALESFORCE_SYNC_INTERVAL_MINUTES,
      overlapMinutes: e.SALESFORCE_SYNC_OVERLAP_MINUTES,
      apiBudgetPercent: e.SALESFORCE_API_BUDGET_PERCENT,
      bulkThreshold: e.SALESFORCE_BULK_THRESHOLD,
      bulkPollTimeoutMs: e.SALESFORCE_BULK_POLL_TIMEOUT_MINUTES * 60_000,
      requestTimeoutMs: e.SALESFORCE_REQUEST_TIMEOUT_MS,
      deletedCheckEveryMs: e.SALESFORCE_DELETED_CHECK_HOURS * 3_600_000,
      /** The local test Salesforce: on when asked, or when no connected app is configured outside production. */
      local:
        e.LOCAL_SALESFORCE === 'on' ||
        (e.LOCAL_SALESFORCE === 'auto' && !e.SALESFORCE_CLIENT_ID && e.NODE_ENV !== 'production'),
      localPort: e.LOCAL_SALESFORCE_PORT,
    },
    api: { rateLimitPerMinute: e.RATE_LIMIT_PER_MINUTE, maxBodyBytes: e.MAX_BODY_BYTES },
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
