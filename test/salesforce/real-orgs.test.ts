// What real orgs send, each defect of issue 9 fed its real response shape (test/fixtures/salesforce
// names the source of each): Java-double Bulk CSV, NUL in text, records the database refuses,
// directly deleted contact roles, token-endpoint blips, failed Bulk jobs, version-bound results,
// EXCEEDED_ID_LIMIT, concurrency limits, dropped query locators and query timeouts.
import nock from 'nock';
import { eq, sql } from 'drizzle-orm';
import { getConnection, decryptAccessToken } from '../../src/salesforce/connection-store';
import { connectionStatus } from '../../src/salesforce/status';
import { runSync } from '../../src/salesforce/sync-run';
import { salesforceQuarantine } from '../../src/platform/db/schema';
import { useTestDatabase } from '../support/database';
import { API, INSTANCE, NockOrg, SF_ERRORS, sfTime } from '../support/nock-salesforce';
import { connectedWorkspace, nockApp, syncDeps } from '../support/salesforce-fixtures';
import { recorded, replyOf } from '../support/salesforce-recorded';
import { testSecrets } from '../support/service';

const database = useTestDatabase();
const secrets = testSecrets();

beforeAll(() => nock.disableNetConnect());
afterEach(() => nock.cleanAll());
afterAll(() => nock.enableNetConnect());

const contact = (id: string, email: string, at: string) => ({
  Id: id,
  FirstName: 'C',
  LastName: id.slice(-6),
  Email: email,
  AccountId: null,
  CreatedDate: sfTime(at),
  SystemModstamp: sfTime(at),
  IsDeleted: false,
});
const opportunity = (id: string, amount: unknown, at: string, extra: Record<string, unknown> = {}) => ({
  Id: id,
  Name: `Deal ${id.slice(-6)}`,
  AccountId: null,
  Amount: amount,
  StageName: 'Prospecting',
  IsClosed: false,
  IsWon: false,
  CloseDate: '2026-06-30',
  CreatedDate: sfTime(at),
  SystemModstamp: sfTime(at),
  IsDeleted: false,
  ...extra,
});
const role = (id: string, opportunityId: string, contactId: string, at: string) => ({
  Id: id,
  OpportunityId: opportunityId,
  ContactId: contactId,
  Role: 'Decision Maker',
  IsPrimary: true,
  CreatedDate: sfTime(at),
  SystemModstamp: sfTime(at),
  IsDeleted: false,
});

function emptyOrg(): NockOrg {
  const org = new NockOrg();
  for (const o of ['Contact', 'Lead', 'OpportunityHistory', 'Opportunity', 'OpportunityContactRole'])
    org.records[o] = [];
  return org;
}

const quarantineOf = (connectionId: string) =>
  database.db.select().from(salesforceQuarantine).where(eq(salesforceQuarantine.connectionId, connectionId));
const rowsOf = <T>(q: ReturnType<typeof sql>) => database.db.execute<T & Record<string, unknown>>(q);
const objectRow = async (connectionId: string, object: string) =>
  (
    await rowsOf<{
      checkpoint: string | null;
      last_note: string | null;
      last_nul_stripped: number;
      last_outcome: string;
    }>(
      sql`select checkpoint::text, last_note, last_nul_stripped, last_outcome from salesforce_sync_objects
          where connection_id = ${connectionId} and object = ${object}`,
    )
  )[0]!;

