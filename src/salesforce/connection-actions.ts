// What an admin does to the workspace's connection from the API or the CLI: change how often it
// syncs, and ask for a sync now.
import { eq } from 'drizzle-orm';
import type { JobQueue } from '../jobs/contract';
import type { Db } from '../platform/db/client';
import { salesforceConnections, type SalesforceConnection } from '../platform/db/schema';
import { AppError, notFound } from '../platform/errors';
import { connectionOfWorkspace } from './connection-store';
import { requestSync, scheduleSync } from './schedules';

export async function requireConnection(db: Db, workspaceId: string): Promise<SalesforceConnection> {
  const c = await connectionOfWorkspace(db, workspaceId);
  if (!c) throw notFound('this workspace has no Salesforce connection yet');
  return c;
}

export async function changeSyncInterval(
  deps: { db: Db; queue: JobQueue },
  workspaceId: string,
  syncIntervalMinutes: number,
): Promise<void> {
  const c = await requireConnection(deps.db, workspaceId);
  const [updated] = await deps.db
    .update(salesforceConnections)
    .set({ syncIntervalMinutes })
    .where(eq(salesforceConnections.id, c.id))
    .returning();
  if (updated!.status === 'connected') await scheduleSync(deps.queue, updated!);
}

export async function requestManualSync(
  deps: { db: Db; queue: JobQueue },
  workspaceId: string,
): Promise<SalesforceConnection> {
  const c = await requireConnection(deps.db, workspaceId);
  if (c.status !== 'connected')
    throw new AppError('conflict', `the connection is ${c.status.replace('_', ' ')}: reconnect the org first`);
  await requestSync(deps.queue, c.id, 'manual');
  return c;
}
