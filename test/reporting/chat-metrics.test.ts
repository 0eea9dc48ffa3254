import { chatCountsByDay, type ChatCounts } from '../../src/reporting/chat-metrics';
import { conversationBatch } from '../../src/conversations/conversation-input';
import { ingestConversations } from '../../src/conversations/ingest-conversations';
import type { Workspace } from '../../src/platform/db/schema';
import { chat, newWorkspace } from '../api/helpers';
import { useTestDatabase } from '../support/database';
import { testLogger } from '../support/logger';

const database = useTestDatabase();
const queue = { enqueue: async () => {} };

async function ingest(ws: Workspace, conversations: unknown[]) {
  await ingestConversations(
    { db: database.db, queue, logger: testLogger },
    ws.id,
    conversationBatch.parse({ conversations }),
  );
}

async function counts(ws: Workspace, from: string, to: string, teams: string[] | null = null) {
  const byDay = await chatCountsByDay(database.db, { workspaceId: ws.id, timeZone: ws.timeZone, teams }, { from, to });
  return Object.fromEntries([...byDay.entries()].sort(([a], [b]) => a.localeCompare(b)));
}

const none: ChatCounts = { totalChats: 0, qualifiedChats: 0, leadVolume: 0, targetAccounts: 0, meetingsBooked: 0 };
const day = (c: Partial<ChatCounts>) => ({ ...none, ...c });

