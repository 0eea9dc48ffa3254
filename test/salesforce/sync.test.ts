// The sync against Salesforce over HTTP (nock): paging, checkpoints, idempotent re-reads, and
// each failure the issue names, with bodies shaped like Salesforce's.
import nock from 'nock';
import { sql } from 'drizzle-orm';
import { formatCents } from '../../src/attribution/money';
import { recordConversations } from '../../src/history/record';
import { recomputeDirty } from '../../src/ledger/recompute';
import { ledgerSeries } from '../../src/ledger/series';
import { getConnection, decryptRefreshToken } from '../../src/salesforce/connection-store';
import { runSync } from '../../src/salesforce/sync-run';
import { useTestDatabase } from '../support/database';
import { testLogger } from '../support/logger';
import { testLedgerKeys } from '../support/ledger-keys';
import { API, INSTANCE, LOGIN, NockOrg, SF_ERRORS, sfTime } from '../support/nock-salesforce';
import { connectedWorkspace, nockApp, syncDeps } from '../support/salesforce-fixtures';
import { testSecrets } from '../support/service';

const database = useTestDatabase();
const secrets = testSecrets();

beforeAll(() => nock.disableNetConnect());
afterEach(() => nock.cleanAll());
afterAll(() => nock.enableNetConnect());

/** The seed story as a Salesforce org holds it after three days. */
function seedOrg(): NockOrg {
  const org = new NockOrg();
  org.add('Contact', {
    Id: '0035g00000Dana01AAA',
    FirstName: 'Dana',
    LastName: 'Reyes',
    Email: 'dana@acme.example',
    AccountId: null,
    CreatedDate: sfTime('2026-03-01T09:00:00Z'),
    SystemModstamp: sfTime('2026-03-01T09:00:00Z'),
    IsDeleted: false,
  });
  org.add('Opportunity', {
    Id: '0065g00000Opp001AAA',
    Name: 'Acme expansion',
    AccountId: null,
    Amount: 150000,
    StageName: 'Closed Won',
    IsClosed: true,
    IsWon: true,
    CloseDate: '2026-03-04',
    CreatedDate: sfTime('2026-03-02T16:00:00Z'),
    SystemModstamp: sfTime('2026-03-04T17:30:00Z'),
    IsDeleted: false,
  });
  for (const [id, at, amount, stage] of [
    ['0085g00000Hist01AAA', '2026-03-02T16:00:00Z', 100000, 'Prospecting'],
    ['0085g00000Hist02AAA', '2026-03-03T11:00:00Z', 120000, 'Negotiation/Review'],
    ['0085g00000Hist03AAA', '2026-03-04T17:30:00Z', 150000, 'Closed Won'],
  ] as const) {
    org.add('OpportunityHistory', {
      Id: id,
      OpportunityId: '0065g00000Opp001AAA',
      Amount: amount,
      StageName: stage,
      CloseDate: '2026-03-04',
      CreatedDate: sfTime(at),
      IsDeleted: false,
    });
  }
  org.add('OpportunityContactRole', {
    Id: '00K5g00000Role01AAA',
    OpportunityId: '0065g00000Opp001AAA',
    ContactId: '0035g00000Dana01AAA',
    Role: 'Decision Maker',
    IsPrimary: true,
    CreatedDate: sfTime('2026-03-02T16:00:05Z'),
    SystemModstamp: sfTime('2026-03-02T16:00:05Z'),
    IsDeleted: false,
  });
  org.records.Lead = [];
  return org;
}

async function seedWorkspace(slug: string) {
  const { workspace, connection } = await connectedWorkspace(database.db, secrets, slug);
  await database.db.transaction((tx) =>
    recordConversations(tx, workspace.id, [
      {
        id: 'conv-1',
        teamId: 'sales',
        agentId: 'agent-7',
        startedAt: new Date('2026-03-02T15:00:00Z'),
        emails: ['Dana@Acme.example'],
      },
    ]),
  );
  return { workspace, connection };
}

const versionCount = async (table: string, workspaceId: string) =>
  (
    await database.db.execute<{ n: number }>(
      sql`select count(*)::int as n from ${sql.raw(table)} where workspace_id = ${workspaceId}`,
    )
  )[0]!.n;

async function series(workspaceId: string) {
  await recomputeDirty(
    { db: database.db, logger: testLogger, batchSize: 100, ledgerKeys: testLedgerKeys },
    workspaceId,
  );
  return (await ledgerSeries(database.db, workspaceId)).map(
    (d) => `${d.date} ${formatCents(d.pipelineInfluenced)} ${formatCents(d.closedWonInfluenced)}`,
  );
}

const refreshReply = (access: string, refresh?: string) => ({
  access_token: access,
  ...(refresh ? { refresh_token: refresh } : {}),
  signature: 'c2lnbmF0dXJl',
  scope: 'refresh_token api',
  instance_url: INSTANCE,
  id: `${LOGIN}/id/00D5g00000AcmeOAAA/0055g00000AdmiUAAA`,
  token_type: 'Bearer',
  issued_at: String(Date.now()),
});

