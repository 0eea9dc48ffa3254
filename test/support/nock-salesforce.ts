// A Salesforce org simulated with nock, answering in the shapes of the recorded responses of
// test/fixtures/salesforce (each names its source: Salesforce's documentation or a public
// connector's recording), never in shapes our client chose: query/queryAll with nextRecordsUrl
// paging over the SOQL the sync sends, Sforce-Limit-Info on every REST response, getDeleted over
// its window (with EXCEEDED_ID_LIMIT above its limit), and, when asked: Bulk API 2.0 query jobs
// (Java-double CSV, gzip, Sforce-Locator, results bound to the job's API version, Failed jobs),
// the token endpoint (a queue of recorded answers, then fresh tokens), access tokens that expire,
// limits and the identity URL. Faults are queued per path.
import { gzipSync } from 'node:zlib';
import nock from 'nock';
import { recorded } from './salesforce-recorded';

export type SfRecord = Record<string, unknown> & { Id: string };

export interface Fault {
  match: RegExp;
  status: number;
  body: unknown;
  times: number;
  delayMs?: number;
}

export const INSTANCE = 'https://acme.my.salesforce.com';
export const LOGIN = 'https://login.salesforce.com';
export const ORG_ID = '00D5g00000AcmeOAAA';
export const USER_ID = '0055g00000AdmiUAAA';
export const API = '/services/data/v62.0';

interface BulkJob {
  id: string;
  object: string;
  fields: string[];
  rows: SfRecord[];
  apiVersion: string;
  polls: number;
  failed: boolean;
}

type ReplyContext = { req: { headers: Record<string, string | string[] | undefined> } };

export class NockOrg {
  readonly records: Record<string, SfRecord[]> = {};
  readonly deleted: Record<string, { id: string; deletedDate: string }[]> = {};
  readonly queries: string[] = [];
  readonly faults: Fault[] = [];
  usage = { used: 100, max: 15_000 };
  /** getDeleted's earliestDateAvailable: deletions before it were purged from the log. */
  deleteLogStart = '2026-01-01T00:00:00.000+0000';
  /** getDeleted answers EXCEEDED_ID_LIMIT when a window holds more ids than this (Salesforce: 600,000). */
  deletedIdLimit = 600_000;
  pageSize = 2;
  /**
   * The org's clock. When set, every REST and Bulk response carries it in its Date header (as
   * Salesforce's servers do: an IMF-fixdate in whole seconds, RFC 9110 §6.6.1) and a Bulk job's
   * createdDate is it. Left null, responses carry no Date: how the sync behaves without one.
   */
  clock: Date | null = null;
  /** Counts REST calls (each adds one to usage). */
  calls = 0;
  /** Every getDeleted window asked, as "Object start end". */
  readonly deletedWindows: string[] = [];
  /** Objects whose Bulk query jobs end Failed (fixture bulk2-job-failed). */
  readonly failBulkJobs = new Set<string>();
  readonly bulkJobs = new Map<string, BulkJob>();
  /** Results downloads per job, to prove a page is not fetched again and again. */
  readonly resultDownloads: string[] = [];
  /** Rows in each page resultPages lists (Salesforce does not document the size). */
  resultPageRows = 2;
  /** An org (or API version) without resultPages: it answers 404 NOT_FOUND. */
  resultPagesUnavailable = false;
  /** With `serveTokens`: the access tokens the instance accepts (others get INVALID_SESSION_ID). */
  private liveTokens: Set<string> | null = null;
  /** With `serveTokens`: the recorded answers the token endpoint gives first, in order. */
  readonly tokenAnswers: string[] = [];
  readonly refreshTokensSeen: string[] = [];
  private tokenSeq = 1;
  private cursors = new Map<string, { object: string; rows: SfRecord[] }>();
  private cursorSeq = 0;
  private jobSeq = 0;

