// Sign-in for the web app: a workspace user's session cookie, its flags, CSRF, sign-out, expiry,
// the demo route, and that a session only ever sees its own workspace.
import { sql } from 'drizzle-orm';
import { createUser } from '../../src/access/users';
import type { Workspace } from '../../src/platform/db/schema';
import { ensureDemoWorkspace } from '../../src/app/demo/demo-workspace';
import type { RunningService } from '../../src/app/service';
import { useTestDatabase } from '../support/database';
import { inProcessJobs } from '../support/queues';
import { startTestService, testConfig } from '../support/service';
import { apiClient, chat, newKey, salesforceOf } from './helpers';
import { sessionClient } from './session-client';

const database = useTestDatabase();
const PASSWORD = 'correct horse battery staple';
let service: RunningService;
let a: Workspace;
let b: Workspace;

beforeAll(async () => {
  const jobs = inProcessJobs();
  service = await startTestService({ database, jobs });
  a = await salesforceOf(database.db, 'session-a', '01-seed-example.json');
  b = await salesforceOf(database.db, 'session-b', '01-seed-example.json');
  await createUser(database.db, a.id, { email: 'Ana@Example.com', name: 'Ana', password: PASSWORD });
  await createUser(database.db, b.id, { email: 'bo@example.com', name: 'Bo', password: PASSWORD });
  for (const w of [a, b]) {
    await apiClient(service.url!, await newKey(database.db, w.id)).post('/api/v1/conversations', {
      conversations: [
        chat(`conv-${w.slug}`, '2026-03-02T15:00:00Z', { teamId: `${w.slug}-team`, emails: ['dana@acme.example'] }),
      ],
    });
  }
  await jobs.jobs.drain();
});
afterAll(() => service.close());

const signIn = async (email = 'ana@example.com', password = PASSWORD) => {
  const client = sessionClient(service.url!);
  const res = await client.post('/auth/sign-in', { email, password });
  return { client, res };
};

describe('signing in', () => {
  it('opens a session in an HttpOnly, SameSite=Lax cookie and answers who is signed in', async () => {
    const { client, res } = await signIn('  ANA@example.com ');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      user: {
        id: expect.any(String),
        email: 'ana@example.com',
        name: 'Ana',
        isDemo: false,
        passwordChangeRequired: false,
      },
      workspace: {
        id: a.id,
        slug: 'session-a',
        name: a.name,
        timeZone: 'UTC',
        reportingCurrency: 'USD',
        attributionWindowDays: 90,
        isDemo: false,
      },
    });
    const [set] = res.headers.getSetCookie();
    expect(set).toMatch(/^cra_session=[A-Za-z0-9_-]{43}; Max-Age=604800; Path=\/; Expires=.+; HttpOnly; SameSite=Lax$/);
    expect(set).not.toMatch(/Secure/);
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect((await client.get('/auth/me')).body).toEqual(res.body);
  });

  it('stores only a hash of the token', async () => {
    const { client } = await signIn();
    const token = client.cookie!.split('=')[1]!;
    const rows = await database.db.execute<{ id: string }>(sql`select id from sessions`);
    expect(rows.map((r) => r.id)).not.toContain(token);
    expect(rows.every((r) => /^[0-9a-f]{64}$/.test(r.id))).toBe(true);
  });

  it('marks the cookie Secure when the service is reached over https', async () => {
    const jobs = inProcessJobs();
    const secure = await startTestService({
      database,
      jobs,
      config: testConfig({ PUBLIC_URL: 'https://attribution.example.com' }),
    });
    try {
      const res = await sessionClient(secure.url!).post('/auth/sign-in', {
        email: 'ana@example.com',
        password: PASSWORD,
      });
      expect(res.headers.getSetCookie()[0]).toMatch(/; HttpOnly; Secure; SameSite=Lax$/);
    } finally {
      await secure.close();
    }
  });

  it('answers a wrong password and an unknown email with the same words, and sets no cookie', async () => {
    const wrong = await signIn('ana@example.com', 'not the password');
    const unknown = await signIn('nobody@example.com', PASSWORD);
    for (const r of [wrong.res, unknown.res]) {
      expect(r.status).toBe(401);
      expect(r.headers.getSetCookie()).toEqual([]);
    }
    expect(wrong.res.body.detail).toBe(unknown.res.body.detail);
    expect(wrong.res.body.detail).toMatch(/^The email or the password is not right/);
  });

  it('refuses an 11th failed attempt for an email from one address within 15 minutes', async () => {
    await createUser(database.db, a.id, { email: 'limited@example.com', name: 'Lim', password: PASSWORD });
    for (let i = 0; i < 10; i++) expect((await signIn('limited@example.com', `wrong-${i}`)).res.status).toBe(401);
    const blocked = await signIn('limited@example.com', PASSWORD);
    expect(blocked.res.status).toBe(429);
    expect(blocked.res.body.detail).toMatch(/10 sign-ins failed for this email/);
    expect((await signIn('ana@example.com')).res.status).toBe(200);
  });
});

