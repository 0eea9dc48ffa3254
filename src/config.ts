// The environment, parsed once at the door. Nothing else reads process.env.
import { z } from 'zod';

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
  QUEUE_PREFIX: z.string().regex(/^[a-z0-9_-]+$/i, 'expected letters, digits, - or _').default('attribution'),
  WORKER_CONCURRENCY: int(1, 64, 2),
  RECOMPUTE_BATCH_SIZE: int(1, 50_000, 1000),
  SHUTDOWN_TIMEOUT_MS: int(1000, 600_000, 15_000),
});

export type Config = ReturnType<typeof loadConfig>;

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}\nSee .env.example for every variable.`);
  }
}

export function loadConfig(source: NodeJS.ProcessEnv = process.env) {
  // An empty variable (FOO= in a .env file) means "not set".
  const present = Object.fromEntries(Object.entries(source).filter(([, v]) => v !== undefined && v !== ''));
  const parsed = env.safeParse(present);
  if (!parsed.success) {
    throw new ConfigError(
      parsed.error.issues.map((i) => {
        const name = String(i.path[0]);
        const given = present[name];
        return `${name}: ${i.message}${given === undefined ? '' : ` (got "${redactUrl(given)}")`}`;
      }),
    );
  }
  const e = parsed.data;
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
    },
    attribution: { batchSize: e.RECOMPUTE_BATCH_SIZE },
    shutdownTimeoutMs: e.SHUTDOWN_TIMEOUT_MS,
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
