// A whole first sync against a stand-in that answers as Salesforce's documentation and public
// connectors' recordings show (nock + test/fixtures/salesforce, not our double): an expired
// session and a token-endpoint blip, a Bulk API 2.0 backfill with Java-double CSV gzipped, a NUL
// pasted into an email, +0000 datetimes, ContactHistory with an earlier email, Lead history
// tracking off, a contact role deleted directly before the second run. Every object is stored,
// nothing storable is quarantined, the deleted role is noticed, and the dashboard equals the
// numbers computed by hand below; the ledger verifies.
import nock from 'nock';
import { sql } from 'drizzle-orm';
import { recordConversations } from '../../src/history/record';
import { recomputeDirty } from '../../src/ledger/recompute';
import { verifyLedger } from '../../src/ledger/verify';
import { buildDashboard } from '../../src/reporting/dashboard';
import { getConnection } from '../../src/salesforce/connection-store';
import { connectionStatus } from '../../src/salesforce/status';
import { runSync } from '../../src/salesforce/sync-run';
import { useTestDatabase } from '../support/database';
import { testLogger } from '../support/logger';
import { testLedgerKeys } from '../support/ledger-keys';
import { NockOrg, sfTime } from '../support/nock-salesforce';
import { connectedWorkspace, syncDeps } from '../support/salesforce-fixtures';
import { recorded } from '../support/salesforce-recorded';
import { testSecrets } from '../support/service';

const database = useTestDatabase();
const secrets = testSecrets();

beforeAll(() => nock.disableNetConnect());
afterAll(() => {
  nock.cleanAll();
  nock.enableNetConnect();
});

const at = (iso: string) => sfTime(iso);
const base = (id: string, created: string, modified = created) => ({
  Id: id,
  CreatedDate: at(created),
  SystemModstamp: at(modified),
  IsDeleted: false,
});

function docsShapedOrg(): NockOrg {
  const org = new NockOrg();
  const contact = (id: string, first: string, email: string, created: string, modified = created) =>
    org.add('Contact', {
      ...base(id, created, modified),
      FirstName: first,
      LastName: 'Doe',
      Email: email,
      AccountId: null,
    });
  contact('0035g00000Dana01AAA', 'Dana', 'dana@acme.example', '2026-03-01T09:00:00Z');
  // Pasted from a spreadsheet with a NUL at the end: PostgreSQL cannot store it, Salesforce can.
  contact('0035g00000Eve001AAA', 'Eve', 'eve@globex.example\u0000', '2026-03-01T09:10:00Z');
  // Email changed on Feb 20 (ContactHistory below): the chat came with the old one.
  contact('0035g00000Frnk01AAA', 'Frank', 'frank@initech.example', '2026-01-05T09:00:00Z', '2026-02-20T10:00:00Z');
  contact('0035g00000Grce01AAA', 'Grace', 'grace@hooli.example', '2026-03-06T09:00:00Z');
  contact('0035g00000Ivan01AAA', 'Ivan', 'ivan@stark.example', '2026-03-06T09:30:00Z');

  const opportunity = (id: string, name: string, amount: number, stage: string, created: string, modified: string) => {
    const closed = stage.startsWith('Closed');
    org.add('Opportunity', {
      ...base(id, created, modified),
      Name: name,
      AccountId: null,
      Amount: amount,
      StageName: stage,
      IsClosed: closed,
      IsWon: stage === 'Closed Won',
      CloseDate: '2026-06-30',
    });
  };
  opportunity(
    '0065g00000Opp001AAA',
    'Acme expansion',
    150000,
    'Closed Won',
    '2026-03-02T16:00:00Z',
    '2026-03-04T17:30:00Z',
  );
  opportunity(
    '0065g00000Opp002AAA',
    'Globex platform',
    12_500_000,
    'Prospecting',
    '2026-03-03T10:00:00Z',
    '2026-03-03T10:00:00Z',
  );
  opportunity(
    '0065g00000Opp003AAA',
    'Initech pilot',
    42_000.5,
    'Prospecting',
    '2026-03-01T09:00:00Z',
    '2026-03-01T09:00:00Z',
  );
  opportunity(
    '0065g00000Opp004AAA',
    'Hooli deal',
    80_000,
    'Prospecting',
    '2026-03-06T10:00:00Z',
    '2026-03-06T10:00:00Z',
  );
  opportunity('0065g00000Opp005AAA', 'Tiny', 0.01, 'Prospecting', '2026-03-07T08:00:00Z', '2026-03-07T08:00:00Z');

  const history = (id: string, opp: string, amount: number, stage: string, created: string) =>
    org.add('OpportunityHistory', {
      Id: id,
      OpportunityId: opp,
      Amount: amount,
      StageName: stage,
      CloseDate: '2026-06-30',
      CreatedDate: at(created),
      IsDeleted: false,
    });
  history('0085g00000Hst001AAA', '0065g00000Opp001AAA', 100_000, 'Prospecting', '2026-03-02T16:00:00Z');
  history('0085g00000Hst002AAA', '0065g00000Opp001AAA', 120_000, 'Negotiation/Review', '2026-03-03T11:00:00Z');
  history('0085g00000Hst003AAA', '0065g00000Opp001AAA', 150_000, 'Closed Won', '2026-03-04T17:30:00Z');
  history('0085g00000Hst004AAA', '0065g00000Opp002AAA', 12_500_000, 'Prospecting', '2026-03-03T10:00:00Z');
  history('0085g00000Hst005AAA', '0065g00000Opp003AAA', 42_000.5, 'Prospecting', '2026-03-01T09:00:00Z');
  history('0085g00000Hst006AAA', '0065g00000Opp004AAA', 80_000, 'Prospecting', '2026-03-06T10:00:00Z');
  history('0085g00000Hst007AAA', '0065g00000Opp005AAA', 0.01, 'Prospecting', '2026-03-07T08:00:00Z');

  const role = (id: string, opp: string, contactId: string, created: string) =>
    org.add('OpportunityContactRole', {
      ...base(id, created),
      OpportunityId: opp,
      ContactId: contactId,
      Role: 'Decision Maker',
      IsPrimary: true,
    });
  role('00K5g00000Role01AAA', '0065g00000Opp001AAA', '0035g00000Dana01AAA', '2026-03-02T16:00:05Z');
  role('00K5g00000Role02AAA', '0065g00000Opp002AAA', '0035g00000Eve001AAA', '2026-03-03T10:00:05Z');
  role('00K5g00000Role03AAA', '0065g00000Opp003AAA', '0035g00000Frnk01AAA', '2026-03-01T09:00:05Z');
  role('00K5g00000Role04AAA', '0065g00000Opp004AAA', '0035g00000Grce01AAA', '2026-03-06T10:00:05Z');
  role('00K5g00000Role05AAA', '0065g00000Opp005AAA', '0035g00000Dana01AAA', '2026-03-07T08:00:05Z');

  org.add('Lead', {
    ...base('00Q5g00000Lead01AAA', '2026-03-05T12:00:00Z'),
    Email: 'ivy@stark.example',
    IsConverted: false,
    ConvertedContactId: null,
    ConvertedOpportunityId: null,
  });
  // Field history tracking: on for Contact.Email (recorded shapes), off for Lead (no LeadHistory).
  org.records.ContactHistory = (recorded('rest-contacthistory-page').body as { records: SfRecordLike[] }).records;
  org.records.FieldDefinition = (
    recorded('rest-fielddefinition-tracked').body as { records: SfRecordLike[] }
  ).records.map((r) => ({ ...r, Id: `Contact.${String(r.QualifiedApiName)}`, EntityDefinitionId: 'Contact' }));
  org.pageSize = 2;
  return org;
}
type SfRecordLike = Record<string, unknown> & { Id: string };

