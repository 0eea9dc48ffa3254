// What real orgs do that the double now does too (issue 9; docs/salesforce-behaviours.md lists
// each with its source): Java-double Bulk CSV, gzip and version-bound results, failed Bulk jobs,
// contact roles deleted directly, NUL passing through, refresh errors, scope-gated identity,
// EXCEEDED_ID_LIMIT, concurrency limits, field history, field-level security, lost API access.
import { fakeSalesforceOptions } from '../src/options';
import type { FakeSalesforce, FakeSalesforceOptions } from '../src';
import { authorize, rest, startFake, testClock, type TestClock, type Tokens } from './fake-salesforce-client';

let clock: TestClock;
const open: FakeSalesforce[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((f) => f.close()));
});

async function org(extra: Partial<FakeSalesforceOptions> = {}, scope?: string) {
  clock = testClock();
  const fake = await startFake(clock, { accessTokenTtlMs: 86_400_000, ...extra });
  open.push(fake);
  const { tokens } = await authorize(fake, scope);
  return { fake, tokens, api: (path: string, init?: RequestInit) => rest(fake, tokens.access_token, path, init) };
}

const V = '/services/data/v62.0';
const soql = (q: string) => `${V}/queryAll?q=${encodeURIComponent(q)}`;

async function bulkResults(fake: FakeSalesforce, tokens: Tokens, query: string, version = '62.0') {
  const api = (path: string, init?: RequestInit) => rest(fake, tokens.access_token, path, init);
  const job = (
    await api(`${V}/jobs/query`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ operation: 'queryAll', query }),
    })
  ).body as { id: string };
  for (let i = 0; i < 50; i++) {
    const info = (await api(`${V}/jobs/query/${job.id}`)).body as { state: string };
    if (info.state !== 'UploadComplete' && info.state !== 'InProgress') break;
    await new Promise((r) => setTimeout(r, 20));
  }
  return { job, results: await api(`/services/data/v${version}/jobs/query/${job.id}/results`) };
}

describe('Bulk API 2.0 results', () => {
  it('print currency as Java doubles: "150000.0", "1.25E7", "0.01", "1.0E-4"', async () => {
    const { fake, tokens } = await org();
    for (const amount of [150000, 12500000, 0.01, 0.0001])
      fake.org.create('Opportunity', {
        Name: `A${amount}`,
        StageName: 'Prospecting',
        CloseDate: '2026-06-30',
        Amount: amount,
      });
    const { results } = await bulkResults(fake, tokens, 'SELECT Name, Amount FROM Opportunity');
    expect(results.status).toBe(200);
    expect(String(results.body).trim().split('\n').slice(1)).toEqual([
      '"A150000","150000.0"',
      '"A12500000","1.25E7"',
      '"A0.01","0.01"',
      '"A0.0001","1.0E-4"',
    ]);
  });

  it('are compressed for a client that accepts gzip, and served only to the API version of the job (409)', async () => {
    const { fake, tokens } = await org();
    fake.org.create('Contact', { LastName: 'Zip' });
    const { job, results } = await bulkResults(fake, tokens, 'SELECT LastName FROM Contact');
    expect(results.status).toBe(200);
    const raw = await fetch(`${fake.url}${V}/jobs/query/${job.id}/results`, {
      headers: { authorization: `Bearer ${tokens.access_token}`, 'accept-encoding': 'gzip' },
    });
    expect(raw.headers.get('content-encoding')).toBe('gzip');
    expect(await raw.text()).toContain('"Zip"'); // fetch decompresses it
    const other = await rest(fake, tokens.access_token, `/services/data/v63.0/jobs/query/${job.id}/results`);
    expect(other.status).toBe(409);
    expect(other.body).toEqual([
      {
        errorCode: 'INVALIDJOB',
        message: 'The job was created with API version 62.0: get its results with that version.',
      },
    ]);
  });

  it('end Failed, with the errorMessage Salesforce gives, for an object the org fails', async () => {
    const { fake, tokens } = await org();
    fake.failBulkJobs('Opportunity');
    const { job, results } = await bulkResults(fake, tokens, 'SELECT Name FROM Opportunity');
    const info = (await rest(fake, tokens.access_token, `${V}/jobs/query/${job.id}`)).body;
    expect(info).toMatchObject({ state: 'Failed', errorMessage: 'Retried more than 15 times' });
    expect(results.status).toBe(412);
  });
});

