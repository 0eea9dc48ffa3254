import type { Workspace } from '../../src/platform/db/schema';
import type { RunningService } from '../../src/app/service';
import { useTestDatabase } from '../support/database';
import { inProcessJobs } from '../support/queues';
import { startTestService } from '../support/service';
import { apiClient, chat, newKey, salesforceOf, type ApiClient } from './helpers';

const database = useTestDatabase();
let service: RunningService;
let jobs: ReturnType<typeof inProcessJobs>;
let ws: Workspace;
let admin: ApiClient;

beforeAll(async () => {
  jobs = inProcessJobs();
  service = await startTestService({ database, jobs });
  ws = await salesforceOf(database.db, 'admin');
  admin = apiClient(service.url!, await newKey(database.db, ws.id, ['admin']));
  await admin.post('/api/v1/conversations', {
    conversations: [chat('conv-1', '2026-03-02T15:00:00Z', { emails: ['dana@acme.example'] })],
  });
  await jobs.jobs.drain();
});
afterAll(() => service.close());

describe('/api/v1/admin/api-keys', () => {
  it('creates a key shown once, lists keys without their secret, and revokes one', async () => {
    const created = await admin.post('/api/v1/admin/api-keys', {
      name: 'dashboard of the sales team',
      scopes: ['dashboard:read'],
      teams: ['sales'],
    });
    expect(created.status).toBe(201);
    expect(created.body.key).toMatch(/^cra_[0-9a-f]{8}_[A-Za-z0-9_-]{43}$/);
    expect(created.body.apiKey).toEqual({
      id: expect.any(String),
      name: 'dashboard of the sales team',
      prefix: created.body.key.slice(0, 12),
      scopes: ['dashboard:read'],
      teams: ['sales'],
      createdAt: expect.any(String),
      lastUsedAt: null,
      revokedAt: null,
    });
    const key = apiClient(service.url!, created.body.key);
    expect((await key.get('/api/v1/teams')).status).toBe(200);

    const list = await admin.get('/api/v1/admin/api-keys');
    expect(list.body.apiKeys.map((k: { id: string }) => k.id)).toContain(created.body.apiKey.id);
    expect(JSON.stringify(list.body)).not.toContain(created.body.key.slice(13));
    expect(JSON.stringify(list.body)).not.toMatch(/"hash"/);

    expect((await admin.delete(`/api/v1/admin/api-keys/${created.body.apiKey.id}`)).status).toBe(204);
    expect((await key.get('/api/v1/teams')).status).toBe(401);
    expect((await admin.delete(`/api/v1/admin/api-keys/${created.body.apiKey.id}`)).status).toBe(404);
  });

  it('names the bad fields of a key request, and is for admin keys only', async () => {
    const bad = await admin.post('/api/v1/admin/api-keys', { name: ' ', scopes: ['everything'] });
    expect(bad.status).toBe(400);
    expect(bad.body.errors.map((e: { field: string }) => e.field).sort()).toEqual(['name', 'scopes[0]']);
    const reader = apiClient(
      service.url!,
      await newKey(database.db, ws.id, ['dashboard:read', 'ledger:read', 'conversations:write']),
    );
    for (const [method, path] of [
      ['get', '/api/v1/admin/api-keys'],
      ['post', '/api/v1/admin/webhook-secrets'],
      ['get', '/api/v1/workspace'],
      ['post', '/api/v1/teams'],
    ] as const) {
      const res = await reader[method](path);
      expect({ path, status: res.status }).toEqual({ path, status: 403 });
    }
  });
});

