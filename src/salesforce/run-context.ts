// What every step of a sync run shares.
import type { Db } from '../platform/db/client';
import type { SalesforceConnection } from '../platform/db/schema';
import type { Logger } from '../platform/logger';
import type { SalesforceApi } from './api-client';
import type { MappingContext } from './objects';

export interface SyncSettings {
  overlapMs: number;
  bulkThreshold: number;
  bulkPollTimeoutMs: number;
  bulkPageSize: number;
  deletedCheckEveryMs: number;
}

export interface RunContext {
  db: Db;
  api: SalesforceApi;
  connection: SalesforceConnection;
  logger: Logger;
  settings: SyncSettings;
  mapping: MappingContext;
  /** Rows read per object in this run. */
  rows: Record<string, number>;
  sleep: (ms: number) => Promise<void>;
}
