// The job handlers: thin calls into domain modules.
import { sql } from 'drizzle-orm';
import type { Db } from '../db/client';
import { recomputeDirty } from '../ledger/recompute';
import type { JobHandlers, JobQueue } from './contract';

export interface HandlerDeps {
  db: Db;
  queue: JobQueue;
  recomputeBatchSize: number;
}

export function createJobHandlers(deps: HandlerDeps): JobHandlers {
  return {
    'attribution.recompute': async ({ workspaceId }, { logger }) => {
      const outcome = await recomputeDirty({ db: deps.db, logger, batchSize: deps.recomputeBatchSize }, workspaceId);
      if (outcome.opportunities > 0) logger.info(outcome, 'attribution recomputed');
    },
    'attribution.sweep': async () => {
      const rows = await deps.db.execute<{ workspace_id: string }>(sql`select distinct workspace_id from attribution_dirty`);
      for (const r of rows) await deps.queue.enqueue('attribution.recompute', { workspaceId: r.workspace_id });
    },
  };
}

export const SWEEP_SCHEDULE_ID = 'attribution-sweep';
export const SWEEP_EVERY_MS = 60_000;
