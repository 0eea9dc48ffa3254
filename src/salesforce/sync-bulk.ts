// The first backfill of a large object through Bulk API 2.0 (queryAll). The job id, the API
// version that created it (its results are served to that version only: any other answers 409)
// and the results locator are saved after each page, so a crash resumes the same job where it
// stopped; the checkpoint, and the watermark (the job's createdDate), are set when the last page
// is written, and the REST pass then catches up from there. A job that ends Failed or Aborted, or a results page that cannot be read as CSV, is not
// tried again and again: the object is read through REST queryAll instead, and the status says why.
import { parse } from 'csv-parse/sync';
import { AppError } from '../platform/errors';
import { salesforceCode } from './errors';
import { fromCsvCell, sfDateTime, type SfRecord } from './records';
import type { ObjectSpec } from './objects';
import { newestCursor, writePage } from './page-writer';
import type { RunContext } from './run-context';
import { advanceWatermark, objectState, updateObjectState } from './sync-state';

/** The Bulk API cannot give this object: read it through REST instead, and say why. */
export class BulkFallback extends Error {
  constructor(readonly reason: string) {
    super(reason);
    this.name = 'BulkFallback';
  }
}

interface BulkJob {
  id: string;
  state: 'UploadComplete' | 'InProgress' | 'Aborted' | 'JobComplete' | 'Failed';
  /** When the job was created, in Salesforce's clock ("2022-01-02T17:38:59.000+0000"). */
  createdDate?: string;
  numberRecordsProcessed?: number;
  errorMessage?: string;
}

/** Whether this object's first backfill should go through Bulk API 2.0, and its size. */
export async function bulkBackfillSize(ctx: RunContext, spec: ObjectSpec): Promise<number | null> {
  const state = await objectState(ctx.db, ctx.connection.id, spec.name);
  if (state.bulkJobId) return state.progressTotal ?? 0;
  if (state.checkpoint) return null;
  const count = await ctx.api.queryPage(`SELECT COUNT() FROM ${spec.name}`, true);
  return count.totalSize > ctx.settings.bulkThreshold ? count.totalSize : null;
}

export async function syncBulk(ctx: RunContext, spec: ObjectSpec, estimate: number): Promise<number> {
  const fields = spec.fields(ctx.mapping);
  let state = await objectState(ctx.db, ctx.connection.id, spec.name);
  let jobId = state.bulkJobId;
  if (!jobId) {
    const job = await ctx.api.post<BulkJob>(`/services/data/v${ctx.api.apiVersion}/jobs/query`, {
      operation: 'queryAll',
      query: `SELECT ${Object.keys(fields).join(', ')} FROM ${spec.name}`,
    });
    jobId = job.id;
    await updateObjectState(ctx.db, ctx.connection.id, spec.name, {
      bulkJobId: jobId,
      bulkApiVersion: ctx.api.apiVersion,
      bulkStartedAt: jobCreatedAt(job),
      bulkLocator: null,
      bulkMaxModstamp: null,
      progressRows: 0,
      progressTotal: estimate,
    });
    state = await objectState(ctx.db, ctx.connection.id, spec.name);
    ctx.logger.info({ object: spec.name, job: jobId, estimate }, 'bulk backfill started');
  }
  // A job started before an upgrade of SALESFORCE_API_VERSION is read with the version that made it.
  const base = `/services/data/v${state.bulkApiVersion ?? ctx.api.apiVersion}/jobs/query`;
  let job: BulkJob;
  try {
    job = await waitForJob(ctx, `${base}/${jobId}`);
  } catch (err) {
    // Results live 7 days: a job that expired or was deleted is started again from scratch.
    if (salesforceCode(err) === 'NOT_FOUND' || salesforceCode(err) === 'INVALIDJOBSTATE')
      await restartBackfill(ctx, spec);
    throw err;
  }
  if (job.state !== 'JobComplete') {
    await restartBackfill(ctx, spec);
    throw new BulkFallback(
      `The Bulk API job ${jobId} for ${spec.name} ended ${job.state}${job.errorMessage ? ` (${job.errorMessage})` : ''}`,
    );
  }

  let locator = state.bulkLocator;
  let rows = state.progressRows;
  let maxCursor = state.bulkMaxModstamp;
  for (;;) {
    const query = `maxRecords=${ctx.settings.bulkPageSize}${locator ? `&locator=${encodeURIComponent(locator)}` : ''}`;
    let page;
    try {
      page = await ctx.api.getRaw(`${base}/${jobId}/results?${query}`, 'text/csv');
    } catch (err) {
      if (salesforceCode(err) === 'NOT_FOUND' || salesforceCode(err) === 'INVALIDLOCATOR')
        await restartBackfill(ctx, spec);
      throw err;
    }
    let records: SfRecord[];
    try {
      records = parseCsv(page.body, fields);
    } catch (err) {
      // Downloading the same page again would fail the same way, run after run.
      await restartBackfill(ctx, spec);
      throw new BulkFallback(
        `A results page of the Bulk API job ${jobId} for ${spec.name} could not be read as CSV (${(err as Error).message})`,
      );
    }
    const newest = newestCursor(spec, records);
    if (newest && (!maxCursor || newest > maxCursor)) maxCursor = newest;
    const next = page.headers.get('sforce-locator');
    const done = !next || next === 'null';
    rows += records.length;
    // Bulk results come in no order: the page commits with its resume point, and the checkpoint
    // is set only once the whole object is in (the REST pass then catches up from it).
    // With the last page the job's start becomes the watermark: its query ran after it was
    // created, so every record committed before then is in (sync-window.ts).
    const startedAt = state.bulkStartedAt;
    await writePage(ctx, spec, records, rows, async (tx) => {
      await updateObjectState(tx, ctx.connection.id, spec.name, {
        bulkLocator: done ? null : next,
        bulkMaxModstamp: maxCursor,
        progressRows: rows,
        ...(done ? { bulkJobId: null, bulkApiVersion: null, bulkStartedAt: null, checkpoint: maxCursor } : {}),
      });
      if (done && startedAt) await advanceWatermark(tx, ctx.connection.id, spec.name, startedAt);
    });
    const total = job.numberRecordsProcessed ?? estimate;
    ctx.logger.info({ object: spec.name, rows, total }, 'bulk backfill progress');
    ctx.onProgress?.({ object: spec.name, rows, total, phase: 'bulk' });
    if (done) return rows;
    locator = next;
  }
}

