// Opens the service's database: DATABASE_URL when set, else the embedded PostgreSQL (started
// here, or reused when another process of ours already runs it). Migrations run before use, as
// DATABASE_MIGRATION_URL's owner when the service connects as its restricted role.
import path from 'node:path';
import postgres from 'postgres';
import { connectDatabase, type Database } from '../platform/db/client';
import { startEmbeddedPostgres } from '../platform/db/embedded';
import { runMigrations } from '../platform/db/migrate';
import { grantServiceRole, userOfUrl } from '../platform/db/roles';
import type { Config } from '../platform/config';
import { redactUrl } from '../platform/config';
import type { Logger } from '../platform/logger';
import { existsSync, readFileSync } from 'node:fs';

export interface OpenDatabase extends Database {
  url: string;
  /** Closes the pool, and stops the embedded server if this process started it. */
  shutdown(): Promise<void>;
}

const EMBEDDED_DB = 'attribution';

export async function openDatabase(
  config: Config,
  logger: Logger,
  opts: { poolMax?: number } = {},
): Promise<OpenDatabase> {
  let url = config.database.url;
  let stopEmbedded: (() => Promise<void>) | null = null;
  if (!url) {
    url = await runningEmbeddedUrl(config);
    if (url) {
      logger.info({ database: redactUrl(url) }, 'using the embedded PostgreSQL another process started');
    } else {
      const embedded = await startEmbeddedPostgres({
        dataDir: config.dataDir,
        port: config.database.embeddedPort,
        database: EMBEDDED_DB,
        logger,
      });
      url = embedded.url;
      stopEmbedded = embedded.stop;
      logger.info(
        { database: redactUrl(url), dataDir: path.resolve(config.dataDir, 'postgres') },
        'DATABASE_URL is not set: serving the embedded PostgreSQL',
      );
    }
  }
  const migrationUrl = config.database.migrationUrl;
  if (migrationUrl && userOfUrl(migrationUrl) !== userOfUrl(url)) {
    // Migrations as the owner; then the service role's rights again, for tables they added.
    await runMigrations(migrationUrl);
    await grantServiceRole(migrationUrl, userOfUrl(url));
  } else {
    await runMigrations(url);
  }
  const db = connectDatabase(url, { max: opts.poolMax ?? config.database.poolMax });
  return {
    ...db,
    url,
    async shutdown() {
      await db.close();
      if (stopEmbedded) await stopEmbedded();
    },
  };
}

/** The embedded server's URL when one of our processes already serves it on the configured port. */
async function runningEmbeddedUrl(config: Config): Promise<string | null> {
  const secret = path.resolve(config.dataDir, 'embedded-postgres.secret');
  if (!existsSync(secret)) return null;
  const password = readFileSync(secret, 'utf8').trim();
  const url = `postgres://postgres:${encodeURIComponent(password)}@127.0.0.1:${config.database.embeddedPort}/${EMBEDDED_DB}`;
  const probe = postgres(url, { max: 1, connect_timeout: 2, onnotice: () => {} });
  try {
    await probe`select 1`;
    return url;
  } catch {
    return null;
  } finally {
    await probe.end({ timeout: 1 }).catch(() => {});
  }
}
