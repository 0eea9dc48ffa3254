// Finding 10 of the attack round: "A team-restricted key with write and read scopes can probe other
// teams' deals. It can post a conversation with any email, then watch its dashboard. Refuse
// write+read on team-restricted keys, or count only conversations that key did not write."
// Decided: refused when the key is created, by the API and the CLI alike (one input schema), and a
// key created with both before keeps writing but reads nothing. Why: docs/chat-api.md.
import { eq } from 'drizzle-orm';
import { apiKeys } from '../../src/platform/db/schema';
import { runCommand } from '../../src/app/cli/command';
import { keyCommands } from '../../src/app/cli/commands/keys';
import { createApiKey } from '../../src/access/api-keys';
import type { RunningService } from '../../src/app/service';
import { useTestDatabase } from '../support/database';
import { inProcessJobs } from '../support/queues';
import { testRoot } from '../support/root';
import { startTestService } from '../support/service';
import { apiClient, chat, newKey, newWorkspace } from '../api/helpers';

const database = useTestDatabase();
let service: RunningService;

beforeAll(async () => {
  service = await startTestService({ database, jobs: inProcessJobs(), role: 'api' });
});
afterAll(() => service.close());

const REFUSAL = /a key restricted to teams may write conversations or read reports, not both/;

describe('finding 10: a team-restricted key may not both write and read', () => {
  it('is refused by the API with a 400 naming scopes', async () => {
    const ws = await newWorkspace(database.db, 'probe-api');
    const admin = apiClient(service.url!, await newKey(database.db, ws.id, ['admin']));
    for (const read of ['dashboard:read', 'ledger:read']) {
      const res = await admin.post('/api/v1/admin/api-keys', {
        name: 'sales probe',
        scopes: ['conversations:write', read],
        teams: ['sales'],
      });
      expect(res.status).toBe(400);
      expect(res.body.errors).toEqual([{ field: 'scopes', message: expect.stringMatching(REFUSAL) }]);
    }
    // Each alone, or both without teams, is still fine.
    for (const body of [
      { scopes: ['conversations:write'], teams: ['sales'] },
      { scopes: ['dashboard:read'], teams: ['sales'] },
      { scopes: ['conversations:write', 'dashboard:read'] },
    ])
      expect((await admin.post('/api/v1/admin/api-keys', { name: 'fine', ...body })).status).toBe(201);
  });

  it('is refused by the CLI, naming --scopes', async () => {
    await newWorkspace(database.db, 'probe-cli');
    const command = keyCommands.find((c) => c.name === 'keys:create')!;
    const lines: string[] = [];
    await expect(
      runCommand(
        command,
        { root: testRoot(database, {}), out: (l) => lines.push(l) },
        { workspace: 'probe-cli', name: 'probe', scopes: 'conversations:write,dashboard:read', teams: 'sales' },
      ),
    ).rejects.toThrow(REFUSAL);
    expect(lines).toEqual([]);
  });

  it('lets a key created with both before keep writing, and read nothing', async () => {
    const ws = await newWorkspace(database.db, 'probe-legacy');
    const { key, apiKey } = await createApiKey(database.db, ws.id, { name: 'legacy', scopes: ['conversations:write'] });
    // As it was stored before the refusal existed.
    await database.db
      .update(apiKeys)
      .set({ scopes: ['conversations:write', 'dashboard:read'], teams: ['sales'] })
      .where(eq(apiKeys.id, apiKey.id));
    const legacy = apiClient(service.url!, key);
    const attack = await legacy.post('/api/v1/conversations', {
      conversations: [chat('probe-1', '2026-03-02T10:00:00Z', { emails: ['cfo@other-team-deal.example'] })],
    });
    expect(attack.status).toBe(200);
    const watch = await legacy.get('/api/v1/dashboard?from=2026-03-01&to=2026-03-31');
    expect(watch.status).toBe(403);
    expect(watch.body.detail).toMatch(REFUSAL);
  });
});
