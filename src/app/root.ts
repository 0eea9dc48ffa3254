// The composition root: every dependency of the service, built once and in one place, from the
// configuration parsed once. npm start, the admin CLI and the command-line tools all take their
// parts from here; tests assemble a root of their own parts with `rootOf`.
import { createJobs, type Jobs } from '../jobs/create';
import { loadConfig, type Config } from '../platform/config';
import type { SecretBox } from '../platform/crypto';
import { createLogger, type Logger } from '../platform/logger';
import { openDatabase, type OpenDatabase } from './database';
import { openSalesforce, type RuntimeRole, type SalesforceRuntime } from './salesforce';
import { openSecretBox } from './secrets';

export interface Root {
  readonly config: Config;
  readonly logger: Logger;
  database(): Promise<OpenDatabase>;
  secrets(): SecretBox;
  jobs(): Jobs;
  /** Our connected app, and the local test Salesforce when this process serves it. */
  salesforce(): Promise<SalesforceRuntime>;
  /** Closes what was opened, the last opened first. */
  close(): Promise<void>;
}

export interface RootOptions {
  role: RuntimeRole;
  env?: NodeJS.ProcessEnv;
  /** Database connections (default DATABASE_POOL_MAX). */
  poolMax?: number;
  /** Command-line tools log warnings and errors only, unless LOG_LEVEL asks for more detail. */
  quiet?: boolean;
}

/** Memoizes a factory: the first call builds, later calls share its result. */
function once<T>(build: () => T): { get(): T; built(): boolean } {
  let made = false;
  let value: T;
  return {
    get: () => {
      if (!made) {
        value = build();
        made = true;
      }
      return value;
    },
    built: () => made,
  };
}

export function createRoot(options: RootOptions): Root {
  const config = loadConfig(options.env);
  const level = options.quiet && config.logLevel === 'info' ? 'warn' : config.logLevel;
  const logger = createLogger(level, options.role === 'cli' ? {} : { role: options.role });
  const database = once(() => openDatabase(config, logger, options.poolMax ? { poolMax: options.poolMax } : {}));
  const secrets = once(() => openSecretBox(config, logger));
  const jobs = once(() => createJobs(config, logger));
  const salesforce = once(() => openSalesforce(config, logger, options.role));
  return {
    config,
    logger,
    database: database.get,
    secrets: secrets.get,
    jobs: jobs.get,
    salesforce: salesforce.get,
    async close() {
      if (jobs.built()) await jobs.get().queue.close();
      if (salesforce.built()) await (await salesforce.get()).local?.close();
      if (database.built()) await (await database.get()).shutdown();
    },
  };
}

/** A root of given parts (tests); what is not given is refused when asked for. */
export function rootOf(parts: {
  config: Config;
  logger: Logger;
  database: OpenDatabase;
  secrets?: SecretBox;
  jobs?: Jobs;
  salesforce?: SalesforceRuntime;
}): Root {
  const missing = (what: string) => () => {
    throw new Error(`this root was built without ${what}`);
  };
  return {
    config: parts.config,
    logger: parts.logger,
    database: async () => parts.database,
    secrets: parts.secrets ? () => parts.secrets! : missing('secrets'),
    jobs: parts.jobs ? () => parts.jobs! : missing('a job transport'),
    salesforce: async () => parts.salesforce ?? { app: null, local: null },
    close: async () => {},
  };
}
