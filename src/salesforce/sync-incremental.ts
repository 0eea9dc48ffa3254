// The incremental REST pass of one object: SystemModstamp (or CreatedDate) >= the later of the
// watermark and the checkpoint, minus the overlap (sync-window.ts), ordered by that cursor then
// Id, through queryAll so deletions arrive with IsDeleted. Pages are followed with nextRecordsUrl.
// Each page's versions and the checkpoint commit in one transaction (page-writer.ts): a crash
// resumes from the last committed page, nothing lost or doubled. The last page's transaction also
// moves the watermark to Salesforce's time of the pass's first query. A query locator Salesforce
// dropped (INVALID_QUERY_LOCATOR: unused for 15 minutes, or too many open) is answered by querying
// again from the checkpoint.
import { salesforceCode } from './errors';
import { incrementalSoql, type ObjectSpec } from './objects';
import { writePage } from './page-writer';
import type { SfRecord } from './records';
import type { RunContext } from './run-context';
import { advanceCheckpoint, advanceWatermark, objectState, updateObjectState } from './sync-state';
import { passLowerBound } from './sync-window';

/** Times a dropped locator is answered by a new query in one pass (each resumes at the checkpoint). */
const LOCATOR_RESTARTS = 3;

/** Rows read (all passes). */
export async function syncIncremental(ctx: RunContext, spec: ObjectSpec): Promise<number> {
  // The pass starts at its first query, even when a dropped locator makes it query again.
  const read: Pass = { rows: 0, startedAt: null };
  for (let restarts = 0; ; restarts++) {
    try {
      await readFromCheckpoint(ctx, spec, read);
      return read.rows;
    } catch (err) {
      if (salesforceCode(err) !== 'INVALID_QUERY_LOCATOR' || restarts >= LOCATOR_RESTARTS) throw err;
      ctx.logger.warn(
        { object: spec.name, rows: read.rows },
        'Salesforce dropped the query locator (INVALID_QUERY_LOCATOR); querying again from the checkpoint',
      );
    }
  }
}

interface Pass {
  rows: number;
  /** Salesforce's clock at the pass's first query (its Date header), once answered. */
  startedAt: Date | null;
}

async function readFromCheckpoint(ctx: RunContext, spec: ObjectSpec, read: Pass): Promise<void> {
  const { connection } = ctx;
  const state = await objectState(ctx.db, connection.id, spec.name);
  const since = passLowerBound(state, ctx.settings.overlapMs);
  const soql = incrementalSoql(spec, Object.keys(spec.fields(ctx.mapping)), since);

  let page;
  try {
    page = await ctx.api.queryPage<SfRecord>(soql, true);
  } catch (err) {
    throw annotate(err, spec.name);
  }
  // A query again after a dropped locator is sound from its own start too (it reads from the
  // checkpoint, and the pages before it were read in order up to there); the first is the earlier.
  read.startedAt ??= page.serverTime;
  let pass = 0;
  await updateObjectState(ctx.db, connection.id, spec.name, { progressRows: 0, progressTotal: page.totalSize });
  for (;;) {
    pass += page.records.length;
    read.rows += page.records.length;
    const last = page.done || !page.nextRecordsUrl;
    const progressRows = pass;
    await writePage(ctx, spec, page.records, pass, async (tx, newest) => {
      if (newest) await advanceCheckpoint(tx, connection.id, spec.name, newest, progressRows);
      // Only with the last page in is every record committed before the pass's start ours.
      if (last && read.startedAt) await advanceWatermark(tx, connection.id, spec.name, read.startedAt);
    });
    if (page.records.length > 0) {
      ctx.logger.info({ object: spec.name, rows: pass, total: page.totalSize }, 'sync progress');
      ctx.onProgress?.({ object: spec.name, rows: pass, total: page.totalSize, phase: 'rest' });
    }
    if (last || !page.nextRecordsUrl) break;
    page = await ctx.api.nextPage<SfRecord>(page.nextRecordsUrl);
  }
}

/** Names the object in errors that come from its query (a field the user cannot read, say). */
function annotate(err: unknown, object: string): unknown {
  const code = salesforceCode(err);
  if ((code === 'INVALID_FIELD' || code === 'INVALID_TYPE') && err instanceof Error && !err.message.includes(object)) {
    err.message = `${object}: ${err.message}`;
  }
  return err;
}