describe('a sync run', () => {
  it('reads every object through queryAll, follows nextRecordsUrl, and books the seed story', async () => {
    const org = seedOrg().intercept();
    const { workspace, connection } = await seedWorkspace('first-sync');
    const result = await runSync(syncDeps(database, secrets), connection.id, 'manual');
    expect(result).toMatchObject({ outcome: 'ok', wrote: true });
    expect(result.rows).toMatchObject({
      Contact: 1,
      OpportunityHistory: 3,
      Opportunity: 1,
      OpportunityContactRole: 1,
      Lead: 0,
    });
    for (const object of ['Contact', 'Lead', 'OpportunityHistory', 'Opportunity', 'OpportunityContactRole']) {
      const q = org.queries.find((s) => s.includes(`FROM ${object} `) && s.includes('ORDER BY'));
      expect(q).toMatch(
        new RegExp(`ORDER BY ${object === 'OpportunityHistory' ? 'CreatedDate' : 'SystemModstamp'} ASC, Id ASC$`),
      );
    }
    // 3 history rows at 2 per page: the second page came from nextRecordsUrl.
    expect(org.calls).toBeGreaterThan(org.queries.length);
    expect(await series(workspace.id)).toEqual([
      '2026-03-02 100000.00 0.00',
      '2026-03-03 20000.00 0.00',
      '2026-03-04 30000.00 150000.00',
    ]);
    const c = (await getConnection(database.db, connection.id))!;
    expect(c.apiUsageUsed).toBe(org.usage.used);
    expect(c.apiUsageMax).toBe(15_000);
  });

  it('then asks only for rows since the checkpoint minus the overlap, and a re-read writes nothing', async () => {
    const org = seedOrg().intercept();
    const { workspace, connection } = await seedWorkspace('incremental');
    await runSync(syncDeps(database, secrets), connection.id, 'manual');
    await series(workspace.id);
    const versions = await versionCount('opportunity_versions', workspace.id);
    org.queries.length = 0;

    const result = await runSync(syncDeps(database, secrets), connection.id, 'schedule');
    expect(result.outcome).toBe('ok');
    expect(org.queries).toContain(
      'SELECT Id, CreatedDate, SystemModstamp, IsDeleted, Name, AccountId, OwnerId, Amount, StageName, IsClosed, IsWon, CloseDate FROM Opportunity WHERE SystemModstamp >= 2026-03-04T17:20:00Z ORDER BY SystemModstamp ASC, Id ASC',
    );
    expect(org.queries.find((q) => q.includes('FROM OpportunityHistory'))).toContain(
      'WHERE CreatedDate >= 2026-03-04T17:20:00Z',
    );
    expect(await versionCount('opportunity_versions', workspace.id)).toBe(versions);
    const [dirty] = await database.db.execute<{ n: number }>(
      sql`select count(*)::int as n from attribution_dirty where workspace_id = ${workspace.id}`,
    );
    expect(dirty!.n).toBe(0);
  });

  it('turns a later change into a new version at the instant it happened', async () => {
    const org = seedOrg().intercept();
    const { workspace, connection } = await seedWorkspace('later-change');
    await runSync(syncDeps(database, secrets), connection.id, 'manual');
    await series(workspace.id);
    const opp = org.records.Opportunity![0]!;
    Object.assign(opp, {
      Amount: 90000,
      StageName: 'Negotiation/Review',
      IsClosed: false,
      IsWon: false,
      SystemModstamp: sfTime('2026-03-06T10:00:00Z'),
    });
    org.add('OpportunityHistory', {
      Id: '0085g00000Hist04AAA',
      OpportunityId: opp.Id,
      Amount: 90000,
      StageName: 'Negotiation/Review',
      CloseDate: '2026-03-04',
      CreatedDate: sfTime('2026-03-06T10:00:00Z'),
      IsDeleted: false,
    });
    await runSync(syncDeps(database, secrets), connection.id, 'schedule');
    expect(await series(workspace.id)).toEqual([
      '2026-03-02 100000.00 0.00',
      '2026-03-03 20000.00 0.00',
      '2026-03-04 30000.00 150000.00',
      '2026-03-06 -60000.00 -150000.00',
    ]);
  });
});

describe('a multi-currency org', () => {
  function multiCurrencyOrg(oppCurrency: string) {
    const org = seedOrg();
    org.multiCurrency = true;
    org.records.CurrencyType = [
      { Id: '02B000000000001AAA', IsoCode: 'USD', ConversionRate: 1, IsCorporate: true, IsActive: true },
      { Id: '02B000000000002AAA', IsoCode: 'EUR', ConversionRate: 0.8, IsCorporate: false, IsActive: true },
    ];
    org.records.DatedConversionRate = [];
    for (const opp of org.records.Opportunity!) opp.CurrencyIsoCode = oppCurrency;
    return org.intercept();
  }

  it('books amounts converted to the reporting currency with the org\u2019s rates', async () => {
    multiCurrencyOrg('EUR');
    const { workspace, connection } = await seedWorkspace('multi-currency');
    expect((await runSync(syncDeps(database, secrets), connection.id, 'manual')).outcome).toBe('ok');
    // EUR 100,000 / 0.8 = USD 125,000; then 150,000, then 187,500.
    expect(await series(workspace.id)).toEqual([
      '2026-03-02 125000.00 0.00',
      '2026-03-03 25000.00 0.00',
      '2026-03-04 37500.00 187500.00',
    ]);
    expect((await getConnection(database.db, connection.id))!.lastError).toBeNull();
  });

  it('says which currencies have no rate instead of booking them silently', async () => {
    multiCurrencyOrg('CHF');
    const { connection } = await seedWorkspace('missing-rate');
    expect((await runSync(syncDeps(database, secrets), connection.id, 'manual')).outcome).toBe('ok');
    expect((await getConnection(database.db, connection.id))!.lastError).toMatch(
      /^No conversion rate for CHF in the org: those amounts are counted as they are/,
    );
  });
});

