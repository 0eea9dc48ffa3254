// One job scheduler per connected org. Re-created at every worker boot (schedules vanish if
// Redis is flushed); removed when the connection needs a new consent or is disconnected.
import type { Db } from '../platform/db/client';
import type { SalesforceConnection } from '../platform/db/schema';
import { salesforceConnections } from '../platform/db/schema';
import type { JobQueue } from '../jobs/contract';

export const syncScheduleId = (connectionId: string) => `salesforce-sync:${connectionId}`;

export async function scheduleSync(
  queue: JobQueue,
  connection: Pick<SalesforceConnection, 'id' | 'syncIntervalMinutes'>,
): Promise<void> {
  await queue.schedule(
    syncScheduleId(connection.id),
    'salesforce.sync',
    { connectionId: connection.id, trigger: 'schedule' },
    connection.syncIntervalMinutes * 60_000,
  );
}

export async function unscheduleSync(queue: JobQueue, connectionId: string): Promise<void> {
  await queue.unschedule(syncScheduleId(connectionId));
}

/** The schedules the connected orgs need, each with the way to create it. */
export async function expectedSyncSchedules(
  db: Db,
  queue: JobQueue,
): Promise<{ id: string; create: () => Promise<void> }[]> {
  const connections = await db.select().from(salesforceConnections);
  return connections
    .filter((c) => c.status === 'connected')
    .map((c) => ({ id: syncScheduleId(c.id), create: () => scheduleSync(queue, c) }));
}

export async function restoreSyncSchedules(db: Db, queue: JobQueue): Promise<number> {
  const connections = await db.select().from(salesforceConnections);
  let scheduled = 0;
  for (const c of connections) {
    if (c.status === 'connected') {
      await scheduleSync(queue, c);
      scheduled += 1;
    } else {
      await unscheduleSync(queue, c.id);
    }
  }
  return scheduled;
}

/** A manual sync: one per org per minute at most in the queue (clicks absorbed), never two at once (the run's lock). */
export async function requestSync(queue: JobQueue, connectionId: string, trigger: 'manual' | 'connect'): Promise<void> {
  await queue.enqueue(
    'salesforce.sync',
    { connectionId, trigger },
    { jobId: `salesforce-sync:${connectionId}:${Math.floor(Date.now() / 60_000)}:${trigger}` },
  );
}
