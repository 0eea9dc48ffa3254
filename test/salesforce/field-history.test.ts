// The field history Salesforce keeps (ContactHistory, LeadHistory), in the recorded shapes of
// fixtures rest-contacthistory-page and rest-fielddefinition-tracked: a contact's earlier email
// links a chat from before the first sync; where tracking is off, the status says so.
import nock from 'nock';
import { sql } from 'drizzle-orm';
import { formatCents } from '../../src/attribution/money';
import { recordConversations } from '../../src/history/record';
import { recomputeDirty } from '../../src/ledger/recompute';
import { ledgerSeries } from '../../src/ledger/series';
import { verifyLedger } from '../../src/ledger/verify';
import { connectionStatus } from '../../src/salesforce/status';
import { runSync } from '../../src/salesforce/sync-run';
import { useTestDatabase } from '../support/database';
import { testLogger } from '../support/logger';
import { testLedgerKeys } from '../support/ledger-keys';
import { NockOrg, sfTime, type SfRecord } from '../support/nock-salesforce';
import { connectedWorkspace, syncDeps } from '../support/salesforce-fixtures';
import { recorded } from '../support/salesforce-recorded';
import { testSecrets } from '../support/service';

const database = useTestDatabase();
const secrets = testSecrets();

beforeAll(() => nock.disableNetConnect());
afterEach(() => nock.cleanAll());
afterAll(() => nock.enableNetConnect());

const records = (name: string) => (recorded(name).body as { records: SfRecord[] }).records;

/** Frank's email changed on Feb 20; a chat with his old email came before; an opportunity of his after. */
function initechOrg(tracking: boolean): NockOrg {
  const org = new NockOrg();
  org.records.Lead = [];
  org.records.OpportunityHistory = [];
  org.add('Contact', {
    Id: '0035g00000Frnk01AAA',
    FirstName: 'Frank',
    LastName: 'Lee',
    Email: 'frank@initech.example',
    AccountId: null,
    CreatedDate: sfTime('2026-01-05T09:00:00Z'),
    SystemModstamp: sfTime('2026-02-20T10:00:00Z'),
    IsDeleted: false,
  });
  org.add('Opportunity', {
    Id: '0065g00000Init01AAA',
    Name: 'Initech pilot',
    AccountId: null,
    Amount: 42000,
    StageName: 'Prospecting',
    IsClosed: false,
    IsWon: false,
    CloseDate: '2026-06-30',
    CreatedDate: sfTime('2026-03-01T09:00:00Z'),
    SystemModstamp: sfTime('2026-03-01T09:00:00Z'),
    IsDeleted: false,
  });
  org.add('OpportunityContactRole', {
    Id: '00K5g00000Role01AAA',
    OpportunityId: '0065g00000Init01AAA',
    ContactId: '0035g00000Frnk01AAA',
    Role: 'Decision Maker',
    IsPrimary: true,
    CreatedDate: sfTime('2026-03-01T09:00:00Z'),
    SystemModstamp: sfTime('2026-03-01T09:00:00Z'),
    IsDeleted: false,
  });
  if (tracking) {
    org.records.ContactHistory = records('rest-contacthistory-page');
    org.records.LeadHistory = [
      {
        attributes: { type: 'LeadHistory', url: '/services/data/v62.0/sobjects/LeadHistory/0175g00000LHs01AAA' },
        Id: '0175g00000LHs01AAA',
        LeadId: '00Q5g00000Lead01AAA',
        Field: 'Status',
        OldValue: 'Open - Not Contacted',
        NewValue: 'Working - Contacted',
        CreatedDate: sfTime('2026-02-21T10:00:00Z'),
      },
    ];
    org.records.FieldDefinition = [
      ...records('rest-fielddefinition-tracked').map((r) => ({
        ...r,
        Id: `Contact.${r.QualifiedApiName}`,
        EntityDefinitionId: 'Contact',
      })),
      { Id: 'Lead.Status', QualifiedApiName: 'Status', IsFieldHistoryTracked: true, EntityDefinitionId: 'Lead' },
      { Id: 'Lead.Email', QualifiedApiName: 'Email', IsFieldHistoryTracked: false, EntityDefinitionId: 'Lead' },
    ];
  }
  return org;
}

