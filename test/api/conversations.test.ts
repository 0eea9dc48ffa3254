import { sql } from 'drizzle-orm';
import type { Workspace } from '../../src/platform/db/schema';
import type { RunningService } from '../../src/app/service';
import { useTestDatabase } from '../support/database';
import { inProcessJobs } from '../support/queues';
import { startTestService, testConfig } from '../support/service';
import { apiClient, chat, newKey, newWorkspace, type ApiClient } from './helpers';

const database = useTestDatabase();
const MAX_BODY_BYTES = 64 * 1024;
let service: RunningService;
let jobs: ReturnType<typeof inProcessJobs>;
let ws: Workspace;
let api: ApiClient;

beforeAll(async () => {
  jobs = inProcessJobs();
  service = await startTestService({ database, jobs, config: testConfig({ MAX_BODY_BYTES: String(MAX_BODY_BYTES) }) });
  ws = await newWorkspace(database.db, 'ingest');
  api = apiClient(service.url!, await newKey(database.db, ws.id, ['conversations:write']));
});
afterAll(() => service.close());

const stored = async () =>
  (
    await database.db.execute<{ id: string }>(
      sql`select id from conversations where workspace_id = ${ws.id} order by id`,
    )
  ).map((r) => r.id);

describe('POST /api/v1/conversations', () => {
  it('commits a batch and reports what it did, with a request id', async () => {
    const res = await api.post('/api/v1/conversations', {
      conversations: [
        chat('c-1', '2026-03-02T10:00:00Z', { emails: ['a@x.example'] }),
        chat('c-2', '2026-03-02T11:00:00Z', { status: 'bot' }),
      ],
    });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ received: 2, inserted: 2, updated: 0, unchanged: 0 });
    expect(res.headers.get('x-request-id')).toMatch(/.+/);
    expect(await stored()).toEqual(['c-1', 'c-2']);
  });

  it('changes nothing when a batch is sent again', async () => {
    const batch = { conversations: [chat('r-1', '2026-03-02T10:00:00Z', { rating: 2 })] };
    expect((await api.post('/api/v1/conversations', batch)).body).toMatchObject({ inserted: 1 });
    const before = await database.db.execute<{ u: string }>(
      sql`select updated_at::text as u from conversations where workspace_id = ${ws.id} and id = 'r-1'`,
    );
    const again = await api.post('/api/v1/conversations', batch);
    expect(again.body).toEqual({ received: 1, inserted: 0, updated: 0, unchanged: 1 });
    const after = await database.db.execute<{ u: string }>(
      sql`select updated_at::text as u from conversations where workspace_id = ${ws.id} and id = 'r-1'`,
    );
    expect(after).toEqual(before);
  });

  it('names every bad field in problem+json and writes nothing of the batch', async () => {
    const before = await stored();
    const res = await api.post('/api/v1/conversations', {
      conversations: [
        chat('good', '2026-03-02T10:00:00Z'),
        { id: 'no-team', startedAt: '2026-03-02T10:00:00Z' },
        chat('bad-time', 'yesterday', { rating: 4, status: 'asleep', channel: 'fax' }),
        chat('good', '2026-03-02T12:00:00Z'),
      ],
    });
    expect(res.status).toBe(400);
    expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(res.body).toMatchObject({ title: 'Bad Request', status: 400, requestId: res.headers.get('x-request-id') });
    expect(res.body.errors.map((e: { field: string }) => e.field).sort()).toEqual([
      'conversations[1].teamId',
      'conversations[2].channel',
      'conversations[2].rating',
      'conversations[2].startedAt',
      'conversations[2].status',
      'conversations[3].id',
    ]);
    expect(res.body.errors.find((e: { field: string }) => e.field === 'conversations[2].startedAt').message).toMatch(
      /ISO 8601/,
    );
    expect(await stored()).toEqual(before);
  });

  it('refuses more than 1,000 conversations in one batch', async () => {
    const conversations = Array.from({ length: 1001 }, (_, i) => ({
      id: `b${i}`,
      teamId: 't',
      startedAt: '2026-03-02T10:00:00Z',
    }));
    const res = await api.post('/api/v1/conversations', { conversations });
    expect(res.status).toBe(400);
    expect(res.body.errors).toEqual([
      { field: 'conversations', message: 'send at most 1000 conversations per request; split the batch' },
    ]);
  });

  it('answers 413 to a body over the limit', async () => {
    const conversations = Array.from({ length: 600 }, (_, i) =>
      chat(`big-${i}`, '2026-03-02T10:00:00Z', { visitorId: 'v'.repeat(100) }),
    );
    expect(JSON.stringify({ conversations }).length).toBeGreaterThan(MAX_BODY_BYTES);
    const res = await api.post('/api/v1/conversations', { conversations });
    expect(res.status).toBe(413);
    expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(res.body).toMatchObject({ title: 'Payload Too Large', status: 413 });
  });

  it('answers 415 to a body that is not JSON, and 400 to broken JSON', async () => {
    const res = await fetch(`${service.url}/api/v1/conversations`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${await newKey(database.db, ws.id, ['conversations:write'])}`,
        'content-type': 'text/plain',
      },
      body: 'hello',
    });
    expect(res.status).toBe(415);
    const broken = await api.post('/api/v1/conversations', '{"conversations": [');
    expect(broken.status).toBe(400);
    expect(broken.headers.get('content-type')).toMatch(/^application\/problem\+json/);
  });

  it('needs a key with the conversations:write scope', async () => {
    expect((await apiClient(service.url!).post('/api/v1/conversations', { conversations: [] })).status).toBe(401);
    const reader = apiClient(service.url!, await newKey(database.db, ws.id, ['dashboard:read']));
    const res = await reader.post('/api/v1/conversations', { conversations: [chat('x', '2026-03-02T10:00:00Z')] });
    expect(res.status).toBe(403);
    expect(res.body.detail).toMatch(/conversations:write/);
  });

  it('asks for the recompute of what a new chat touches', async () => {
    const at = new Date('2026-03-01T09:00:00Z');
    await database.db
      .execute(sql`insert into contact_versions (workspace_id, version_id, occurred_at, source, contact_id, email, email_normalized)
      values (${ws.id}, 'K@1', ${at.toISOString()}, 'test', 'K', 'kim@x.example', 'kim@x.example')`);
    await database.db
      .execute(sql`insert into opportunity_versions (workspace_id, version_id, occurred_at, source, opportunity_id, amount, is_closed, is_won)
      values (${ws.id}, 'O@1', ${at.toISOString()}, 'test', 'O', 700, false, false)`);
    await database.db
      .execute(sql`insert into contact_role_versions (workspace_id, version_id, occurred_at, source, contact_role_id, opportunity_id, contact_id)
      values (${ws.id}, 'R@1', ${at.toISOString()}, 'test', 'R', 'O', 'K')`);
    await api.post('/api/v1/conversations', {
      conversations: [chat('kim', '2026-03-02T10:00:00Z', { emails: ['KIM@x.example'] })],
    });
    await jobs.jobs.drain();
    const entries = await database.db.execute<{ a: string }>(
      sql`select amount::text as a from ledger_entries where workspace_id = ${ws.id} and measure = 'pipeline'`,
    );
    expect(entries).toEqual([{ a: '700.00' }]);
  });

  it('commits concurrent, overlapping batches', async () => {
    const at = new Date('2026-03-01T09:00:00Z').toISOString();
    for (let i = 0; i < 20; i++) {
      await database.db
        .execute(sql`insert into contact_versions (workspace_id, version_id, occurred_at, source, contact_id, email, email_normalized)
        values (${ws.id}, ${`KC${i}@1`}, ${at}, 'test', ${`KC${i}`}, ${`p${i}@x.example`}, ${`p${i}@x.example`})`);
      await database.db
        .execute(sql`insert into opportunity_versions (workspace_id, version_id, occurred_at, source, opportunity_id, amount, is_closed, is_won)
        values (${ws.id}, ${`OC${i}@1`}, ${at}, 'test', ${`OC${i}`}, 100, false, false)`);
      await database.db
        .execute(sql`insert into contact_role_versions (workspace_id, version_id, occurred_at, source, contact_role_id, opportunity_id, contact_id)
        values (${ws.id}, ${`RC${i}@1`}, ${at}, 'test', ${`RC${i}`}, ${`OC${i}`}, ${`KC${i}`})`);
    }
    const conversations = Array.from({ length: 20 }, (_, i) =>
      chat(`cc-${i}`, '2026-03-02T10:00:00Z', { teamId: `t${i % 4}`, emails: [`p${i}@x.example`] }),
    );
    const batches = Array.from({ length: 6 }, (_, b) => ({
      conversations: (b % 2 ? [...conversations].reverse() : conversations).map((c) => ({ ...c, rating: b % 4 })),
    }));
    const results = await Promise.all(batches.map((batch) => api.post('/api/v1/conversations', batch)));
    expect(results.map((r) => r.status)).toEqual([200, 200, 200, 200, 200, 200]);
    expect(results.reduce((n, r) => n + r.body.inserted, 0)).toBe(20);
    const n = await database.db.execute<{ n: number }>(
      sql`select count(*)::int as n from conversations where workspace_id = ${ws.id} and id like 'cc-%'`,
    );
    expect(n[0]!.n).toBe(20);
  });
});