  constructor(public multiCurrency = false) {
    this.records.OpportunityStage = [
      {
        Id: '01J000000000001AAA',
        ApiName: 'Prospecting',
        MasterLabel: 'Prospecting',
        IsActive: true,
        IsClosed: false,
        IsWon: false,
      },
      {
        Id: '01J000000000002AAA',
        ApiName: 'Negotiation/Review',
        MasterLabel: 'Negotiation/Review',
        IsActive: true,
        IsClosed: false,
        IsWon: false,
      },
      {
        Id: '01J000000000003AAA',
        ApiName: 'Closed Won',
        MasterLabel: 'Closed Won',
        IsActive: true,
        IsClosed: true,
        IsWon: true,
      },
      {
        Id: '01J000000000004AAA',
        ApiName: 'Closed Lost',
        MasterLabel: 'Closed Lost',
        IsActive: true,
        IsClosed: true,
        IsWon: false,
      },
    ];
  }

  add(object: string, record: SfRecord): this {
    (this.records[object] ??= []).push({
      attributes: { type: object, url: `${API}/sobjects/${object}/${record.Id}` },
      ...record,
    });
    return this;
  }

  /**
   * Deleted without the recycle bin (a contact role deleted directly, or a bin emptied): gone from
   * queryAll, reported by getDeleted at `at` (CopyStorm, "Deleted Record Management").
   */
  hardDelete(object: string, id: string, at = new Date()): this {
    this.records[object] = (this.records[object] ?? []).filter((r) => r.Id !== id);
    (this.deleted[object] ??= []).push({ id, deletedDate: sfTime(at.toISOString()) });
    return this;
  }

  fault(match: RegExp, status: number, body: unknown, times = 1, delayMs?: number): this {
    this.faults.push({ match, status, body, times, ...(delayMs ? { delayMs } : {}) });
    return this;
  }

  /**
   * The login host's token endpoint: first the recorded answers queued in `tokenAnswers`, then a
   * fresh access token each time (rotated refresh tokens when `rotate`). Only live access tokens
   * are accepted by the instance from then on; `expireAccessTokens` ends them (the 2-hour session).
   */
  serveTokens(initialAccessToken: string, rotate = false): this {
    this.liveTokens = new Set([initialAccessToken]);
    nock(LOGIN)
      .persist()
      .post('/services/oauth2/token')
      .reply((_uri, body) => {
        const form = new URLSearchParams(String(body));
        if (form.get('refresh_token')) this.refreshTokensSeen.push(form.get('refresh_token')!);
        const next = this.tokenAnswers.shift();
        if (next) {
          const r = recorded(next);
          return [r.status, typeof r.body === 'string' ? r.body : JSON.stringify(r.body), r.headers];
        }
        const r = recorded('oauth-token-refresh');
        const access = `${ORG_ID.slice(0, 15)}!AT-${++this.tokenSeq}`;
        this.liveTokens!.add(access);
        const answer = {
          ...(r.body as Record<string, unknown>),
          access_token: access,
          instance_url: INSTANCE,
          id: `${LOGIN}/id/${ORG_ID}/${USER_ID}`,
          issued_at: String(Date.now()),
          ...(rotate ? { refresh_token: `5Aep861RT-${this.tokenSeq}` } : {}),
        };
        return [200, JSON.stringify(answer), r.headers];
      });
    return this;
  }

  expireAccessTokens(): void {
    this.liveTokens?.clear();
  }

  /** Installs the interceptors (persisting until nock.cleanAll()). */
  intercept(options: { bulk?: boolean } = {}): this {
    const rest = this.rest.bind(this);
    const createJob = this.createJob.bind(this);
    const jobRequest = this.jobRequest.bind(this);
    nock(INSTANCE)
      .persist()
      .get(/^\/services\/data\/v\d+\.\d\/(query|queryAll|sobjects|limits)\b/) // Bulk job paths: below, when asked
      .delay(0)
      .reply(function (this: ReplyContext, uri) {
        return rest(uri, this.req.headers.authorization);
      });
    if (options.bulk) {
      nock(INSTANCE)
        .persist()
        .post(/^\/services\/data\/v\d+\.\d\/jobs\/query$/)
        .reply(function (this: ReplyContext, uri, body) {
          return createJob(uri, body as { operation: string; query: string }, this.req.headers.authorization);
        })
        .get(/^\/services\/data\/v\d+\.\d\/jobs\/query\/\w+(\/results|\/resultPages)?/)
        .reply(function (this: ReplyContext, uri) {
          return jobRequest(uri, this.req.headers.authorization);
        });
    }
    return this;
  }