describe('failures', () => {
  it('retries a 503 with backoff and completes the run', async () => {
    const org = seedOrg()
      .fault(/FROM Contact/, 503, SF_ERRORS.unavailable, 2)
      .intercept();
    const { connection } = await seedWorkspace('retry-503');
    expect((await runSync(syncDeps(database, secrets), connection.id, 'manual')).outcome).toBe('ok');
    expect(org.faults[0]!.times).toBe(0);
  });

  it('retries a request that times out', async () => {
    seedOrg().intercept();
    // Registered first, so it answers the first Contact query, too late.
    nock(INSTANCE)
      .get(/queryAll\?q=SELECT.*FROM%20Contact/)
      .delay(2_000)
      .reply(200, { totalSize: 0, done: true, records: [] });
    const { connection } = await seedWorkspace('retry-timeout');
    const result = await runSync(syncDeps(database, secrets), connection.id, 'manual');
    expect(result.outcome).toBe('ok');
    expect(result.rows.Contact).toBe(1);
  });

  it('stops cleanly on REQUEST_LIMIT_EXCEEDED, keeping what it synced, and says so in words', async () => {
    seedOrg()
      .fault(/FROM Opportunity /, 403, SF_ERRORS.limitExceeded, 1)
      .intercept();
    const { connection } = await seedWorkspace('limit-exceeded');
    const result = await runSync(syncDeps(database, secrets), connection.id, 'manual');
    expect(result.outcome).toBe('paused_budget');
    const state = await database.db.execute<{ object: string; checkpoint: string | null }>(sql`
      select object, checkpoint::text from salesforce_sync_objects where connection_id = ${connection.id} order by object`);
    expect(state.find((s) => s.object === 'Contact')!.checkpoint).not.toBeNull();
    expect(state.find((s) => s.object === 'Opportunity')!.checkpoint).toBeNull();
    expect((await getConnection(database.db, connection.id))!.lastError).toMatch(
      /daily API requests .* REQUEST_LIMIT_EXCEEDED/,
    );
  });

  it('stops before the org\u2019s API usage passes the budget threshold', async () => {
    const org = seedOrg();
    org.usage = { used: 11_996, max: 15_000 }; // 79.97%: a few calls left under 80%
    org.intercept();
    const { connection } = await seedWorkspace('budget');
    const result = await runSync(syncDeps(database, secrets), connection.id, 'manual');
    expect(result.outcome).toBe('paused_budget');
    expect(org.usage.used).toBe(12_000);
    expect((await getConnection(database.db, connection.id))!.lastError).toMatch(/12,000 of 15,000 used/);
  });

  it('refreshes an expired session once, stores the rotated refresh token, and retries', async () => {
    seedOrg()
      .fault(/FROM Contact/, 401, SF_ERRORS.invalidSession, 1)
      .intercept();
    const token = nock(LOGIN)
      .post('/services/oauth2/token', (b) => b.grant_type === 'refresh_token' && b.refresh_token === 'RT-1')
      .reply(200, refreshReply('AT-2', 'RT-2'));
    const { connection } = await seedWorkspace('expired-session');
    expect((await runSync(syncDeps(database, secrets), connection.id, 'manual')).outcome).toBe('ok');
    expect(token.isDone()).toBe(true);
    const c = (await getConnection(database.db, connection.id))!;
    expect(decryptRefreshToken(secrets, c)).toBe('RT-2');
    expect(c.tokenVersion).toBe(connection.tokenVersion + 1);
  });

  it('marks a revoked authorization needs_reauth and does not retry it', async () => {
    seedOrg()
      .fault(/FROM Contact/, 401, SF_ERRORS.invalidSession, 5)
      .intercept();
    const token = nock(LOGIN).post('/services/oauth2/token').once().reply(400, SF_ERRORS.invalidGrant);
    const { connection } = await seedWorkspace('revoked');
    const result = await runSync(syncDeps(database, secrets), connection.id, 'manual');
    expect(result.outcome).toBe('needs_reauth');
    expect(token.isDone()).toBe(true);
    const c = (await getConnection(database.db, connection.id))!;
    expect(c.status).toBe('needs_reauth');
    expect(c.lastError).toMatch(
      /refused the saved authorization \(invalid_grant: expired access\/refresh token\)\. Reconnect the org/,
    );
    expect((await runSync(syncDeps(database, secrets), connection.id, 'schedule')).outcome).toBe('not_connected');
  });

  it('gives up on an object after a second INVALID_SESSION_ID right after a refresh, staying connected', async () => {
    seedOrg()
      .fault(/FROM Contact/, 401, SF_ERRORS.invalidSession, 2)
      .intercept();
    nock(LOGIN).post('/services/oauth2/token').once().reply(200, refreshReply('AT-2'));
    const { connection } = await seedWorkspace('twice-invalid');
    expect((await runSync(syncDeps(database, secrets), connection.id, 'manual')).outcome).toBe('partial');
    const c = (await getConnection(database.db, connection.id))!;
    expect(c.status).toBe('connected');
    expect(c.lastError).toMatch(/rejected the session it had just renewed .* "API Enabled"/);
  });

  it('keeps the pages before a failure between two pages, and the next run resumes from them', async () => {
    const org = seedOrg();
    for (let i = 2; i <= 5; i++) {
      org.add('Contact', {
        Id: `0035g00000Cont0${i}AAA`,
        FirstName: 'C',
        LastName: String(i),
        Email: `c${i}@acme.example`,
        AccountId: null,
        CreatedDate: sfTime(`2026-03-0${i}T09:00:00Z`),
        SystemModstamp: sfTime(`2026-03-0${i}T09:00:00Z`),
        IsDeleted: false,
      });
    }
    // The second Contact page fails on every try.
    org
      .fault(
        /\/query\/01g\d+-2 object=Contact$/,
        500,
        [{ errorCode: 'UNKNOWN_EXCEPTION', message: 'An unexpected error occurred.' }],
        5,
      )
      .intercept();
    const { workspace, connection } = await seedWorkspace('between-pages');
    expect((await runSync(syncDeps(database, secrets), connection.id, 'manual')).outcome).toBe('partial');
    const [state] = await database.db.execute<{ checkpoint: string }>(sql`
      select checkpoint::text from salesforce_sync_objects where connection_id = ${connection.id} and object = 'Contact'`);
    expect(new Date(state!.checkpoint).toISOString()).toBe('2026-03-02T09:00:00.000Z');
    expect(await versionCount('contact_versions', workspace.id)).toBe(2);

    expect((await runSync(syncDeps(database, secrets), connection.id, 'schedule')).outcome).toBe('ok');
    expect(org.queries.filter((q) => q.includes('FROM Contact ')).at(-1)).toContain(
      'WHERE SystemModstamp >= 2026-03-02T08:50:00Z',
    );
    expect(await versionCount('contact_versions', workspace.id)).toBe(5);
  });

  it('reports a field the user cannot read in words an admin can act on, and syncs the other objects', async () => {
    seedOrg()
      .fault(/FROM Opportunity /, 400, SF_ERRORS.invalidField('Amount', 'Opportunity'), 1)
      .intercept();
    const { workspace, connection } = await seedWorkspace('invalid-field');
    const result = await runSync(syncDeps(database, secrets), connection.id, 'manual');
    expect(result.outcome).toBe('partial');
    expect(result.rows).toMatchObject({ Contact: 1, OpportunityHistory: 3, OpportunityContactRole: 1 });
    expect(await versionCount('contact_role_versions', workspace.id)).toBe(1);
    const c = (await getConnection(database.db, connection.id))!;
    expect(c.lastError).toMatch(
      /^Salesforce refused a field we read \(.*No such column 'Amount' on entity 'Opportunity'.*\)\. Give the connected user read access/,
    );
  });
});

