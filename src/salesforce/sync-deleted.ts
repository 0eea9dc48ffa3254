// Hard deletes (records emptied from the recycle bin vanish from queryAll): a periodic pass over
// getDeleted. Its window reaches back 15 days; a connection idle longer than that gets a full id
// reconciliation instead: every record we hold as live but Salesforce no longer returns is deleted.
import { eq, sql } from 'drizzle-orm';
import { salesforceConnections } from '../platform/db/schema';
import { recordDeletions, type DeletableKind } from '../history/record-deletions';
import { salesforceCode, suspiciousReconciliation } from './errors';
import { DELETABLE } from './objects';
import { sfDateTime, type SfRecord } from './records';
import type { RunContext } from './run-context';
import { withTransaction } from '../platform/tx';

const GET_DELETED_WINDOW_MS = 15 * 24 * 3_600_000;
const MARGIN_MS = 3_600_000;

interface DeletedResult {
  deletedRecords: { id: string; deletedDate: string }[];
  /** Where the next window must start (Salesforce may cover less than asked). */
  latestDateCovered?: string;
  /** Deletions before this were purged from the log (as often as every 2 hours in busy orgs). */
  earliestDateAvailable?: string;
}

export async function syncHardDeletes(ctx: RunContext, now: Date): Promise<void> {
  const last = ctx.connection.lastDeletedCheckAt;
  if (!last) return markChecked(ctx, now); // the first full sync saw every soft delete through queryAll
  if (now.getTime() - last.getTime() < ctx.settings.deletedCheckEveryMs) return;

  if (now.getTime() - last.getTime() > GET_DELETED_WINDOW_MS - MARGIN_MS) {
    await reconcileIds(ctx, now);
    return markChecked(ctx, now);
  }
  const startAt = new Date(last.getTime() - ctx.settings.overlapMs);
  const start = encodeURIComponent(startAt.toISOString().slice(0, 19) + 'Z');
  const end = encodeURIComponent(now.toISOString().slice(0, 19) + 'Z');
  let coveredUntil = now;
  const purged: typeof DELETABLE = [];
  for (const object of DELETABLE) {
    let result: DeletedResult;
    try {
      result = await ctx.api.get<DeletedResult>(
        `/services/data/v${ctx.api.apiVersion}/sobjects/${object.name}/deleted/?start=${start}&end=${end}`,
      );
    } catch (err) {
      if (salesforceCode(err) !== 'INVALID_REPLICATION_DATE') throw err;
      purged.push(object);
      continue;
    }
    if (result.earliestDateAvailable && sfDateTime(result.earliestDateAvailable)! > startAt) purged.push(object);
    if (result.latestDateCovered && sfDateTime(result.latestDateCovered)! < coveredUntil)
      coveredUntil = sfDateTime(result.latestDateCovered)!;
    const deletions = result.deletedRecords.map((d) => ({ id: d.id, deletedAt: sfDateTime(d.deletedDate)! }));
    const recorded = await withTransaction(ctx.db, (tx) =>
      recordDeletions(tx, ctx.connection.workspaceId, object.kind, deletions, `salesforce:${object.name}:getDeleted`),
    );
    if (recorded.length > 0)
      ctx.logger.info({ object: object.name, deleted: recorded.length }, 'hard deletes recorded');
  }
  // Part of the window was purged from the delete log: only a full comparison finds those.
  if (purged.length > 0) await reconcileIds(ctx, now, purged);
  await markChecked(ctx, coveredUntil);
}

/** Above this share of our live records (and this many), a reconciliation refuses to delete. */
const SUSPICIOUS_SHARE = 0.1;
const SUSPICIOUS_COUNT = 100;

/**
 * Every live id Salesforce has, against every record we hold as live. `force` accepts what looks
 * like a mass deletion (an admin confirmed it with `salesforce:reconcile`).
 */
export async function reconcileIds(
  ctx: RunContext,
  now: Date,
  objects: typeof DELETABLE = DELETABLE,
  force = false,
): Promise<void> {
  for (const { name, kind } of objects) {
    const live = new Set<string>();
    let page = await ctx.api.queryPage<SfRecord>(`SELECT Id FROM ${name}`, false);
    for (;;) {
      for (const r of page.records) live.add(String(r.Id));
      if (page.done || !page.nextRecordsUrl) break;
      page = await ctx.api.nextPage<SfRecord>(page.nextRecordsUrl);
    }
    const ours = await liveRecordIds(ctx, kind);
    const gone = ours.filter((id) => !live.has(id)).map((id) => ({ id, deletedAt: now }));
    if (!force && gone.length > SUSPICIOUS_COUNT && gone.length > ours.length * SUSPICIOUS_SHARE) {
      throw suspiciousReconciliation(name, gone.length, ours.length);
    }
    const recorded = await withTransaction(ctx.db, (tx) =>
      recordDeletions(tx, ctx.connection.workspaceId, kind, gone, `salesforce:${name}:reconciliation`),
    );
    ctx.logger.info(
      { object: name, salesforce: live.size, ours: ours.length, deleted: recorded.length },
      'ids reconciled',
    );
  }
}

const LIVE_QUERY: Record<DeletableKind, { table: string; id: string }> = {
  opportunity: { table: 'opportunity_versions', id: 'opportunity_id' },
  contactRole: { table: 'contact_role_versions', id: 'contact_role_id' },
  contact: { table: 'contact_versions', id: 'contact_id' },
  lead: { table: 'lead_versions', id: 'lead_id' },
};

async function liveRecordIds(ctx: RunContext, kind: DeletableKind): Promise<string[]> {
  const { table, id } = LIVE_QUERY[kind];
  const rows = await ctx.db.execute<{ id: string }>(sql`
    select id from (
      select distinct on (${sql.raw(id)}) ${sql.raw(id)} as id, is_deleted from ${sql.raw(table)}
      where workspace_id = ${ctx.connection.workspaceId} and source like 'salesforce:%'
      order by ${sql.raw(id)}, occurred_at desc, seq desc
    ) latest where not is_deleted`);
  return rows.map((r) => r.id);
}

async function markChecked(ctx: RunContext, at: Date): Promise<void> {
  await ctx.db
    .update(salesforceConnections)
    .set({ lastDeletedCheckAt: at })
    .where(eq(salesforceConnections.id, ctx.connection.id));
}