describe('Bulk API 2.0 parallel results (resultPages, API 58.0 and later)', () => {
  // https://developer.salesforce.com/docs/atlas.en-us.api_asynch.meta/api_asynch/query_get_parallel_job_results.htm
  async function contacts(n: number) {
    const { fake, tokens, api } = await org({ bulkResultPageRecords: 5 });
    for (let i = 0; i < n; i++) fake.org.create('Contact', { LastName: `C${String(i).padStart(2, '0')}` });
    const { job } = await bulkResults(fake, tokens, 'SELECT LastName FROM Contact');
    return { api, job };
  }
  const names = (csv: unknown) =>
    String(csv)
      .trim()
      .split('\n')
      .slice(1)
      .map((line) => line.replace(/"/g, ''));

  it('lists up to five result URIs with locators, then the next set, each page downloadable on its own', async () => {
    const { api, job } = await contacts(32);
    const first = await api(`${V}/jobs/query/${job.id}/resultPages`);
    expect(first.status).toBe(200);
    const body = first.body as { resultPages: { resultUrl: string }[]; nextRecordsUrl: string | null; done: boolean };
    expect(body.done).toBe(false);
    expect(body.resultPages).toHaveLength(5);
    for (const p of body.resultPages)
      expect(p.resultUrl).toMatch(new RegExp(`^${V}/jobs/query/${job.id}/results\\?locator=[\\w-]+$`));
    expect(body.nextRecordsUrl).toMatch(new RegExp(`^${V}/jobs/query/${job.id}/resultPages\\?locator=`));
    const second = (await api(body.nextRecordsUrl!)).body as typeof body;
    expect(second).toMatchObject({ done: true, nextRecordsUrl: null });
    expect(second.resultPages).toHaveLength(2);

    // Downloaded in parallel, in any order: together every row once.
    const pages = await Promise.all([...body.resultPages, ...second.resultPages].map((p) => api(p.resultUrl)));
    expect(pages.map((p) => p.status)).toEqual([200, 200, 200, 200, 200, 200, 200]);
    expect(pages.map((p) => p.headers.get('sforce-numberofrecords'))).toEqual(['5', '5', '5', '5', '5', '5', '2']);
    expect(pages.map((p) => p.headers.get('sforce-locator'))).toEqual(Array(7).fill('null'));
    const all = pages.flatMap((p) => names(p.body));
    expect(all).toEqual(Array.from({ length: 32 }, (_, i) => `C${String(i).padStart(2, '0')}`));
  });

  it('pages a listed page further with maxRecords, never past its end, and keeps the locator path as it was', async () => {
    const { api, job } = await contacts(12);
    const { resultPages } = (await api(`${V}/jobs/query/${job.id}/resultPages`)).body as {
      resultPages: { resultUrl: string }[];
    };
    const part = await api(`${resultPages[1]!.resultUrl}&maxRecords=3`);
    expect(names(part.body)).toEqual(['C05', 'C06', 'C07']);
    const rest2 = await api(
      `${V}/jobs/query/${job.id}/results?locator=${part.headers.get('sforce-locator')!}&maxRecords=3`,
    );
    expect(names(rest2.body)).toEqual(['C08', 'C09']);
    expect(rest2.headers.get('sforce-locator')).toBe('null');
    const sequential = await api(`${V}/jobs/query/${job.id}/results?maxRecords=10`);
    expect(names(sequential.body)).toHaveLength(10);
    expect(sequential.headers.get('sforce-locator')).not.toBe('null');
  });

  it("is not there before API 58.0 (404), answers 409 to another version than the job's, and lists nothing for no rows", async () => {
    const { api, job } = await contacts(3);
    const old = await api(`/services/data/v57.0/jobs/query/${job.id}/resultPages`);
    expect(old.status).toBe(404);
    expect(old.body).toEqual([{ errorCode: 'NOT_FOUND', message: 'The requested resource does not exist' }]);
    expect((await api(`/services/data/v63.0/jobs/query/${job.id}/resultPages`)).status).toBe(409);

    const { fake, tokens } = await org();
    const empty = await bulkResults(fake, tokens, 'SELECT LastName FROM Lead');
    const none = await rest(fake, tokens.access_token, `${V}/jobs/query/${empty.job.id}/resultPages`);
    expect(none.body).toEqual({ resultPages: [], nextRecordsUrl: null, done: true });
  });
});

describe('REST query results', () => {
  it('print currency as Java doubles too, from 10^7 on in exponent notation', async () => {
    const { fake, tokens } = await org();
    fake.org.create('Opportunity', {
      Name: 'Big',
      StageName: 'Prospecting',
      CloseDate: '2026-06-30',
      Amount: 12500000,
    });
    const res = await fetch(`${fake.url}${soql('SELECT Amount FROM Opportunity')}`, {
      headers: { authorization: `Bearer ${tokens.access_token}` },
    });
    expect(await res.text()).toContain('"Amount":1.25E7');
  });
});

describe('Bulk API 2.0 CSV', () => {
  it('quotes a value holding a comma, a quote and a line break, as RFC 4180 does', async () => {
    const { fake, tokens } = await org();
    fake.org.create('Account', { Name: 'Globex, "platform" deal\nphase 2' });
    const { results } = await bulkResults(fake, tokens, 'SELECT Name FROM Account');
    expect(String(results.body)).toBe('"Name"\n"Globex, ""platform"" deal\nphase 2"\n');
  });
});

describe('deletions', () => {
  it('of a contact role made directly skip the recycle bin: gone from queryAll, listed by getDeleted', async () => {
    const { fake, api } = await org();
    const opp = fake.org.create('Opportunity', { Name: 'O', StageName: 'Prospecting', CloseDate: '2026-06-30' });
    const contact = fake.org.create('Contact', { LastName: 'C' });
    const role = fake.org.create('OpportunityContactRole', { OpportunityId: opp, ContactId: contact });
    clock.advance(60_000);
    expect((await api(`${V}/sobjects/OpportunityContactRole/${role}`, { method: 'DELETE' })).status).toBe(204);
    clock.advance(120_000);
    expect(((await api(soql('SELECT Id FROM OpportunityContactRole'))).body as { totalSize: number }).totalSize).toBe(
      0,
    );
    const deleted = await api(
      `${V}/sobjects/OpportunityContactRole/deleted/?start=2026-03-05T11:00:00Z&end=2026-03-05T12:10:00Z`,
    );
    expect((deleted.body as { deletedRecords: { id: string }[] }).deletedRecords.map((d) => d.id)).toEqual([role]);
  });

  it('answer EXCEEDED_ID_LIMIT when a getDeleted window holds more ids than the limit', async () => {
    const { fake, api } = await org({ getDeletedIdLimit: 1 });
    for (const n of ['A', 'B']) fake.org.delete('Contact', fake.org.create('Contact', { LastName: n }));
    clock.advance(120_000);
    const res = await api(`${V}/sobjects/Contact/deleted/?start=2026-03-05T11:00:00Z&end=2026-03-05T12:10:00Z`);
    expect(res.status).toBe(400);
    expect(res.body).toEqual([
      {
        errorCode: 'EXCEEDED_ID_LIMIT',
        message: 'record limit reached. cannot submit more than 1 records into this call',
      },
    ]);
  });
});

describe('text', () => {
  it('passes a NUL character through, in REST JSON and in Bulk CSV, as Salesforce does', async () => {
    const { fake, tokens, api } = await org();
    fake.org.create('Contact', { LastName: 'Nul', Email: 'eve@globex.example', FirstName: 'E\u0000ve' });
    const json = (await api(soql('SELECT FirstName FROM Contact'))).body as { records: { FirstName: string }[] };
    expect(json.records[0]!.FirstName).toBe('E\u0000ve');
    const { results } = await bulkResults(fake, tokens, 'SELECT FirstName FROM Contact');
    expect(String(results.body)).toContain('E\u0000ve');
  });
});

describe('the token endpoint and the identity URL', () => {
  it('refuses a refresh while another of the same token is processed: invalid_grant "token request is already being processed"', async () => {
    const { fake, tokens } = await org({ tokenRefreshMs: 200 });
    const refresh = () =>
      fetch(`${fake.url}/services/oauth2/token`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({
          grant_type: 'refresh_token',
          refresh_token: tokens.refresh_token!,
          client_id: 'test-client-id',
        }),
      });
    const answers = await Promise.all([refresh(), refresh()]);
    expect(answers.map((a) => a.status).sort()).toEqual([200, 400]);
    const refused = answers.find((a) => a.status === 400)!;
    expect(await refused.json()).toEqual({
      error: 'invalid_grant',
      error_description: 'token request is already being processed',
    });
  });

  it('answers a refresh for a deactivated user with invalid_grant "authentication failure"', async () => {
    const { fake, tokens } = await org();
    fake.deactivateUser();
    const res = await fetch(`${fake.url}/services/oauth2/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        grant_type: 'refresh_token',
        refresh_token: tokens.refresh_token!,
        client_id: 'test-client-id',
      }),
    });
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({ error: 'invalid_grant', error_description: 'authentication failure' });
  });

  it('serves the identity URL only to a token granted the id scope', async () => {
    const withId = await org();
    expect((await rest(withId.fake, withId.tokens.access_token, new URL(withId.tokens.id).pathname)).status).toBe(200);
    const without = await org({}, 'api refresh_token');
    const res = await rest(without.fake, without.tokens.access_token, new URL(without.tokens.id).pathname);
    expect(res).toMatchObject({ status: 403, body: 'Bad_OAuth_Token' });
  });

  it('ends a session after 2 hours by default, as Salesforce\u2019s default session timeout', () => {
    expect(fakeSalesforceOptions.parse({ clientId: 'c', clientSecret: 's' }).accessTokenTtlMs).toBe(2 * 3_600_000);
  });
});

describe('limits and access', () => {
  it('refuses requests beyond the concurrent long-running limit with REQUEST_LIMIT_EXCEEDED ConcurrentPerOrgLongTxn', async () => {
    const { fake, api } = await org({ concurrentRequestLimit: 1 });
    fake.injectFault({ match: /\/limits$/, delayMs: 300 });
    const [slow, refused] = await Promise.all([
      api(`${V}/limits`),
      new Promise((r) => setTimeout(r, 50)).then(() => api(soql('SELECT Id FROM Contact'))),
    ]);
    expect(slow.status).toBe(200);
    expect(refused).toMatchObject({
      status: 403,
      body: [{ errorCode: 'REQUEST_LIMIT_EXCEEDED', message: 'ConcurrentPerOrgLongTxn Limit exceeded.' }],
    });
  });

  it('hides a field from the API by field-level security: not in describe, INVALID_FIELD in SOQL', async () => {
    const { fake, api } = await org();
    fake.hideField('Opportunity', 'Amount');
    const describe = (await api(`${V}/sobjects/Opportunity/describe`)).body as { fields: { name: string }[] };
    expect(describe.fields.map((f) => f.name)).not.toContain('Amount');
    const res = await api(soql('SELECT Id, Amount FROM Opportunity'));
    expect(res.status).toBe(400);
    expect((res.body as { errorCode: string; message: string }[])[0]).toMatchObject({
      errorCode: 'INVALID_FIELD',
      message: expect.stringContaining("No such column 'Amount' on entity 'Opportunity'"),
    });
  });

  it('refuses every call of a user who lost "API Enabled"', async () => {
    const { fake, api } = await org();
    fake.setApiAccess(false);
    expect(await api(soql('SELECT Id FROM Contact'))).toMatchObject({
      status: 403,
      body: [{ errorCode: 'API_CURRENTLY_DISABLED', message: 'API is disabled for this User' }],
    });
  });
});

describe('field history', () => {
  it('records ContactHistory for a tracked Email change, and FieldDefinition says it is tracked', async () => {
    const { fake, api } = await org();
    const id = fake.org.create('Contact', { LastName: 'Lee', Email: 'frank.old@initech.example' });
    clock.advance(60_000);
    fake.org.update('Contact', id, { Email: 'frank@initech.example' });
    const history = (
      await api(soql("SELECT ContactId, Field, OldValue, NewValue FROM ContactHistory WHERE Field IN ('Email')"))
    ).body as { records: Record<string, unknown>[] };
    expect(history.records).toMatchObject([
      { ContactId: id, Field: 'Email', OldValue: 'frank.old@initech.example', NewValue: 'frank@initech.example' },
    ]);
    const defs = (
      await api(
        `${V}/query?q=${encodeURIComponent("SELECT QualifiedApiName, IsFieldHistoryTracked FROM FieldDefinition WHERE EntityDefinitionId = 'Contact'")}`,
      )
    ).body as { records: Record<string, unknown>[] };
    expect(defs.records).toEqual(
      expect.arrayContaining([expect.objectContaining({ QualifiedApiName: 'Email', IsFieldHistoryTracked: true })]),
    );
  });

  it('has no ContactHistory at all where tracking is off (INVALID_TYPE)', async () => {
    const { api } = await org({ fieldHistory: false });
    const res = await api(soql('SELECT Id FROM ContactHistory LIMIT 1'));
    expect(res.status).toBe(400);
    expect((res.body as { errorCode: string }[])[0]!.errorCode).toBe('INVALID_TYPE');
  });
});
