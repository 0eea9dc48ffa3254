// /api/v1/views: saved views (range, teams, credit model, digest recipients), per workspace.
import type { RunningService } from '../../src/app/service';
import type { Workspace } from '../../src/platform/db/schema';
import { saveTeam } from '../../src/workspaces/teams';
import { useTestDatabase } from '../support/database';
import { inProcessJobs } from '../support/queues';
import { startTestService } from '../support/service';
import { apiClient, newKey, newWorkspace, type ApiClient } from './helpers';

const database = useTestDatabase();
let service: RunningService;
let ws: Workspace;
let admin: ApiClient;

beforeAll(async () => {
  service = await startTestService({ database, jobs: inProcessJobs() });
  ws = await newWorkspace(database.db, 'views');
  await saveTeam(database.db, ws.id, { id: 'sales', name: 'Sales' });
  await saveTeam(database.db, ws.id, { id: 'support', name: 'Support' });
  admin = apiClient(service.url!, await newKey(database.db, ws.id));
});
afterAll(() => service.close());

describe('/api/v1/views', () => {
  it('saves, lists, changes and deletes a view', async () => {
    const created = await admin.post('/api/v1/views', {
      name: '  Support, last 30 days ',
      range: { preset: '30d' },
      teams: ['support'],
      model: 'u_shaped',
      digestRecipients: ['RevOps@Example.com', 'revops@example.com', 'cfo@example.com'],
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      name: 'Support, last 30 days',
      range: { preset: '30d', from: null, to: null },
      teams: ['support'],
      model: 'u_shaped',
      digestRecipients: ['revops@example.com', 'cfo@example.com'],
      digestUrl: `/digest/${created.body.id}`,
      createdBy: expect.stringMatching(/^api_key:/),
    });
    const id = created.body.id as string;

    const list = await admin.get('/api/v1/views');
    expect(list.status).toBe(200);
    expect(list.body.views.map((v: { id: string }) => v.id)).toEqual([id]);
    expect(list.body.email).toEqual({ configured: false });

    const changed = await admin.patch(`/api/v1/views/${id}`, {
      range: { preset: 'custom', from: '2026-05-01', to: '2026-05-31' },
      teams: null,
    });
    expect(changed.status).toBe(200);
    expect(changed.body).toMatchObject({
      name: 'Support, last 30 days',
      range: { preset: 'custom', from: '2026-05-01', to: '2026-05-31' },
      teams: null,
      model: 'u_shaped',
    });
    expect((await admin.get(`/api/v1/views/${id}`)).body).toEqual(changed.body);

    expect((await admin.delete(`/api/v1/views/${id}`)).status).toBe(204);
    expect((await admin.get(`/api/v1/views/${id}`)).status).toBe(404);
    expect((await admin.get('/api/v1/views')).body.views).toEqual([]);
  });

  it('names every bad field', async () => {
    const res = await admin.post('/api/v1/views', {
      name: '',
      range: { preset: 'custom', to: '2026-13-01' },
      model: 'even',
      digestRecipients: ['not an email'],
    });
    expect(res.status).toBe(400);
    expect(res.body.errors.map((e: { field: string }) => e.field).sort()).toEqual(
      ['digestRecipients[0]', 'model', 'name', 'range.from', 'range.to'].sort(),
    );
    const preset = await admin.post('/api/v1/views', { name: 'x', range: { preset: '7d', from: '2026-05-01' } });
    expect(preset.body.errors).toEqual([{ field: 'range.from', message: 'only with the custom preset (got "7d")' }]);
    const team = await admin.post('/api/v1/views', { name: 'x', range: { preset: '7d' }, teams: ['nobody'] });
    expect(team.status).toBe(400);
    expect(team.body.errors).toEqual([{ field: 'teams', message: expect.stringMatching(/nobody/) }]);
  });

  it('refuses a second view of the same name in the workspace, naming the field', async () => {
    const first = await admin.post('/api/v1/views', { name: 'Weekly', range: { preset: '7d' } });
    expect(first.status).toBe(201);
    const again = await admin.post('/api/v1/views', { name: 'Weekly', range: { preset: '30d' } });
    expect(again.status).toBe(409);
    expect(again.body.errors).toEqual([{ field: 'name', message: expect.stringMatching(/"Weekly" exists/) }]);
    const other = await admin.post('/api/v1/views', { name: 'Other', range: { preset: '7d' } });
    const rename = await admin.patch(`/api/v1/views/${other.body.id}`, { name: 'Weekly' });
    expect(rename.status).toBe(409);
    expect(rename.body.errors[0].field).toBe('name');
  });

  it('keeps views to their workspace, and to the scopes and teams of a key', async () => {
    const mine = await admin.post('/api/v1/views', { name: 'Sales only', range: { preset: '7d' }, teams: ['sales'] });
    const elsewhere = await newWorkspace(database.db, 'views-other');
    const stranger = apiClient(service.url!, await newKey(database.db, elsewhere.id));
    expect((await stranger.get(`/api/v1/views/${mine.body.id}`)).status).toBe(404);
    expect((await stranger.delete(`/api/v1/views/${mine.body.id}`)).status).toBe(404);

    const reader = apiClient(service.url!, await newKey(database.db, ws.id, ['dashboard:read']));
    expect((await reader.get('/api/v1/views')).status).toBe(200);
    expect((await reader.post('/api/v1/views', { name: 'r', range: { preset: '7d' } })).status).toBe(403);

    const support = apiClient(service.url!, await newKey(database.db, ws.id, ['dashboard:read'], ['support']));
    const seen = (await support.get('/api/v1/views')).body.views.map((v: { name: string }) => v.name);
    expect(seen).not.toContain('Sales only');
    expect((await support.get(`/api/v1/views/${mine.body.id}`)).status).toBe(404);
  });
});