  private headers(contentType = 'application/json;charset=UTF-8') {
    return {
      'Sforce-Limit-Info': `api-usage=${this.usage.used}/${this.usage.max}`,
      'Content-Type': contentType,
      ...(this.clock ? { Date: this.clock.toUTCString() } : {}),
    };
  }

  /** A live session, or the recorded 401 (INVALID_SESSION_ID). */
  private sessionRefused(authorization: string | string[] | undefined): nock.ReplyFnResult | null {
    if (!this.liveTokens) return null;
    const token = /^Bearer (.+)$/.exec(String(authorization ?? ''))?.[1];
    if (token && this.liveTokens.has(token)) return null;
    const r = recorded('rest-error-invalid-session');
    return [r.status, JSON.stringify(r.body), this.headers()];
  }

  private rest(uri: string, authorization: string | string[] | undefined): nock.ReplyFnResult {
    this.calls += 1;
    // Faults match the decoded URI, plus " object=<name>" for nextRecordsUrl pages.
    const cursor = /\/query\/(\w+)-\d+$/.exec(uri)?.[1];
    const target = `${decodeURIComponent(uri)}${cursor ? ` object=${this.cursors.get(cursor)?.object}` : ''}`;
    const fault = this.faults.find((f) => f.times > 0 && f.match.test(target));
    if (fault) {
      fault.times -= 1;
      return [fault.status, typeof fault.body === 'string' ? fault.body : JSON.stringify(fault.body), this.headers()];
    }
    const refused = this.sessionRefused(authorization);
    if (refused) return refused;
    this.usage.used += 1;
    const url = new URL(uri, INSTANCE);
    const path = url.pathname.replace(/^\/services\/data\/v\d+\.\d/, '');
    if (path === '/query' || path === '/queryAll') {
      const [status, body] = this.query(url.searchParams.get('q')!, path === '/queryAll');
      return [status, salesforceJson(body), this.headers()];
    }
    const more = /^\/query\/(\w+)-(\d+)$/.exec(path);
    if (more) {
      if (!this.cursors.has(more[1]!)) {
        const r = recorded('rest-error-invalid-query-locator');
        return [r.status, JSON.stringify(r.body), this.headers()];
      }
      return [200, salesforceJson(this.page(more[1]!, Number(more[2]))), this.headers()];
    }
    if (path === '/limits') {
      const r = recorded('limits');
      const body = r.body as Record<string, { Max: number; Remaining: number }>;
      return [
        200,
        JSON.stringify({
          ...body,
          DailyApiRequests: { Max: this.usage.max, Remaining: this.usage.max - this.usage.used },
        }),
        this.headers(),
      ];
    }
    const del = /^\/sobjects\/(\w+)\/deleted\/$/.exec(path);
    if (del) return this.getDeleted(del[1]!, url);
    return [
      404,
      JSON.stringify([{ errorCode: 'NOT_FOUND', message: 'The requested resource does not exist' }]),
      this.headers(),
    ];
  }

  /** getDeleted (fixture get-deleted): deletions within [start, end], EXCEEDED_ID_LIMIT above the limit. */
  private getDeleted(object: string, url: URL): nock.ReplyFnResult {
    const start = url.searchParams.get('start')!;
    const end = url.searchParams.get('end')!;
    this.deletedWindows.push(`${object} ${start} ${end}`);
    const inWindow = (this.deleted[object] ?? []).filter(
      (d) => msOf(d.deletedDate) >= Date.parse(start) && msOf(d.deletedDate) <= Date.parse(end),
    );
    if (inWindow.length > this.deletedIdLimit) {
      const r = recorded('get-deleted-exceeded-id-limit');
      return [r.status, JSON.stringify(r.body), this.headers()];
    }
    return [
      200,
      JSON.stringify({
        deletedRecords: inWindow,
        earliestDateAvailable: this.deleteLogStart,
        latestDateCovered: sfTime(new Date(Math.floor(Date.parse(end) / 60_000) * 60_000).toISOString()),
      }),
      this.headers(),
    ];
  }