describe('/api/v1/workspace', () => {
  it('shows the settings', async () => {
    expect((await admin.get('/api/v1/workspace')).body).toEqual({
      id: ws.id,
      slug: 'admin',
      name: expect.any(String),
      timeZone: 'UTC',
      reportingCurrency: 'USD',
      attributionWindowDays: 90,
      createdAt: expect.any(String),
    });
  });

  it('re-dates the numbers when the time zone changes', async () => {
    const res = await admin.patch('/api/v1/workspace', { timeZone: 'Asia/Tokyo' });
    expect(res.status).toBe(200);
    expect(res.body.timeZone).toBe('Asia/Tokyo');
    await jobs.jobs.drain();
    const dashboard = await admin.get('/api/v1/dashboard?from=2026-03-01&to=2026-03-06');
    const moved = dashboard.body.series
      .filter(
        (p: { pipelineInfluenced: string; closedWonInfluenced: string }) =>
          p.pipelineInfluenced !== '0.00' || p.closedWonInfluenced !== '0.00',
      )
      .map(
        (p: { from: string; pipelineInfluenced: string; closedWonInfluenced: string }) =>
          `${p.from} ${p.pipelineInfluenced} ${p.closedWonInfluenced}`,
      );
    // Created 16:00 UTC on the 2nd = 01:00 on the 3rd in Tokyo; won 17:30 UTC on the 4th = 02:30 on the 5th.
    expect(moved).toEqual(['2026-03-03 120000.00 0.00', '2026-03-05 30000.00 150000.00']);
  });

  it('names bad settings and refuses an empty change', async () => {
    const bad = await admin.patch('/api/v1/workspace', {
      timeZone: 'Mars/Olympus',
      attributionWindowDays: -1,
      reportingCurrency: 'usd',
    });
    expect(bad.status).toBe(400);
    expect(bad.body.errors.map((e: { field: string }) => e.field).sort()).toEqual([
      'attributionWindowDays',
      'reportingCurrency',
      'timeZone',
    ]);
    expect((await admin.patch('/api/v1/workspace', {})).status).toBe(400);
    expect((await admin.patch('/api/v1/workspace', { slug: 'other' })).status).toBe(400);
    expect((await admin.patch('/api/v1/workspace', { reportingCurrency: 'EUR' })).body.reportingCurrency).toBe('EUR');
  });
});

describe('/api/v1/teams', () => {
  it('lists the teams ingestion saw, adds and renames teams, and removes one without chats', async () => {
    expect((await admin.get('/api/v1/teams')).body.teams).toEqual([
      { id: 'sales', name: 'sales', createdAt: expect.any(String), removable: false },
    ]);
    expect(await admin.post('/api/v1/teams', { id: 'sales', name: 'Sales EMEA' })).toMatchObject({
      status: 200,
      body: { id: 'sales', name: 'Sales EMEA' },
    });
    expect(await admin.post('/api/v1/teams', { id: 'partners', name: 'Partners' })).toMatchObject({
      status: 201,
      body: { id: 'partners', removable: true },
    });
    expect((await admin.post('/api/v1/teams', { id: 'sales', name: 'Sales EMEA' })).body.removable).toBe(false);
    expect((await admin.get('/api/v1/teams')).body.teams.map((t: { name: string }) => t.name)).toEqual([
      'Partners',
      'Sales EMEA',
    ]);
    expect((await admin.delete('/api/v1/teams/partners')).status).toBe(204);
    const busy = await admin.delete('/api/v1/teams/sales');
    expect(busy).toMatchObject({
      status: 409,
      body: { detail: expect.stringMatching(/has 1 conversation and stays/) },
    });
    expect((await admin.delete('/api/v1/teams/nope')).status).toBe(404);
    const bad = await admin.post('/api/v1/teams', { id: '', name: 3 });
    expect(bad.body.errors.map((e: { field: string }) => e.field).sort()).toEqual(['id', 'name']);
  });

  it('shows a team-restricted key only its teams', async () => {
    await admin.post('/api/v1/teams', { id: 'support', name: 'Support' });
    const sales = apiClient(service.url!, await newKey(database.db, ws.id, ['dashboard:read'], ['sales']));
    expect((await sales.get('/api/v1/teams')).body.teams.map((t: { id: string }) => t.id)).toEqual(['sales']);
  });
});
