// Hard deletes: records gone from queryAll (emptied from the recycle bin, or never put there: an
// OpportunityContactRole deleted directly is hard-deleted at once) are found through getDeleted,
// on every run, object by object, each with its own window: one object's failure never holds back
// another's deletion pass. The window reaches back 15 days; an object idle longer than that, or
// whose delete log was purged past our window, gets a full id reconciliation instead. A window
// holding more ids than getDeleted returns (EXCEEDED_ID_LIMIT, 600,000) is split until it fits.
import { sql } from 'drizzle-orm';
import { recordDeletions, type DeletableKind } from '../history/record-deletions';
import { withTransaction } from '../platform/tx';
import { salesforceCode, suspiciousReconciliation } from './errors';
import { DELETABLE, type IncrementalObject } from './objects';
import { sfDateTime, type SfRecord } from './records';
import type { RunContext } from './run-context';
import { objectState, updateObjectState } from './sync-state';

const GET_DELETED_WINDOW_MS = 15 * 24 * 3_600_000;
const MARGIN_MS = 3_600_000;
/** getDeleted counts in whole minutes and wants end > start by more than a minute. */
const SMALLEST_WINDOW_MS = 2 * 60_000;

interface DeletedResult {
  deletedRecords: { id: string; deletedDate: string }[];
  /** Where the next window must start (Salesforce may cover less than asked). */
  latestDateCovered?: string;
  /** Deletions before this were purged from the log (as often as every 2 hours in busy orgs). */
  earliestDateAvailable?: string;
}

type Deletable = (typeof DELETABLE)[number];

/**
 * The deletion pass of one object. `runStartedAt` starts the first window: the first run saw
 * every soft delete through queryAll, and a hard delete during it is in the next window.
 */
export async function syncHardDeletes(
  ctx: RunContext,
  object: Deletable,
  now: Date,
  runStartedAt: Date,
): Promise<void> {
  const state = await objectState(ctx.db, ctx.connection.id, object.name);
  const last = state.deletedCheckedAt ?? ctx.connection.lastDeletedCheckAt;
  if (!last) return markChecked(ctx, object.name, runStartedAt);
  if (now.getTime() - last.getTime() < ctx.settings.deletedCheckEveryMs) return;
  if (now.getTime() - last.getTime() > GET_DELETED_WINDOW_MS - MARGIN_MS) {
    await reconcileIds(ctx, now, [object]);
    return markChecked(ctx, object.name, now);
  }
  ctx.onProgress?.({ object: object.name, rows: 0, total: null, phase: 'deleted' });
  const startAt = new Date(last.getTime() - ctx.settings.overlapMs);
  const outcome = await deletedBetween(ctx, object, startAt, now);
  if (outcome === 'purged' || outcome === 'too_many') {
    // Part of the window left the delete log, or a minute holds too many: only a full comparison finds those.
    ctx.logger.info({ object: object.name, why: outcome }, 'getDeleted cannot cover the window: reconciling ids');
    await reconcileIds(ctx, now, [object]);
    return markChecked(ctx, object.name, now);
  }
  await markChecked(ctx, object.name, outcome.coveredUntil);
}

/** Records what getDeleted reports for [start, end], halving the window while it holds too many ids. */
async function deletedBetween(
  ctx: RunContext,
  object: Deletable,
  start: Date,
  end: Date,
): Promise<{ coveredUntil: Date } | 'purged' | 'too_many'> {
  let result: DeletedResult;
  try {
    result = await ctx.api.get<DeletedResult>(
      `/services/data/v${ctx.api.apiVersion}/sobjects/${object.name}/deleted/?start=${param(start)}&end=${param(end)}`,
    );
  } catch (err) {
    const code = salesforceCode(err);
    if (code === 'INVALID_REPLICATION_DATE') return 'purged';
    if (code !== 'EXCEEDED_ID_LIMIT') throw err;
    if (end.getTime() - start.getTime() < 2 * SMALLEST_WINDOW_MS) return 'too_many';
    const middle = new Date(Math.floor((start.getTime() + end.getTime()) / 2 / 60_000) * 60_000);
    ctx.logger.info(
      { object: object.name, start: start.toISOString(), end: end.toISOString() },
      'getDeleted: too many ids in the window (EXCEEDED_ID_LIMIT); splitting it in two',
    );
    const first = await deletedBetween(ctx, object, start, middle);
    if (typeof first === 'string') return first;
    // Salesforce may cover less than asked: the second half starts where the first really ended.
    if (first.coveredUntil < middle) return first;
    return deletedBetween(ctx, object, middle, end);
  }
  if (result.earliestDateAvailable && sfDateTime(result.earliestDateAvailable)! > start) return 'purged';
  const deletions = result.deletedRecords.map((d) => ({ id: d.id, deletedAt: sfDateTime(d.deletedDate)! }));
  const recorded = await withTransaction(ctx.db, (tx) =>
    recordDeletions(tx, ctx.connection.workspaceId, object.kind, deletions, `salesforce:${object.name}:getDeleted`),
  );
  if (recorded.length > 0) ctx.logger.info({ object: object.name, deleted: recorded.length }, 'hard deletes recorded');
  const covered = result.latestDateCovered ? sfDateTime(result.latestDateCovered)! : end;
  return { coveredUntil: covered < end ? covered : end };
}

/** getDeleted takes instants to the second, UTC. */
const param = (d: Date) => encodeURIComponent(`${d.toISOString().slice(0, 19)}Z`);

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
  objects: readonly Deletable[] = DELETABLE,
  force = false,
): Promise<void> {
  for (const { name, kind } of objects) {
    const live = new Set<string>();
    let page = await ctx.api.queryPage<SfRecord>(`SELECT Id FROM ${name}`, false);
    for (;;) {
      for (const r of page.records) live.add(String(r.Id));
      ctx.onProgress?.({ object: name, rows: live.size, total: page.totalSize, phase: 'deleted' });
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

async function markChecked(ctx: RunContext, object: IncrementalObject, at: Date): Promise<void> {
  await updateObjectState(ctx.db, ctx.connection.id, object, { deletedCheckedAt: at });
}