const day = (d: Date) => d.toISOString().slice(0, 10);

describe('a first sync against a docs-shaped org', () => {
  it('stores every object, quarantines nothing storable, notices a directly deleted role, survives a token blip, and books the hand-computed numbers', async () => {
    const org = docsShapedOrg();
    // The stored access token is past the 2-hour session timeout; the token endpoint then blips.
    org.serveTokens('an-access-token-we-do-not-hold');
    org.tokenAnswers.push('oauth-error-unavailable-html', 'oauth-error-concurrent-refresh');
    org.intercept({ bulk: true });
    const { workspace, connection } = await connectedWorkspace(database.db, secrets, 'docs-shaped');
    await database.db.transaction((tx) =>
      recordConversations(tx, workspace.id, [
        {
          id: 'c1',
          teamId: 'sales',
          agentId: 'a1',
          startedAt: new Date('2026-03-02T15:00:00Z'),
          emails: ['Dana@Acme.example'],
        },
        {
          id: 'c2',
          teamId: 'sales',
          agentId: 'a2',
          startedAt: new Date('2026-03-05T09:00:00Z'),
          emails: ['eve@globex.example'],
        },
        {
          id: 'c3',
          teamId: 'support',
          agentId: 'a3',
          startedAt: new Date('2026-02-10T15:00:00Z'),
          emails: ['frank.old@initech.example'],
        },
      ]),
    );
    // Objects above 4 rows go through Bulk API 2.0 (Contact, Opportunity, OpportunityHistory, OpportunityContactRole).
    const deps = syncDeps(database, secrets, { bulkThreshold: 4 });

    const first = await runSync(deps, connection.id, 'connect');
    expect(first.outcome).toBe('ok');
    // Every record of every object is stored (the REST pass after each backfill re-reads its newest rows).
    const stored = await database.db.execute<{ what: string; n: number }>(sql`
      select 'Contact' as what, count(distinct contact_id)::int as n from contact_versions where workspace_id = ${workspace.id}
      union all select 'Lead', count(distinct lead_id)::int from lead_versions where workspace_id = ${workspace.id}
      union all select 'Opportunity', count(distinct opportunity_id)::int from opportunity_versions where workspace_id = ${workspace.id}
      union all select 'OpportunityHistory', count(*)::int from opportunity_versions where workspace_id = ${workspace.id} and source = 'salesforce:OpportunityHistory'
      union all select 'OpportunityContactRole', count(distinct contact_role_id)::int from contact_role_versions where workspace_id = ${workspace.id}
      union all select 'ContactHistory', count(*)::int from field_history where workspace_id = ${workspace.id}`);
    expect(Object.fromEntries(stored.map((r) => [r.what, r.n]))).toEqual({
      Contact: 5,
      Lead: 1,
      Opportunity: 5,
      OpportunityHistory: 7,
      OpportunityContactRole: 5,
      ContactHistory: 1,
    });
    expect([...org.bulkJobs.values()].map((j) => j.object).sort()).toEqual([
      'Contact',
      'Opportunity',
      'OpportunityContactRole',
      'OpportunityHistory',
    ]);
    // Only scalar fields: Bulk API 2.0 refuses compound ones, and Name is derived from its parts.
    const contactJob = [...org.bulkJobs.values()].find((j) => j.object === 'Contact')!;
    expect(contactJob.fields).toEqual(expect.arrayContaining(['FirstName', 'LastName']));
    expect(contactJob.fields).not.toContain('Name');
    expect(org.refreshTokensSeen).toEqual(['RT-1', 'RT-1', 'RT-1']);
    const c = (await getConnection(database.db, connection.id))!;
    expect(c.status).toBe('connected');
    const status = await connectionStatus(database.db, workspace.id);
    if (status.status === 'not_connected') throw new Error('not connected');
    expect(status.quarantine.total).toBe(0);
    expect(status.objects.find((o) => o.object === 'Contact')!.lastRun.nulStripped).toBe(1);
    expect(status.objects.find((o) => o.object === 'LeadHistory')!.lastRun.note).toMatch(/tracking is off for Lead/);

    // Grace's role is deleted directly (no recycle bin), then Grace chats: the role must not count.
    org.hardDelete('OpportunityContactRole', '00K5g00000Role04AAA', new Date(Date.now() - 60_000));
    await database.db.transaction((tx) =>
      recordConversations(tx, workspace.id, [
        {
          id: 'c4',
          teamId: 'sales',
          agentId: 'a1',
          startedAt: new Date(Date.now() - 30_000),
          emails: ['grace@hooli.example'],
        },
      ]),
    );
    const second = await runSync(deps, connection.id, 'schedule');
    expect(second.outcome).toBe('ok');
    const [role] = await database.db.execute<{ is_deleted: boolean; source: string }>(sql`
      select is_deleted, source from contact_role_versions where workspace_id = ${workspace.id}
        and contact_role_id = '00K5g00000Role04AAA' order by occurred_at desc, seq desc limit 1`);
    expect(role).toEqual({ is_deleted: true, source: 'salesforce:OpportunityContactRole:getDeleted' });

    await recomputeDirty(
      { db: database.db, logger: testLogger, batchSize: 100, ledgerKeys: testLedgerKeys },
      workspace.id,
    );
    const dashboard = await buildDashboard(
      database.db,
      { workspaceId: workspace.id, teams: null },
      { from: '2026-03-01', to: day(new Date()), granularity: 'day' },
    );
    // By hand (UTC, window 90 days):
    //   03-01 Initech pilot: Frank's old email (ContactHistory) links chat c3 of Feb 10: +42,000.50
    //   03-02 Acme expansion at 100,000 (OpportunityHistory), Dana's chat c1 the same day: +100,000.00
    //   03-03 raised to 120,000: +20,000.00
    //   03-04 Closed Won at 150,000: +30,000.00 pipeline, +150,000.00 closed won
    //   03-05 Globex platform (CSV "1.25E7"), Eve's chat c2 (email with a NUL in Salesforce): +12,500,000.00
    //   03-07 Tiny (CSV "1.0E-2"), Dana's role, chat c1 within 90 days: +0.01
    //   today  nothing: Grace's role was deleted before her chat
    const nonZero = dashboard.series
      .filter((p) => p.pipelineInfluenced !== '0.00' || p.closedWonInfluenced !== '0.00')
      .map((p) => `${p.from} ${p.pipelineInfluenced} ${p.closedWonInfluenced}`);
    expect(nonZero).toEqual([
      '2026-03-01 42000.50 0.00',
      '2026-03-02 100000.00 0.00',
      '2026-03-03 20000.00 0.00',
      '2026-03-04 30000.00 150000.00',
      '2026-03-05 12500000.00 0.00',
      '2026-03-07 0.01 0.00',
    ]);
    expect(dashboard.totals).toMatchObject({ pipelineInfluenced: '12692000.51', closedWonInfluenced: '150000.00' });
    expect((await verifyLedger(database, workspace, { keys: testLedgerKeys })).problems).toEqual([]);
  }, 60_000);
});
