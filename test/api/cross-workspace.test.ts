// Every route, called with workspace B's key on workspace A's ids: 404 or B's own data, never A's.
import { sql } from 'drizzle-orm';
import type { Workspace } from '../../src/platform/db/schema';
import type { RunningService } from '../../src/app/service';
import { signChatWebhook } from '../../src/conversations/webhook-signature';
import { useTestDatabase } from '../support/database';
import { inProcessJobs } from '../support/queues';
import { startTestService } from '../support/service';
import { apiClient, chat, newKey, salesforceOf, type ApiClient } from './helpers';

const database = useTestDatabase();
const A_OPPORTUNITY = '0065g00000Opp001';
let service: RunningService;
let a: Workspace;
let b: Workspace;
let asA: ApiClient;
let asB: ApiClient;
const ids = { keyId: '', secretId: '', secret: '' };

beforeAll(async () => {
  const jobs = inProcessJobs();
  service = await startTestService({ database, jobs });
  a = await salesforceOf(database.db, 'tenant-a', '01-seed-example.json');
  b = await salesforceOf(database.db, 'tenant-b', '07-teams-without-double-counting.json');
  asA = apiClient(service.url!, await newKey(database.db, a.id));
  asB = apiClient(service.url!, await newKey(database.db, b.id));
  await asA.post('/api/v1/conversations', {
    conversations: [
      chat('conv-1', '2026-03-02T15:00:00Z', {
        teamId: 'a-team',
        agentId: 'agent-a',
        emails: ['dana@acme.example'],
        rating: 3,
      }),
    ],
  });
  await asB.post('/api/v1/conversations', {
    conversations: [
      chat('conv-b', '2026-07-01T09:00:00Z', { teamId: 'b-team', agentId: 'agent-b', emails: ['ana@wayne.example'] }),
    ],
  });
  await jobs.jobs.drain();
  const key = await asA.post('/api/v1/admin/api-keys', { name: 'a key', scopes: ['dashboard:read'] });
  ids.keyId = key.body.apiKey.id;
  const secret = await asA.post('/api/v1/admin/webhook-secrets');
  ids.secretId = secret.body.webhookSecret.id;
  ids.secret = secret.body.secret;
});
afterAll(() => service.close());

const notFound = (res: { status: number; headers: Headers }) => {
  expect(res.status).toBe(404);
  expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
};

describe("another workspace's ids", () => {
  it('are 404 on every route that names one', async () => {
    notFound(await asB.get(`/api/v1/opportunities/${A_OPPORTUNITY}/attribution`));
    notFound(await asB.get(`/api/v1/ledger?opportunityId=${A_OPPORTUNITY}`));
    notFound(await asB.get(`/api/v1/ledger.csv?opportunityId=${A_OPPORTUNITY}`));
    notFound(await asB.get('/api/v1/dashboard?teams=a-team'));
    notFound(await asB.get('/api/v1/leaderboard?teams=a-team'));
    notFound(await asB.delete(`/api/v1/admin/api-keys/${ids.keyId}`));
    notFound(await asB.delete(`/api/v1/admin/webhook-secrets/${ids.secretId}`));
    notFound(await asB.delete('/api/v1/teams/a-team'));
    // ...and nothing of A changed.
    expect((await asA.get(`/api/v1/opportunities/${A_OPPORTUNITY}/attribution`)).status).toBe(200);
    expect(
      (await asA.get('/api/v1/admin/api-keys')).body.apiKeys.find((k: { id: string }) => k.id === ids.keyId).revokedAt,
    ).toBeNull();
    expect((await asA.get('/api/v1/admin/webhook-secrets')).body.webhookSecrets[0].revokedAt).toBeNull();
    expect((await asA.get('/api/v1/teams')).body.teams.map((t: { id: string }) => t.id)).toEqual(['a-team']);
  });

  it('never show in lists, reports or exports', async () => {
    const aText = [A_OPPORTUNITY, 'conv-1', 'a-team', 'agent-a', ids.keyId, ids.secretId, a.id];
    const bodies = await Promise.all(
      [
        '/api/v1/ledger',
        '/api/v1/ledger.csv',
        '/api/v1/dashboard?from=2026-01-01&to=2026-12-31',
        '/api/v1/leaderboard?from=2026-01-01&to=2026-12-31',
        '/api/v1/teams',
        '/api/v1/admin/api-keys',
        '/api/v1/admin/webhook-secrets',
        '/api/v1/workspace',
        '/api/v1/opportunities/006G/attribution',
      ].map(async (path) => ({ path, res: await asB.get(path) })),
    );
    for (const { path, res } of bodies) {
      expect({ path, status: res.status }).toEqual({ path, status: 200 });
      const text = typeof res.body === 'string' ? res.body : JSON.stringify(res.body);
      for (const secret of aText)
        expect({ path, leaks: text.includes(secret) ? secret : null }).toEqual({ path, leaks: null });
    }
    // B's own numbers: its opportunity 006G, once.
    const dashboard = bodies.find((x) => x.path.startsWith('/api/v1/dashboard'))!.res.body;
    expect(dashboard.totals).toMatchObject({ totalChats: 1, pipelineInfluenced: '110000.00' });
  });

  it('are separate rows when written from the other workspace', async () => {
    await asB.post('/api/v1/conversations', {
      conversations: [chat('conv-1', '2026-07-01T10:00:00Z', { teamId: 'b-team', rating: 0 })],
    });
    await asB.post('/api/v1/teams', { id: 'a-team', name: 'B has one too' });
    await asB.patch('/api/v1/workspace', { reportingCurrency: 'EUR' });
    const rows = await database.db.execute<{ w: string; team: string; rating: number }>(
      sql`select workspace_id as w, team_id as team, rating from conversations where id = 'conv-1' order by team_id`,
    );
    expect(rows).toEqual([
      { w: a.id, team: 'a-team', rating: 3 },
      { w: b.id, team: 'b-team', rating: 0 },
    ]);
    expect((await asA.get('/api/v1/teams')).body.teams).toEqual([
      expect.objectContaining({ id: 'a-team', name: 'a-team' }),
    ]);
    expect((await asA.get('/api/v1/workspace')).body.reportingCurrency).toBe('USD');
  });

  it("open no webhook: A's secret does not sign for B", async () => {
    const body = JSON.stringify({ conversations: [chat('hooked', '2026-07-01T10:00:00Z')] });
    const headers = signChatWebhook(ids.secret, 'msg-cross', new Date(), body) as Record<string, string>;
    const res = await fetch(`${service.url}/webhooks/chat?workspace=${b.slug}`, { method: 'POST', headers, body });
    expect(res.status).toBe(401);
  });
});
