import { existsSync, readFileSync, rmSync } from 'node:fs';
import postgres from 'postgres';
import { leftoverDatabasesFile, removeDir } from './global-setup';

export default async function globalTeardown(): Promise<void> {
  if (process.env.TEST_WEB_BUILD) removeDir(process.env.TEST_WEB_BUILD);
  const embedded = (globalThis as Record<string, unknown>).__embeddedPostgres as
    { pg: { stop(): Promise<void> }; dir: string } | undefined;
  if (embedded) {
    await embedded.pg.stop();
    removeDir(embedded.dir);
    return;
  }
  const admin = postgres(process.env.TEST_PG_ADMIN_URL!, { max: 1, onnotice: () => {} });
  const leftovers = leftoverDatabasesFile();
  if (existsSync(leftovers)) {
    for (const name of readFileSync(leftovers, 'utf8').split('\n').filter(Boolean))
      await admin.unsafe(`drop database if exists ${name} with (force)`);
    rmSync(leftovers, { force: true });
  }
  await admin.unsafe(`drop database if exists ${process.env.TEST_PG_TEMPLATE}`);
  await admin.end();
}
