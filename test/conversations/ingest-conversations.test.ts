import { and, eq, sql } from 'drizzle-orm';
import { conversationBatch } from '../../src/conversations/conversation-input';
import { ingestConversations } from '../../src/conversations/ingest-conversations';
import { conversations, type Workspace } from '../../src/platform/db/schema';
import {
  recordContactRoleVersions,
  recordContactVersions,
  recordLeadVersions,
  recordOpportunityVersions,
} from '../../src/history/record';
import { recomputeDirty } from '../../src/ledger/recompute';
import { chat, newWorkspace } from '../api/helpers';
import { useTestDatabase } from '../support/database';
import { testLogger } from '../support/logger';
import { testLedgerKeys } from '../support/ledger-keys';

const database = useTestDatabase();

function recordingQueue() {
  const jobs: unknown[] = [];
  return { jobs, enqueue: async (name: string, payload: unknown) => void jobs.push({ name, payload }) };
}

async function ingest(ws: Workspace, conversations: unknown[], queue = recordingQueue()) {
  const outcome = await ingestConversations(
    { db: database.db, queue: queue as never, logger: testLogger },
    ws.id,
    conversationBatch.parse({ conversations }),
  );
  return { outcome, queue };
}

const dirty = async (ws: Workspace) =>
  (
    await database.db.execute<{ id: string }>(
      sql`select opportunity_id as id from attribution_dirty where workspace_id = ${ws.id} order by 1`,
    )
  ).map((r) => r.id);
const clearDirty = (ws: Workspace) =>
  database.db.execute(sql`delete from attribution_dirty where workspace_id = ${ws.id}`);
const row = async (ws: Workspace, id: string) =>
  (
    await database.db
      .select()
      .from(conversations)
      .where(and(eq(conversations.workspaceId, ws.id), eq(conversations.id, id)))
  )[0]!;

/** Contact C1 (dana@acme.example) on opportunity O1, and lead L1 (lee@acme.example) converted into contact C2 on O2. */
async function salesforceSide(ws: Workspace) {
  const at = new Date('2026-03-01T09:00:00Z');
  const v = { occurredAt: at, source: 'test' };
  await database.db.transaction(async (tx) => {
    await recordContactVersions(tx, ws.id, [{ ...v, versionId: 'C1@1', contactId: 'C1', email: 'Dana@Acme.example' }]);
    await recordLeadVersions(tx, ws.id, [
      { ...v, versionId: 'L1@1', leadId: 'L1', email: 'lee@acme.example', isConverted: true, convertedContactId: 'C2' },
    ]);
    for (const [o, c] of [
      ['O1', 'C1'],
      ['O2', 'C2'],
    ] as const) {
      await recordOpportunityVersions(tx, ws.id, [
        {
          ...v,
          versionId: `${o}@1`,
          opportunityId: o,
          amount: '1000.00',
          stageName: 'Prospecting',
          isClosed: false,
          isWon: false,
        },
      ]);
      await recordContactRoleVersions(tx, ws.id, [
        { ...v, versionId: `R${o}@1`, contactRoleId: `R${o}`, opportunityId: o, contactId: c },
      ]);
    }
  });
  await clearDirty(ws);
}

