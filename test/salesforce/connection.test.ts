// Connecting, refreshing and disconnecting an org over HTTP (nock plays Salesforce): PKCE,
// one-time state, stored secrets encrypted, host checks, and nothing stored on any failure.
import { createHash } from 'node:crypto';
import nock from 'nock';
import { sql } from 'drizzle-orm';
import { createApiKey } from '../../src/access/api-keys';
import { createUser } from '../../src/access/users';
import { salesforceConnections, salesforceOauthFlows } from '../../src/platform/db/schema';
import { getConnection, decryptRefreshToken, decryptAccessToken } from '../../src/salesforce/connection-store';
import { refreshAccessToken } from '../../src/salesforce/tokens';
import type { RunningService } from '../../src/app/service';
import { createWorkspace } from '../../src/workspaces/workspaces';
import { useTestDatabase } from '../support/database';
import { INSTANCE, LOGIN, ORG_ID, USER_ID, SF_ERRORS } from '../support/nock-salesforce';
import { inProcessJobs } from '../support/queues';
import { connectedWorkspace, nockApp } from '../support/salesforce-fixtures';
import { startTestService, testSecrets } from '../support/service';
import { eq } from 'drizzle-orm';

const database = useTestDatabase();
const secrets = testSecrets();
let service: RunningService;
let jobs: ReturnType<typeof inProcessJobs>;

beforeAll(async () => {
  nock.disableNetConnect();
  nock.enableNetConnect(/127\.0\.0\.1/);
  jobs = inProcessJobs();
  service = await startTestService({ database, jobs, role: 'api', salesforce: nockApp, secrets });
});
afterEach(() => nock.cleanAll());
afterAll(async () => {
  await service.close();
  nock.enableNetConnect();
});

async function adminOf(slug: string) {
  const workspace = await createWorkspace(database.db, { slug });
  const { key } = await createApiKey(database.db, workspace.id, { name: 'admin', scopes: ['admin'] });
  return { workspace, key };
}

async function authorize(key: string, query = 'environment=production') {
  const res = await fetch(`${service.url}/oauth/salesforce/authorize?${query}`, {
    headers: { authorization: `Bearer ${key}` },
    redirect: 'manual',
  });
  return { res, location: res.headers.get('location') ? new URL(res.headers.get('location')!) : null };
}

const tokenReply = (overrides: Record<string, unknown> = {}) => ({
  access_token: '00D5g00000AcmeOrg!AQ4AQaccess',
  refresh_token: '5Aep861refresh',
  signature: 'c2ln',
  scope: 'refresh_token api',
  instance_url: INSTANCE,
  id: `${LOGIN}/id/${ORG_ID}/${USER_ID}`,
  token_type: 'Bearer',
  issued_at: '1772461200000',
  ...overrides,
});

const callback = (params: Record<string, string>) =>
  fetch(`${service.url}/oauth/salesforce/callback?${new URLSearchParams(params)}`);
const connectionsOf = async (workspaceId: string) =>
  database.db.select().from(salesforceConnections).where(eq(salesforceConnections.workspaceId, workspaceId));

describe('GET /oauth/salesforce/authorize', () => {
  it('redirects an admin to the login host with PKCE S256 and a one-time state', async () => {
    const { key } = await adminOf('authorize');
    const { res, location } = await authorize(key);
    expect(res.status).toBe(302);
    expect(location!.origin + location!.pathname).toBe(`${LOGIN}/services/oauth2/authorize`);
    const p = location!.searchParams;
    expect(p.get('response_type')).toBe('code');
    expect(p.get('client_id')).toBe(nockApp.clientId);
    expect(p.get('redirect_uri')).toBe(nockApp.redirectUri);
    expect(p.get('code_challenge_method')).toBe('S256');
    expect(p.get('code_challenge')).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(p.get('scope')).toBe('api refresh_token');
    expect(p.get('state')!.length).toBeGreaterThanOrEqual(43);
    // Neither the state nor the verifier is stored in clear.
    const rows = await database.db.select().from(salesforceOauthFlows);
    expect(JSON.stringify(rows)).not.toContain(p.get('state')!);
  });

  it('uses the sandbox login host, or the admin\u2019s My Domain when it is a Salesforce host', async () => {
    const { key } = await adminOf('authorize-hosts');
    expect((await authorize(key, 'environment=sandbox')).location!.origin).toBe('https://test.salesforce.com');
    expect((await authorize(key, 'environment=custom&domain=acme.my.salesforce.com')).location!.origin).toBe(
      'https://acme.my.salesforce.com',
    );
    const bad = await authorize(key, 'environment=custom&domain=evil.example.com');
    expect(bad.res.status).toBe(400);
    expect(await bad.res.json()).toMatchObject({ detail: expect.stringMatching(/not a Salesforce host/) });
  });

  it('is refused without an admin key', async () => {
    const { workspace } = await adminOf('authorize-scope');
    const { key } = await createApiKey(database.db, workspace.id, { name: 'reader', scopes: ['dashboard:read'] });
    expect((await authorize(key)).res.status).toBe(403);
    expect((await fetch(`${service.url}/oauth/salesforce/authorize`, { redirect: 'manual' })).status).toBe(401);
  });
});