describe('hard deletes', () => {
  it('records what getDeleted reports, carrying the last known state', async () => {
    const org = seedOrg().intercept();
    const { workspace, connection } = await seedWorkspace('hard-deletes');
    await runSync(syncDeps(database, secrets), connection.id, 'manual');
    expect(await series(workspace.id)).toHaveLength(3);
    // The opportunity was deleted and the recycle bin emptied: queryAll no longer returns it.
    // getDeleted counts whole minutes: a deletion of the current minute is in the next window.
    const deletedAt = new Date(Date.now() - 60_000);
    org.hardDelete('Opportunity', '0065g00000Opp001AAA', deletedAt);
    await runSync(syncDeps(database, secrets, { deletedCheckEveryMs: 0 }), connection.id, 'schedule');
    expect(org.queries.length).toBeGreaterThan(0);
    expect(await series(workspace.id)).toEqual([
      '2026-03-02 100000.00 0.00',
      '2026-03-03 20000.00 0.00',
      '2026-03-04 30000.00 150000.00',
      `${deletedAt.toISOString().slice(0, 10)} -150000.00 -150000.00`,
    ]);
  });
});

describe('hard deletes purged from the delete log', () => {
  it('are found by a full id reconciliation', async () => {
    const org = seedOrg().intercept();
    const { workspace, connection } = await seedWorkspace('purged-deletes');
    await runSync(syncDeps(database, secrets), connection.id, 'manual');
    expect(await series(workspace.id)).toHaveLength(3);
    // Deleted and purged: neither queryAll nor getDeleted knows it any more.
    org.records.Opportunity = [];
    org.deleteLogStart = sfTime(new Date(Date.now() + 60_000).toISOString());
    await runSync(syncDeps(database, secrets, { deletedCheckEveryMs: 0 }), connection.id, 'schedule');
    expect(org.queries).toContain('SELECT Id FROM Opportunity');
    const days = await series(workspace.id);
    expect(days.at(-1)).toMatch(/ -150000\.00 -150000\.00$/);
  });

  it('refuses to delete most records at once, and says why', async () => {
    const org = seedOrg();
    for (let i = 10; i < 130; i++) {
      org.add('Contact', {
        Id: `0035g00000Con${i}AAA`,
        Email: `x${i}@acme.example`,
        FirstName: 'X',
        LastName: String(i),
        AccountId: null,
        CreatedDate: sfTime('2026-03-01T10:00:00Z'),
        SystemModstamp: sfTime('2026-03-01T10:00:00Z'),
        IsDeleted: false,
      });
    }
    org.pageSize = 200;
    org.intercept();
    const { workspace, connection } = await seedWorkspace('suspicious');
    await runSync(syncDeps(database, secrets), connection.id, 'manual');
    org.records.Contact = org.records.Contact!.slice(0, 1); // the user lost sight of 120 contacts
    org.deleteLogStart = sfTime(new Date(Date.now() + 60_000).toISOString());
    // The other objects' passes still ran: only Contact's deletion pass refused.
    expect(
      (await runSync(syncDeps(database, secrets, { deletedCheckEveryMs: 0 }), connection.id, 'schedule')).outcome,
    ).toBe('partial');
    expect((await getConnection(database.db, connection.id))!.lastError).toMatch(
      /Contact: 120 of 121 records .* no longer visible .* Nothing was deleted/,
    );
    const [deleted] = await database.db.execute<{ n: number }>(
      sql`select count(*)::int as n from contact_versions where workspace_id = ${workspace.id} and is_deleted`,
    );
    expect(deleted!.n).toBe(0);
  });
});