async function withChat(slug: string) {
  const { workspace, connection } = await connectedWorkspace(database.db, secrets, slug);
  await database.db.transaction((tx) =>
    recordConversations(tx, workspace.id, [
      // Before the email change, so before any sync could have seen this email on the contact.
      {
        id: 'chat-old-email',
        teamId: 'sales',
        agentId: 'a1',
        startedAt: new Date('2026-02-10T15:00:00Z'),
        emails: ['Frank.Old@initech.example'],
      },
    ]),
  );
  return { workspace, connection };
}

async function series(workspaceId: string) {
  await recomputeDirty(
    { db: database.db, logger: testLogger, batchSize: 100, ledgerKeys: testLedgerKeys },
    workspaceId,
  );
  return (await ledgerSeries(database.db, workspaceId)).map(
    (d) => `${d.date} ${formatCents(d.pipelineInfluenced)} ${formatCents(d.closedWonInfluenced)}`,
  );
}

describe('ContactHistory where tracking is on', () => {
  it("links a chat with a contact's earlier email, from before the first sync", async () => {
    initechOrg(true).intercept();
    const { workspace, connection } = await withChat('history-on');
    expect((await runSync(syncDeps(database, secrets), connection.id, 'manual')).outcome).toBe('ok');
    expect(await series(workspace.id)).toEqual(['2026-03-01 42000.00 0.00']);
    const report = await verifyLedger(database, workspace, { keys: testLedgerKeys });
    expect(report.problems).toEqual([]);
    const stored = await database.db.execute<{ object: string; field: string; old_value: string; new_value: string }>(
      sql`select object, field, old_value, new_value from field_history where workspace_id = ${workspace.id} order by object`,
    );
    expect(stored).toEqual([
      { object: 'Contact', field: 'Email', old_value: 'frank.old@initech.example', new_value: 'frank@initech.example' },
      { object: 'Lead', field: 'Status', old_value: 'Open - Not Contacted', new_value: 'Working - Contacted' },
    ]);
    const status = await connectionStatus(database.db, workspace.id);
    if (status.status === 'not_connected') throw new Error('not connected');
    const lead = status.objects.find((o) => o.object === 'LeadHistory')!;
    expect(lead.lastRun.note).toMatch(/on for Lead, but not for Email/);
  });

  it('reads only what is new on the next run', async () => {
    const org = initechOrg(true).intercept();
    const { connection } = await withChat('history-incremental');
    await runSync(syncDeps(database, secrets), connection.id, 'manual');
    await runSync(syncDeps(database, secrets), connection.id, 'schedule');
    expect(org.queries.filter((q) => q.includes('FROM ContactHistory WHERE')).at(-1)).toContain(
      "WHERE Field IN ('Email') AND CreatedDate >= 2026-02-20T09:50:00Z",
    );
  });
});

describe('where tracking is off', () => {
  it('the chat stays unlinked, and the status says what to turn on', async () => {
    initechOrg(false).intercept();
    const { workspace, connection } = await withChat('history-off');
    expect((await runSync(syncDeps(database, secrets), connection.id, 'manual')).outcome).toBe('ok');
    expect(await series(workspace.id)).toEqual([]);
    const status = await connectionStatus(database.db, workspace.id);
    if (status.status === 'not_connected') throw new Error('not connected');
    const contact = status.objects.find((o) => o.object === 'ContactHistory')!;
    expect(contact.lastRun.outcome).toBe('unavailable');
    expect(contact.lastRun.note).toMatch(
      /Field history tracking is off for Contact .* Setup → Object Manager → Contact → Fields & Relationships → Set History Tracking and tick Email/,
    );
  });
});
