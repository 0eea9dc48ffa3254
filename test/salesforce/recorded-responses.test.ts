// Every recorded response of test/fixtures/salesforce replayed through the real client with nock,
// and what the client understands of it. The fixtures come from Salesforce's documentation and
// public connectors' recordings (each file names its source), never from our code's output.
import { readdirSync } from 'node:fs';
import path from 'node:path';
import nock from 'nock';
import { SalesforceApi } from '../../src/salesforce/api-client';
import {
  describeSalesforceError,
  isTerminalGrantError,
  salesforceCode,
  tokenUnavailable,
} from '../../src/salesforce/errors';
import { sfAmount, sfDateTime } from '../../src/salesforce/records';
import { postTokenRequest } from '../../src/salesforce/token-endpoint';
import { isAppError } from '../../src/platform/errors';
import { testLogger } from '../support/logger';
import { API, INSTANCE, LOGIN } from '../support/nock-salesforce';
import { nockApp } from '../support/salesforce-fixtures';
import { recorded, replyOf } from '../support/salesforce-recorded';

beforeAll(() => nock.disableNetConnect());
afterEach(() => nock.cleanAll());
afterAll(() => nock.enableNetConnect());

const client = () =>
  new SalesforceApi({
    app: nockApp,
    token: { accessToken: 'AT', instanceUrl: INSTANCE, tokenVersion: 1 },
    refresh: () => Promise.reject(new Error('no refresh in this test')),
    budgetPercent: 80,
    logger: testLogger,
    sleep: () => Promise.resolve(),
  });
const token = () => postTokenRequest(LOGIN, { grant_type: 'refresh_token', refresh_token: 'RT' }, 1_000);
const failureOf = async (p: Promise<unknown>) =>
  p.then(
    () => null,
    (err: unknown) => err,
  );

const REPLAYED = new Set<string>();
const replay = (name: string) => {
  REPLAYED.add(name);
  return replyOf(name);
};

describe('the token endpoint', () => {
  it('gives the tokens, instance and identity URL of oauth-token-authorization-code and oauth-token-refresh', async () => {
    for (const name of ['oauth-token-authorization-code', 'oauth-token-refresh']) {
      nock(LOGIN)
        .post('/services/oauth2/token')
        .reply(...replay(name));
      const answer = await token();
      expect(answer).toMatchObject({ instance_url: 'https://acme.my.salesforce.com', token_type: 'Bearer' });
      expect(answer.id).toMatch(/\/id\/00D5g00000AcmeOAAA\/0055g00000AdmiUAAA$/);
      expect(answer.issued_at).toMatch(/^\d{13}$/);
    }
  });

  it.each([
    ['oauth-error-expired-token', 'terminal'],
    ['oauth-error-inactive-user', 'terminal'],
    ['oauth-error-concurrent-refresh', 'passing'],
    ['oauth-error-unavailable-html', 'passing'],
  ])('classifies %s as %s', async (name, kind) => {
    nock(LOGIN)
      .post('/services/oauth2/token')
      .reply(...replay(name));
    const err = await failureOf(token());
    if (kind === 'terminal') expect(isTerminalGrantError(err)).toBe(true);
    else expect(isAppError(err, 'salesforce_token_unavailable')).toBe(true);
  });
});