describe('a large first backfill', () => {
  it('goes through a Bulk API 2.0 queryAll job, resumable at its locator, then catches up through REST', async () => {
    const org = seedOrg();
    for (let i = 2; i <= 4; i++) {
      org.add('Contact', {
        Id: `0035g00000Bulk0${i}AAA`,
        FirstName: 'B',
        LastName: String(i),
        Email: `b${i}@acme.example`,
        AccountId: null,
        CreatedDate: sfTime(`2026-03-0${i}T08:00:00Z`),
        SystemModstamp: sfTime(`2026-03-0${i}T08:00:00Z`),
        IsDeleted: false,
      });
    }
    const jobPath = `${API}/jobs/query`;
    nock(INSTANCE)
      .post(jobPath, (b) => b.operation === 'queryAll' && /^SELECT Id, .* FROM Contact$/.test(b.query))
      .reply(200, { id: '7505g00000Job01AAA', operation: 'queryAll', object: 'Contact', state: 'UploadComplete' });
    nock(INSTANCE).get(`${jobPath}/7505g00000Job01AAA`).reply(200, { id: '7505g00000Job01AAA', state: 'InProgress' });
    nock(INSTANCE)
      .get(`${jobPath}/7505g00000Job01AAA`)
      .reply(200, { id: '7505g00000Job01AAA', state: 'JobComplete', numberRecordsProcessed: 4 });
    const header = 'Id,CreatedDate,SystemModstamp,IsDeleted,FirstName,LastName,Email,AccountId\n';
    const row = (i: string, email: string, at: string) => `"${i}","${at}","${at}","false","B","x","${email}",""\n`;
    nock(INSTANCE)
      .get(`${jobPath}/7505g00000Job01AAA/results`)
      .query({ maxRecords: '2' })
      .reply(
        200,
        header +
          row('0035g00000Dana01AAA', 'dana@acme.example', '2026-03-01T09:00:00.000Z') +
          row('0035g00000Bulk02AAA', 'b2@acme.example', '2026-03-02T08:00:00.000Z'),
        {
          'Content-Type': 'text/csv',
          'Sforce-Locator': 'MjAwMDAw',
          'Sforce-NumberOfRecords': '2',
          'Sforce-Limit-Info': 'api-usage=150/15000',
        },
      );
    nock(INSTANCE)
      .get(`${jobPath}/7505g00000Job01AAA/results`)
      .query({ maxRecords: '2', locator: 'MjAwMDAw' })
      .reply(
        200,
        header +
          row('0035g00000Bulk03AAA', 'b3@acme.example', '2026-03-03T08:00:00.000Z') +
          row('0035g00000Bulk04AAA', 'b4@acme.example', '2026-03-04T08:00:00.000Z'),
        { 'Content-Type': 'text/csv', 'Sforce-Locator': 'null', 'Sforce-NumberOfRecords': '2' },
      );
    org.intercept(); // after the job's interceptors: nock answers with the first that matches

    const { workspace, connection } = await seedWorkspace('bulk');
    const result = await runSync(syncDeps(database, secrets, { bulkThreshold: 3 }), connection.id, 'manual');
    expect(result.outcome).toBe('ok');
    expect(await versionCount('contact_versions', workspace.id)).toBe(4);
    const [state] = await database.db.execute<{
      checkpoint: string;
      bulk_job_id: string | null;
      progress_rows: number;
    }>(sql`
      select checkpoint::text, bulk_job_id, progress_rows from salesforce_sync_objects where connection_id = ${connection.id} and object = 'Contact'`);
    expect(state!.bulk_job_id).toBeNull();
    // The REST pass after the backfill starts from the backfill's newest row minus the overlap.
    expect(org.queries.find((q) => q.includes('FROM Contact WHERE'))).toContain(
      'SystemModstamp >= 2026-03-04T07:50:00Z',
    );
    expect(await series(workspace.id)).toHaveLength(3);
  });
});

