// npm start: the API and the worker in one process (--role=api or --role=worker runs one of them).
import { parseArgs } from 'node:util';
import { ConfigError, loadConfig } from '../platform/config';
import { createJobs } from '../jobs/create';
import { createLogger } from '../platform/logger';
import { openDatabase } from './database';
import { DEMO_SLUG, demoSignInEnabled, ensureDemoWorkspace } from './demo/demo-workspace';
import { openSalesforce } from './salesforce';
import { openSecretBox } from './secrets';
import { startService, type Role } from './service';

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { role: { type: 'string', default: 'all' } } });
  const role = values.role as Role;
  if (!['all', 'api', 'worker'].includes(role)) throw new ConfigError([`--role: expected all, api or worker (got "${role}")`]);
  const config = loadConfig();
  if (role !== 'all' && !config.queue.redisUrl) {
    throw new ConfigError([
      `REDIS_URL: required to run the ${role} alone (without Redis, jobs run inside the process that serves both: use \`npm start\`)`,
    ]);
  }
  const logger = createLogger(config.logLevel, { role });
  const database = await openDatabase(config, logger);
  const jobs = createJobs(config, logger);
  const secrets = openSecretBox(config, logger);
  const salesforce = await openSalesforce(config, logger, role);
  if (salesforce.local) {
    const demo = await ensureDemoWorkspace(database.db, salesforce.local.demoChats);
    logger.info({ workspace: demo.slug, chats: salesforce.local.demoChats.length }, 'demo workspace ready (sample data)');
  }
  const demoWorkspace = demoSignInEnabled(config) ? DEMO_SLUG : null;
  const service = await startService({ config, database, jobs, logger, secrets, role, salesforce: salesforce.app, demoWorkspace });
  logger.info(
    { url: service.url, transport: jobs.queue.transport },
    service.url ? `ready: open ${service.url}${demoWorkspace ? ' and choose "Explore the demo workspace"' : ''}` : 'worker ready',
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
      await salesforce.local?.close();
      await database.shutdown();
    } finally {
      clearTimeout(force);
      logger.flush?.();
    }
  };
  process.once('SIGTERM', () => void stop('SIGTERM'));
  process.once('SIGINT', () => void stop('SIGINT'));
}

main().catch((err) => {
  if (err instanceof ConfigError) {
    process.stderr.write(`${err.message}\n`);
  } else {
    process.stderr.write(`start-up failed: ${(err as Error).stack ?? String(err)}\n`);
  }
  process.exit(1);
});
