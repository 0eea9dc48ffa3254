// The first backfill of a large object through Bulk API 2.0 (queryAll). The job id, the API
// version that created it (its results are served to that version only: any other answers 409)
// and the resume point are saved after each page, so a crash resumes the same job where it
// stopped; the checkpoint, and the watermark (the job's createdDate), are set when the last page
// is written, and the REST pass then catches up from there. Results are downloaded
// `bulkParallelPages` at a time through resultPages (API 58.0 and later; bulk-result-pages.ts),
// whose resume point is the listed pages not yet written; an org or version without it is read
// one page after another, resuming at the results locator. A job that ends Failed or Aborted, or a results page that cannot be read as CSV, is not
// tried again and again: the object is read through REST queryAll instead, and the status says why.
import { AppError } from '../platform/errors';
import { salesforceCode } from './errors';
import { isAppError } from '../platform/errors';
import {
  decodeResume,
  encodeResume,
  parseResultPages,
  readPagesInOrder,
  UnexpectedResultPages,
  type ParallelResume,
  type ResultPagesBatch,
} from './bulk-result-pages';
import { parseBulkCsv } from './bulk-csv';
import { sfDateTime, type FieldType, type SfRecord } from './records';
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

  const reader: BulkReader = {
    ctx,
    spec,
    jobId,
    base,
    fields,
    total: job.numberRecordsProcessed ?? estimate,
    rows: state.progressRows,
    maxCursor: state.bulkMaxModstamp,
    startedAt: state.bulkStartedAt,
  };
  try {
    const saved = state.bulkLocator;
    const resume = decodeResume(saved);
    if (resume) return await readParallel(reader, resume);
    const version = state.bulkApiVersion ?? ctx.api.apiVersion;
    if (saved === null && ctx.settings.bulkParallelPages > 1 && resultPagesAvailable(version)) {
      const first = await firstResultPages(reader);
      if (first) return await readParallel(reader, { pages: first.urls, next: first.next });
    }
    return await readSequential(reader, saved);
  } catch (err) {
    if (!(err instanceof CsvPageError)) throw err;
    await restartBackfill(ctx, spec);
    throw new BulkFallback(err.message);
  }
}

/** What reading one job's results shares, and where it stands. */
interface BulkReader {
  ctx: RunContext;
  spec: ObjectSpec;
  jobId: string;
  /** /services/data/vXX.X/jobs/query, in the version that created the job. */
  base: string;
  fields: Record<string, FieldType>;
  total: number;
  rows: number;
  maxCursor: Date | null;
  /** The job's createdDate in Salesforce's clock: the watermark once the last page is in (sync-window.ts). */
  startedAt: Date | null;
}

/** Pages one after another, each asked with the locator the previous one answered (Sforce-Locator). */
async function readSequential(r: BulkReader, saved: string | null): Promise<number> {
  const { ctx, base, jobId } = r;
  let locator = saved;
  for (;;) {
    const query = `maxRecords=${ctx.settings.bulkPageSize}${locator ? `&locator=${encodeURIComponent(locator)}` : ''}`;
    const page = await fetchResults(r, `${base}/${jobId}/results?${query}`);
    const records = parsePage(r, page.body);
    const next = page.headers.get('sforce-locator');
    const done = !next || next === 'null';
    await writeBulkPage(r, records, done ? null : next);
    if (done) return r.rows;
    locator = next;
  }
}

/** Pages listed by resultPages, downloaded `bulkParallelPages` at a time, written in list order. */
async function readParallel(r: BulkReader, resume: ParallelResume): Promise<number> {
  const { ctx } = r;
  if (resume.pages.length === 0 && !resume.next) {
    // Salesforce listed no page at all (an empty result): the object is in.
    await writeBulkPage(r, [], null);
    return r.rows;
  }
  const pages = readPagesInOrder({
    resume,
    parallel: ctx.settings.bulkParallelPages,
    fetchPage: async (url) => parsePage(r, (await fetchResults(r, url)).body),
    fetchBatch: (url) => fetchResultPages(r, url),
  });
  for await (const { page, after } of pages) {
    const done = after.pages.length === 0 && !after.next;
    await writeBulkPage(r, page, done ? null : encodeResume(after));
    if (done) return r.rows;
  }
  return r.rows;
}

