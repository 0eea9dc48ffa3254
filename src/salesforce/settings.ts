// Sync settings from the configuration.
import type { Config } from '../platform/config';
import type { SyncDeps } from './sync-run';

/** Rows per Bulk API 2.0 results page: large enough to be few calls, small enough to hold in memory. */
const BULK_PAGE_SIZE = 10_000;

export function syncSettings(config: Config): SyncDeps['settings'] {
  const s = config.salesforce;
  return {
    overlapMs: s.overlapMinutes * 60_000,
    bulkThreshold: s.bulkThreshold,
    bulkPollTimeoutMs: s.bulkPollTimeoutMs,
    bulkPageSize: BULK_PAGE_SIZE,
    bulkParallelPages: s.bulkParallelPages,
    deletedCheckEveryMs: s.deletedCheckEveryMs,
    budgetPercent: s.apiBudgetPercent,
  };
}