describe('a session', () => {
  it('reads the API as an admin of its workspace', async () => {
    const { client } = await signIn();
    const dashboard = await client.get('/api/v1/dashboard?from=2026-03-01&to=2026-03-05');
    expect(dashboard.status).toBe(200);
    expect(dashboard.body.totals.pipelineInfluenced).toBe('150000.00');
    expect((await client.get('/api/v1/workspace')).body.slug).toBe('session-a');
    expect((await client.get('/api/v1/teams')).body.teams.map((t: { id: string }) => t.id)).toEqual(['session-a-team']);
  });

  it('never reads another workspace', async () => {
    const { client } = await signIn();
    // Both workspaces hold the same story under the same ids: the session sees A's four entries, not eight.
    const ledger = await client.get('/api/v1/ledger');
    expect(ledger.status).toBe(200);
    expect(ledger.body).toEqual(
      (await apiClient(service.url!, await newKey(database.db, a.id)).get('/api/v1/ledger')).body,
    );
    expect(ledger.body.entries).toHaveLength(4);
    // Workspace B's team and key are not A's to see.
    expect((await client.get('/api/v1/dashboard?teams=session-b-team')).status).toBe(404);
    const bKey = (await apiClient(service.url!, await newKey(database.db, b.id)).get('/api/v1/admin/api-keys')).body
      .apiKeys[0].id;
    expect((await client.delete(`/api/v1/admin/api-keys/${bKey}`)).status).toBe(404);
    const keys = (await client.get('/api/v1/admin/api-keys')).body.apiKeys as { id: string }[];
    expect(keys.map((k) => k.id)).not.toContain(bKey);
  });

  it('needs "X-Requested-With: fetch" on anything but GET and HEAD', async () => {
    const { client } = await signIn();
    const forged = await client.patch('/api/v1/workspace', { attributionWindowDays: 30 }, { csrf: false });
    expect(forged.status).toBe(403);
    expect(forged.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(forged.body.detail).toMatch(/X-Requested-With: fetch/);
    expect(
      (await client.post('/api/v1/admin/api-keys', { name: 'x', scopes: ['admin'] }, { csrf: false })).status,
    ).toBe(403);
    expect((await client.post('/auth/sign-out', undefined, { csrf: false })).status).toBe(403);
    expect(
      (
        await sessionClient(service.url!).post(
          '/auth/sign-in',
          { email: 'ana@example.com', password: PASSWORD },
          { csrf: false },
        )
      ).status,
    ).toBe(403);
    const [workspace] = await database.db.execute<{ w: number }>(
      sql`select attribution_window_days as w from workspaces where id = ${a.id}`,
    );
    expect(workspace!.w).toBe(90);

    const allowed = await client.post('/api/v1/admin/api-keys', {
      name: 'made in the web app',
      scopes: ['dashboard:read'],
    });
    expect(allowed.status).toBe(201);
    expect(allowed.body.key).toMatch(/^cra_/);
  });

  it('leaves a request that names an API key to that key (no CSRF header needed, the key decides)', async () => {
    const { client } = await signIn();
    const bKey = await newKey(database.db, b.id, ['dashboard:read']);
    const res = await fetch(`${service.url}/api/v1/workspace`, {
      headers: { cookie: client.cookie!, authorization: `Bearer ${bKey}` },
    });
    expect(res.status).toBe(403); // B's key lacks admin: the cookie's admin rights do not leak into it
  });

  it('ends at sign-out: the cookie is cleared and the token no longer works', async () => {
    const { client } = await signIn();
    const token = client.cookie!;
    const out = await client.post('/auth/sign-out');
    expect(out.status).toBe(204);
    expect(out.headers.getSetCookie()[0]).toMatch(
      /^cra_session=; Path=\/; Expires=Thu, 01 Jan 1970 00:00:00 GMT; HttpOnly; SameSite=Lax$/,
    );
    client.cookie = token;
    expect((await client.get('/auth/me')).status).toBe(401);
    expect((await client.get('/api/v1/dashboard')).status).toBe(401);
  });

  it('ends when it expires, and when its user is removed', async () => {
    const { client } = await signIn();
    await database.db.execute(sql`update sessions set expires_at = now() - interval '1 second'`);
    expect((await client.get('/auth/me')).status).toBe(401);

    await createUser(database.db, a.id, { email: 'leaving@example.com', name: 'Leaving', password: PASSWORD });
    const leaving = await signIn('leaving@example.com');
    expect((await leaving.client.get('/auth/me')).status).toBe(200);
    await database.db.execute(sql`delete from users where email = 'leaving@example.com'`);
    expect((await leaving.client.get('/api/v1/dashboard')).status).toBe(401);
  });

  it('slides its expiry forward with use, never past seven days after sign-in', async () => {
    const { client } = await signIn();
    await database.db.execute(
      sql`update sessions set expires_at = now() + interval '1 hour', created_at = now() - interval '6 days 23 hours'`,
    );
    expect((await client.get('/auth/me')).status).toBe(200);
    const [row] = await database.db.execute<{ left: number }>(
      sql`select extract(epoch from expires_at - created_at)::int as left from sessions order by created_at limit 1`,
    );
    expect(row!.left).toBe(7 * 86_400);
  });
});

describe('the demo sign-in', () => {
  it('does not exist unless the service offers the demo', async () => {
    expect((await sessionClient(service.url!).post('/auth/demo')).status).toBe(404);
    expect((await sessionClient(service.url!).get('/auth/options')).body).toEqual({ demo: false, salesforce: false });
  });

  it('signs in as the demo workspace user, marked as demo, when offered', async () => {
    const demo = await ensureDemoWorkspace(database.db, [
      {
        id: 'demo-conv-1',
        at: '2026-03-02T15:00:00Z',
        teamId: 'sales',
        agentId: 'agent-1',
        emails: ['dana@acme.example'],
      },
    ]);
    const jobs = inProcessJobs();
    const withDemo = await startTestService({ database, jobs, demoWorkspace: 'demo' });
    try {
      const client = sessionClient(withDemo.url!);
      expect((await client.get('/auth/options')).body).toEqual({ demo: true, salesforce: false });
      const res = await client.post('/auth/demo');
      expect(res.status).toBe(200);
      expect(res.body.workspace).toMatchObject({ id: demo.id, slug: 'demo', isDemo: true });
      expect((await client.get('/api/v1/workspace')).body.id).toBe(demo.id);
      // The demo user has no password anyone knows: it signs in only through /auth/demo.
      expect((await client.post('/auth/sign-in', { email: res.body.user.email, password: PASSWORD })).status).toBe(401);
    } finally {
      await withDemo.close();
    }
  });
});
