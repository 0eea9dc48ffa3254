// The contact_emails, contact_accounts and conversation_accounts rollups, kept by the writers, against their definition
// read from scratch from the versions, after each of a sequence of changes as syncs write them:
// an email changed (a new version and its ContactHistory row), a lead converted and its email
// changed (LeadHistory), a contact moved to another account (and a version of the old one arriving
// late), a contact deleted, a conversation arriving after all of it, and conversations resent with
// other fields. The accounts' chats
// (account-links.ts, which every accounts report reads) are compared with the same join over the
// from-scratch definitions.
import { sql, type SQL } from 'drizzle-orm';
import { contactAccountsFromVersions, contactEmailsFromVersions } from '../../src/history/contact-links';
import { recordConversations, type NewConversation } from '../../src/history/record';
import { recordChangedVersions } from '../../src/history/record-changes';
import { recordDeletions } from '../../src/history/record-deletions';
import { recordFieldHistory } from '../../src/history/record-field-history';
import type { NewContactVersion, NewLeadVersion } from '../../src/history/record';
import { accountChats } from '../../src/reporting/account-links';
import { createWorkspace } from '../../src/workspaces/workspaces';
import { useTestDatabase } from '../support/database';

const database = useTestDatabase();

const contact = (id: string, iso: string, email: string | null, accountId: string | null): NewContactVersion => ({
  versionId: `${id}@${iso}`,
  occurredAt: new Date(iso),
  isDeleted: false,
  source: 'salesforce:Contact',
  contactId: id,
  email,
  accountId,
  name: null,
});
const lead = (id: string, iso: string, email: string, convertedContactId: string | null): NewLeadVersion => ({
  versionId: `${id}@${iso}`,
  occurredAt: new Date(iso),
  isDeleted: false,
  source: 'salesforce:Lead',
  leadId: id,
  email,
  status: convertedContactId ? 'Converted' : 'Open',
  createdDate: new Date('2026-01-01T00:00:00Z'),
  isConverted: convertedContactId !== null,
  convertedContactId,
});
const emailChange = (object: 'Contact' | 'Lead', recordId: string, iso: string, from: string, to: string) => ({
  historyId: `${object}-${recordId}-${iso}`,
  object,
  recordId,
  field: 'Email',
  oldValue: from,
  newValue: to,
  changedAt: new Date(iso),
  source: `salesforce:${object}History`,
});
const chat = (id: string, iso: string, email: string, more: Partial<NewConversation> = {}): NewConversation => ({
  id,
  teamId: 'sales',
  agentId: null,
  startedAt: new Date(iso),
  emails: [email],
  ...more,
});