describe('chat metrics', () => {
  it('count every requested chat, bot and missed ones included', async () => {
    const ws = await newWorkspace(database.db, 'totals');
    await ingest(ws, [
      chat('answered', '2026-03-02T10:00:00Z', { status: 'answered' }),
      chat('bot', '2026-03-02T11:00:00Z', { status: 'bot', agentId: null }),
      chat('missed', '2026-03-02T12:00:00Z', { status: 'missed', agentId: null }),
      chat('unknown', '2026-03-02T13:00:00Z'),
    ]);
    expect(await counts(ws, '2026-03-01', '2026-03-03')).toEqual({ '2026-03-02': day({ totalChats: 4 }) });
  });

  it('count a chat as qualified when it is rated 1, 2 or 3 fires, whatever its qualified flag says', async () => {
    const ws = await newWorkspace(database.db, 'qualified');
    await ingest(ws, [
      chat('r0', '2026-03-02T10:00:00Z', { rating: 0, qualified: true }),
      chat('r1', '2026-03-02T10:00:00Z', { rating: 1 }),
      chat('r2', '2026-03-02T10:00:00Z', { rating: 2, qualified: false }),
      chat('r3', '2026-03-02T10:00:00Z', { rating: 3 }),
      chat('unrated', '2026-03-02T10:00:00Z', { rating: null, qualified: true }),
    ]);
    expect(await counts(ws, '2026-03-02', '2026-03-02')).toEqual({
      '2026-03-02': day({ totalChats: 5, qualifiedChats: 3 }),
    });
  });

  it('count the same lead email once a day, however it is written, and again on another day', async () => {
    const ws = await newWorkspace(database.db, 'lead-emails');
    await ingest(ws, [
      chat('a', '2026-03-02T09:00:00Z', { dataAsks: { email: 'dana@acme.example' } }),
      chat('b', '2026-03-02T15:00:00Z', { emails: [' Dana@ACME.example '] }),
      chat('c', '2026-03-03T09:00:00Z', { dataAsks: { email: 'dana@acme.example', name: 'Dana' } }),
      chat('d', '2026-03-03T10:00:00Z', { dataAsks: { email: 'sam@acme.example' } }),
    ]);
    expect(await counts(ws, '2026-03-02', '2026-03-03')).toEqual({
      '2026-03-02': day({ totalChats: 2, leadVolume: 1 }),
      '2026-03-03': day({ totalChats: 2, leadVolume: 2 }),
    });
  });

  it("take a lead's email from the data ask before the captured emails", async () => {
    const ws = await newWorkspace(database.db, 'lead-email-choice');
    await ingest(ws, [
      // Lead email x (asked), though y was captured first.
      chat('asked', '2026-03-02T09:00:00Z', { emails: ['y@acme.example'], dataAsks: { email: 'x@acme.example' } }),
      // Lead email x again (its first captured email): the same lead that day.
      chat('captured', '2026-03-02T10:00:00Z', { emails: ['x@acme.example', 'y@acme.example'] }),
      // Lead email y: another lead.
      chat('other', '2026-03-02T11:00:00Z', { emails: ['y@acme.example'] }),
    ]);
    expect(await counts(ws, '2026-03-02', '2026-03-02')).toEqual({
      '2026-03-02': day({ totalChats: 3, leadVolume: 2 }),
    });
  });

  it('count a lead without an email by its conversation, and a chat that captured nothing as no lead', async () => {
    const ws = await newWorkspace(database.db, 'leads-without-email');
    await ingest(ws, [
      chat('name', '2026-03-02T09:00:00Z', { dataAsks: { name: 'Dana' } }),
      chat('name-again', '2026-03-02T09:30:00Z', { dataAsks: { name: 'Dana' } }),
      chat('phone', '2026-03-02T10:00:00Z', { dataAsks: { phone: '+1 555 0100' } }),
      chat('website', '2026-03-02T10:00:00Z', { dataAsks: { website: 'acme.example' } }),
      chat('company', '2026-03-02T10:00:00Z', { dataAsks: { company: 'Acme' } }),
      chat('blank-asks', '2026-03-02T10:00:00Z', { dataAsks: { email: '  ', name: '' }, emails: [' '] }),
      chat('nothing', '2026-03-02T10:00:00Z'),
    ]);
    expect(await counts(ws, '2026-03-02', '2026-03-02')).toEqual({
      '2026-03-02': day({ totalChats: 7, leadVolume: 5 }),
    });
  });

  it("put a chat on the workspace's calendar day: across midnight in New York is two days, and two leads", async () => {
    const ws = await newWorkspace(database.db, 'midnight', { timeZone: 'America/New_York' });
    await ingest(ws, [
      chat('late', '2026-03-03T04:30:00Z', { dataAsks: { email: 'dana@acme.example' }, rating: 2 }), // 23:30 on the 2nd, EST
      chat('early', '2026-03-03T05:30:00Z', { dataAsks: { email: 'dana@acme.example' } }), // 00:30 on the 3rd
    ]);
    expect(await counts(ws, '2026-03-02', '2026-03-03')).toEqual({
      '2026-03-02': day({ totalChats: 1, qualifiedChats: 1, leadVolume: 1 }),
      '2026-03-03': day({ totalChats: 1, leadVolume: 1 }),
    });
    // The same two instants are one UTC day.
    const utc = await newWorkspace(database.db, 'midnight-utc');
    await ingest(utc, [
      chat('late', '2026-03-03T04:30:00Z', { dataAsks: { email: 'dana@acme.example' } }),
      chat('early', '2026-03-03T05:30:00Z', { dataAsks: { email: 'dana@acme.example' } }),
    ]);
    expect(await counts(utc, '2026-03-02', '2026-03-03')).toEqual({
      '2026-03-03': day({ totalChats: 2, leadVolume: 1 }),
    });
  });

  it('count target-account visitors', async () => {
    const ws = await newWorkspace(database.db, 'targets');
    await ingest(ws, [
      chat('t1', '2026-03-02T09:00:00Z', { targetAccount: true }),
      chat('t2', '2026-03-02T09:00:00Z', { targetAccount: false }),
      chat('t3', '2026-03-02T09:00:00Z', { targetAccount: true, status: 'bot' }),
    ]);
    expect(await counts(ws, '2026-03-02', '2026-03-02')).toEqual({
      '2026-03-02': day({ totalChats: 3, targetAccounts: 2 }),
    });
  });

  it('count a meeting on the day it was booked, not on the day of its chat', async () => {
    const ws = await newWorkspace(database.db, 'meetings', { timeZone: 'Europe/Paris' });
    await ingest(ws, [
      chat('m1', '2026-03-02T09:00:00Z', { meetingBookedAt: '2026-03-04T23:30:00Z' }), // 00:30 on the 5th in Paris
      chat('m2', '2026-02-20T09:00:00Z', { meetingBookedAt: '2026-03-03T10:00:00Z' }), // chat before the range
      chat('m3', '2026-03-03T09:00:00Z', { meetingBookedAt: '2026-04-01T10:00:00Z' }), // meeting after the range
    ]);
    expect(await counts(ws, '2026-03-01', '2026-03-10')).toEqual({
      '2026-03-02': day({ totalChats: 1 }),
      '2026-03-03': day({ totalChats: 1, meetingsBooked: 1 }),
      '2026-03-05': day({ meetingsBooked: 1 }),
    });
  });

  it("count only the selected teams' conversations", async () => {
    const ws = await newWorkspace(database.db, 'team-filter');
    await ingest(ws, [
      chat('s1', '2026-03-02T09:00:00Z', { teamId: 'sales', rating: 3, meetingBookedAt: '2026-03-02T10:00:00Z' }),
      chat('u1', '2026-03-02T09:00:00Z', { teamId: 'support', rating: 3, dataAsks: { name: 'x' } }),
      chat('m1', '2026-03-02T09:00:00Z', { teamId: 'marketing', targetAccount: true }),
    ]);
    expect(await counts(ws, '2026-03-02', '2026-03-02', ['sales'])).toEqual({
      '2026-03-02': day({ totalChats: 1, qualifiedChats: 1, meetingsBooked: 1 }),
    });
    expect(await counts(ws, '2026-03-02', '2026-03-02', ['support', 'marketing'])).toEqual({
      '2026-03-02': day({ totalChats: 2, qualifiedChats: 1, leadVolume: 1, targetAccounts: 1 }),
    });
  });
});