describe('Bulk API 2.0 CSV numbers (Java doubles)', () => {
  it('are stored exactly to the cent, "1.25E7" and "1.0E-2" included, from the recorded gzip results', async () => {
    const org = emptyOrg();
    // Four old rows, so COUNT() is above the threshold; the REST pass after the backfill skips them.
    for (const id of ['0065g00000Opp001AAA', '0065g00000Opp002AAA', '0065g00000Opp004AAA', '0065g00000Opp005AAA'])
      org.add('Opportunity', opportunity(id, 1, '2026-01-01T00:00:00Z'));
    const jobs = `${API}/jobs/query`;
    nock(INSTANCE)
      .post(jobs, (b) => b.operation === 'queryAll' && /FROM Opportunity$/.test(b.query))
      .reply(...replyOf('bulk2-job-created'));
    nock(INSTANCE)
      .get(`${jobs}/7505g00000Job01AAA`)
      .reply(...replyOf('bulk2-job-complete'));
    nock(INSTANCE)
      .get(`${jobs}/7505g00000Job01AAA/results`)
      .query({ maxRecords: '2' })
      .reply(...replyOf('bulk2-results-page'));
    nock(INSTANCE)
      .get(`${jobs}/7505g00000Job01AAA/results`)
      .query({ maxRecords: '2', locator: 'MTAwMDA' })
      .reply(...replyOf('bulk2-results-last-page'));
    org.intercept();
    const { workspace, connection } = await connectedWorkspace(database.db, secrets, 'java-doubles');
    const result = await runSync(syncDeps(database, secrets, { bulkThreshold: 3 }), connection.id, 'manual');
    expect(result.outcome).toBe('ok');
    const stored = await rowsOf<{ opportunity_id: string; amount: string; name: string }>(
      sql`select opportunity_id, amount::text, name from opportunity_versions where workspace_id = ${workspace.id} order by 1`,
    );
    expect(stored.map((r) => [r.opportunity_id, r.amount])).toEqual([
      ['0065g00000Opp001AAA', '150000.00'],
      ['0065g00000Opp002AAA', '12500000.00'],
      ['0065g00000Opp004AAA', '0.01'],
      ['0065g00000Opp005AAA', '123456789012.00'],
    ]);
    // A quoted cell keeps its comma, doubled quotes and line break.
    expect(stored[1]!.name).toBe('Globex, "platform" deal\nphase 2');
  });

  it('a results page that cannot be read is never downloaded again: the object is read through REST, and the status says why', async () => {
    const org = emptyOrg();
    for (let i = 1; i <= 4; i++)
      org.add('Contact', contact(`0035g00000Cont0${i}AAA`, `c${i}@acme.example`, `2026-03-0${i}T09:00:00Z`));
    const jobs = `${API}/jobs/query`;
    nock(INSTANCE)
      .post(jobs)
      .reply(...replyOf('bulk2-job-created'));
    nock(INSTANCE)
      .get(`${jobs}/7505g00000Job01AAA`)
      .reply(...replyOf('bulk2-job-complete'));
    const results = nock(INSTANCE)
      .get(`${jobs}/7505g00000Job01AAA/results`)
      .query(true)
      .reply(200, '"Id","Email\n"0035g00000Cont01AAA","unterminated', {
        'Content-Type': 'text/csv',
        'Sforce-Locator': 'MTAwMDA',
      });
    org.intercept();
    const { workspace, connection } = await connectedWorkspace(database.db, secrets, 'broken-csv');
    const deps = syncDeps(database, secrets, { bulkThreshold: 3 });
    expect((await runSync(deps, connection.id, 'manual')).outcome).toBe('ok');
    expect(results.isDone()).toBe(true);
    const [n] = await rowsOf<{ n: number }>(
      sql`select count(distinct contact_id)::int as n from contact_versions where workspace_id = ${workspace.id}`,
    );
    expect(n!.n).toBe(4);
    const state = await objectRow(connection.id, 'Contact');
    expect(state.last_note).toMatch(
      /results page of the Bulk API job 7505g00000Job01AAA for Contact could not be read as CSV .*; read through the REST API \(queryAll\) instead/,
    );
    // The next run goes on incrementally through REST: no job, no download.
    expect((await runSync(deps, connection.id, 'schedule')).outcome).toBe('ok');
    expect(nock.pendingMocks()).toEqual([]);
  });
});