describe('conversation ingestion', () => {
  it('stores every field, with the data-ask email among the emails that link', async () => {
    const ws = await newWorkspace(database.db, 'fields');
    const { outcome } = await ingest(ws, [
      chat('c1', '2026-03-02T10:00:00+01:00', {
        endedAt: '2026-03-02T09:20:00Z',
        visitorId: 'v-9',
        emails: [' Dana@Acme.example '],
        rating: 2,
        qualified: true,
        meetingBookedAt: '2026-03-05T14:00:00Z',
        targetAccount: true,
        status: 'answered',
        channel: 'video',
        dataAsks: { email: 'dana.b@acme.example', name: ' Dana ', phone: '', website: 'acme.example', company: 'Acme' },
      }),
    ]);
    expect(outcome).toEqual({ received: 1, inserted: 1, updated: 0, unchanged: 0 });
    expect(await row(ws, 'c1')).toMatchObject({
      teamId: 'sales',
      agentId: 'agent-1',
      visitorId: 'v-9',
      emails: ['Dana@Acme.example', 'dana.b@acme.example'],
      rating: 2,
      qualified: true,
      targetAccount: true,
      capturedEmail: 'dana.b@acme.example',
      capturedName: 'Dana',
      capturedPhone: null,
      capturedWebsite: 'acme.example',
      capturedCompany: 'Acme',
      status: 'answered',
      channel: 'video',
      startedAt: new Date('2026-03-02T09:00:00Z'),
      endedAt: new Date('2026-03-02T09:20:00Z'),
      meetingBookedAt: new Date('2026-03-05T14:00:00Z'),
    });
    const emails = await database.db.execute<{ e: string }>(
      sql`select email_normalized as e from conversation_emails where workspace_id = ${ws.id} order by 1`,
    );
    expect(emails.map((e) => e.e)).toEqual(['dana.b@acme.example', 'dana@acme.example']);
  });

  it('changes nothing when the same batch is sent again: no write, no updated_at, no dirty mark, no job', async () => {
    const ws = await newWorkspace(database.db, 'resend');
    await salesforceSide(ws);
    const batch = [
      chat('c1', '2026-03-02T10:00:00Z', { emails: ['dana@acme.example'], rating: 3 }),
      chat('c2', '2026-03-02T11:00:00Z'),
    ];
    const first = await ingest(ws, batch);
    expect(first.outcome).toEqual({ received: 2, inserted: 2, updated: 0, unchanged: 0 });
    expect(first.queue.jobs).toEqual([{ name: 'attribution.recompute', payload: { workspaceId: ws.id } }]);
    expect(await dirty(ws)).toEqual(['O1']);
    await clearDirty(ws);
    const before = await row(ws, 'c1');

    const again = await ingest(ws, batch);
    expect(again.outcome).toEqual({ received: 2, inserted: 0, updated: 0, unchanged: 2 });
    expect(again.queue.jobs).toEqual([]);
    expect(await dirty(ws)).toEqual([]);
    expect((await row(ws, 'c1')).updatedAt).toEqual(before.updatedAt);
  });

  it('updates a changed field without re-attributing when no attribution input changed', async () => {
    const ws = await newWorkspace(database.db, 'rating-change');
    await salesforceSide(ws);
    await ingest(ws, [chat('c1', '2026-03-02T10:00:00Z', { emails: ['dana@acme.example'], rating: 0 })]);
    await clearDirty(ws);
    const before = await row(ws, 'c1');
    const { outcome } = await ingest(ws, [
      chat('c1', '2026-03-02T10:00:00Z', { emails: ['dana@acme.example'], rating: 3 }),
    ]);
    expect(outcome).toEqual({ received: 1, inserted: 0, updated: 1, unchanged: 0 });
    expect((await row(ws, 'c1')).rating).toBe(3);
    expect((await row(ws, 'c1')).updatedAt).not.toEqual(before.updatedAt);
    expect(await dirty(ws)).toEqual([]);
  });

  it('re-attributes the opportunities of the old and the new email when an email changes', async () => {
    const ws = await newWorkspace(database.db, 'email-change');
    await salesforceSide(ws);
    await ingest(ws, [chat('c1', '2026-03-02T10:00:00Z', { emails: ['dana@acme.example'] })]);
    await clearDirty(ws);
    await ingest(ws, [chat('c1', '2026-03-02T10:00:00Z', { emails: ['LEE@acme.example'] })]);
    expect(await dirty(ws)).toEqual(['O1', 'O2']);
  });

  it('keeps the linking emails of a resent conversation equal to the emails it now gives', async () => {
    const ws = await newWorkspace(database.db, 'email-set');
    const linking = async () =>
      (
        await database.db.execute<{ e: string }>(
          sql`select email_normalized as e from conversation_emails where workspace_id = ${ws.id} order by 1`,
        )
      ).map((r) => r.e);
    await ingest(ws, [chat('c1', '2026-03-02T10:00:00Z', { emails: ['dana@acme.example', 'Lee@acme.example'] })]);
    expect(await linking()).toEqual(['dana@acme.example', 'lee@acme.example']);
    await ingest(ws, [chat('c1', '2026-03-02T10:00:00Z', { emails: ['lee@acme.example', 'kim@acme.example'] })]);
    expect(await linking()).toEqual(['kim@acme.example', 'lee@acme.example']);
    await ingest(ws, [chat('c1', '2026-03-02T10:00:00Z', { emails: [] })]);
    expect(await linking()).toEqual([]);
  });

  it('stores a lone UTF-16 surrogate as U+FFFD, and a backslash sequence that only looks like one as sent', async () => {
    const ws = await newWorkspace(database.db, 'surrogates');
    await ingest(ws, [
      chat('c1', '2026-03-02T10:00:00Z', {
        pageUrl: 'https://x.example/\ud800?q=\\ud800',
        agentName: 'Zo\u00eb \ud83d\ude00',
      }),
    ]);
    expect(await row(ws, 'c1')).toMatchObject({
      pageUrl: 'https://x.example/\ufffd?q=\\ud800',
      agentName: 'Zo\u00eb \ud83d\ude00',
    });
  });

  it('links a new chat to a converted lead by its email, and recomputes what the link touches', async () => {
    const ws = await newWorkspace(database.db, 'lead-link');
    await salesforceSide(ws);
    await ingest(ws, [chat('c1', '2026-03-02T10:00:00Z', { dataAsks: { email: ' Lee@ACME.example' } })]);
    expect(await dirty(ws)).toEqual(['O2']);
    await recomputeDirty({ db: database.db, logger: testLogger, batchSize: 10, ledgerKeys: testLedgerKeys }, ws.id);
    const touches = await database.db.execute<{ o: string; c: string; k: string }>(
      sql`select opportunity_id as o, conversation_id as c, contact_id as k from opportunity_touches where workspace_id = ${ws.id}`,
    );
    expect(touches).toEqual([{ o: 'O2', c: 'c1', k: 'C2' }]);
  });

  it('links a contact synced after the chat to that past chat', async () => {
    const ws = await newWorkspace(database.db, 'late-contact');
    await ingest(ws, [chat('c1', '2026-03-02T10:00:00Z', { emails: ['max@late.example'] })]);
    await database.db.transaction(async (tx) => {
      const v = { occurredAt: new Date('2026-03-03T09:00:00Z'), source: 'test' };
      await recordOpportunityVersions(tx, ws.id, [
        {
          ...v,
          versionId: 'O9@1',
          opportunityId: 'O9',
          amount: '500.00',
          stageName: 'Prospecting',
          isClosed: false,
          isWon: false,
        },
      ]);
      await recordContactRoleVersions(tx, ws.id, [
        { ...v, versionId: 'R9@1', contactRoleId: 'R9', opportunityId: 'O9', contactId: 'C9' },
      ]);
    });
    await recomputeDirty({ db: database.db, logger: testLogger, batchSize: 10, ledgerKeys: testLedgerKeys }, ws.id);
    await database.db.transaction((tx) =>
      recordContactVersions(tx, ws.id, [
        {
          occurredAt: new Date('2026-03-04T09:00:00Z'),
          source: 'test',
          versionId: 'C9@1',
          contactId: 'C9',
          email: 'Max@Late.example',
        },
      ]),
    );
    expect(await dirty(ws)).toEqual(['O9']);
    await recomputeDirty({ db: database.db, logger: testLogger, batchSize: 10, ledgerKeys: testLedgerKeys }, ws.id);
    const entries = await database.db.execute<{ d: string; a: string }>(
      sql`select effective_day::text as d, amount::text as a from ledger_entries where workspace_id = ${ws.id} and measure = 'pipeline'`,
    );
    expect(entries).toEqual([{ d: '2026-03-03', a: '500.00' }]);
  });

  it('writes nothing of a batch that fails half-way', async () => {
    const ws = await newWorkspace(database.db, 'atomic');
    // The database refuses one row after the teams and the other rows were written.
    await database.db.execute(sql`create function refuse_bad() returns trigger language plpgsql as $$
      begin if new.conversation_id = 'bad' then raise exception 'refused for the test'; end if; return new; end $$`);
    await database.db.execute(
      sql`create trigger refuse_bad before insert on conversation_emails for each row execute function refuse_bad()`,
    );
    const queue = recordingQueue();
    await expect(
      ingest(
        ws,
        [
          chat('ok', '2026-03-02T10:00:00Z', { emails: ['a@x.example'] }),
          chat('bad', '2026-03-02T10:00:00Z', { teamId: 'support', emails: ['b@x.example'] }),
        ],
        queue,
      ),
    ).rejects.toThrow();
    await database.db.execute(sql`drop trigger refuse_bad on conversation_emails`);
    const n = await database.db.execute<{
      n: number;
    }>(sql`select (select count(*) from conversations where workspace_id = ${ws.id})::int
      + (select count(*) from teams where workspace_id = ${ws.id})::int as n`);
    expect(n[0]!.n).toBe(0);
    expect(queue.jobs).toEqual([]);
  });
});
