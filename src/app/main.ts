// npm start: the API and the worker in one process (--role=api or --role=worker runs one of them).
import { parseArgs } from 'node:util';
import { isAppError } from '../platform/errors';
import { configError } from '../platform/config';
import { DEMO_SLUG, demoSignInEnabled, ensureDemoWorkspace } from './demo/demo-workspace';
import { createRoot } from './root';
import { startService, type Role } from './service';

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { role: { type: 'string', default: 'all' } } });
  const role = values.role as Role;
  if (!['all', 'api', 'worker'].includes(role))
    throw configError([`--role: expected all, api or worker (got "${role}")`]);
  const root = createRoot({ role });
  const { config, logger } = root;
  if (role !== 'all' && !config.queue.redisUrl) {
    throw configError([
      `REDIS_URL: required to run the ${role} alone (without Redis, jobs run inside the process that serves both: use \`npm start\`)`,
    ]);
  }
  const database = await root.database();
  const jobs = root.jobs();
  const salesforce = await root.salesforce();
  if (salesforce.local) {
    const demo = await ensureDemoWorkspace(database.db, salesforce.local.demoChats);
    logger.info(
      { workspace: demo.slug, chats: salesforce.local.demoChats.length },
      'demo workspace ready (sample data)',
    );
  }
  const demoWorkspace = demoSignInEnabled(config) ? DEMO_SLUG : null;
  const service = await startService({
    config,
    database,
    jobs,
    logger,
    secrets: root.secrets(),
    role,
    salesforce: salesforce.app,
    demoWorkspace,
  });
  logger.info(
    { url: service.url, transport: jobs.queue.transport },
    service.url
      ? `ready: open ${service.url}${demoWorkspace ? ' and choose "Explore the demo workspace"' : ''}`
      : 'worker ready',
  );
  if (service.url && process.stdout.isTTY) process.stdout.write(`\n  Open ${service.url} in your browser.\n\n`);

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down');
    const force = setTimeout(() => {
      logger.error('shutdown took too long; exiting');
      process.exit(1);
    }, config.shutdownTimeoutMs + 5_000).unref();
    try {
      await service.close();
      await root.close();
    } finally {
      clearTimeout(force);
      logger.flush?.();
    }
  };
  process.once('SIGTERM', () => void stop('SIGTERM'));
  process.once('SIGINT', () => void stop('SIGINT'));
}

main().catch((err) => {
  if (isAppError(err, 'misconfigured')) {
    process.stderr.write(`${err.message}\n`);
  } else {
    process.stderr.write(`start-up failed: ${(err as Error).stack ?? String(err)}\n`);
  }
  process.exit(1);
});