describe('the contact link rollups', () => {
  let ws: string;
  const tx = <T>(fn: Parameters<typeof database.db.transaction<T>>[0]) => database.db.transaction(fn);
  const rows = async (query: SQL) =>
    (await database.db.execute<Record<string, unknown>>(query)).map((r) => JSON.stringify(r)).sort();

  /** The rollups hold exactly what their definitions give, and the accounts' chats agree. */
  async function expectRollupsAsFromScratch(): Promise<void> {
    expect(
      await rows(sql`select contact_id, email_normalized as email from contact_emails where workspace_id = ${ws}`),
    ).toEqual(await rows(sql`select contact_id, email from (${contactEmailsFromVersions(ws)}) e`));
    expect(await rows(sql`select contact_id, account_id from contact_accounts where workspace_id = ${ws}`)).toEqual(
      await rows(sql`select contact_id, account_id from (${contactAccountsFromVersions(ws)}) a`),
    );
    const fromScratch = sql`
      select distinct c.id as conversation_id, ce.contact_id, ca.account_id, c.started_at, c.team_id, c.agent_id,
             c.target_account
      from conversations c
      join conversation_emails e on e.workspace_id = c.workspace_id and e.conversation_id = c.id
      join (${contactEmailsFromVersions(ws)}) ce on ce.email = e.email_normalized
      join (${contactAccountsFromVersions(ws)}) ca on ca.contact_id = ce.contact_id
      where c.workspace_id = ${ws}`;
    expect(
      await rows(sql`
        select conversation_id, contact_id, account_id, started_at, team_id, agent_id, target_account
        from (${accountChats({ workspaceId: ws, teams: null })}) l`),
    ).toEqual(await rows(fromScratch));
  }
  const chatsOf = async () =>
    (
      await database.db.execute<{ conversation_id: string; account_id: string }>(sql`
        select conversation_id, account_id from (${accountChats({ workspaceId: ws, teams: null })}) l
        order by 1, 2`)
    ).map((r) => `${r.conversation_id}→${r.account_id}`);

  beforeAll(async () => {
    ws = (await createWorkspace(database.db, { slug: 'contact-links' })).id;
    await database.db.execute(sql`insert into teams (workspace_id, id, name) values (${ws}, 'sales', 'Sales')`);
    await tx(async (t) => {
      await recordChangedVersions(t, ws, 'contact', [
        contact('K1', '2026-03-01T00:00:00Z', 'ana@acme.example', 'A1'),
        contact('K2', '2026-03-01T00:00:00Z', 'Ben@Acme.example', 'A1'),
        contact('K3', '2026-03-01T00:00:00Z', 'cy@globex.example', 'A2'),
      ]);
      await recordConversations(t, ws, [
        chat('c1', '2026-03-02T10:00:00Z', 'ana@acme.example'),
        chat('c2', '2026-03-02T11:00:00Z', 'ben@acme.example'),
        chat('c3', '2026-03-02T12:00:00Z', 'eve@mail.example'),
        chat('c4', '2026-03-02T13:00:00Z', 'ana.new@acme.example'),
      ]);
    });
  });

  it('starts as the definitions give it', async () => {
    await expectRollupsAsFromScratch();
    expect(await chatsOf()).toEqual(['c1→A1', 'c2→A1']);
  });

  it('follows a contact’s email change, its old email still linking (rule 2)', async () => {
    await tx(async (t) => {
      await recordChangedVersions(t, ws, 'contact', [
        contact('K1', '2026-03-05T00:00:00Z', 'ana.new@acme.example', 'A1'),
      ]);
      await recordFieldHistory(t, ws, [
        emailChange('Contact', 'K1', '2026-03-05T00:00:00Z', 'ana@acme.example', 'ana.new@acme.example'),
      ]);
    });
    await expectRollupsAsFromScratch();
    expect(await chatsOf()).toEqual(['c1→A1', 'c2→A1', 'c4→A1']);
  });

  it('links a converted lead’s emails, its LeadHistory included, to the contact it became', async () => {
    await tx(async (t) => {
      await recordChangedVersions(t, ws, 'contact', [contact('K5', '2026-03-06T00:00:00Z', 'eve@acme.example', 'A1')]);
      await recordChangedVersions(t, ws, 'lead', [lead('L1', '2026-03-01T00:00:00Z', 'eve@old.example', null)]);
    });
    await tx(async (t) => {
      // The history row arrives before the conversion: it links only once the lead is converted.
      await recordFieldHistory(t, ws, [
        emailChange('Lead', 'L1', '2026-03-03T00:00:00Z', 'eve@old.example', 'eve@mail.example'),
      ]);
    });
    await expectRollupsAsFromScratch();
    await tx((t) =>
      recordChangedVersions(t, ws, 'lead', [lead('L1', '2026-03-06T00:00:00Z', 'eve@mail.example', 'K5')]),
    );
    await expectRollupsAsFromScratch();
    expect(await chatsOf()).toEqual(['c1→A1', 'c2→A1', 'c3→A1', 'c4→A1']);
  });

  it('moves a contact’s chats with it to another account, whatever order its versions arrive in', async () => {
    await tx((t) =>
      recordChangedVersions(t, ws, 'contact', [contact('K5', '2026-03-10T00:00:00Z', 'eve@acme.example', 'A2')]),
    );
    await expectRollupsAsFromScratch();
    expect(await chatsOf()).toEqual(['c1→A1', 'c2→A1', 'c3→A2', 'c4→A1']);
    // A version from before the move, read late (an overlap re-read), changes nothing.
    await tx((t) =>
      recordChangedVersions(t, ws, 'contact', [contact('K5', '2026-03-08T00:00:00Z', 'eve@acme.example', 'A3')]),
    );
    // A version without an account keeps the one before.
    await tx((t) =>
      recordChangedVersions(t, ws, 'contact', [contact('K5', '2026-03-11T00:00:00Z', 'eve@acme.example', null)]),
    );
    await expectRollupsAsFromScratch();
    expect(await chatsOf()).toEqual(['c1→A1', 'c2→A1', 'c3→A2', 'c4→A1']);
  });

  it('takes a deleted contact’s chats off its account', async () => {
    await tx((t) =>
      recordDeletions(
        t,
        ws,
        'contact',
        [{ id: 'K2', deletedAt: new Date('2026-03-12T00:00:00Z') }],
        'salesforce:Contact:getDeleted',
      ),
    );
    await expectRollupsAsFromScratch();
    expect(await chatsOf()).toEqual(['c1→A1', 'c3→A2', 'c4→A1']);
  });

  it('links a conversation that arrives after all of it', async () => {
    await tx((t) =>
      recordConversations(t, ws, [
        chat('c5', '2026-02-01T00:00:00Z', 'eve@old.example'),
        chat('c6', '2026-03-20T00:00:00Z', 'ben@acme.example'),
        chat('c7', '2026-03-20T00:00:00Z', 'cy@globex.example'),
      ]),
    );
    await expectRollupsAsFromScratch();
    expect(await chatsOf()).toEqual(['c1→A1', 'c3→A2', 'c4→A1', 'c5→A2', 'c7→A2']);
  });

  it('follows a conversation resent with other emails, team, agent or target flag', async () => {
    await database.db.execute(sql`insert into teams (workspace_id, id, name) values (${ws}, 'support', 'Support')`);
    await tx((t) =>
      recordConversations(t, ws, [
        chat('c1', '2026-03-02T10:00:00Z', 'cy@globex.example', { teamId: 'support', agentId: 'ag1' }),
        chat('c7', '2026-03-21T00:00:00Z', 'cy@globex.example', { targetAccount: true }),
        chat('c8', '2026-03-22T00:00:00Z', 'nobody@else.example'),
      ]),
    );
    await expectRollupsAsFromScratch();
    expect(await chatsOf()).toEqual(['c1→A2', 'c3→A2', 'c4→A1', 'c5→A2', 'c7→A2']);
  });
});
