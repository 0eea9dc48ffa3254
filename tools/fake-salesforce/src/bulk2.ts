// Bulk API 2.0 query jobs: create (UploadComplete), poll (InProgress, then JobComplete after a
// delay so pollers are exercised), CSV results paged with Sforce-Locator, abort and delete.
import { gzipSync } from 'node:zlib';
import { Router, type Request } from 'express';
import { stringify } from 'csv-stringify/sync';
import { z } from 'zod';
import type { FakeContext } from './context';
import { RestError, notFound } from './errors';
import { randomId } from './ids';
import { LAZY_ABOVE } from './rest-query';
import { compileSoql, selectSlots, visible, type CompiledQuery } from './soql';
import type { Table } from './table';
import { formatDateTime, toCsv, type Row } from './values';

const DELIMITERS = { COMMA: ',', TAB: '\t', PIPE: '|', SEMICOLON: ';', CARET: '^', BACKQUOTE: '`' } as const;
const createJob = z.object({
  operation: z.enum(['query', 'queryAll']),
  query: z.string().min(1),
  contentType: z.literal('CSV').default('CSV'),
  columnDelimiter: z.enum(Object.keys(DELIMITERS) as [keyof typeof DELIMITERS]).default('COMMA'),
  lineEnding: z.enum(['LF', 'CRLF']).default('LF'),
});
const DEFAULT_MAX_RECORDS = 100_000;

type Job = z.output<typeof createJob> & {
  id: string;
  /** Set when the org makes this object's jobs fail (failBulkJobs). */
  failure: { state: 'Failed' | 'Aborted'; errorMessage: string } | null;
  object: string;
  createdDate: number;
  startedAt: number;
  aborted: boolean;
  apiVersion: number;
  query: string;
  compiled: CompiledQuery;
  /** The result's rows as of job creation, or (above LAZY_ABOVE rows) which rows, read page by page. */
  rows: Row[] | { table: Table; slots: number[] };
};

const resultSize = (job: Job) => (Array.isArray(job.rows) ? job.rows.length : job.rows.slots.length);
function resultRows(job: Job, start: number, end: number): Row[] {
  const { rows } = job;
  const fields = job.compiled.fields;
  return Array.isArray(rows)
    ? rows.slice(start, end)
    : rows.slots.slice(start, end).map((s) => rows.table.read(s, fields));
}

