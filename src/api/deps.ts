// What route modules may use. Narrow on purpose: routes call domain modules with these.
import type { Config } from '../platform/config';
import type { SecretBox } from '../platform/crypto';
import type { Db } from '../platform/db/client';
import type { JobQueue } from '../jobs/contract';
import type { Logger } from '../platform/logger';
import type { SalesforceApp } from '../salesforce/app';
import type { Authenticator } from './auth';
import type { Exports } from './exports';

export interface ApiDeps {
  db: Db;
  queue: JobQueue;
  logger: Logger;
  config: Config;
  secrets: SecretBox;
  /** File downloads: their own pool and limits (exports.ts). */
  exports: Exports;
  /** Registers what the service must close at shutdown (connections the routers open). */
  onClose: (close: () => Promise<void>) => void;
  /** Our Salesforce connected app; null when none (nor the local test Salesforce) is configured. */
  salesforce: SalesforceApp | null;
  /** Ways to authenticate besides API keys (the web app's session). */
  authenticators?: Authenticator[];
  /** The demo workspace's slug when this process offers demo sign-in (the local test Salesforce runs); else none. */
  demoWorkspace?: string | null;
  /** Where the built web app is (default web/dist). */
  webAppDir?: string;
  /** When this process runs the worker: the job schedulers it expects and Redis lacks (/readyz). */
  missingSchedules?: () => Promise<string[]>;
}