describe('GET /oauth/salesforce/callback', () => {
  it('exchanges the code with the PKCE verifier and stores the connection with its tokens encrypted', async () => {
    const { workspace, key } = await adminOf('callback-ok');
    const { location } = await authorize(key);
    const challenge = location!.searchParams.get('code_challenge')!;
    let verifier = '';
    const token = nock(LOGIN)
      .post('/services/oauth2/token', (body) => {
        verifier = body.code_verifier;
        return (
          body.grant_type === 'authorization_code' &&
          body.code === 'aPrx-code' &&
          body.redirect_uri === nockApp.redirectUri &&
          body.client_secret === nockApp.clientSecret
        );
      })
      .reply(200, tokenReply());
    nock(INSTANCE)
      .get('/services/oauth2/userinfo')
      .reply(200, { preferred_username: 'admin@acme.example', organization_id: ORG_ID });

    const res = await callback({ code: 'aPrx-code', state: location!.searchParams.get('state')! });
    expect(res.status).toBe(200);
    expect(await res.text()).toContain('Salesforce is connected');
    expect(token.isDone()).toBe(true);
    expect(verifier.length).toBeGreaterThanOrEqual(43);
    expect(verifier.length).toBeLessThanOrEqual(128);
    expect(createHash('sha256').update(verifier).digest('base64url')).toBe(challenge);

    const [c] = await connectionsOf(workspace.id);
    expect(c).toMatchObject({
      status: 'connected',
      orgId: ORG_ID,
      userId: USER_ID,
      instanceUrl: INSTANCE,
      username: 'admin@acme.example',
      loginUrl: LOGIN,
    });
    expect(JSON.stringify(c)).not.toContain('5Aep861refresh');
    expect(decryptRefreshToken(secrets, c!)).toBe('5Aep861refresh');
    expect(decryptAccessToken(secrets, c!)).toBe('00D5g00000AcmeOrg!AQ4AQaccess');
  });

  it('refuses a replayed state and stores nothing more', async () => {
    const { workspace, key } = await adminOf('callback-replay');
    const { location } = await authorize(key);
    nock(LOGIN).post('/services/oauth2/token').reply(200, tokenReply());
    nock(INSTANCE).get('/services/oauth2/userinfo').reply(200, {});
    const state = location!.searchParams.get('state')!;
    expect((await callback({ code: 'c1', state })).status).toBe(200);
    const again = await callback({ code: 'c1', state });
    expect(again.status).toBe(400);
    expect(await again.text()).toContain('This sign-in link was already used');
    expect(await connectionsOf(workspace.id)).toHaveLength(1);
  });

  it('refuses an expired state', async () => {
    const { workspace, key } = await adminOf('callback-expired');
    const { location } = await authorize(key);
    await database.db
      .update(salesforceOauthFlows)
      .set({ expiresAt: new Date(Date.now() - 1000) })
      .where(eq(salesforceOauthFlows.workspaceId, workspace.id));
    const res = await callback({ code: 'c1', state: location!.searchParams.get('state')! });
    expect(res.status).toBe(400);
    expect(await res.text()).toContain('This sign-in took too long');
    expect(await connectionsOf(workspace.id)).toHaveLength(0);
  });

  it('shows a denied consent clearly and stores nothing', async () => {
    const { workspace, key } = await adminOf('callback-denied');
    const { location } = await authorize(key);
    const res = await callback({
      error: 'access_denied',
      error_description: 'end-user denied authorization',
      state: location!.searchParams.get('state')!,
    });
    expect(res.status).toBe(400);
    expect(await res.text()).toContain('Salesforce access was not allowed');
    expect(await connectionsOf(workspace.id)).toHaveLength(0);
  });

  it('shows an error from Salesforce\u2019s token endpoint and stores nothing', async () => {
    const { workspace, key } = await adminOf('callback-token-error');
    const { location } = await authorize(key);
    nock(LOGIN)
      .post('/services/oauth2/token')
      .reply(400, { error: 'invalid_grant', error_description: 'invalid authorization code' });
    const res = await callback({ code: 'stale', state: location!.searchParams.get('state')! });
    expect(res.status).toBe(400);
    expect(await res.text()).toMatch(/Salesforce answered &quot;invalid_grant&quot;: invalid authorization code/);
    expect(await connectionsOf(workspace.id)).toHaveLength(0);
  });

  it('refuses an instance URL that is not a Salesforce host, and stores no credentials', async () => {
    const { workspace, key } = await adminOf('callback-host');
    const { location } = await authorize(key);
    nock(LOGIN)
      .post('/services/oauth2/token')
      .reply(200, tokenReply({ instance_url: 'https://attacker.example' }));
    const res = await callback({ code: 'c1', state: location!.searchParams.get('state')! });
    expect(res.status).toBe(400);
    expect(await res.text()).toContain('refusing to use https://attacker.example');
    expect(await connectionsOf(workspace.id)).toHaveLength(0);
  });

  it('refuses to switch a workspace to another org', async () => {
    const { workspace } = await connectedWorkspace(database.db, secrets, 'callback-other-org');
    const { key } = await createApiKey(database.db, workspace.id, { name: 'admin', scopes: ['admin'] });
    const { location } = await authorize(key);
    nock(LOGIN)
      .post('/services/oauth2/token')
      .reply(200, tokenReply({ id: `${LOGIN}/id/00D5g00000OtherAAA/${USER_ID}` }));
    const res = await callback({ code: 'c1', state: location!.searchParams.get('state')! });
    expect(await res.text()).toContain('This is another Salesforce org');
    expect((await connectionsOf(workspace.id))[0]!.orgId).toBe(ORG_ID);
  });
});