describe('REST query pages', () => {
  it('reads rest-queryall-page-1 and -2 exactly: attributes, +0000 datetimes, 1.25E7 as 12,500,000.00', async () => {
    nock(INSTANCE)
      .get(`${API}/queryAll`)
      .query(true)
      .reply(...replay('rest-queryall-page-1'));
    nock(INSTANCE)
      .get(`${API}/query/01gD0000002HU6KIAW-2`)
      .reply(...replay('rest-queryall-page-2'));
    const api = client();
    const first = await api.queryPage<Record<string, unknown>>('SELECT Id FROM Opportunity', true);
    expect(first).toMatchObject({ totalSize: 3, done: false, nextRecordsUrl: `${API}/query/01gD0000002HU6KIAW-2` });
    expect(first.records.map((r) => sfAmount(r.Amount))).toEqual(['150000.00', '12500000.00']);
    expect(sfDateTime(first.records[0]!.SystemModstamp)!.toISOString()).toBe('2026-03-04T17:30:00.000Z');
    const last = await api.nextPage<Record<string, unknown>>(first.nextRecordsUrl!);
    expect(last.done).toBe(true);
    expect(last.records[0]).toMatchObject({ IsDeleted: true, Amount: '20000.5' });
    expect(api.apiUsage).toEqual({ used: 26, max: 15_000 });
  });

  it('counts from rest-count, and reads the history pages of rest-contacthistory-page and rest-fielddefinition-tracked', async () => {
    nock(INSTANCE)
      .get(`${API}/queryAll`)
      .query(true)
      .reply(...replay('rest-count'));
    expect((await client().queryPage('SELECT COUNT() FROM Contact', true)).totalSize).toBe(128_450);
    nock(INSTANCE)
      .get(`${API}/queryAll`)
      .query(true)
      .reply(...replay('rest-contacthistory-page'));
    const history = await client().queryPage<Record<string, unknown>>('SELECT Id FROM ContactHistory', true);
    expect(history.records[0]).toMatchObject({ Field: 'Email', OldValue: 'frank.old@initech.example' });
    nock(INSTANCE)
      .get(`${API}/query`)
      .query(true)
      .reply(...replay('rest-fielddefinition-tracked'));
    const defs = await client().queryPage<Record<string, unknown>>(
      'SELECT QualifiedApiName FROM FieldDefinition',
      false,
    );
    expect(defs.records.map((r) => [r.QualifiedApiName, r.IsFieldHistoryTracked])).toEqual([
      ['Email', true],
      ['Phone', false],
    ]);
  });

  it.each([
    ['rest-error-total-requests', /daily API requests .* REQUEST_LIMIT_EXCEEDED/],
    ['rest-error-concurrent-long-requests', /too many long-running requests at once .* not the daily API budget/],
    [
      'rest-error-invalid-field',
      /refused a field we read .*No such column 'Amount' on entity 'Opportunity'.*field-level security/,
    ],
    ['rest-error-api-disabled', /needs the "API Enabled" permission/],
    ['rest-error-invalid-query-locator', /INVALID_QUERY_LOCATOR/],
  ])('says %s in words an admin acts on', async (name, words) => {
    nock(INSTANCE)
      .get(`${API}/queryAll`)
      .query(true)
      .times(5)
      .reply(...replay(name));
    const err = await failureOf(client().queryPage('SELECT Id FROM Opportunity', true));
    expect(describeSalesforceError(err)).toMatch(words);
  });

  it('retries rest-error-query-timeout and rest-error-invalid-session is refreshed once', async () => {
    nock(INSTANCE)
      .get(`${API}/queryAll`)
      .query(true)
      .reply(...replay('rest-error-query-timeout'));
    nock(INSTANCE).get(`${API}/queryAll`).query(true).reply(200, { totalSize: 0, done: true, records: [] });
    expect((await client().queryPage('SELECT Id FROM Contact', true)).totalSize).toBe(0);
    nock(INSTANCE)
      .get(`${API}/queryAll`)
      .query(true)
      .reply(...replay('rest-error-invalid-session'));
    nock(INSTANCE).get(`${API}/queryAll`).query(true).reply(200, { totalSize: 0, done: true, records: [] });
    let refreshed = 0;
    const api = new SalesforceApi({
      app: nockApp,
      token: { accessToken: 'AT', instanceUrl: INSTANCE, tokenVersion: 1 },
      refresh: async () => ({ accessToken: `AT-${++refreshed}`, instanceUrl: INSTANCE, tokenVersion: 2 }),
      budgetPercent: 80,
      logger: testLogger,
      sleep: () => Promise.resolve(),
    });
    expect((await api.queryPage('SELECT Id FROM Contact', true)).totalSize).toBe(0);
    expect(refreshed).toBe(1);
  });
});

