// A database of this test file's own, cloned from the migrated template.
import { randomBytes } from 'node:crypto';
import { appendFileSync } from 'node:fs';
import postgres from 'postgres';
import { connectDatabase, type Database } from '../../src/platform/db/client';
import { leftoverDatabasesFile, withDatabase } from './global-setup';

export interface TestDatabase extends Database {
  url: string;
}

/** Call at the top of a describe block; the database exists from beforeAll to afterAll. */
export function useTestDatabase(): TestDatabase {
  const holder = {} as TestDatabase;
  const name = `attr_test_${randomBytes(6).toString('hex')}`;
  const adminUrl = process.env.TEST_PG_ADMIN_URL!;
  // Creating and dropping a database wait on PostgreSQL's checkpoints, which take tens of seconds
  // when other writers keep the disk busy: these hooks get longer than a test's 30 s.
  const hookTimeoutMs = 120_000;

  beforeAll(async () => {
    const admin = postgres(adminUrl, { max: 1, onnotice: () => {} });
    await admin.unsafe(`create database ${name} template ${process.env.TEST_PG_TEMPLATE}`);
    await admin.end();
    const url = withDatabase(adminUrl, name);
    Object.assign(holder, connectDatabase(url, { max: 5 }), { url });
  }, hookTimeoutMs);

  afterAll(async () => {
    await holder.close?.();
    const admin = postgres(adminUrl, { max: 1, onnotice: () => {} });
    try {
      // DROP DATABASE waits until every backend of the cluster accepts a barrier, and one stuck
      // writing to a reader that stopped reading (a test's slow CSV client, another run's) holds
      // it for minutes: give up after a while and leave the database to the global teardown.
      await admin.begin(async (tx) => {
        await tx.unsafe(`set local statement_timeout = '20s'`);
        await tx.unsafe(`drop database if exists ${name} with (force)`);
      });
    } catch {
      appendFileSync(leftoverDatabasesFile(), `${name}\n`);
    } finally {
      await admin.end();
    }
  }, hookTimeoutMs);

  return holder;
}
