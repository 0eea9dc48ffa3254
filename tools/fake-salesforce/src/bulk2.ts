// Bulk API 2.0 query jobs: create (UploadComplete), poll (InProgress, then JobComplete after a
// delay so pollers are exercised), CSV results paged with Sforce-Locator, the parallel result
// pages of API 58.0 and later (resultPages), abort and delete.
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
    const at = typeof req.query.locator === 'string' ? decodeLocator(req.query.locator) : { start: 0, end: null };
    const max = Number(req.query.maxRecords ?? DEFAULT_MAX_RECORDS);
    if (at === null || !Number.isInteger(max) || max < 1)
      throw new RestError(400, 'INVALIDLOCATOR', 'invalid locator or maxRecords');
    // A page listed by resultPages ends where the next listed page starts.
    const end = Math.min(at.end ?? Infinity, resultSize(job));
    const rows = resultRows(job, at.start, Math.min(at.start + max, end));
    const next = at.start + rows.length;
    res.set({
      'Content-Type': 'text/csv; charset=UTF-8',
      'Sforce-NumberOfRecords': String(rows.length),
      'Sforce-Locator': next < end ? encodeLocator(next, at.end) : 'null',
    });
    // "When you get the results of a query job, the response body is always compressed."
    if (/\bgzip\b/.test(req.get('accept-encoding') ?? '')) {
      // The fastest level: the double's CPU goes to the reader, not to saving loopback bytes.
      res.set({ 'Content-Encoding': 'gzip', Vary: 'Accept-Encoding' }).send(gzipSync(csv(job, rows), { level: 1 }));
    } else res.send(csv(job, rows));
  });

  // "Get Parallel Results for a Query Job" (API 58.0 and later): "Returns up to five URIs in one
  // response to use to get results for a query job. The job must have the state jobComplete.",
  // with "the same API version that you used to create the query. Otherwise, the call returns a
  // 409 error." Response: resultPages[].resultUrl ("the request URI with the locator for getting
  // data"), nextRecordsUrl ("the URI for getting the next set of resultUrl URIs") and done ("true
  // if there are no more resultUrl URIs").
  // https://developer.salesforce.com/docs/atlas.en-us.api_asynch.meta/api_asynch/query_get_parallel_job_results.htm
  // Not documented, so chosen here: each page holds bulkResultPageRecords rows; nextRecordsUrl is
  // this resource with a locator, and null once done (as a connector saw a real org answer:
  // msrivastav13/node-sf-bulk2 pull request 35); an empty result lists no page.
  router.get('/jobs/query/:jobId/resultPages', (req: Request<{ version: string; jobId: string }>, res) => {
    const version = Number(req.params.version.slice(1));
    // A resource an API version does not have is a 404 NOT_FOUND, as for any unknown URI.
    if (version < RESULT_PAGES_SINCE) throw notFound();
    const job = jobOf(req);
    if (version !== job.apiVersion) {
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
    const from = typeof req.query.locator === 'string' ? decodeLocator(req.query.locator) : { start: 0, end: null };
    if (from === null) throw new RestError(400, 'INVALIDLOCATOR', 'invalid locator');
    const size = resultSize(job);
    const per = ctx.options.bulkResultPageRecords;
    const jobPath = `/services/data/${req.params.version}/jobs/query/${job.id}`;
    const resultPages: { resultUrl: string }[] = [];
    let start = from.start;
    while (start < size && resultPages.length < RESULT_PAGES_PER_RESPONSE) {
      const end = Math.min(start + per, size);
      resultPages.push({ resultUrl: `${jobPath}/results?locator=${encodeLocator(start, end)}` });
      start = end;
    }
    const done = start >= size;
    res.json({
      resultPages,
      nextRecordsUrl: done ? null : `${jobPath}/resultPages?locator=${encodeLocator(start)}`,
      done,
    });
  });

  return router;
}

/** The API version resultPages first appeared in, and the most URIs one answer lists. */
const RESULT_PAGES_SINCE = 58;
const RESULT_PAGES_PER_RESPONSE = 5;

/** RFC 4180 CSV with a header row; every value quoted, null left empty, as Bulk API 2.0 prints it. */
function csv(job: Job, rows: Row[]): string {
  const fields = job.compiled.fields;
  return stringify([fields.map((f) => f.name), ...rows.map((r) => fields.map((f) => toCsv(f, r[f.name] ?? null)))], {
    delimiter: DELIMITERS[job.columnDelimiter],
    record_delimiter: job.lineEnding === 'CRLF' ? 'windows' : 'unix',
    quoted: true,
  });
}

/**
 * Locators are opaque strings to clients (Salesforce's look like "MTAwMDA"): here, the offset in
 * base64, and for a page resultPages listed, where that page ends ("offset-end").
 */
const encodeLocator = (offset: number, end: number | null = null) =>
  Buffer.from(end === null ? String(offset) : `${offset}-${end}`).toString('base64url');
function decodeLocator(locator: string): { start: number; end: number | null } | null {
  const m = /^(\d+)(?:-(\d+))?$/.exec(Buffer.from(locator, 'base64url').toString());
  if (!m) return null;
  const start = Number(m[1]);
  const end = m[2] === undefined ? null : Number(m[2]);
  return Number.isSafeInteger(start) && (end === null || (Number.isSafeInteger(end) && end >= start))
    ? { start, end }
    : null;
}
