// Applies the committed SQL migrations in drizzle/, one process at a time.
import { drizzle } from 'drizzle-orm/postgres-js';
import { migrate } from 'drizzle-orm/postgres-js/migrator';
import postgres from 'postgres';
import { withWaitingSessionLock } from '../locks';
import { migrationsDir } from '../paths';

export async function runMigrations(url: string): Promise<void> {
  const sql = postgres(url, { max: 2, onnotice: () => {} });
  try {
    await withWaitingSessionLock(sql, 'migrations', () => migrate(drizzle(sql), { migrationsFolder: migrationsDir }));
  } finally {
    await sql.end({ timeout: 5 });
  }
}