describe('paging URLs from responses', () => {
  it('are never followed to another host with our token', async () => {
    const org = seedOrg();
    org.pageSize = 1;
    nock(INSTANCE)
      .get(/queryAll\?q=SELECT.*FROM%20Contact%20ORDER/)
      .reply(
        200,
        {
          totalSize: 2,
          done: false,
          records: org.records.Contact,
          nextRecordsUrl: 'https://attacker.example/services/data/v62.0/query/01gX-1',
        },
        { 'Sforce-Limit-Info': 'api-usage=1/15000' },
      );
    const attacker = nock('https://attacker.example').get(/.*/).reply(200, {});
    org.intercept();
    const { connection } = await seedWorkspace('untrusted-next');
    expect((await runSync(syncDeps(database, secrets), connection.id, 'manual')).outcome).toBe('partial');
    expect(attacker.isDone()).toBe(false);
    expect((await getConnection(database.db, connection.id))!.lastError).toMatch(
      /attacker\.example.*not a Salesforce host/,
    );
  });
});

describe('a Bulk API backfill that is interrupted', () => {
  const jobPath = `${API}/jobs/query`;
  const JOB = '7505g00000Job02AAA';
  const header = 'Id,CreatedDate,SystemModstamp,IsDeleted,FirstName,LastName,Email,AccountId\n';
  const row = (id: string, email: string, at: string) => `"${id}","${at}","${at}","false","B","x","${email}",""\n`;
  const csv = { 'Content-Type': 'text/csv', 'Sforce-Limit-Info': 'api-usage=150/15000' };

  function bulkOrg() {
    const org = seedOrg();
    for (let i = 2; i <= 4; i++) {
      org.add('Contact', {
        Id: `0035g00000Bulk0${i}AAA`,
        FirstName: 'B',
        LastName: String(i),
        Email: `b${i}@acme.example`,
        AccountId: null,
        CreatedDate: sfTime(`2026-03-0${i}T08:00:00Z`),
        SystemModstamp: sfTime(`2026-03-0${i}T08:00:00Z`),
        IsDeleted: false,
      });
    }
    return org;
  }
  const bulkState = (connectionId: string) =>
    database.db.execute<{ bulk_job_id: string | null; bulk_locator: string | null; checkpoint: string | null }>(sql`
    select bulk_job_id, bulk_locator, checkpoint::text from salesforce_sync_objects where connection_id = ${connectionId} and object = 'Contact'`);

  it('resumes at the saved locator, without reading the first page again', async () => {
    const org = bulkOrg();
    nock(INSTANCE).post(jobPath).reply(200, { id: JOB, state: 'UploadComplete' });
    nock(INSTANCE)
      .get(`${jobPath}/${JOB}`)
      .times(2)
      .reply(200, { id: JOB, state: 'JobComplete', numberRecordsProcessed: 4 });
    nock(INSTANCE)
      .get(`${jobPath}/${JOB}/results`)
      .query({ maxRecords: '2' })
      .once()
      .reply(
        200,
        header +
          row('0035g00000Dana01AAA', 'dana@acme.example', '2026-03-01T09:00:00.000Z') +
          row('0035g00000Bulk02AAA', 'b2@acme.example', '2026-03-02T08:00:00.000Z'),
        { ...csv, 'Sforce-Locator': 'TE9DMg' },
      );
    nock(INSTANCE)
      .get(`${jobPath}/${JOB}/results`)
      .query({ maxRecords: '2', locator: 'TE9DMg' })
      .times(5)
      .reply(503, [{ errorCode: 'SERVER_UNAVAILABLE', message: 'Server temporarily unavailable' }], csv);
    org.intercept();
    const { workspace, connection } = await seedWorkspace('bulk-resume');
    const deps = syncDeps(database, secrets, { bulkThreshold: 3 });
    expect((await runSync(deps, connection.id, 'manual')).outcome).toBe('partial');
    expect(await bulkState(connection.id)).toEqual([{ bulk_job_id: JOB, bulk_locator: 'TE9DMg', checkpoint: null }]);
    expect(await versionCount('contact_versions', workspace.id)).toBe(2);

    nock(INSTANCE)
      .get(`${jobPath}/${JOB}/results`)
      .query({ maxRecords: '2', locator: 'TE9DMg' })
      .reply(
        200,
        header +
          row('0035g00000Bulk03AAA', 'b3@acme.example', '2026-03-03T08:00:00.000Z') +
          row('0035g00000Bulk04AAA', 'b4@acme.example', '2026-03-04T08:00:00.000Z'),
        { ...csv, 'Sforce-Locator': 'null' },
      );
    expect((await runSync(deps, connection.id, 'schedule')).outcome).toBe('ok');
    expect(await versionCount('contact_versions', workspace.id)).toBe(4);
    expect((await bulkState(connection.id))[0]).toMatchObject({ bulk_job_id: null, bulk_locator: null });
  });

  it('starts the backfill over when its job expired', async () => {
    const org = bulkOrg();
    nock(INSTANCE).post(jobPath).reply(200, { id: JOB, state: 'UploadComplete' });
    nock(INSTANCE).get(`${jobPath}/${JOB}`).reply(200, { id: JOB, state: 'JobComplete' });
    nock(INSTANCE)
      .get(`${jobPath}/${JOB}/results`)
      .query({ maxRecords: '2' })
      .reply(200, header + row('0035g00000Dana01AAA', 'dana@acme.example', '2026-03-01T09:00:00.000Z'), {
        ...csv,
        'Sforce-Locator': 'TE9DMg',
      });
    nock(INSTANCE)
      .get(`${jobPath}/${JOB}/results`)
      .query({ maxRecords: '2', locator: 'TE9DMg' })
      .reply(400, [{ errorCode: 'INVALIDLOCATOR', message: 'The locator is not valid' }], csv);
    org.intercept();
    const { connection } = await seedWorkspace('bulk-expired');
    const deps = syncDeps(database, secrets, { bulkThreshold: 3 });
    expect((await runSync(deps, connection.id, 'manual')).outcome).toBe('partial');
    expect(await bulkState(connection.id)).toEqual([{ bulk_job_id: null, bulk_locator: null, checkpoint: null }]);
  });
});

