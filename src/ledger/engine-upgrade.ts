// A rule change (a new ENGINE_VERSION) changes past numbers. A workspace whose ledger was last
// brought in line with an older engine gets every opportunity marked dirty, once; the recompute
// then books the differences as corrections dated on the days they change, as for late data.
import { and, eq, isNull, ne, or } from 'drizzle-orm';
import { ENGINE_VERSION } from '../attribution/engine';
import { markWorkspaceDirty } from '../history/mark-dirty';
import type { Db } from '../platform/db/client';
import { workspaces } from '../platform/db/schema';
import { withTransaction } from '../platform/tx';

/** The workspaces it marked: their recompute is due. */
export async function markWorkspacesOnOlderEngine(db: Db): Promise<string[]> {
  const stale = await db
    .select({ id: workspaces.id })
    .from(workspaces)
    .where(or(isNull(workspaces.engineVersion), ne(workspaces.engineVersion, ENGINE_VERSION)));
  const marked: string[] = [];
  for (const { id } of stale) {
    const done = await withTransaction(db, async (tx) => {
      // Only the first of several workers marks it: the update says who moved the version.
      const moved = await tx
        .update(workspaces)
        .set({ engineVersion: ENGINE_VERSION })
        .where(
          and(
            eq(workspaces.id, id),
            or(isNull(workspaces.engineVersion), ne(workspaces.engineVersion, ENGINE_VERSION)),
          ),
        )
        .returning({ id: workspaces.id });
      if (moved.length > 0) await markWorkspaceDirty(tx, id);
      return moved.length > 0;
    });
    if (done) marked.push(id);
  }
  return marked;
}