/** Whether the org's API version has resultPages (58.0 and later). */
function resultPagesAvailable(apiVersion: string): boolean {
  return Number(apiVersion) >= 58;
}

/**
 * The job's first set of result URIs, or null when the org does not offer resultPages: an older
 * API version or an org without it answers 4xx (404 for a resource it does not have), and the job
 * is then read through its locator as before.
 */
async function firstResultPages(r: BulkReader): Promise<ResultPagesBatch | null> {
  try {
    // Not through fetchResults: a 404 here means no resultPages, not a job gone (it was just polled).
    const page = await r.ctx.api.getRaw(`${r.base}/${r.jobId}/resultPages`, 'application/json');
    return parseResultPages(page.body, r.base.replace(/\/jobs\/query$/, ''));
  } catch (err) {
    const status = (err as { statusCode?: number }).statusCode ?? 0;
    const refused = !isAppError(err) && status >= 400 && status < 500 && status !== 401;
    if (!refused && !(err instanceof UnexpectedResultPages)) throw err;
    r.ctx.logger.info(
      { object: r.spec.name, job: r.jobId, code: salesforceCode(err) },
      'resultPages not available: reading the Bulk API results one page after another',
    );
    return null;
  }
}

async function fetchResultPages(r: BulkReader, url: string): Promise<ResultPagesBatch> {
  const page = await fetchResults(r, url, 'application/json');
  return parseResultPages(page.body, r.base.replace(/\/jobs\/query$/, ''));
}

/** A results (or resultPages) GET; a job or locator Salesforce no longer knows starts the backfill over. */
async function fetchResults(r: BulkReader, url: string, accept = 'text/csv') {
  try {
    return await r.ctx.api.getRaw(url, accept);
  } catch (err) {
    if (salesforceCode(err) === 'NOT_FOUND' || salesforceCode(err) === 'INVALIDLOCATOR')
      await restartBackfill(r.ctx, r.spec);
    throw err;
  }
}

function parsePage(r: BulkReader, body: string): SfRecord[] {
  try {
    return parseBulkCsv(body, r.fields);
  } catch (err) {
    // Downloading the same page again would fail the same way, run after run.
    throw new CsvPageError(
      `A results page of the Bulk API job ${r.jobId} for ${r.spec.name} could not be read as CSV (${(err as Error).message})`,
    );
  }
}

class CsvPageError extends Error {}

/**
 * One page into the history with the point to resume after it (null once the last is in). Bulk
 * results come in no order: the checkpoint is set only once the whole object is in, and the REST
 * pass then catches up from it.
 */
async function writeBulkPage(r: BulkReader, records: SfRecord[], resumeAfter: string | null): Promise<void> {
  const { ctx, spec } = r;
  const newest = newestCursor(spec, records);
  if (newest && (!r.maxCursor || newest > r.maxCursor)) r.maxCursor = newest;
  const done = resumeAfter === null;
  r.rows += records.length;
  const maxCursor = r.maxCursor;
  const startedAt = r.startedAt;
  // With the last page the job's start becomes the watermark: its query ran after it was
  // created, so every record committed before then is in (sync-window.ts).
  await writePage(ctx, spec, records, r.rows, async (tx) => {
    await updateObjectState(tx, ctx.connection.id, spec.name, {
      bulkLocator: resumeAfter,
      bulkMaxModstamp: maxCursor,
      progressRows: r.rows,
      ...(done ? { bulkJobId: null, bulkApiVersion: null, bulkStartedAt: null, checkpoint: maxCursor } : {}),
    });
    if (done && startedAt) await advanceWatermark(tx, ctx.connection.id, spec.name, startedAt);
  });
  ctx.logger.info({ object: spec.name, rows: r.rows, total: r.total }, 'bulk backfill progress');
  ctx.onProgress?.({ object: spec.name, rows: r.rows, total: r.total, phase: 'bulk' });
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
