// A Salesforce org simulated with nock: query/queryAll with nextRecordsUrl paging over the
// SOQL the sync sends, getDeleted, OAuth token and revoke, Sforce-Limit-Info on every REST
// response, and faults queued per path. Bodies are shaped like Salesforce's own.
import nock from 'nock';

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

export class NockOrg {
  readonly records: Record<string, SfRecord[]> = {};
  readonly deleted: Record<string, { id: string; deletedDate: string }[]> = {};
  readonly queries: string[] = [];
  readonly faults: Fault[] = [];
  usage = { used: 100, max: 15_000 };
  /** getDeleted's earliestDateAvailable: deletions before it were purged from the log. */
  deleteLogStart = '2026-01-01T00:00:00.000+0000';
  pageSize = 2;
  /** Counts REST calls (each adds one to usage). */
  calls = 0;
  private cursors = new Map<string, { object: string; rows: SfRecord[] }>();
  private cursorSeq = 0;

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

  fault(match: RegExp, status: number, body: unknown, times = 1, delayMs?: number): this {
    this.faults.push({ match, status, body, times, ...(delayMs ? { delayMs } : {}) });
    return this;
  }

  /** Installs the interceptors (persisting until nock.cleanAll()). */
  intercept(): this {
    nock(INSTANCE)
      .persist()
      .get(/^\/services\/data\/v62\.0\/(query|queryAll|sobjects)\b/) // Bulk job paths are left to each test
      .delay(0)
      .reply((uri) => this.rest(uri));
    return this;
  }

  private rest(uri: string): nock.ReplyFnResult {
    this.calls += 1;
    // Faults match the decoded URI, plus " object=<name>" for nextRecordsUrl pages.
    const cursor = /\/query\/(\w+)-\d+$/.exec(uri)?.[1];
    const target = `${decodeURIComponent(uri)}${cursor ? ` object=${this.cursors.get(cursor)?.object}` : ''}`;
    const fault = this.faults.find((f) => f.times > 0 && f.match.test(target));
    const headers = () => ({
      'Sforce-Limit-Info': `api-usage=${this.usage.used}/${this.usage.max}`,
      'Content-Type': 'application/json;charset=UTF-8',
    });
    if (fault) {
      fault.times -= 1;
      return [fault.status, JSON.stringify(fault.body), headers()];
    }
    this.usage.used += 1;
    const url = new URL(uri, INSTANCE);
    const path = url.pathname.slice(API.length);
    if (path === '/query' || path === '/queryAll') {
      const [status, body] = this.query(url.searchParams.get('q')!, path === '/queryAll');
      return [status, body as nock.ReplyBody, headers()];
    }
    const more = /^\/query\/(\w+)-(\d+)$/.exec(path);
    if (more) return [200, this.page(more[1]!, Number(more[2])), headers()];
    const del = /^\/sobjects\/(\w+)\/deleted\/$/.exec(path);
    if (del)
      return [
        200,
        {
          deletedRecords: this.deleted[del[1]!] ?? [],
          earliestDateAvailable: this.deleteLogStart,
          latestDateCovered: url.searchParams.get('end'),
        },
        headers(),
      ];
    return [404, [{ errorCode: 'NOT_FOUND', message: 'The requested resource does not exist' }], headers()];
  }

  private query(soql: string, all: boolean): [number, unknown] {
    this.queries.push(soql);
    const m = /^SELECT (.+?) FROM (\w+)(?: WHERE (\w+) >= (\S+))?(?: ORDER BY .*)?$/.exec(soql);
    if (!m) return [400, [{ errorCode: 'MALFORMED_QUERY', message: `nock org cannot answer: ${soql}` }]];
    const [, fields, object, cursor, since] = m;
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
    let rows = (this.records[object!] ?? []).filter((r) => all || !r.IsDeleted);
    if (fields === 'COUNT()') return [200, { totalSize: rows.length, done: true, records: [] }];
    if (cursor && since)
      rows = rows.filter((r) => Date.parse(String(r[cursor]).replace(/\+0000$/, 'Z')) >= Date.parse(since));
    if (cursor)
      rows = [...rows].sort(
        (a, b) =>
          Date.parse(String(a[cursor]).replace(/\+0000$/, 'Z')) -
            Date.parse(String(b[cursor]).replace(/\+0000$/, 'Z')) || (a.Id < b.Id ? -1 : 1),
      );
    const id = `01g${String(++this.cursorSeq).padStart(12, '0')}`;
    this.cursors.set(id, { object: object!, rows });
    return [200, this.page(id, 0)];
  }

  private page(cursorId: string, offset: number) {
    const rows = this.cursors.get(cursorId)?.rows ?? [];
    const slice = rows.slice(offset, offset + this.pageSize);
    const done = offset + this.pageSize >= rows.length;
    return {
      totalSize: rows.length,
      done,
      records: slice,
      ...(done ? {} : { nextRecordsUrl: `${API}/query/${cursorId}-${offset + this.pageSize}` }),
    };
  }
}

export const sfTime = (iso: string) => iso.replace(/Z$/, '').replace(/(\.\d{3})?$/, (ms) => ms || '.000') + '+0000';

/** Salesforce's error bodies, as they arrive. */
export const SF_ERRORS = {
  invalidSession: [{ message: 'Session expired or invalid', errorCode: 'INVALID_SESSION_ID' }],
  limitExceeded: [{ message: 'TotalRequests Limit exceeded.', errorCode: 'REQUEST_LIMIT_EXCEEDED' }],
  unavailable: [{ message: 'Server temporarily unavailable', errorCode: 'SERVER_UNAVAILABLE' }],
  invalidField: (field: string, object: string) => [
    {
      message: `\nSELECT Id, ${field} FROM ${object}\n           ^\nERROR at Row:1:Column:12\nNo such column '${field}' on entity '${object}'. If you are attempting to use a custom field, be sure to append the '__c' after the custom field name. Please reference your WSDL or the describe call for the appropriate names.`,
      errorCode: 'INVALID_FIELD',
    },
  ],
  invalidGrant: { error: 'invalid_grant', error_description: 'expired access/refresh token' },
};