describe('starting a connection from the web app', () => {
  async function signedIn(slug: string) {
    const { workspace } = await adminOf(slug);
    await createUser(database.db, workspace.id, {
      email: `admin@${slug}.example`,
      name: 'Admin',
      password: 'correct horse battery staple',
    });
    const res = await fetch(`${service.url}/auth/sign-in`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-requested-with': 'fetch' },
      body: JSON.stringify({ email: `admin@${slug}.example`, password: 'correct horse battery staple' }),
    });
    expect(res.status).toBe(200);
    const session = res.headers
      .getSetCookie()
      .find((c) => c.startsWith('cra_session='))!
      .split(';')[0]!;
    return { workspace, session };
  }

  it('is refused through the GET redirect with only a cookie: any site could link to it', async () => {
    const { session } = await signedIn('web-get');
    const res = await fetch(`${service.url}/oauth/salesforce/authorize?environment=production`, {
      headers: { cookie: session },
      redirect: 'manual',
    });
    expect(res.status).toBe(401);
  });

  it('is bound to the browser that started it', async () => {
    const { workspace, session } = await signedIn('web-post');
    const start = await fetch(`${service.url}/api/v1/salesforce/authorize`, {
      method: 'POST',
      headers: { cookie: session, 'content-type': 'application/json', 'x-requested-with': 'fetch' },
      body: JSON.stringify({ environment: 'production', returnTo: '/salesforce' }),
    });
    expect(start.status).toBe(200);
    const flowCookie = start.headers.getSetCookie().find((c) => c.startsWith('cra_sf_flow='))!;
    expect(flowCookie).toMatch(/HttpOnly/i);
    expect(flowCookie).toMatch(/Path=\/oauth\/salesforce/);
    const state = new URL(((await start.json()) as { authorizeUrl: string }).authorizeUrl).searchParams.get('state')!;

    // Another browser (no cookie) cannot finish it, and nothing is stored.
    const elsewhere = await callback({ code: 'c1', state });
    expect(await elsewhere.text()).toContain('This sign-in was started in another browser');
    expect(await connectionsOf(workspace.id)).toHaveLength(0);

    // A fresh flow, finished in the same browser, connects.
    const again = await fetch(`${service.url}/api/v1/salesforce/authorize`, {
      method: 'POST',
      headers: { cookie: session, 'content-type': 'application/json', 'x-requested-with': 'fetch' },
      body: JSON.stringify({ environment: 'production' }),
    });
    const cookie = again.headers
      .getSetCookie()
      .find((c) => c.startsWith('cra_sf_flow='))!
      .split(';')[0]!;
    nock(LOGIN).post('/services/oauth2/token').reply(200, tokenReply());
    nock(INSTANCE).get('/services/oauth2/userinfo').reply(200, {});
    const back = await fetch(
      `${service.url}/oauth/salesforce/callback?${new URLSearchParams({ code: 'c2', state: new URL(((await again.json()) as { authorizeUrl: string }).authorizeUrl).searchParams.get('state')! })}`,
      { headers: { cookie } },
    );
    expect(back.status).toBe(200);
    expect(await connectionsOf(workspace.id)).toHaveLength(1);
  });

  it.each(['/\\evil.example', '//evil.example', '/\t/evil.example', 'https://evil.example', '/ok?next=//evil'])(
    'refuses the return path %j',
    async (returnTo) => {
      const { key } = await adminOf(`return-${Buffer.from(returnTo).toString('hex').slice(0, 12)}`);
      const res = await fetch(`${service.url}/api/v1/salesforce/authorize`, {
        method: 'POST',
        headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
        body: JSON.stringify({ environment: 'production', returnTo }),
      });
      expect(res.status).toBe(400);
    },
  );
});

