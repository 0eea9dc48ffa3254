// One entry that takes the infrastructure as arguments: the API and/or the worker over a given
// database and job transport. main.ts passes the real ones; tests pass theirs.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createApp } from '../api/app';
import { sessionAuthenticator } from '../api/session/authenticator';
import type { Config } from '../platform/config';
import type { SecretBox } from '../platform/crypto';
import { connectDatabase, type Database } from '../platform/db/client';
import { createExports } from '../api/exports';
import type { SalesforceApp } from '../salesforce/app';
import { restoreSyncSchedules } from '../salesforce/schedules';
import type { Jobs } from '../jobs/create';
import { DEVELOPMENT_KEY_WARNING, ledgerKeysOf } from '../ledger/keys';
import { createJobHandlers, DIGEST_SCHEDULE_ID, SWEEP_EVERY_MS, SWEEP_SCHEDULE_ID } from './job-handlers';
import { keepSchedules, type ScheduleKeeper } from './schedule-keeper';
import type { Logger } from '../platform/logger';

export type Role = 'all' | 'api' | 'worker';

export interface ServiceDeps {
  config: Config;
  /** The database (its URL opens the separate pool of file exports). */
  database: Database & { url: string };
  jobs: Jobs;
  logger: Logger;
  secrets: SecretBox;
  role: Role;
  /** Our connected app (or the local test Salesforce's); null when neither is configured. */
  salesforce: SalesforceApp | null;
  /** The demo workspace's slug when the web app offers "Explore the demo workspace" (never in production). */
  demoWorkspace?: string | null;
  /** Where the built web app is; default web/dist. */
  webAppDir?: string;
}

export interface RunningService {
  /** Where the API listens, when this process serves it. */
  url: string | null;
  close(): Promise<void>;
}

export async function startService(deps: ServiceDeps): Promise<RunningService> {
  const { config, database, jobs, logger, role } = deps;
  const db = database.db;
  let schedules: ScheduleKeeper | null = null;
  if (role !== 'api') {
    jobs.worker.start(
      createJobHandlers({ database, queue: jobs.queue, config, secrets: deps.secrets, salesforce: deps.salesforce }),
    );
    // Re-created at every boot: schedules vanish if Redis is flushed.
    await jobs.queue.schedule(SWEEP_SCHEDULE_ID, 'attribution.sweep', {}, SWEEP_EVERY_MS);
    await jobs.queue.enqueue('attribution.sweep', {});
    const orgs = deps.salesforce ? await restoreSyncSchedules(db, jobs.queue) : 0;
    // Weekly digests go out only through a configured SMTP server; without one, nothing is scheduled.
    const digestEveryMs = config.digest.smtpUrl ? config.digest.checkEveryMs : null;
    if (digestEveryMs) await jobs.queue.schedule(DIGEST_SCHEDULE_ID, 'digest.send', {}, digestEveryMs);
    else await jobs.queue.unschedule(DIGEST_SCHEDULE_ID);
    logger.info(
      { transport: jobs.queue.transport, salesforceSchedules: orgs, digestEmail: digestEveryMs !== null },
      'worker started',
    );
    if (ledgerKeysOf(config).development) logger.warn(DEVELOPMENT_KEY_WARNING);
    schedules = keepSchedules({
      db,
      queue: jobs.queue,
      logger,
      salesforce: deps.salesforce !== null,
      digestEveryMs,
      everyMs: config.queue.reconcileEveryMs,
    });
  }

  let server: http.Server | null = null;
  let url: string | null = null;
  const fileExports =
    role === 'worker'
      ? null
      : createExports(
          connectDatabase(database.url, {
            max: config.exports.poolMax,
            idleTimeout: 30,
            applicationName: 'chat-revenue-attribution:exports',
          }).sql,
          config.exports,
        );
  const closers: (() => Promise<void>)[] = [];
  if (fileExports) {
    server = http.createServer(
      createApp({
        db,
        queue: jobs.queue,
        logger,
        config,
        secrets: deps.secrets,
        salesforce: deps.salesforce,
        exports: fileExports,
        onClose: (close) => closers.push(close),
        authenticators: [sessionAuthenticator(db)],
        demoWorkspace: deps.demoWorkspace ?? null,
        ...(schedules ? { missingSchedules: schedules.missing } : {}),
        ...(deps.webAppDir ? { webAppDir: deps.webAppDir } : {}),
      }),
    );
    await new Promise<void>((resolve, reject) => {
      server!.once('error', reject);
      server!.listen(config.http.port, config.http.host, () => resolve());
    });
    const { port } = server.address() as AddressInfo;
    url = `http://${config.http.host === '0.0.0.0' ? 'localhost' : config.http.host}:${port}`;
  }

  return {
    url,
    async close() {
      if (server) {
        const closing = new Promise<void>((r) => server!.close(() => r()));
        server.closeIdleConnections();
        await Promise.race([closing, new Promise((r) => setTimeout(r, config.shutdownTimeoutMs).unref())]);
        server.closeAllConnections();
      }
      await Promise.all(closers.map((close) => close()));
      await fileExports?.close();
      schedules?.stop();
      if (role !== 'api') await jobs.worker.close(config.shutdownTimeoutMs);
      await jobs.queue.close();
    },
  };
}