describe('a Bulk job that ends Failed', () => {
  it('falls back to REST queryAll for that object, and the status says why (fixture bulk2-job-failed)', async () => {
    const org = emptyOrg();
    for (let i = 1; i <= 4; i++)
      org.add('Opportunity', opportunity(`0065g00000Opp00${i}AAA`, 1000 * i, `2026-03-0${i}T09:00:00Z`));
    org.failBulkJobs.add('Opportunity');
    org.intercept({ bulk: true });
    const { workspace, connection } = await connectedWorkspace(database.db, secrets, 'bulk-failed');
    expect((await runSync(syncDeps(database, secrets, { bulkThreshold: 3 }), connection.id, 'manual')).outcome).toBe(
      'ok',
    );
    const state = await objectRow(connection.id, 'Opportunity');
    expect(state.last_note).toMatch(
      /The Bulk API job 7505g00000Job01AAA for Opportunity ended Failed \(Retried more than 15 times\); read through the REST API/,
    );
    const [n] = await rowsOf<{ n: number }>(
      sql`select count(*)::int as n from opportunity_versions where workspace_id = ${workspace.id}`,
    );
    expect(n!.n).toBe(4);
    const status = await connectionStatus(database.db, workspace.id);
    expect(
      status.status !== 'not_connected' && status.objects.find((o) => o.object === 'Opportunity')!.lastRun.note,
    ).toMatch(/ended Failed/);
  });

  it('reads results with the API version that created the job, after an upgrade (409 otherwise)', async () => {
    const org = emptyOrg();
    for (let i = 1; i <= 4; i++)
      org.add('Contact', contact(`0035g00000Cont0${i}AAA`, `c${i}@acme.example`, `2026-03-0${i}T09:00:00Z`));
    org.intercept({ bulk: true });
    const { workspace, connection } = await connectedWorkspace(database.db, secrets, 'bulk-version');
    // The job is still running when the run's patience ends: the next run picks it up.
    const first = await runSync(
      syncDeps(database, secrets, { bulkThreshold: 3, bulkPollTimeoutMs: 0 }),
      connection.id,
      'manual',
    );
    expect(first.outcome).toBe('partial');
    // SALESFORCE_API_VERSION is upgraded meanwhile.
    const upgraded = { ...syncDeps(database, secrets, { bulkThreshold: 3 }), app: { ...nockApp, apiVersion: '63.0' } };
    expect((await runSync(upgraded, connection.id, 'schedule')).outcome).toBe('ok');
    expect(org.resultDownloads.length).toBeGreaterThan(0);
    const [n] = await rowsOf<{ n: number }>(
      sql`select count(distinct contact_id)::int as n from contact_versions where workspace_id = ${workspace.id}`,
    );
    expect(n!.n).toBe(4);
  });
});