describe('two first connections at the same time', () => {
  it('leave one connection whose tokens decrypt', async () => {
    const { workspace, key } = await adminOf('callback-race');
    const a = (await authorize(key)).location!.searchParams.get('state')!;
    const b = (await authorize(key)).location!.searchParams.get('state')!;
    nock(LOGIN).post('/services/oauth2/token').times(2).delay(100).reply(200, tokenReply());
    nock(INSTANCE).get('/services/oauth2/userinfo').times(2).reply(200, {});
    const pages = await Promise.all([callback({ code: 'c-a', state: a }), callback({ code: 'c-b', state: b })]);
    expect(pages.map((p) => p.status)).toEqual([200, 200]);
    const rows = await connectionsOf(workspace.id);
    expect(rows).toHaveLength(1);
    expect(decryptRefreshToken(secrets, rows[0]!)).toBe('5Aep861refresh');
    expect(decryptAccessToken(secrets, rows[0]!)).toBe('00D5g00000AcmeOrg!AQ4AQaccess');
  });
});

describe('token refresh', () => {
  it('runs once for concurrent callers and stores the rotated refresh token', async () => {
    const { connection } = await connectedWorkspace(database.db, secrets, 'refresh-once');
    const token = nock(LOGIN)
      .post('/services/oauth2/token', (b) => b.grant_type === 'refresh_token' && b.refresh_token === 'RT-1')
      .once()
      .delay(200)
      .reply(200, {
        access_token: 'AT-2',
        refresh_token: 'RT-2',
        instance_url: INSTANCE,
        id: `${LOGIN}/id/${ORG_ID}/${USER_ID}`,
        token_type: 'Bearer',
        issued_at: '1',
      });
    const deps = { db: database.db, secrets, app: nockApp };
    const results = await Promise.all(
      [0, 1, 2, 3].map(() => refreshAccessToken(deps, connection.id, connection.tokenVersion)),
    );
    expect(token.isDone()).toBe(true);
    expect(new Set(results.map((r) => r.accessToken))).toEqual(new Set(['AT-2']));
    const c = (await getConnection(database.db, connection.id))!;
    expect(decryptRefreshToken(secrets, c)).toBe('RT-2');
    expect(c.tokenVersion).toBe(connection.tokenVersion + 1);
  });

  it('keeps the refresh token when Salesforce does not rotate it', async () => {
    const { connection } = await connectedWorkspace(database.db, secrets, 'refresh-no-rotation');
    nock(LOGIN)
      .post('/services/oauth2/token')
      .reply(200, { access_token: 'AT-2', instance_url: INSTANCE, token_type: 'Bearer' });
    await refreshAccessToken({ db: database.db, secrets, app: nockApp }, connection.id, connection.tokenVersion);
    expect(decryptRefreshToken(secrets, (await getConnection(database.db, connection.id))!)).toBe('RT-1');
  });

  it('marks the connection needs_reauth on invalid_grant, shown by the status API', async () => {
    const { workspace, connection } = await connectedWorkspace(database.db, secrets, 'refresh-invalid-grant');
    nock(LOGIN).post('/services/oauth2/token').reply(400, SF_ERRORS.invalidGrant);
    await expect(
      refreshAccessToken({ db: database.db, secrets, app: nockApp }, connection.id, connection.tokenVersion),
    ).rejects.toThrow(/Reconnect the org/);
    const { key } = await createApiKey(database.db, workspace.id, { name: 'admin', scopes: ['admin'] });
    const status = await (
      await fetch(`${service.url}/api/v1/salesforce/connection`, { headers: { authorization: `Bearer ${key}` } })
    ).json();
    expect(status).toMatchObject({
      connected: false,
      status: 'needs_reauth',
      lastError: { message: expect.stringMatching(/invalid_grant/) },
    });
  });
});

