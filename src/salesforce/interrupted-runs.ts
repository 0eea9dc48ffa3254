// A run whose worker was killed (SIGKILL, a lost machine) never writes its end. The next run of the
// org holds the org's sync lock, so no older run of it can still be alive: it closes them.
import { and, eq, isNull } from 'drizzle-orm';
import type { DbOrTx } from '../platform/db/client';
import { salesforceSyncObjects, salesforceSyncRuns } from '../platform/db/schema';
import { withTransaction } from '../platform/tx';

export const INTERRUPTED_MESSAGE =
  'The worker stopped during this run (killed or restarted). Nothing committed was lost: the next run resumed from the last page stored.';

/** Closes the org's unfinished runs and objects as `interrupted`. Call only while holding the org's sync lock. */
export async function closeInterruptedRuns(db: DbOrTx, connectionId: string): Promise<number> {
  return withTransaction(
    db,
    async (tx) => {
      const now = new Date();
      const runs = await tx
        .update(salesforceSyncRuns)
        .set({ finishedAt: now, outcome: 'interrupted', error: INTERRUPTED_MESSAGE })
        .where(and(eq(salesforceSyncRuns.connectionId, connectionId), isNull(salesforceSyncRuns.finishedAt)))
        .returning({ id: salesforceSyncRuns.id });
      await tx
        .update(salesforceSyncObjects)
        .set({ lastRunFinishedAt: now, lastOutcome: 'interrupted', lastError: INTERRUPTED_MESSAGE })
        .where(
          and(eq(salesforceSyncObjects.connectionId, connectionId), eq(salesforceSyncObjects.lastOutcome, 'running')),
        );
      return runs.length;
    },
    { name: 'close interrupted sync runs' },
  );
}