describe('one record never blocks an object', () => {
  it('strips NUL from text and counts it; quarantines what the database refuses, with its SQLSTATE; the page commits', async () => {
    const org = emptyOrg();
    org.add('Contact', contact('0035g00000Nul001AAA', 'eve@globex.example\u0000', '2026-03-02T09:00:00Z'));
    org.add('Contact', {
      ...contact('0035g00000Nul002AAA', 'x@y.example', '2026-03-02T09:30:00Z'),
      LastName: 'O\u0000Hara',
    });
    org.add('Opportunity', opportunity('0065g00000Big001AAA', 1.0e20, '2026-03-03T09:00:00Z'));
    org.add(
      'Opportunity',
      opportunity('0065g00000Date01AAA', 5000, '2026-03-03T10:00:00Z', { CloseDate: '2026-02-30' }),
    );
    org.add('Opportunity', opportunity('0065g00000Good01AAA', 7000, '2026-03-03T11:00:00Z'));
    org.pageSize = 10;
    org.intercept();
    const { workspace, connection } = await connectedWorkspace(database.db, secrets, 'quarantine');
    const result = await runSync(syncDeps(database, secrets), connection.id, 'manual');
    expect(result.outcome).toBe('ok');

    const emails = await rowsOf<{ email: string; name: string }>(
      sql`select email, name from contact_versions where workspace_id = ${workspace.id} order by contact_id`,
    );
    expect(emails).toEqual([
      { email: 'eve@globex.example', name: 'C 001AAA' },
      { email: 'x@y.example', name: 'C OHara' },
    ]);
    expect((await objectRow(connection.id, 'Contact')).last_nul_stripped).toBe(2);
    expect((await objectRow(connection.id, 'Contact')).last_note).toMatch(/2 record\(s\) held NUL characters/);

    // The good opportunity is stored and the checkpoint moved past the refused ones.
    const opps = await rowsOf<{ opportunity_id: string }>(
      sql`select opportunity_id from opportunity_versions where workspace_id = ${workspace.id}`,
    );
    expect(opps.map((o) => o.opportunity_id)).toEqual(['0065g00000Good01AAA']);
    expect(new Date((await objectRow(connection.id, 'Opportunity')).checkpoint!).toISOString()).toBe(
      '2026-03-03T11:00:00.000Z',
    );

    const status = await connectionStatus(database.db, workspace.id);
    if (status.status === 'not_connected') throw new Error('not connected');
    expect(status.quarantine.total).toBe(2);
    expect(status.quarantine.records.map((q) => [q.recordId, q.errorCode])).toEqual([
      ['0065g00000Big001AAA', '22003'],
      ['0065g00000Date01AAA', '22008'],
    ]);
    expect(status.quarantine.records[0]!.reason).toMatch(
      /SQLSTATE 22003.*numeric field overflow.*larger than we store/,
    );
    expect(status.lastError!.message).toMatch(/2 records could not be stored and are in quarantine/);

    // A later run tries them again (and counts it); a corrected record leaves the quarantine.
    await runSync(syncDeps(database, secrets), connection.id, 'schedule');
    const attempts = await quarantineOf(connection.id);
    expect(attempts.map((q) => q.attempts)).toEqual([2, 2]);
    Object.assign(
      org.records.Opportunity!.find((o) => o.Id === '0065g00000Big001AAA')!,
      {
        Amount: 1.0e7,
        SystemModstamp: sfTime('2026-03-07T09:00:00Z'),
      },
    );
    await runSync(syncDeps(database, secrets), connection.id, 'schedule');
    const left = await quarantineOf(connection.id);
    expect(left.map((q) => q.recordId)).toEqual(['0065g00000Date01AAA']);
  });

  it('stores a quarantined record at last when it maps now (a fix deployed since)', async () => {
    const org = emptyOrg();
    org.add(
      'Opportunity',
      opportunity('0065g00000Date01AAA', 5000, '2026-03-03T10:00:00Z', { CloseDate: '2026-02-30' }),
    );
    // A later record moves the checkpoint past the overlap: the broken one is not read again.
    org.add('Opportunity', opportunity('0065g00000Good01AAA', 7000, '2026-03-05T10:00:00Z'));
    org.intercept();
    const { workspace, connection } = await connectedWorkspace(database.db, secrets, 'quarantine-fixed');
    await runSync(syncDeps(database, secrets), connection.id, 'manual');
    expect(await quarantineOf(connection.id)).toHaveLength(1);
    // What a deployed fix would do to its reading of the same record.
    await database.db.execute(
      sql`update salesforce_quarantine set record = jsonb_set(record, '{CloseDate}', '"2026-02-28"') where connection_id = ${connection.id}`,
    );
    await runSync(syncDeps(database, secrets), connection.id, 'schedule');
    expect(await quarantineOf(connection.id)).toHaveLength(0);
    expect((await objectRow(connection.id, 'Opportunity')).last_note).toMatch(
      /1 record\(s\) from the quarantine stored at last/,
    );
    const [opp] = await rowsOf<{ close_date: string }>(
      sql`select close_date::text from opportunity_versions where workspace_id = ${workspace.id} and opportunity_id = '0065g00000Date01AAA'`,
    );
    expect(opp!.close_date).toBe('2026-02-28');
  });
});