describe('a Bulk API backfill read through parallel result pages (resultPages, API 58.0 and later)', () => {
  // Response shape: https://developer.salesforce.com/docs/atlas.en-us.api_asynch.meta/api_asynch/query_get_parallel_job_results.htm
  const jobPath = `${API}/jobs/query`;
  const JOB = '7505g00000Job03AAA';
  const header = 'Id,CreatedDate,SystemModstamp,IsDeleted,FirstName,LastName,Email,AccountId\n';
  const row = (id: string, email: string, at: string) => `"${id}","${at}","${at}","false","B","x","${email}",""\n`;
  const csv = { 'Content-Type': 'text/csv', 'Sforce-Limit-Info': 'api-usage=150/15000', 'Sforce-Locator': 'null' };
  const bulkState = (connectionId: string) =>
    database.db.execute<{ bulk_job_id: string | null; bulk_locator: string | null; checkpoint: string | null }>(sql`
    select bulk_job_id, bulk_locator, checkpoint::text from salesforce_sync_objects where connection_id = ${connectionId} and object = 'Contact'`);

  function contactsOrg(n: number) {
    const org = seedOrg();
    for (let i = 2; i <= n; i++) {
      org.add('Contact', {
        Id: `0035g00000Bulk${String(i).padStart(2, '0')}AAA`,
        FirstName: 'B',
        LastName: String(i),
        Email: `b${i}@acme.example`,
        AccountId: null,
        CreatedDate: sfTime(`2026-03-${String(i).padStart(2, '0')}T08:00:00Z`),
        SystemModstamp: sfTime(`2026-03-${String(i).padStart(2, '0')}T08:00:00Z`),
        IsDeleted: false,
      });
    }
    return org;
  }

  it('downloads every listed page once, across two sets of result URIs, then catches up through REST', async () => {
    const org = contactsOrg(7);
    org.resultPageRows = 1; // 7 pages: five in the first answer, two after its nextRecordsUrl
    org.clock = new Date('2026-03-07T09:00:00Z'); // the job's createdDate, so the REST catch-up's bound is known
    org.intercept({ bulk: true });
    const { workspace, connection } = await seedWorkspace('bulk-parallel');
    const deps = syncDeps(database, secrets, { bulkThreshold: 3, bulkParallelPages: 3 });
    expect((await runSync(deps, connection.id, 'manual')).outcome).toBe('ok');
    expect(await versionCount('contact_versions', workspace.id)).toBe(7);
    expect(org.resultDownloads).toHaveLength(7);
    expect(new Set(org.resultDownloads).size).toBe(7);
    expect(org.resultDownloads.every((d) => !d.includes('maxRecords'))).toBe(true);
    expect((await bulkState(connection.id))[0]).toMatchObject({ bulk_job_id: null, bulk_locator: null });
    // The REST pass catches up from the job's createdDate (the watermark), less 1 s and the overlap.
    expect(org.queries.find((q) => q.includes('FROM Contact WHERE'))).toContain(
      'SystemModstamp >= 2026-03-07T08:49:59Z',
    );
  });

  it('reads one locator after another where the org has no resultPages (404), resumable at its locator', async () => {
    const org = contactsOrg(4);
    org.resultPagesUnavailable = true;
    nock(INSTANCE)
      .get(`${jobPath}/7505g00000Job01AAA/results`)
      .query({ maxRecords: '2', locator: 'Mg' })
      .times(5)
      .reply(503, [{ errorCode: 'SERVER_UNAVAILABLE', message: 'Server temporarily unavailable' }], csv);
    org.intercept({ bulk: true });
    const { workspace, connection } = await seedWorkspace('bulk-no-pages');
    const deps = syncDeps(database, secrets, { bulkThreshold: 3, bulkParallelPages: 3 });
    expect((await runSync(deps, connection.id, 'manual')).outcome).toBe('partial');
    // The 404 of resultPages did not forget the job: the crash resumes it at its locator.
    expect(await bulkState(connection.id)).toEqual([
      { bulk_job_id: '7505g00000Job01AAA', bulk_locator: 'Mg', checkpoint: null },
    ]);
    expect((await runSync(deps, connection.id, 'schedule')).outcome).toBe('ok');
    expect(await versionCount('contact_versions', workspace.id)).toBe(4);
    expect(org.bulkJobs.size).toBe(1);
    expect(org.resultDownloads).toEqual([
      '7505g00000Job01AAA?maxRecords=2',
      '7505g00000Job01AAA?maxRecords=2&locator=Mg',
    ]);
  });

  it('reads one locator after another with an API version before 58.0, without asking for resultPages', async () => {
    const org = contactsOrg(4);
    org.intercept({ bulk: true });
    const { workspace, connection } = await seedWorkspace('bulk-old-version');
    const deps = {
      ...syncDeps(database, secrets, { bulkThreshold: 3, bulkParallelPages: 3 }),
      app: { ...nockApp, apiVersion: '57.0' },
    };
    expect((await runSync(deps, connection.id, 'manual')).outcome).toBe('ok');
    expect(await versionCount('contact_versions', workspace.id)).toBe(4);
    expect(org.resultDownloads.every((d) => d.includes('maxRecords=2'))).toBe(true);
  });

  it('after a crash, resumes at the first page not written, without listing or downloading the written ones again', async () => {
    const org = contactsOrg(4);
    const url = (locator: string) => `${jobPath}/${JOB}/results?locator=${locator}`;
    nock(INSTANCE).post(jobPath).reply(200, { id: JOB, state: 'UploadComplete' });
    nock(INSTANCE)
      .get(`${jobPath}/${JOB}`)
      .times(2)
      .reply(200, { id: JOB, state: 'JobComplete', numberRecordsProcessed: 4 });
    nock(INSTANCE)
      .get(`${jobPath}/${JOB}/resultPages`)
      .once()
      .reply(
        200,
        {
          resultPages: [{ resultUrl: url('cGFnZTE') }, { resultUrl: url('cGFnZTI') }],
          nextRecordsUrl: `${jobPath}/${JOB}/resultPages?locator=bmV4dA`,
          done: false,
        },
        { 'Sforce-Limit-Info': 'api-usage=150/15000' },
      );
    nock(INSTANCE)
      .get(`${jobPath}/${JOB}/resultPages`)
      .query({ locator: 'bmV4dA' })
      .once()
      .reply(200, { resultPages: [{ resultUrl: url('cGFnZTM') }], nextRecordsUrl: null, done: true });
    nock(INSTANCE)
      .get(`${jobPath}/${JOB}/results`)
      .query({ locator: 'cGFnZTE' })
      .once()
      .reply(
        200,
        header +
          row('0035g00000Dana01AAA', 'dana@acme.example', '2026-03-01T09:00:00.000Z') +
          row('0035g00000Bulk02AAA', 'b2@acme.example', '2026-03-02T08:00:00.000Z'),
        csv,
      );
    nock(INSTANCE)
      .get(`${jobPath}/${JOB}/results`)
      .query({ locator: 'cGFnZTI' })
      .times(5)
      .reply(503, [{ errorCode: 'SERVER_UNAVAILABLE', message: 'Server temporarily unavailable' }], csv);
    // The third page may be downloaded ahead in the first run; it is written only in the second.
    nock(INSTANCE)
      .get(`${jobPath}/${JOB}/results`)
      .query({ locator: 'cGFnZTM' })
      .times(2)
      .reply(200, header + row('0035g00000Bulk04AAA', 'b4@acme.example', '2026-03-04T08:00:00.000Z'), csv);
    org.intercept();
    const { workspace, connection } = await seedWorkspace('bulk-parallel-resume');
    const deps = syncDeps(database, secrets, { bulkThreshold: 3, bulkParallelPages: 3 });
    expect((await runSync(deps, connection.id, 'manual')).outcome).toBe('partial');
    const [saved] = await bulkState(connection.id);
    expect(saved).toMatchObject({ bulk_job_id: JOB, checkpoint: null });
    expect(JSON.parse(saved!.bulk_locator!.replace(/^resultPages:/, ''))).toEqual({
      pages: [url('cGFnZTI'), url('cGFnZTM')],
      next: null,
    });
    expect(await versionCount('contact_versions', workspace.id)).toBe(2);

    nock(INSTANCE)
      .get(`${jobPath}/${JOB}/results`)
      .query({ locator: 'cGFnZTI' })
      .reply(200, header + row('0035g00000Bulk03AAA', 'b3@acme.example', '2026-03-03T08:00:00.000Z'), csv);
    expect((await runSync(deps, connection.id, 'schedule')).outcome).toBe('ok');
    expect(await versionCount('contact_versions', workspace.id)).toBe(4);
    expect((await bulkState(connection.id))[0]).toMatchObject({ bulk_job_id: null, bulk_locator: null });
  });
});
