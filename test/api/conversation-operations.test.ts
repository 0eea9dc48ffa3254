// The conversation body's chat-operations fields (all optional), and agents' names: from the chat
// product's agentName, or set by an admin with PUT /api/v1/agents/{id}, which the chat never replaces.
import { sql } from 'drizzle-orm';
import type { Workspace } from '../../src/platform/db/schema';
import type { RunningService } from '../../src/app/service';
import { useTestDatabase } from '../support/database';
import { inProcessJobs } from '../support/queues';
import { startTestService } from '../support/service';
import { apiClient, chat, newKey, newWorkspace, type ApiClient } from './helpers';

const database = useTestDatabase();
let service: RunningService;
let ws: Workspace;
let writer: ApiClient;
let admin: ApiClient;

beforeAll(async () => {
  service = await startTestService({ database, jobs: inProcessJobs() });
  ws = await newWorkspace(database.db, 'operations');
  writer = apiClient(service.url!, await newKey(database.db, ws.id, ['conversations:write', 'dashboard:read']));
  admin = apiClient(service.url!, await newKey(database.db, ws.id, ['admin']));
});
afterAll(() => service.close());

const full = {
  acceptedAt: '2026-03-02T10:00:45Z',
  initiatedBy: 'visitor',
  messages: { visitor: 7, agent: 9 },
  avgResponseSeconds: 21.5,
  tags: ['pricing', ' demo ', '', 'pricing'],
  channel: 'social',
  csat: 5,
  nps: 9,
  resolved: true,
  pageUrl: 'https://www.acme.example/pricing',
  agentName: 'Ana Ortiz',
};

describe('the conversation body', () => {
  it('stores every chat-operations field, tags trimmed and without repeats', async () => {
    const res = await writer.post('/api/v1/conversations', {
      conversations: [chat('ops-1', '2026-03-02T10:00:00Z', full)],
    });
    expect(res.status).toBe(200);
    const [row] = await database.db.execute(sql`
      select accepted_at::text, initiated_by, messages_visitor, messages_agent, avg_response_seconds, tags, channel,
             csat, nps, resolved, page_url, agent_name
      from conversations where workspace_id = ${ws.id} and id = 'ops-1'`);
    expect(row).toEqual({
      accepted_at: '2026-03-02 10:00:45+00',
      initiated_by: 'visitor',
      messages_visitor: 7,
      messages_agent: 9,
      avg_response_seconds: 21.5,
      tags: ['pricing', 'demo'],
      channel: 'social',
      csat: 5,
      nps: 9,
      resolved: true,
      page_url: 'https://www.acme.example/pricing',
      agent_name: 'Ana Ortiz',
    });
  });

  it('still takes a conversation without any of them, as old senders send it', async () => {
    const res = await writer.post('/api/v1/conversations', {
      conversations: [chat('ops-old', '2026-03-02T10:00:00Z', { status: 'answered', channel: 'text' })],
    });
    expect(res.body).toEqual({ received: 1, inserted: 1, updated: 0, unchanged: 0 });
  });

  it('names every bad field', async () => {
    const res = await writer.post('/api/v1/conversations', {
      conversations: [
        chat('ops-bad', '2026-03-02T10:00:00Z', {
          initiatedBy: 'customer',
          messages: { visitor: -1, agent: 1.5 },
          avgResponseSeconds: -3,
          csat: 6,
          nps: 11,
          channel: 'fax',
          tags: 'pricing',
        }),
        chat('ops-bad-2', '2026-03-02T10:00:00Z', { agentId: null, agentName: 'Nobody' }),
      ],
    });
    expect(res.status).toBe(400);
    expect(res.body.errors.map((e: { field: string }) => e.field).sort()).toEqual([
      'conversations[0].avgResponseSeconds',
      'conversations[0].channel',
      'conversations[0].csat',
      'conversations[0].initiatedBy',
      'conversations[0].messages.agent',
      'conversations[0].messages.visitor',
      'conversations[0].nps',
      'conversations[0].tags',
      'conversations[1].agentName',
    ]);
  });

  it('refuses a first agent reply before the chat started', async () => {
    const res = await writer.post('/api/v1/conversations', {
      conversations: [chat('ops-early', '2026-03-02T10:00:00Z', { acceptedAt: '2026-03-02T09:59:59Z' })],
    });
    expect(res.body.errors).toEqual([
      { field: 'conversations[0].acceptedAt', message: 'must not be before startedAt' },
    ]);
  });
});

describe('agents’ names', () => {
  it('come from agentName, the latest conversation of the batch winning', async () => {
    await writer.post('/api/v1/conversations', {
      conversations: [
        chat('n-2', '2026-03-03T10:00:00Z', { agentId: 'agent-7', agentName: 'Sam Lee' }),
        chat('n-1', '2026-03-02T10:00:00Z', { agentId: 'agent-7', agentName: 'Samuel Lee' }),
      ],
    });
    const res = await writer.get('/api/v1/agents');
    expect(res.body.agents).toContainEqual({ id: 'agent-7', name: 'Sam Lee', nameSource: 'chat', conversations: 2 });
  });

  it('set by an admin are kept when the chat product sends another', async () => {
    const put = await admin.put('/api/v1/agents/agent-7', { name: 'Samira Lee' });
    expect(put.status).toBe(200);
    expect(put.body).toEqual({ id: 'agent-7', name: 'Samira Lee', nameSource: 'admin', conversations: 2 });
    await writer.post('/api/v1/conversations', {
      conversations: [chat('n-3', '2026-03-04T10:00:00Z', { agentId: 'agent-7', agentName: 'Sam L.' })],
    });
    const res = await writer.get('/api/v1/agents');
    expect(res.body.agents).toContainEqual({
      id: 'agent-7',
      name: 'Samira Lee',
      nameSource: 'admin',
      conversations: 3,
    });
  });

  it('can be given before the agent’s first chat, by an admin only, and must not be blank', async () => {
    const created = await admin.put('/api/v1/agents/agent-new', { name: '  Noor Haddad ' });
    expect(created.status).toBe(201);
    expect(created.body).toEqual({ id: 'agent-new', name: 'Noor Haddad', nameSource: 'admin', conversations: 0 });
    expect((await writer.put('/api/v1/agents/agent-new', { name: 'x' })).status).toBe(403);
    const blank = await admin.put('/api/v1/agents/agent-new', { name: '  ' });
    expect(blank.status).toBe(400);
    expect(blank.body.errors).toEqual([{ field: 'name', message: 'give the agent a name people recognise' }]);
  });

  it('are listed to a team-restricted key only for agents of its teams', async () => {
    await writer.post('/api/v1/conversations', {
      conversations: [chat('s-1', '2026-03-02T10:00:00Z', { teamId: 'support', agentId: 'agent-s' })],
    });
    const support = apiClient(service.url!, await newKey(database.db, ws.id, ['dashboard:read'], ['support']));
    expect((await support.get('/api/v1/agents')).body.agents).toEqual([
      { id: 'agent-s', name: null, nameSource: null, conversations: 1 },
    ]);
  });
});
