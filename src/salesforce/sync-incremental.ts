// The incremental REST pass of one object: SystemModstamp (or CreatedDate) >= checkpoint minus
// the overlap, ordered by that cursor then Id, through queryAll so deletions arrive with
// IsDeleted. Pages are followed with nextRecordsUrl. Each page's versions and the checkpoint
// commit in one transaction (page-writer.ts): a crash resumes from the last committed page,
// nothing lost or doubled. A query locator Salesforce dropped (INVALID_QUERY_LOCATOR: unused for
// 15 minutes, or too many open) is answered by querying again from the checkpoint.
import { salesforceCode } from './errors';
import { incrementalSoql, type ObjectSpec } from './objects';
import { writePage } from './page-writer';
import { soqlDateTime, type SfRecord } from './records';
import type { RunContext } from './run-context';
import { objectState, updateObjectState } from './sync-state';

/** Times a dropped locator is answered by a new query in one pass (each resumes at the checkpoint). */
const LOCATOR_RESTARTS = 3;

/** Rows read (all passes). */
export async function syncIncremental(ctx: RunContext, spec: ObjectSpec): Promise<number> {
  const read = { rows: 0 };
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

async function readFromCheckpoint(ctx: RunContext, spec: ObjectSpec, read: { rows: number }): Promise<void> {
  const { connection } = ctx;
  const state = await objectState(ctx.db, connection.id, spec.name);
  const since = state.checkpoint ? soqlDateTime(new Date(state.checkpoint.getTime() - ctx.settings.overlapMs)) : null;
  const soql = incrementalSoql(spec, Object.keys(spec.fields(ctx.mapping)), since);

  let page;
  try {
    page = await ctx.api.queryPage<SfRecord>(soql, true);
  } catch (err) {
    throw annotate(err, spec.name);
  }
  let pass = 0;
  await updateObjectState(ctx.db, connection.id, spec.name, { progressRows: 0, progressTotal: page.totalSize });
  for (;;) {
    pass += page.records.length;
    read.rows += page.records.length;
    await writePage(ctx, spec, page.records, pass);
    if (page.records.length > 0) {
      ctx.logger.info({ object: spec.name, rows: pass, total: page.totalSize }, 'sync progress');
      ctx.onProgress?.({ object: spec.name, rows: pass, total: page.totalSize, phase: 'rest' });
    }
    if (page.done || !page.nextRecordsUrl) break;
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
