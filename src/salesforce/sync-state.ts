// Per-object sync state: checkpoint, resumable bulk job, progress and the last run's outcome.
import { and, eq, sql } from 'drizzle-orm';
import type { DbOrTx } from '../platform/db/client';
import { salesforceSyncObjects } from '../platform/db/schema';

export type ObjectState = typeof salesforceSyncObjects.$inferSelect;
type Changes = Partial<Omit<ObjectState, 'connectionId' | 'object'>>;

export async function objectState(db: DbOrTx, connectionId: string, object: string): Promise<ObjectState> {
  const [row] = await db
    .insert(salesforceSyncObjects)
    .values({ connectionId, object })
    .onConflictDoUpdate({ target: [salesforceSyncObjects.connectionId, salesforceSyncObjects.object], set: { object } })
    .returning();
  return row!;
}

export async function updateObjectState(
  db: DbOrTx,
  connectionId: string,
  object: string,
  changes: Changes,
): Promise<void> {
  await db
    .update(salesforceSyncObjects)
    .set(changes)
    .where(and(eq(salesforceSyncObjects.connectionId, connectionId), eq(salesforceSyncObjects.object, object)));
}

/** Moves the checkpoint forward only: a re-read overlap must never move it back. */
export async function advanceCheckpoint(
  db: DbOrTx,
  connectionId: string,
  object: string,
  to: Date,
  progressRows: number,
): Promise<void> {
  await db
    .update(salesforceSyncObjects)
    .set({
      checkpoint: sql`greatest(${salesforceSyncObjects.checkpoint}, ${to.toISOString()}::timestamptz)`,
      progressRows,
    })
    .where(and(eq(salesforceSyncObjects.connectionId, connectionId), eq(salesforceSyncObjects.object, object)));
}

/**
 * Moves the watermark forward only (sync-window.ts): called in the transaction that writes a pass's
 * last page, so a pass that stops half-way never moves it.
 */
export async function advanceWatermark(db: DbOrTx, connectionId: string, object: string, to: Date): Promise<void> {
  await db
    .update(salesforceSyncObjects)
    .set({ watermark: sql`greatest(${salesforceSyncObjects.watermark}, ${to.toISOString()}::timestamptz)` })
    .where(and(eq(salesforceSyncObjects.connectionId, connectionId), eq(salesforceSyncObjects.object, object)));
}