describe('disconnect', () => {
  it('revokes the token at Salesforce and deletes the stored secrets, keeping the synced data', async () => {
    const { workspace, connection } = await connectedWorkspace(database.db, secrets, 'disconnect');
    const { key } = await createApiKey(database.db, workspace.id, { name: 'admin', scopes: ['admin'] });
    const revoke = nock(LOGIN).post('/services/oauth2/revoke', 'token=RT-1').reply(200, '');
    const res = await fetch(`${service.url}/api/v1/salesforce/connection`, {
      method: 'DELETE',
      headers: { authorization: `Bearer ${key}` },
    });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ disconnected: true, revokedAtSalesforce: true });
    expect(revoke.isDone()).toBe(true);
    const c = (await getConnection(database.db, connection.id))!;
    expect(c).toMatchObject({ status: 'disconnected', refreshTokenEnc: null, accessTokenEnc: null });
    const [row] = await database.db.execute<{ n: number }>(
      sql`select count(*)::int as n from salesforce_connections where id = ${connection.id}`,
    );
    expect(row!.n).toBe(1);
  });
});

describe('the status and sync API', () => {
  it('queues a manual sync and reports the connection for an admin only', async () => {
    const { workspace } = await connectedWorkspace(database.db, secrets, 'status-api');
    const admin = (await createApiKey(database.db, workspace.id, { name: 'admin', scopes: ['admin'] })).key;
    const reader = (await createApiKey(database.db, workspace.id, { name: 'r', scopes: ['dashboard:read'] })).key;
    const sync = await fetch(`${service.url}/api/v1/salesforce/sync`, {
      method: 'POST',
      headers: { authorization: `Bearer ${admin}` },
    });
    expect(sync.status).toBe(202);
    const status = await (
      await fetch(`${service.url}/api/v1/salesforce/connection`, { headers: { authorization: `Bearer ${admin}` } })
    ).json();
    expect(status).toMatchObject({
      connected: true,
      status: 'connected',
      org: { id: ORG_ID, instanceUrl: INSTANCE },
      syncIntervalMinutes: 15,
    });
    expect(
      (await fetch(`${service.url}/api/v1/salesforce/connection`, { headers: { authorization: `Bearer ${reader}` } }))
        .status,
    ).toBe(403);
  });

  it('answers 404 on every connection route for another workspace, and leaves its connection alone', async () => {
    const { workspace: other, connection } = await connectedWorkspace(database.db, secrets, 'status-other');
    const { key } = await adminOf('status-none');
    const as = (method: string, path: string, body?: unknown) =>
      fetch(`${service.url}${path}`, {
        method,
        headers: { authorization: `Bearer ${key}`, ...(body ? { 'content-type': 'application/json' } : {}) },
        ...(body ? { body: JSON.stringify(body) } : {}),
      });
    expect((await as('POST', '/api/v1/salesforce/sync')).status).toBe(404);
    expect((await as('PATCH', '/api/v1/salesforce/connection', { syncIntervalMinutes: 30 })).status).toBe(404);
    expect((await as('DELETE', '/api/v1/salesforce/connection')).status).toBe(404);
    expect(await (await as('GET', '/api/v1/salesforce/connection')).json()).toEqual({
      connected: false,
      status: 'not_connected',
    });
    const untouched = (await getConnection(database.db, connection.id))!;
    expect(untouched).toMatchObject({ status: 'connected', syncIntervalMinutes: 15, workspaceId: other.id });
    expect(decryptRefreshToken(secrets, untouched)).toBe('RT-1');
  });
});
