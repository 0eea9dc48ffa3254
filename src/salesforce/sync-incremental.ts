// The incremental REST pass of one object: SystemModstamp (or CreatedDate) >= checkpoint minus
// the overlap, ordered by that cursor then Id, through queryAll so deletions arrive with
// IsDeleted. Pages are followed with nextRecordsUrl. Each page's versions and the checkpoint
// commit in one transaction: a crash resumes from the last committed page, nothing lost or doubled.
import type { Tx } from '../platform/db/client';
import { recordChangedVersions } from '../history/record-changes';
import { salesforceCode } from './errors';
import { incrementalSoql, type ObjectSpec } from './objects';
import { sfDateTime, soqlDateTime, type SfRecord } from './records';
import type { RunContext } from './run-context';
import { advanceCheckpoint, objectState, updateObjectState } from './sync-state';
import { withTransaction } from '../platform/tx';

export async function syncIncremental(ctx: RunContext, spec: ObjectSpec): Promise<number> {
  const { connection } = ctx;
  const state = await objectState(ctx.db, connection.id, spec.name);
  const since = state.checkpoint ? soqlDateTime(new Date(state.checkpoint.getTime() - ctx.settings.overlapMs)) : null;
  const soql = incrementalSoql(spec, Object.keys(spec.fields(ctx.mapping)), since);

  let rows = 0;
  let page;
  try {
    page = await ctx.api.queryPage<SfRecord>(soql, true);
  } catch (err) {
    throw annotate(err, spec.name);
  }
  await updateObjectState(ctx.db, connection.id, spec.name, { progressRows: 0, progressTotal: page.totalSize });
  for (;;) {
    await writePage(ctx, spec, page.records, rows + page.records.length);
    rows += page.records.length;
    if (page.records.length > 0) {
      ctx.logger.info({ object: spec.name, rows, total: page.totalSize }, 'sync progress');
    }
    if (page.done || !page.nextRecordsUrl) break;
    page = await ctx.api.nextPage<SfRecord>(page.nextRecordsUrl);
  }
  return rows;
}

/**
 * One page: its versions and, in the same transaction, where the sync stands after it (by
 * default the checkpoint moves to the page's newest cursor value).
 */
export async function writePage(
  ctx: RunContext,
  spec: ObjectSpec,
  records: SfRecord[],
  progressRows: number,
  saveProgress: (tx: Tx, newest: Date | null) => Promise<void> = async (tx, newest) => {
    if (newest) await advanceCheckpoint(tx, ctx.connection.id, spec.name, newest, progressRows);
  },
): Promise<Date | null> {
  const versions = records.map((r) => spec.toVersion(r, ctx.mapping)).filter((v) => v !== null);
  const newest = newestCursor(spec, records);
  await withTransaction(ctx.db, async (tx) => {
    await recordChangedVersions(tx, ctx.connection.workspaceId, spec.kind, versions.map((v) => v.row) as never[]);
    await saveProgress(tx, newest);
  });
  return newest;
}

export function newestCursor(spec: ObjectSpec, records: SfRecord[]): Date | null {
  let newest: Date | null = null;
  for (const r of records) {
    const at = sfDateTime(r[spec.cursor]);
    if (at && (!newest || at > newest)) newest = at;
  }
  return newest;
}

/** Names the object in errors that come from its query (a field the user cannot read, say). */
function annotate(err: unknown, object: string): unknown {
  const code = salesforceCode(err);
  if ((code === 'INVALID_FIELD' || code === 'INVALID_TYPE') && err instanceof Error && !err.message.includes(object)) {
    err.message = `${object}: ${err.message}`;
  }
  return err;
}
