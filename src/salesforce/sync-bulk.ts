// The first backfill of a large object through Bulk API 2.0 (queryAll). The job id and the
// results locator are saved after each page, so a crash resumes the same job where it stopped;
// the checkpoint is set when the last page is written, and the REST pass then catches up.
import { parse } from 'csv-parse/sync';
import { fromCsvCell, sfDateTime, type SfRecord } from './records';
import type { ObjectSpec } from './objects';
import type { RunContext } from './run-context';
import { writePage } from './sync-incremental';
import { objectState, updateObjectState } from './sync-state';

interface BulkJob {
  id: string;
  state: 'UploadComplete' | 'InProgress' | 'Aborted' | 'JobComplete' | 'Failed';
  numberRecordsProcessed?: number;
  errorMessage?: string;
}

export class BulkJobNotReadyError extends Error {}

/** Whether this object's first backfill should go through Bulk API 2.0, and its size. */
export async function bulkBackfillSize(ctx: RunContext, spec: ObjectSpec): Promise<number | null> {
  const state = await objectState(ctx.db, ctx.connection.id, spec.name);
  if (state.bulkJobId) return state.progressTotal ?? 0;
  if (state.checkpoint) return null;
  const count = await ctx.api.queryPage(`SELECT COUNT() FROM ${spec.name}`, true);
  return count.totalSize > ctx.settings.bulkThreshold ? count.totalSize : null;
}

export async function syncBulk(ctx: RunContext, spec: ObjectSpec, estimate: number): Promise<number> {
  const base = `/services/data/v${ctx.api.apiVersion}/jobs/query`;
  const fields = spec.fields(ctx.mapping);
  let state = await objectState(ctx.db, ctx.connection.id, spec.name);
  let jobId = state.bulkJobId;
  if (!jobId) {
    const job = await ctx.api.post<BulkJob>(base, { operation: 'queryAll', query: `SELECT ${Object.keys(fields).join(', ')} FROM ${spec.name}` });
    jobId = job.id;
    await updateObjectState(ctx.db, ctx.connection.id, spec.name, {
      bulkJobId: jobId, bulkLocator: null, bulkMaxModstamp: null, progressRows: 0, progressTotal: estimate,
    });
    state = await objectState(ctx.db, ctx.connection.id, spec.name);
    ctx.logger.info({ object: spec.name, job: jobId, estimate }, 'bulk backfill started');
  }
  const job = await waitForJob(ctx, `${base}/${jobId}`);
  if (job.state !== 'JobComplete') {
    await updateObjectState(ctx.db, ctx.connection.id, spec.name, { bulkJobId: null, bulkLocator: null, bulkMaxModstamp: null });
    throw new Error(`the Bulk API job for ${spec.name} ended ${job.state}${job.errorMessage ? `: ${job.errorMessage}` : ''}; the next run starts a new one`);
  }

  let locator = state.bulkLocator;
  let rows = state.progressRows;
  let maxCursor = state.bulkMaxModstamp;
  for (;;) {
    const query = `maxRecords=${ctx.settings.bulkPageSize}${locator ? `&locator=${encodeURIComponent(locator)}` : ''}`;
    const { body, headers } = await ctx.api.getRaw(`${base}/${jobId}/results?${query}`, 'text/csv');
    const records = parseCsv(body, fields);
    for (const r of records) {
      const at = sfDateTime(r[spec.cursor]);
      if (at && (!maxCursor || at > maxCursor)) maxCursor = at;
    }
    const next = headers.get('sforce-locator');
    const done = !next || next === 'null';
    rows += records.length;
    // Versions, then the resume point; the checkpoint only once the whole object is in.
    await writePage(ctx, spec, records, rows).then(() => undefined);
    await updateObjectState(ctx.db, ctx.connection.id, spec.name, {
      bulkLocator: done ? null : next, bulkMaxModstamp: maxCursor, progressRows: rows,
      ...(done ? { bulkJobId: null, checkpoint: maxCursor } : {}),
    });
    ctx.logger.info({ object: spec.name, rows, total: job.numberRecordsProcessed ?? estimate }, 'bulk backfill progress');
    if (done) return rows;
    locator = next;
  }
}

async function waitForJob(ctx: RunContext, path: string): Promise<BulkJob> {
  const deadline = Date.now() + ctx.settings.bulkPollTimeoutMs;
  let delay = 1000;
  for (;;) {
    const job = await ctx.api.get<BulkJob>(path);
    if (job.state === 'JobComplete' || job.state === 'Failed' || job.state === 'Aborted') return job;
    if (Date.now() + delay > deadline) {
      throw new BulkJobNotReadyError(`the Bulk API job ${job.id} is still ${job.state}; the next run picks it up where it is`);
    }
    await ctx.sleep(delay);
    delay = Math.min(delay * 2, 30_000);
  }
}

function parseCsv(body: string, fields: Record<string, import('./records').FieldType>): SfRecord[] {
  if (body.trim() === '') return [];
  const rows = parse(body, { columns: true, skip_empty_lines: true }) as Record<string, string>[];
  return rows.map((row) => {
    const record: SfRecord = {};
    for (const [field, type] of Object.entries(fields)) record[field] = fromCsvCell(type, row[field] ?? '');
    return record;
  });
}