describe('hard deletes', () => {
  it('see a contact role deleted directly in the next sync, even when another object fails in that run', async () => {
    const org = emptyOrg();
    org.add('Contact', contact('0035g00000Dana01AAA', 'dana@acme.example', '2026-03-01T09:00:00Z'));
    org.add('Opportunity', opportunity('0065g00000Opp001AAA', 1000, '2026-03-01T09:00:00Z'));
    org.add(
      'OpportunityContactRole',
      role('00K5g00000Role01AAA', '0065g00000Opp001AAA', '0035g00000Dana01AAA', '2026-03-01T09:00:00Z'),
    );
    org.intercept();
    const { workspace, connection } = await connectedWorkspace(database.db, secrets, 'role-deleted');
    expect((await runSync(syncDeps(database, secrets), connection.id, 'manual')).outcome).toBe('ok');
    // Deleted directly: never in the recycle bin, so queryAll never returns it (CopyStorm, "Deleted Record Management").
    org.hardDelete('OpportunityContactRole', '00K5g00000Role01AAA', new Date(Date.now() - 60_000));
    org.fault(/FROM Opportunity /, 400, SF_ERRORS.invalidField('Amount', 'Opportunity'), 1);
    expect((await runSync(syncDeps(database, secrets), connection.id, 'schedule')).outcome).toBe('partial');
    const [latest] = await rowsOf<{ is_deleted: boolean; source: string }>(sql`
      select is_deleted, source from contact_role_versions where workspace_id = ${workspace.id}
      order by occurred_at desc, seq desc limit 1`);
    expect(latest).toEqual({ is_deleted: true, source: 'salesforce:OpportunityContactRole:getDeleted' });
    expect(org.deletedWindows.filter((w) => w.startsWith('Opportunity '))).toHaveLength(1);
  });

  it('split a getDeleted window that holds too many ids (EXCEEDED_ID_LIMIT) until it fits', async () => {
    const org = emptyOrg();
    for (let i = 1; i <= 3; i++)
      org.add('Contact', contact(`0035g00000Cont0${i}AAA`, `c${i}@x.example`, '2026-03-01T09:00:00Z'));
    org.intercept();
    const { workspace, connection } = await connectedWorkspace(database.db, secrets, 'id-limit');
    await runSync(syncDeps(database, secrets), connection.id, 'manual');
    // The last check was 4 hours ago; three contacts were deleted at different times since.
    await database.db.execute(
      sql`update salesforce_sync_objects set deleted_checked_at = now() - interval '4 hours' where connection_id = ${connection.id}`,
    );
    for (const [i, hoursAgo] of [
      [1, 3.5],
      [2, 2],
      [3, 0.5],
    ] as const)
      org.hardDelete('Contact', `0035g00000Cont0${i}AAA`, new Date(Date.now() - hoursAgo * 3_600_000));
    org.deletedIdLimit = 1;
    expect((await runSync(syncDeps(database, secrets), connection.id, 'schedule')).outcome).toBe('ok');
    const deleted = await rowsOf<{ contact_id: string }>(
      sql`select contact_id from contact_versions where workspace_id = ${workspace.id} and is_deleted order by 1`,
    );
    expect(deleted).toHaveLength(3);
    expect(org.deletedWindows.filter((w) => w.startsWith('Contact ')).length).toBeGreaterThan(3);
  });
});

describe('token refresh', () => {
  async function expiredSession(slug: string, answers: string[]) {
    const org = emptyOrg();
    org.add('Contact', contact('0035g00000Dana01AAA', 'dana@acme.example', '2026-03-01T09:00:00Z'));
    org.serveTokens('some-other-token'); // AT-1 is expired: the 2-hour default session timeout
    org.tokenAnswers.push(...answers);
    org.intercept();
    const { connection } = await connectedWorkspace(database.db, secrets, slug);
    return { org, connection };
  }

  it('survives a blip at the token endpoint (an HTML 503, then a concurrent refresh) and stays connected', async () => {
    const { org, connection } = await expiredSession('token-blip', [
      'oauth-error-unavailable-html',
      'oauth-error-concurrent-refresh',
    ]);
    const result = await runSync(syncDeps(database, secrets), connection.id, 'manual');
    expect(result.outcome).toBe('ok');
    expect(result.rows.Contact).toBe(1);
    expect(org.refreshTokensSeen).toEqual(['RT-1', 'RT-1', 'RT-1']);
    const c = (await getConnection(database.db, connection.id))!;
    expect(c.status).toBe('connected');
    expect(decryptAccessToken(secrets, c)).toMatch(/!AT-2$/);
  });

  it('keeps the connection connected when the token endpoint stays down, and says so', async () => {
    const down = Array(4).fill('oauth-error-unavailable-html');
    const { connection } = await expiredSession('token-down', down);
    expect((await runSync(syncDeps(database, secrets), connection.id, 'manual')).outcome).toBe(
      'salesforce_unavailable',
    );
    const c = (await getConnection(database.db, connection.id))!;
    expect(c.status).toBe('connected');
    expect(c.lastError).toMatch(
      /login service did not renew the session \(HTTP 503 with an HTML page instead of JSON\)\. The org stays connected/,
    );
  });

  it.each(['oauth-error-expired-token', 'oauth-error-inactive-user'])(
    'marks needs_reauth only on a terminal grant error (%s)',
    async (answer) => {
      const { connection } = await expiredSession(`token-${answer}`, [answer]);
      expect((await runSync(syncDeps(database, secrets), connection.id, 'manual')).outcome).toBe('needs_reauth');
      const c = (await getConnection(database.db, connection.id))!;
      expect(c.status).toBe('needs_reauth');
      expect(c.lastError).toContain((recorded(answer).body as { error_description: string }).error_description);
    },
  );
});

