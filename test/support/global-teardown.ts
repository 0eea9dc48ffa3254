import postgres from 'postgres';
import { removeDir } from './global-setup';

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
  await admin.unsafe(`drop database if exists ${process.env.TEST_PG_TEMPLATE}`);
  await admin.end();
}