  private query(soql: string, all: boolean): [number, unknown] {
    this.queries.push(soql);
    const m = /^SELECT (.+?) FROM (\w+)(?: WHERE (.+?))?(?: ORDER BY (\w+) ASC, Id ASC)?(?: LIMIT (\d+))?$/.exec(soql);
    const conditions = m?.[3] ? parseConditions(m[3]) : [];
    if (!m || conditions === null)
      return [400, [{ errorCode: 'MALFORMED_QUERY', message: `nock org cannot answer: ${soql}` }]];
    const [, fields, object, , orderBy, limit] = m;
    if ((object === 'CurrencyType' || object === 'DatedConversionRate') && !this.multiCurrency) {
      return [
        400,
        [
          {
            errorCode: 'INVALID_TYPE',
            message: `\n${soql}\n${' '.repeat(soql.indexOf(object!))}^\nERROR at Row:1:Column:${soql.indexOf(object!) + 1}\nsObject type '${object}' is not supported. If you are attempting to use a custom object, be sure to append the '__c' after the entity name. Please reference your WSDL or the describe call for the appropriate names.`,
          },
        ],
      ];
    }
    // A History object exists only once field history tracking is on for its object.
    if (!(object! in this.records) && /History$/.test(object!) && object !== 'OpportunityHistory') {
      return [
        400,
        [
          {
            errorCode: 'INVALID_TYPE',
            message: `sObject type '${object}' is not supported. If you are attempting to use a custom object, be sure to append the '__c' after the entity name. Please reference your WSDL or the describe call for the appropriate names.`,
          },
        ],
      ];
    }
    let rows = (this.records[object!] ?? []).filter((r) => all || !r.IsDeleted);
    for (const c of conditions) rows = rows.filter(c);
    if (fields === 'COUNT()') return [200, { totalSize: rows.length, done: true, records: [] }];
    if (orderBy)
      rows = [...rows].sort((a, b) => msOf(String(a[orderBy])) - msOf(String(b[orderBy])) || (a.Id < b.Id ? -1 : 1));
    if (limit) rows = rows.slice(0, Number(limit));
    const id = `01g${String(++this.cursorSeq).padStart(12, '0')}`;
    this.cursors.set(id, { object: object!, rows });
    return [200, this.page(id, 0)];
  }

  /** A page in the shape of fixtures rest-queryall-page-1 and -2. */
  private page(cursorId: string, offset: number) {
    const rows = this.cursors.get(cursorId)?.rows ?? [];
    const slice = rows.slice(offset, offset + this.pageSize);
    const done = offset + this.pageSize >= rows.length;
    return {
      totalSize: rows.length,
      done,
      ...(done ? {} : { nextRecordsUrl: `${API}/query/${cursorId}-${offset + this.pageSize}` }),
      records: slice.map(doublesAsSalesforcePrintsThem),
    };
  }

  /** POST jobs/query (fixture bulk2-job-created). */
  private createJob(
    uri: string,
    body: { operation: string; query: string },
    authorization: unknown,
  ): nock.ReplyFnResult {
    const refused = this.sessionRefused(authorization as string);
    if (refused) return refused;
    this.usage.used += 1;
    const m = /^SELECT (.+) FROM (\w+)$/.exec(body.query);
    if (!m)
      return [
        400,
        JSON.stringify([{ errorCode: 'INVALIDJOB', message: `nock org cannot answer: ${body.query}` }]),
        this.headers(),
      ];
    const apiVersion = /\/v(\d+\.\d)\//.exec(uri)![1]!;
    const id = `7505g00000Job${String(++this.jobSeq).padStart(2, '0')}AAA`;
    const rows = (this.records[m[2]!] ?? []).filter((r) => body.operation === 'queryAll' || !r.IsDeleted);
    this.bulkJobs.set(id, {
      id,
      object: m[2]!,
      fields: m[1]!.split(', '),
      rows,
      apiVersion,
      polls: 0,
      failed: this.failBulkJobs.has(m[2]!),
    });
    const r = recorded('bulk2-job-created');
    const now = sfTime((this.clock ?? new Date()).toISOString());
    return [
      200,
      JSON.stringify({
        ...(r.body as object),
        id,
        object: m[2],
        operation: body.operation,
        apiVersion: Number(apiVersion),
        createdDate: now,
        systemModstamp: now,
      }),
      this.headers(),
    ];
  }