describe('getDeleted, limits and Bulk API 2.0', () => {
  it('reads get-deleted and says get-deleted-exceeded-id-limit by its code', async () => {
    nock(INSTANCE)
      .get(/\/sobjects\/OpportunityContactRole\/deleted\//)
      .reply(...replay('get-deleted'));
    const deleted = await client().get<{
      deletedRecords: { id: string; deletedDate: string }[];
      latestDateCovered: string;
    }>(`${API}/sobjects/OpportunityContactRole/deleted/?start=2026-03-05T00:00:00Z&end=2026-03-08T00:00:00Z`);
    expect(deleted.deletedRecords).toEqual([
      { id: '00K5g00000Role09AAA', deletedDate: '2026-03-06T15:57:00.000+0000' },
    ]);
    nock(INSTANCE)
      .get(/\/sobjects\/Contact\/deleted\//)
      .reply(...replay('get-deleted-exceeded-id-limit'));
    const err = await failureOf(client().get(`${API}/sobjects/Contact/deleted/?start=x&end=y`));
    expect(salesforceCode(err)).toBe('EXCEEDED_ID_LIMIT');
  });

  it('keeps a refresh failure as classified when jsforce wraps it in its one message', async () => {
    nock(INSTANCE)
      .get(`${API}/limits`)
      .reply(...replay('rest-error-invalid-session'));
    const api = new SalesforceApi({
      app: nockApp,
      token: { accessToken: 'AT', instanceUrl: INSTANCE, tokenVersion: 1 },
      refresh: () => Promise.reject(tokenUnavailable('HTTP 503 with an HTML page instead of JSON')),
      budgetPercent: 80,
      logger: testLogger,
      sleep: () => Promise.resolve(),
    });
    const err = await failureOf(api.get(`${API}/limits`));
    expect(isAppError(err, 'salesforce_token_unavailable')).toBe(true);
    expect(isAppError(err, 'salesforce_reauthorization_required')).toBe(false);
  });

  it('reads limits', async () => {
    nock(INSTANCE)
      .get(`${API}/limits`)
      .reply(...replay('limits'));
    const limits = await client().get<{ DailyApiRequests: { Max: number; Remaining: number } }>(`${API}/limits`);
    expect(limits.DailyApiRequests).toEqual({ Max: 15_000, Remaining: 14_959 });
  });

  it('reads a job through bulk2-job-created, -complete and -failed, and gzip CSV pages with their locator', async () => {
    nock(INSTANCE)
      .post(`${API}/jobs/query`)
      .reply(...replay('bulk2-job-created'));
    nock(INSTANCE)
      .get(`${API}/jobs/query/7505g00000Job01AAA`)
      .reply(...replay('bulk2-job-complete'));
    nock(INSTANCE)
      .get(`${API}/jobs/query/7505g00000Job02AAA`)
      .reply(...replay('bulk2-job-failed'));
    const api = client();
    expect(
      await api.post(`${API}/jobs/query`, { operation: 'queryAll', query: 'SELECT Id FROM Contact' }),
    ).toMatchObject({
      state: 'UploadComplete',
      apiVersion: 62,
    });
    expect(await api.get(`${API}/jobs/query/7505g00000Job01AAA`)).toMatchObject({
      state: 'JobComplete',
      numberRecordsProcessed: 3,
    });
    expect(await api.get(`${API}/jobs/query/7505g00000Job02AAA`)).toMatchObject({
      state: 'Failed',
      errorMessage: 'Retried more than 15 times',
    });
    nock(INSTANCE)
      .get(`${API}/jobs/query/7505g00000Job01AAA/results`)
      .query(true)
      .reply(...replay('bulk2-results-page'));
    nock(INSTANCE)
      .get(`${API}/jobs/query/7505g00000Job01AAA/results`)
      .query(true)
      .reply(...replay('bulk2-results-last-page'));
    const page = await api.getRaw(`${API}/jobs/query/7505g00000Job01AAA/results?maxRecords=10000`, 'text/csv');
    expect(page.headers.get('sforce-locator')).toBe('MTAwMDA');
    expect(page.body).toContain('"1.25E7"');
    const last = await api.getRaw(`${API}/jobs/query/7505g00000Job01AAA/results?locator=MTAwMDA`, 'text/csv');
    expect(last.headers.get('sforce-locator')).toBe('null');
    nock(INSTANCE)
      .get('/services/data/v63.0/jobs/query/7505g00000Job01AAA/results')
      .reply(...replay('bulk2-results-wrong-version'));
    const wrong = await failureOf(api.getRaw('/services/data/v63.0/jobs/query/7505g00000Job01AAA/results', 'text/csv'));
    expect(salesforceCode(wrong)).toBe('INVALIDJOB');
  });
});

describe('the fixtures', () => {
  it('are all replayed here or, for the identity URL, by the connection tests', () => {
    const files = readdirSync(path.join(__dirname, '..', 'fixtures', 'salesforce'))
      .filter((f) => f.endsWith('.json'))
      .map((f) => f.replace(/\.json$/, ''));
    const elsewhere = ['identity', 'identity-forbidden-without-scope'];
    expect(files.filter((f) => !REPLAYED.has(f) && !elsewhere.includes(f))).toEqual([]);
    for (const f of files) expect(recorded(f).source).toMatch(/https:\/\//);
  });
});
