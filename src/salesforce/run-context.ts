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
  /**
   * Bulk API 2.0 result pages downloaded at once through resultPages (API 58.0+); 1 reads them
   * one after another through the results locator.
   */
  bulkParallelPages: number;
  deletedCheckEveryMs: number;
}

export interface ObjectProgress {
  object: string;
  rows: number;
  /** What Salesforce said the object holds (totalSize, COUNT(), the Bulk job's records), if known. */
  total: number | null;
  phase: 'rest' | 'bulk' | 'count' | 'deleted';
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
  /** Per object in this run: records whose text held NUL (stripped), records quarantined, versions written. */
  stats: Record<string, { nulStripped: number; quarantined: number; written: number }>;
  /** Told of each object's progress (the CLI draws it; the status page reads the object state). */
  onProgress?: (progress: ObjectProgress) => void;
  sleep: (ms: number) => Promise<void>;
  /** Aborted when the org's sync lock was lost with its connection: nothing more may be written. */
  lockLost?: AbortSignal;
}