describe('REQUEST_LIMIT_EXCEEDED for concurrency', () => {
  it('backs off and retries; it is not the daily budget', async () => {
    const org = emptyOrg();
    org.add('Contact', contact('0035g00000Dana01AAA', 'dana@acme.example', '2026-03-01T09:00:00Z'));
    org.fault(/FROM Contact/, 403, SF_ERRORS.concurrentLimit, 2).intercept();
    const { connection } = await connectedWorkspace(database.db, secrets, 'concurrency');
    expect((await runSync(syncDeps(database, secrets), connection.id, 'manual')).outcome).toBe('ok');
    expect(org.faults[0]!.times).toBe(0);
  });

  it('is reported as such when it lasts, never as "daily API requests used"', async () => {
    const org = emptyOrg();
    org.fault(/FROM Contact/, 403, SF_ERRORS.concurrentLimit, 5).intercept();
    const { connection } = await connectedWorkspace(database.db, secrets, 'concurrency-lasting');
    expect((await runSync(syncDeps(database, secrets), connection.id, 'manual')).outcome).toBe('partial');
    const c = (await getConnection(database.db, connection.id))!;
    expect(c.lastError).toMatch(
      /too many long-running requests at once .*ConcurrentPerOrgLongTxn.* not the daily API budget/,
    );
    expect(c.lastError).not.toMatch(/daily API requests \(/);
  });
});

describe('queries that pass', () => {
  it('retries a QUERY_TIMEOUT (fixture rest-error-query-timeout)', async () => {
    const org = emptyOrg();
    org.add('Contact', contact('0035g00000Dana01AAA', 'dana@acme.example', '2026-03-01T09:00:00Z'));
    org.fault(/FROM Contact/, 400, recorded('rest-error-query-timeout').body, 1).intercept();
    const { connection } = await connectedWorkspace(database.db, secrets, 'query-timeout');
    expect((await runSync(syncDeps(database, secrets), connection.id, 'manual')).outcome).toBe('ok');
  });

  it('queries again from the checkpoint when a nextRecordsUrl was dropped after a long pause (INVALID_QUERY_LOCATOR)', async () => {
    const org = emptyOrg();
    for (let i = 1; i <= 5; i++)
      org.add('Contact', contact(`0035g00000Cont0${i}AAA`, `c${i}@acme.example`, `2026-03-0${i}T09:00:00Z`));
    org
      .fault(/\/query\/01g\d+-2 object=Contact$/, 400, recorded('rest-error-invalid-query-locator').body, 1)
      .intercept();
    const { workspace, connection } = await connectedWorkspace(database.db, secrets, 'locator');
    expect((await runSync(syncDeps(database, secrets), connection.id, 'manual')).outcome).toBe('ok');
    expect(org.queries.filter((q) => q.includes('FROM Contact') && q.includes('ORDER BY')).at(-1)).toContain(
      'WHERE SystemModstamp >= 2026-03-02T08:50:00Z',
    );
    const [n] = await rowsOf<{ n: number }>(
      sql`select count(*)::int as n from contact_versions where workspace_id = ${workspace.id}`,
    );
    expect(n!.n).toBe(5);
  });
});