export function bulk2Router(ctx: FakeContext): Router {
  const router = Router({ mergeParams: true });
  const jobs = new Map<string, Job>();

  const state = (job: Job) => {
    if (job.aborted) return 'Aborted';
    const elapsed = Date.now() - job.startedAt; // wall time: the delay is real even with a frozen clock
    const delay = ctx.options.bulkJobDelayMs;
    if (elapsed >= delay) return job.failure?.state ?? 'JobComplete';
    return elapsed >= delay / 2 ? 'InProgress' : 'UploadComplete';
  };
  const info = (job: Job) => ({
    id: job.id,
    operation: job.operation,
    object: job.object,
    createdById: ctx.store.userId,
    createdDate: formatDateTime(job.createdDate),
    systemModstamp: formatDateTime(job.createdDate),
    state: state(job),
    concurrencyMode: 'Parallel',
    contentType: 'CSV',
    apiVersion: job.apiVersion,
    lineEnding: job.lineEnding,
    columnDelimiter: job.columnDelimiter,
  });
  const detail = (job: Job) => ({
    ...info(job),
    jobType: 'V2Query',
    retries: 0,
    isPkChunkingSupported: true,
    numberRecordsProcessed: state(job) === 'JobComplete' ? resultSize(job) : 0,
    totalProcessingTime: state(job) === 'JobComplete' ? ctx.options.bulkJobDelayMs : 0,
    // "The error message shown for jobs with errors" (Get Information About a Query Job).
    ...(job.failure && state(job) === job.failure.state ? { errorMessage: job.failure.errorMessage, retries: 15 } : {}),
  });
  const jobOf = (req: Request<{ jobId: string }>) => {
    const job = jobs.get(req.params.jobId);
    if (!job) throw notFound();
    return job;
  };

  router.post('/jobs/query', (req: Request<{ version: string }>, res) => {
    const parsed = createJob.safeParse(req.body);
    if (!parsed.success)
      throw new RestError(
        400,
        'INVALIDJOB',
        `Invalid job: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`,
      );
    const compiled = compileSoql(visible(ctx), parsed.data.query);
    if (compiled instanceof RestError) throw compiled;
    if (compiled.count)
      throw new RestError(400, 'INVALIDJOB', 'Aggregate queries are not supported by Bulk API 2.0 query jobs');
    const job: Job = {
      ...parsed.data,
      id: randomId('750'),
      object: compiled.object.name,
      createdDate: ctx.now(),
      startedAt: Date.now(),
      aborted: false,
      failure: ctx.behaviour.bulkFailures.get(compiled.object.name) ?? null,
      apiVersion: Number(req.params.version.slice(1)),
      compiled,
      rows: [],
    };
    const table = ctx.store.table(compiled.object.name);
    const slots = selectSlots(compiled, table, parsed.data.operation === 'queryAll');
    job.rows = slots.length > LAZY_ABOVE ? { table, slots } : slots.map((s) => table.read(s));
    jobs.set(job.id, job);
    res.json(info(job));
  });

  router.get('/jobs/query', (_req, res) => {
    res.json({ done: true, records: [...jobs.values()].map(info), nextRecordsUrl: null });
  });

  router.get('/jobs/query/:jobId', (req: Request<{ jobId: string }>, res) => void res.json(detail(jobOf(req))));

  router.patch('/jobs/query/:jobId', (req: Request<{ jobId: string }>, res) => {
    const job = jobOf(req);
    const body = z.object({ state: z.literal('Aborted') }).safeParse(req.body);
    if (!body.success)
      throw new RestError(400, 'INVALIDJOBSTATE', 'The only state a query job can be set to is Aborted');
    if (state(job) === 'JobComplete')
      throw new RestError(400, 'INVALIDJOBSTATE', 'Job is already complete and cannot be aborted');
    job.aborted = true;
    res.json(info(job));
  });

  router.delete('/jobs/query/:jobId', (req: Request<{ jobId: string }>, res) => {
    jobs.delete(jobOf(req).id);
    res.status(204).end();
  });

  router.get('/jobs/query/:jobId/results', (req: Request<{ version: string; jobId: string }>, res) => {
    const job = jobOf(req);
    // "Use the same API version to get query results that you used to create the query.
    // Otherwise, the call returns a 409 error." (Get Results for a Query Job)
    if (Number(req.params.version.slice(1)) !== job.apiVersion) {
      throw new RestError(
        409,
        'INVALIDJOB',
        `The job was created with API version ${job.apiVersion.toFixed(1)}: get its results with that version.`,
      );
    }
    const current = state(job);
    if (current !== 'JobComplete') {
      throw new RestError(
        412,
        'JOB_NOT_COMPLETE',
        `can only download query results of successfully completed bulk job with status: JOB_COMPLETE. Current status: ${current === 'Aborted' ? 'ABORTED' : 'IN_PROGRESS'}`,
      );
    }
    const start = typeof req.query.locator === 'string' ? decodeLocator(req.query.locator) : 0;
    const max = Number(req.query.maxRecords ?? DEFAULT_MAX_RECORDS);
    if (start === null || !Number.isInteger(max) || max < 1)
      throw new RestError(400, 'INVALIDLOCATOR', 'invalid locator or maxRecords');
    const rows = resultRows(job, start, start + max);
    const next = start + rows.length;
    res.set({
      'Content-Type': 'text/csv; charset=UTF-8',
      'Sforce-NumberOfRecords': String(rows.length),
      'Sforce-Locator': next < resultSize(job) ? encodeLocator(next) : 'null',
    });
    // "When you get the results of a query job, the response body is always compressed."
    if (/\bgzip\b/.test(req.get('accept-encoding') ?? '')) {
      // The fastest level: the double's CPU goes to the reader, not to saving loopback bytes.
      res.set({ 'Content-Encoding': 'gzip', Vary: 'Accept-Encoding' }).send(gzipSync(csv(job, rows), { level: 1 }));
    } else res.send(csv(job, rows));
  });

  return router;
}

/** RFC 4180 CSV with a header row; every value quoted, null left empty, as Bulk API 2.0 prints it. */
function csv(job: Job, rows: Row[]): string {
  const fields = job.compiled.fields;
  return stringify([fields.map((f) => f.name), ...rows.map((r) => fields.map((f) => toCsv(f, r[f.name] ?? null)))], {
    delimiter: DELIMITERS[job.columnDelimiter],
    record_delimiter: job.lineEnding === 'CRLF' ? 'windows' : 'unix',
    quoted: true,
  });
}

/** Locators are opaque strings to clients (Salesforce's look like "MTAwMDA"): here, the offset in base64. */
const encodeLocator = (offset: number) => Buffer.from(String(offset)).toString('base64url');
function decodeLocator(locator: string): number | null {
  const n = Number(Buffer.from(locator, 'base64url').toString());
  return Number.isInteger(n) && n >= 0 ? n : null;
}
