// A key restricted to teams acts only for those teams: it writes only their conversations, never
// moves another team's, and cannot be an admin (which could mint itself an unrestricted key).
import type { RunningService } from '../../src/app/service';
import { useTestDatabase } from '../support/database';
import { inProcessJobs } from '../support/queues';
import { startTestService } from '../support/service';
import { apiClient, chat, newKey, newWorkspace } from './helpers';

const database = useTestDatabase();
let service: RunningService;

beforeAll(async () => {
  service = await startTestService({ database, jobs: inProcessJobs(), role: 'api' });
});
afterAll(() => service.close());

describe('a key restricted to teams', () => {
  it('writes conversations of its teams, and refuses a batch touching another team, writing none of it', async () => {
    const ws = await newWorkspace(database.db, 'restricted-writes');
    const sales = apiClient(service.url!, await newKey(database.db, ws.id, ['conversations:write'], ['sales']));
    expect(
      (await sales.post('/api/v1/conversations', { conversations: [chat('c1', '2026-03-02T10:00:00Z')] })).status,
    ).toBe(200);
    const mixed = await sales.post('/api/v1/conversations', {
      conversations: [chat('c2', '2026-03-02T11:00:00Z'), chat('c3', '2026-03-02T12:00:00Z', { teamId: 'support' })],
    });
    expect(mixed.status).toBe(403);
    expect(mixed.body.detail).toMatch(/only write conversations of the teams sales; the batch touches support/);
    const all = apiClient(service.url!, await newKey(database.db, ws.id, ['conversations:write']));
    // c2 was not written either: sending it again with an unrestricted key inserts it.
    expect(
      (await all.post('/api/v1/conversations', { conversations: [chat('c2', '2026-03-02T11:00:00Z')] })).body,
    ).toMatchObject({ inserted: 1 });
  });

  it('cannot take another team\u2019s conversation over', async () => {
    const ws = await newWorkspace(database.db, 'restricted-move');
    const all = apiClient(service.url!, await newKey(database.db, ws.id, ['conversations:write']));
    await all.post('/api/v1/conversations', {
      conversations: [chat('s1', '2026-03-02T10:00:00Z', { teamId: 'support' })],
    });
    const sales = apiClient(service.url!, await newKey(database.db, ws.id, ['conversations:write'], ['sales']));
    expect(
      (
        await sales.post('/api/v1/conversations', {
          conversations: [chat('s1', '2026-03-02T10:00:00Z', { teamId: 'sales' })],
        })
      ).status,
    ).toBe(403);
  });

  it('cannot be an admin key', async () => {
    const ws = await newWorkspace(database.db, 'restricted-admin');
    const admin = apiClient(service.url!, await newKey(database.db, ws.id, ['admin']));
    const res = await admin.post('/api/v1/admin/api-keys', { name: 'team admin', scopes: ['admin'], teams: ['sales'] });
    expect(res.status).toBe(400);
    expect(JSON.stringify(res.body)).toMatch(/an admin key acts for the whole workspace/);
    await expect(newKey(database.db, ws.id, ['admin', 'dashboard:read'], ['sales'])).rejects.toThrow(
      /an admin key acts for the whole workspace/,
    );
  });
});
