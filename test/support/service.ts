// A running service over the test database, for HTTP-level tests.
import { loadConfig, type Config } from '../../src/platform/config';
import { createSecretBox, newKey } from '../../src/platform/crypto';
import type { Database } from '../../src/platform/db/client';
import type { SalesforceApp } from '../../src/salesforce/app';
import type { Jobs } from '../../src/jobs/create';
import { startService, type Role, type RunningService } from '../../src/app/service';
import type { Logger } from '../../src/platform/logger';
import { testLogger } from './logger';

export const testSecrets = () => createSecretBox(new Map([['test', Buffer.from(newKey(), 'base64')]]), 'test');

export function testConfig(env: Record<string, string> = {}): Config {
  return loadConfig({ NODE_ENV: 'test', PORT: '0', LOCAL_SALESFORCE: 'off', SHUTDOWN_TIMEOUT_MS: '2000', ...env });
}

export function startTestService(opts: {
  database: Database & { url: string };
  jobs: Jobs;
  role?: Role;
  config?: Config;
  salesforce?: SalesforceApp | null;
  secrets?: ReturnType<typeof testSecrets>;
  logger?: Logger;
  /** Offer demo sign-in into the workspace of this slug. */
  demoWorkspace?: string | null;
  webAppDir?: string;
}): Promise<RunningService> {
  return startService({
    config: opts.config ?? testConfig(),
    database: opts.database,
    jobs: opts.jobs,
    logger: opts.logger ?? testLogger,
    secrets: opts.secrets ?? testSecrets(),
    role: opts.role ?? 'all',
    salesforce: opts.salesforce ?? null,
    demoWorkspace: opts.demoWorkspace ?? null,
    ...(opts.webAppDir ? { webAppDir: opts.webAppDir } : {}),
  });
}