  /**
   * GET a job (InProgress, then JobComplete or Failed), its results (CSV, gzip, Sforce-Locator; 409
   * from another version) or its resultPages (up to five result URIs, nextRecordsUrl, done:
   * https://developer.salesforce.com/docs/atlas.en-us.api_asynch.meta/api_asynch/query_get_parallel_job_results.htm).
   */
  private jobRequest(uri: string, authorization: unknown): nock.ReplyFnResult {
    const refused = this.sessionRefused(authorization as string);
    if (refused) return refused;
    this.usage.used += 1;
    const url = new URL(uri, INSTANCE);
    const [, version, id, results] =
      /^\/services\/data\/v(\d+\.\d)\/jobs\/query\/(\w+)(\/results|\/resultPages)?$/.exec(url.pathname)!;
    const job = this.bulkJobs.get(id!);
    const notFound: nock.ReplyFnResult = [
      404,
      JSON.stringify([{ errorCode: 'NOT_FOUND', message: 'The requested resource does not exist' }]),
      this.headers(),
    ];
    if (!job || (results === '/resultPages' && this.resultPagesUnavailable)) return notFound;
    if (results === '/resultPages') {
      const jobPath = `/services/data/v${version}/jobs/query/${id}`;
      const from = url.searchParams.has('locator') ? Number(url.searchParams.get('locator')!.slice(1)) : 0;
      const resultPages: { resultUrl: string }[] = [];
      let start = from;
      while (start < job.rows.length && resultPages.length < 5) {
        const end = Math.min(start + this.resultPageRows, job.rows.length);
        resultPages.push({ resultUrl: `${jobPath}/results?locator=${locatorOf(start, end)}` });
        start = end;
      }
      const done = start >= job.rows.length;
      const body = { resultPages, nextRecordsUrl: done ? null : `${jobPath}/resultPages?locator=p${start}`, done };
      return [200, JSON.stringify(body), this.headers()];
    }
    if (!results) {
      job.polls += 1;
      const r = recorded(job.failed && job.polls > 1 ? 'bulk2-job-failed' : 'bulk2-job-complete');
      const state = job.polls === 1 ? 'InProgress' : job.failed ? 'Failed' : 'JobComplete';
      return [
        200,
        JSON.stringify({
          ...(r.body as object),
          id: job.id,
          object: job.object,
          apiVersion: Number(job.apiVersion),
          state,
          numberRecordsProcessed: state === 'JobComplete' ? job.rows.length : 0,
        }),
        this.headers(),
      ];
    }
    if (version !== job.apiVersion) {
      const r = recorded('bulk2-results-wrong-version');
      return [r.status, JSON.stringify(r.body), this.headers()];
    }
    this.resultDownloads.push(`${id}${url.search}`);
    const [start, pageEnd] = url.searchParams.has('locator')
      ? Buffer.from(url.searchParams.get('locator')!, 'base64url').toString().split('-').map(Number)
      : [0];
    const end = Math.min(pageEnd ?? Infinity, job.rows.length);
    const max = Number(url.searchParams.get('maxRecords') ?? 100_000);
    const rows = job.rows.slice(start, Math.min(start! + max, end));
    const next = start! + rows.length;
    const csv = [job.fields, ...rows.map((r) => job.fields.map((f) => csvCell(r[f])))]
      .map((cells) => cells.map((c) => `"${c.replace(/"/g, '""')}"`).join(','))
      .join('\n');
    return [
      200,
      gzipSync(`${csv}\n`),
      {
        ...this.headers('text/csv'),
        'Content-Encoding': 'gzip',
        'Sforce-NumberOfRecords': String(rows.length),
        'Sforce-Locator': next < end ? locatorOf(next, pageEnd ?? null) : 'null',
      },
    ];
  }
}

/** An opaque results locator: the offset, and where a page resultPages listed ends. */
const locatorOf = (start: number, end: number | null) =>
  Buffer.from(end === null ? String(start) : `${start}-${end}`).toString('base64url');

