// A database of this test file's own, cloned from the migrated template.
import { randomBytes } from 'node:crypto';
import postgres from 'postgres';
import { connectDatabase, type Database } from '../../src/platform/db/client';
import { withDatabase } from './global-setup';

export interface TestDatabase extends Database {
  url: string;
}

/** Call at the top of a describe block; the database exists from beforeAll to afterAll. */
export function useTestDatabase(): TestDatabase {
  const holder = {} as TestDatabase;
  const name = `attr_test_${randomBytes(6).toString('hex')}`;
  const adminUrl = process.env.TEST_PG_ADMIN_URL!;

  beforeAll(async () => {
    const admin = postgres(adminUrl, { max: 1, onnotice: () => {} });
    await admin.unsafe(`create database ${name} template ${process.env.TEST_PG_TEMPLATE}`);
    await admin.end();
    const url = withDatabase(adminUrl, name);
    Object.assign(holder, connectDatabase(url, { max: 5 }), { url });
  });

  afterAll(async () => {
    await holder.close?.();
    const admin = postgres(adminUrl, { max: 1, onnotice: () => {} });
    await admin.unsafe(`drop database if exists ${name} with (force)`);
    await admin.end();
  });

  return holder;
}