/** Forget the job and start the backfill over: the checkpoint was never set during it. */
async function restartBackfill(ctx: RunContext, spec: ObjectSpec): Promise<void> {
  await updateObjectState(ctx.db, ctx.connection.id, spec.name, {
    bulkJobId: null,
    bulkApiVersion: null,
    bulkLocator: null,
    bulkMaxModstamp: null,
    bulkStartedAt: null,
    checkpoint: null,
    progressRows: 0,
  });
}

/**
 * The job's createdDate (Salesforce's clock; Bulk API 2.0 "Create a Query Job" answers with it,
 * https://developer.salesforce.com/docs/atlas.en-us.244.0.api_asynch.meta/api_asynch/query_walkthrough.htm);
 * null when missing or unreadable: the checkpoint alone then starts the next pass, as before.
 */
function jobCreatedAt(job: BulkJob): Date | null {
  try {
    return sfDateTime(job.createdDate);
  } catch {
    return null;
  }
}

async function waitForJob(ctx: RunContext, path: string): Promise<BulkJob> {
  const deadline = Date.now() + ctx.settings.bulkPollTimeoutMs;
  let delay = 1000;
  for (;;) {
    const job = await ctx.api.get<BulkJob>(path);
    if (job.state === 'JobComplete' || job.state === 'Failed' || job.state === 'Aborted') return job;
    if (Date.now() + delay > deadline) {
      throw new AppError(
        'salesforce_bulk_pending',
        `the Bulk API job ${job.id} is still ${job.state}; the next run picks it up where it is`,
      );
    }
    await ctx.sleep(delay);
    delay = Math.min(delay * 2, 30_000);
  }
}

/** RFC 4180 CSV with a header row: quoted cells may hold commas, quotes ("") and line breaks. */
function parseCsv(body: string, fields: Record<string, import('./records').FieldType>): SfRecord[] {
  if (body.trim() === '') return [];
  const rows = parse(body, { columns: true, skip_empty_lines: true, bom: true }) as Record<string, string>[];
  return rows.map((row) => {
    const record: SfRecord = {};
    for (const [field, type] of Object.entries(fields)) record[field] = fromCsvCell(type, row[field] ?? '');
    return record;
  });
}