/** A REST JSON value as Bulk API 2.0 prints it in CSV (fixture bulk2-results-page). */
function csvCell(v: unknown): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'number') return javaDouble(v);
  if (typeof v === 'boolean') return String(v);
  const s = String(v);
  // REST datetimes end in +0000; Bulk CSV prints the same instant with a Z.
  return /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}\+0000$/.test(s) ? s.replace('+0000', 'Z') : s;
}

/**
 * Java's Double.toString: plain decimal with at least one fractional digit from 10^-3 up to 10^7,
 * "d.dddE±n" outside (forcedotcom/dataloader#161: 8.0E7; #1204: 9.9213206E7).
 */
export function javaDouble(n: number): string {
  const abs = Math.abs(n);
  if (abs === 0 || (abs >= 1e-3 && abs < 1e7)) {
    const plain = String(n);
    return plain.includes('.') ? plain : `${plain}.0`;
  }
  const [mantissa, exponent] = n.toExponential().split('e') as [string, string];
  return `${mantissa.includes('.') ? mantissa : `${mantissa}.0`}E${Number(exponent)}`;
}

/** The WHERE clauses the sync sends: `F >= datetime`, `F = 'text'`, `F IN ('a', 'b')`, joined by AND. */
function parseConditions(where: string): Array<(r: SfRecord) => boolean> | null {
  const out: Array<(r: SfRecord) => boolean> = [];
  for (const part of where.split(' AND ')) {
    let m = /^(\w+) >= (\d{4}-\d{2}-\d{2}T\S+)$/.exec(part);
    if (m) {
      const [, f, at] = m;
      out.push((r) => msOf(String(r[f!])) >= Date.parse(at!));
      continue;
    }
    m = /^(\w+) = '([^']*)'$/.exec(part);
    if (m) {
      const [, f, v] = m;
      out.push((r) => String(r[f!]) === v);
      continue;
    }
    m = /^(\w+) IN \(('[^']*'(?:, '[^']*')*)\)$/.exec(part);
    if (m) {
      const values = new Set([...m[2]!.matchAll(/'([^']*)'/g)].map((v) => v[1]));
      const f = m[1]!;
      out.push((r) => values.has(String(r[f])));
      continue;
    }
    return null;
  }
  return out;
}

const msOf = (sfDateTime: string) => Date.parse(sfDateTime.replace(/\+0000$/, 'Z'));

export const sfTime = (iso: string) => iso.replace(/Z$/, '').replace(/(\.\d{3})?$/, (ms) => ms || '.000') + '+0000';

/** Salesforce's error bodies, as they arrive (see test/fixtures/salesforce for their sources). */
const DOUBLE = '\u0001double:';

/** Record numbers as the REST API prints Java doubles (1.25E7 from 10^7 on; fixture rest-queryall-page-1). */
function doublesAsSalesforcePrintsThem(record: SfRecord): SfRecord {
  return Object.fromEntries(
    Object.entries(record).map(([k, v]) => [
      k,
      (typeof v === 'number' && !Number.isInteger(v)) || (typeof v === 'number' && Math.abs(v) >= 1e7)
        ? `${DOUBLE}${javaDouble(v)}`
        : v,
    ]),
  ) as SfRecord;
}

/** JSON.stringify, with the marked doubles written as bare JSON numbers in Java notation. */
export function salesforceJson(body: unknown): string {
  return JSON.stringify(body).replace(/"\\u0001double:([^"]+)"/g, '$1');
}

const bodyOf = (name: string) => recorded(name).body as nock.Body;

export const SF_ERRORS = {
  invalidSession: bodyOf('rest-error-invalid-session'),
  limitExceeded: bodyOf('rest-error-total-requests'),
  concurrentLimit: bodyOf('rest-error-concurrent-long-requests'),
  unavailable: [{ message: 'Server temporarily unavailable', errorCode: 'SERVER_UNAVAILABLE' }],
  invalidField: (field: string, object: string) => [
    {
      message: `\nSELECT Id, ${field} FROM ${object}\n           ^\nERROR at Row:1:Column:12\nNo such column '${field}' on entity '${object}'. If you are attempting to use a custom field, be sure to append the '__c' after the custom field name. Please reference your WSDL or the describe call for the appropriate names.`,
      errorCode: 'INVALID_FIELD',
    },
  ],
  invalidGrant: bodyOf('oauth-error-expired-token'),
};
