// A workspace's settings as the admin API shows and changes them. A new time zone, window or
// reporting currency changes every number: the opportunities are marked dirty with the change (see
// updateWorkspaceSettings) and a recompute is asked for once it is committed.
import { eq } from 'drizzle-orm';
import { z } from 'zod';
import type { Db } from '../platform/db/client';
import { workspaces, type Workspace } from '../platform/db/schema';
import type { JobQueue } from '../jobs/contract';
import type { Logger } from '../platform/logger';
import { getWorkspace, updateWorkspaceSettings, workspaceSettings } from './workspaces';
import { AppError } from '../platform/errors';
import { withTransaction } from '../platform/tx';
import { noteWorkspaceChanged } from './workspace-changes';

export const workspaceView = z
  .object({
    id: z.uuid(),
    slug: z.string(),
    name: z.string(),
    timeZone: z.string().meta({ description: 'IANA time zone: the days of every report.' }),
    reportingCurrency: z.string().meta({ description: 'ISO 4217 code of every amount.' }),
    attributionWindowDays: z
      .number()
      .int()
      .meta({ description: 'How long before an opportunity was created a chat may influence it.' }),
    createdAt: z.iso.datetime(),
  })
  .meta({ id: 'Workspace' });
export type WorkspaceView = z.infer<typeof workspaceView>;

export const workspaceSettingsChange = workspaceSettings
  .partial()
  .strict()
  .refine((c) => Object.keys(c).length > 0, 'give at least one of timeZone, reportingCurrency, attributionWindowDays')
  .meta({ id: 'WorkspaceSettingsChange' });
export type WorkspaceSettingsChange = z.infer<typeof workspaceSettingsChange>;

export const toWorkspaceView = (w: Workspace): WorkspaceView => ({
  id: w.id,
  slug: w.slug,
  name: w.name,
  timeZone: w.timeZone,
  reportingCurrency: w.reportingCurrency,
  attributionWindowDays: w.attributionWindowDays,
  createdAt: w.createdAt.toISOString(),
});

export async function workspaceOf(db: Db, workspaceId: string): Promise<WorkspaceView> {
  return toWorkspaceView(await getWorkspace(db, workspaceId));
}

export async function changeWorkspaceSettings(
  deps: { db: Db; queue: Pick<JobQueue, 'enqueue'>; logger: Logger },
  workspaceId: string,
  changes: WorkspaceSettingsChange,
): Promise<WorkspaceView> {
  const { before, after } = await withTransaction(deps.db, async (tx) => {
    // FOR NO KEY UPDATE, not FOR UPDATE: every row that references the workspace (ledger entries a
    // running recompute appends, history a sync writes) takes FOR KEY SHARE on it, which FOR UPDATE
    // would block, and the recompute in turn holds dirty marks this change rewrites: a deadlock.
    const [current] = await tx.select().from(workspaces).where(eq(workspaces.id, workspaceId)).for('no key update');
    if (!current) throw new AppError('not_found', 'this workspace no longer exists');
    return { before: current, after: await updateWorkspaceSettings(tx, current, changes) };
  });
  noteWorkspaceChanged(); // committed: no report of this process reads the old settings from now on
  if (
    before.timeZone !== after.timeZone ||
    before.attributionWindowDays !== after.attributionWindowDays ||
    before.reportingCurrency !== after.reportingCurrency
  ) {
    await deps.queue.enqueue('attribution.recompute', { workspaceId }).catch((err: Error) => {
      deps.logger.warn(
        { workspaceId, err: { message: err.message } },
        'could not enqueue the recompute; the sweep will run it',
      );
    });
  }
  return toWorkspaceView(after);
}
