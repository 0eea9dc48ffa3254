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
import { recorded, replyOf } from '../support/salesforce-recorded';
import { inProcessJobs } from '../support/queues';
import { connectedWorkspace, nockApp, orgIdFor } from '../support/salesforce-fixtures';
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

/** A signed-in admin of a workspace: its session cookie ("cra_session=…"). */
async function signedIn(workspaceId: string, email: string): Promise<string> {
  await createUser(database.db, workspaceId, { email, name: 'Admin', password: 'correct horse battery staple' });
  const res = await fetch(`${service.url}/auth/sign-in`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-requested-with': 'fetch' },
    body: JSON.stringify({ email, password: 'correct horse battery staple' }),
  });
  expect(res.status).toBe(200);
  return res.headers
    .getSetCookie()
    .find((c) => c.startsWith('cra_session='))!
    .split(';')[0]!;
}

/** A workspace whose signed-in admin pressed "Connect Salesforce": the consent URL and the browser's cookies. */
async function startFlow(slug: string, body: Record<string, unknown> = { environment: 'production' }) {
  const { workspace, key } = await adminOf(slug);
  const session = await signedIn(workspace.id, `admin@${slug}.example`);
  const res = await fetch(`${service.url}/api/v1/salesforce/authorize`, {
    method: 'POST',
    headers: { cookie: session, 'content-type': 'application/json', 'x-requested-with': 'fetch' },
    body: JSON.stringify(body),
  });
  expect(res.status).toBe(200);
  const flow = res.headers
    .getSetCookie()
    .find((c) => c.startsWith('cra_sf_flow='))!
    .split(';')[0]!;
  const location = new URL(((await res.json()) as { authorizeUrl: string }).authorizeUrl);
  return {
    workspace,
    key,
    session,
    flow,
    location,
    cookies: `${session}; ${flow}`,
    state: location.searchParams.get('state')!,
  };
}

/** The recorded token response (fixture oauth-token-authorization-code) for org `orgId`. */
const tokenReply = (overrides: Record<string, unknown> = {}, orgId = ORG_ID) => ({
  ...(recorded('oauth-token-authorization-code').body as Record<string, unknown>),
  instance_url: INSTANCE,
  id: `${LOGIN}/id/${orgId}/${USER_ID}`,
  ...overrides,
});
const identityReply = () => ({
  ...(recorded('identity').body as Record<string, unknown>),
  id: `${LOGIN}/id/${ORG_ID}/${USER_ID}`,
});
const ACCESS = (recorded('oauth-token-authorization-code').body as { access_token: string }).access_token;
const REFRESH = (recorded('oauth-token-authorization-code').body as { refresh_token: string }).refresh_token;

const callback = (params: Record<string, string>, cookie?: string) =>
  fetch(`${service.url}/oauth/salesforce/callback?${new URLSearchParams(params)}`, {
    ...(cookie ? { headers: { cookie } } : {}),
  });
const connectionsOf = async (workspaceId: string) =>
  database.db.select().from(salesforceConnections).where(eq(salesforceConnections.workspaceId, workspaceId));

/** Salesforce answers the code exchange and the identity URL (with the id scope) for org `orgId`. */
function salesforceGrants(orgId = ORG_ID, identity: 'ok' | 'no-id-scope' = 'ok') {
  const token = nock(LOGIN).post('/services/oauth2/token').reply(200, tokenReply({}, orgId));
  const id = nock(LOGIN).get(`/id/${orgId}/${USER_ID}`);
  if (identity === 'ok') id.reply(200, identityReply());
  else id.reply(...replyOf('identity-forbidden-without-scope'));
  return token;
}

describe('GET /oauth/salesforce/authorize (the link the CLI prints)', () => {
  it('starts nothing: it leads to the Salesforce page of the web app, through sign-in', async () => {
    const res = await fetch(
      `${service.url}/oauth/salesforce/authorize?environment=custom&domain=acme.my.salesforce.com&workspace=acme`,
      { redirect: 'manual' },
    );
    expect(res.status).toBe(302);
    expect(res.headers.get('location')).toBe('/salesforce?connect=custom&domain=acme.my.salesforce.com&workspace=acme');
    expect(await database.db.select().from(salesforceOauthFlows)).toHaveLength(0);
  });
});

describe('starting a connection', () => {
  it('is refused to an API key, however admin: a link anyone could finish would connect their org', async () => {
    const { key } = await adminOf('authorize-key');
    const res = await fetch(`${service.url}/api/v1/salesforce/authorize`, {
      method: 'POST',
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
      body: JSON.stringify({ environment: 'sandbox' }),
    });
    expect(res.status).toBe(403);
    expect(await res.json()).toMatchObject({
      detail: expect.stringMatching(/signed-in admin .* in the web app.*\/salesforce\?connect=sandbox/),
    });
  });

  it('sends a signed-in admin to the login host with PKCE S256, prompt=consent, the id scope and a one-time state', async () => {
    const { location } = await startFlow('authorize');
    expect(location.origin + location.pathname).toBe(`${LOGIN}/services/oauth2/authorize`);
    const p = location.searchParams;
    expect(p.get('response_type')).toBe('code');
    expect(p.get('client_id')).toBe(nockApp.clientId);
    expect(p.get('redirect_uri')).toBe(nockApp.redirectUri);
    expect(p.get('code_challenge_method')).toBe('S256');
    expect(p.get('code_challenge')).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(p.get('scope')).toBe('api refresh_token id');
    expect(p.get('prompt')).toBe('consent');
    expect(p.get('state')!.length).toBeGreaterThanOrEqual(43);
    // Neither the state nor the verifier is stored in clear.
    const rows = await database.db.select().from(salesforceOauthFlows);
    expect(JSON.stringify(rows)).not.toContain(p.get('state')!);
  });

  it('uses the sandbox login host, or the admin\u2019s My Domain when it is a Salesforce host', async () => {
    expect((await startFlow('authorize-sandbox', { environment: 'sandbox' })).location.origin).toBe(
      'https://test.salesforce.com',
    );
    expect(
      (await startFlow('authorize-domain', { environment: 'custom', domain: 'acme.my.salesforce.com' })).location
        .origin,
    ).toBe('https://acme.my.salesforce.com');
  });

  it('refuses a My Domain that is not a Salesforce host', async () => {
    const { workspace } = await adminOf('authorize-evil');
    const session = await signedIn(workspace.id, 'admin@authorize-evil.example');
    const bad = await fetch(`${service.url}/api/v1/salesforce/authorize`, {
      method: 'POST',
      headers: { cookie: session, 'content-type': 'application/json', 'x-requested-with': 'fetch' },
      body: JSON.stringify({ environment: 'custom', domain: 'evil.example.com' }),
    });
    expect(bad.status).toBe(400);
    expect(await bad.json()).toMatchObject({ detail: expect.stringMatching(/not a Salesforce host/) });
  });

  it.each(['/\\evil.example', '//evil.example', '/\t/evil.example', 'https://evil.example', '/ok?next=//evil'])(
    'refuses the return path %j',
    async (returnTo) => {
      const { workspace } = await adminOf(`return-${Buffer.from(returnTo).toString('hex').slice(0, 12)}`);
      const session = await signedIn(workspace.id, `a-${Buffer.from(returnTo).toString('hex').slice(0, 12)}@x.example`);
      const res = await fetch(`${service.url}/api/v1/salesforce/authorize`, {
        method: 'POST',
        headers: { cookie: session, 'content-type': 'application/json', 'x-requested-with': 'fetch' },
        body: JSON.stringify({ environment: 'production', returnTo }),
      });
      expect(res.status).toBe(400);
    },
  );
});

describe('GET /oauth/salesforce/callback', () => {
  it('exchanges the code with the PKCE verifier, names the connected user, and stores the tokens encrypted', async () => {
    const { workspace, location, cookies, state } = await startFlow('callback-ok');
    const challenge = location.searchParams.get('code_challenge')!;
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
    nock(LOGIN)
      .get(`/id/${ORG_ID}/${USER_ID}`)
      .matchHeader('authorization', `Bearer ${ACCESS}`)
      .reply(200, identityReply());

    const res = await callback({ code: 'aPrx-code', state }, cookies);
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
      username: 'rita.ops@acme.example',
      userDisplayName: 'Rita Ops',
      loginUrl: LOGIN,
    });
    expect(JSON.stringify(c)).not.toContain(REFRESH);
    expect(decryptRefreshToken(secrets, c!)).toBe(REFRESH);
    expect(decryptAccessToken(secrets, c!)).toBe(ACCESS);
  });

  it('connects without the name when the identity URL refuses the token (no id scope)', async () => {
    const { workspace, cookies, state } = await startFlow('callback-no-id');
    salesforceGrants(orgIdFor('callback-no-id'), 'no-id-scope');
    expect((await callback({ code: 'c1', state }, cookies)).status).toBe(200);
    expect((await connectionsOf(workspace.id))[0]).toMatchObject({
      status: 'connected',
      username: null,
      userDisplayName: null,
    });
  });

  it('is refused without a signed-in session of the workspace, or in another browser, storing nothing', async () => {
    const a = await startFlow('callback-nobody');
    salesforceGrants(orgIdFor('callback-nobody'));
    const noSession = await callback({ code: 'c1', state: a.state }, a.flow);
    expect(noSession.status).toBe(400);
    expect(await noSession.text()).toContain('Sign in to finish connecting Salesforce');

    // Someone else's browser, signed in to their own workspace, cannot finish it either.
    const b = await startFlow('callback-stranger');
    const other = await adminOf('callback-stranger-own');
    const strangerSession = await signedIn(other.workspace.id, 'stranger@elsewhere.example');
    const stranger = await callback({ code: 'c1', state: b.state }, `${strangerSession}; ${b.flow}`);
    expect(await stranger.text()).toContain('You are signed in to another workspace');

    const c = await startFlow('callback-other-browser');
    const elsewhere = await callback({ code: 'c1', state: c.state }, c.session);
    expect(await elsewhere.text()).toContain('This sign-in was started in another browser');
    for (const w of [a.workspace, b.workspace, other.workspace, c.workspace])
      expect(await connectionsOf(w.id)).toHaveLength(0);
    nock.cleanAll();
  });

  it('refuses an org already connected to another workspace', async () => {
    await connectedWorkspace(database.db, secrets, 'owner-of-acme', undefined, '00D5g00000TakenAAA');
    const { workspace, cookies, state } = await startFlow('callback-taken');
    salesforceGrants('00D5g00000TakenAAA');
    const res = await callback({ code: 'c1', state }, cookies);
    expect(res.status).toBe(400);
    expect(await res.text()).toMatch(/connected to another workspace.*Disconnect it there first/s);
    expect(await connectionsOf(workspace.id)).toHaveLength(0);
  });

  it('refuses a replayed state and stores nothing more', async () => {
    const { workspace, cookies, state } = await startFlow('callback-replay');
    salesforceGrants(orgIdFor('callback-replay'));
    expect((await callback({ code: 'c1', state }, cookies)).status).toBe(200);
    const again = await callback({ code: 'c1', state }, cookies);
    expect(again.status).toBe(400);
    expect(await again.text()).toContain('This sign-in link was already used');
    expect(await connectionsOf(workspace.id)).toHaveLength(1);
  });

  it('refuses an expired state', async () => {
    const { workspace, cookies, state } = await startFlow('callback-expired');
    await database.db
      .update(salesforceOauthFlows)
      .set({ expiresAt: new Date(Date.now() - 1000) })
      .where(eq(salesforceOauthFlows.workspaceId, workspace.id));
    const res = await callback({ code: 'c1', state }, cookies);
    expect(res.status).toBe(400);
    expect(await res.text()).toContain('This sign-in took too long');
    expect(await connectionsOf(workspace.id)).toHaveLength(0);
  });

  it('shows a denied consent clearly and stores nothing', async () => {
    const { workspace, cookies, state } = await startFlow('callback-denied');
    const res = await callback(
      { error: 'access_denied', error_description: 'end-user denied authorization', state },
      cookies,
    );
    expect(res.status).toBe(400);
    expect(await res.text()).toContain('Salesforce access was not allowed');
    expect(await connectionsOf(workspace.id)).toHaveLength(0);
  });

  it('shows an error from Salesforce\u2019s token endpoint and stores nothing', async () => {
    const { workspace, cookies, state } = await startFlow('callback-token-error');
    nock(LOGIN)
      .post('/services/oauth2/token')
      .reply(400, { error: 'invalid_grant', error_description: 'invalid authorization code' });
    const res = await callback({ code: 'stale', state }, cookies);
    expect(res.status).toBe(400);
    expect(await res.text()).toMatch(/Salesforce answered &quot;invalid_grant&quot;: invalid authorization code/);
    expect(await connectionsOf(workspace.id)).toHaveLength(0);
  });

  it('refuses an instance URL that is not a Salesforce host, and stores no credentials', async () => {
    const { workspace, cookies, state } = await startFlow('callback-host');
    nock(LOGIN)
      .post('/services/oauth2/token')
      .reply(200, tokenReply({ instance_url: 'https://attacker.example' }));
    const res = await callback({ code: 'c1', state }, cookies);
    expect(res.status).toBe(400);
    expect(await res.text()).toContain('refusing to use https://attacker.example');
    expect(await connectionsOf(workspace.id)).toHaveLength(0);
  });

  it('refuses to switch a workspace to another org, and explains a sandbox refresh', async () => {
    const { workspace, cookies, state } = await startFlow('callback-other-org', { environment: 'sandbox' });
    await database.db.insert(salesforceConnections).values({
      workspaceId: workspace.id,
      status: 'needs_reauth',
      loginUrl: 'https://test.salesforce.com',
      instanceUrl: INSTANCE,
      orgId: '00D5g0000SandbxAAA',
      userId: USER_ID,
    });
    // A refreshed sandbox is a new org with a new id.
    nock('https://test.salesforce.com').post('/services/oauth2/token').reply(200, tokenReply({}, '00D5g0000RefrshAAA'));
    const res = await callback({ code: 'c1', state }, cookies);
    expect(await res.text()).toMatch(
      /This is another Salesforce org.*A sandbox refresh gives the sandbox a new org id/s,
    );
    expect((await connectionsOf(workspace.id))[0]!.orgId).toBe('00D5g0000SandbxAAA');
  });
});

describe('two first connections at the same time', () => {
  it('leave one connection whose tokens decrypt', async () => {
    const a = await startFlow('callback-race');
    const again = await fetch(`${service.url}/api/v1/salesforce/authorize`, {
      method: 'POST',
      headers: { cookie: a.session, 'content-type': 'application/json', 'x-requested-with': 'fetch' },
      body: JSON.stringify({ environment: 'production' }),
    });
    const flowB = again.headers
      .getSetCookie()
      .find((c) => c.startsWith('cra_sf_flow='))!
      .split(';')[0]!;
    const stateB = new URL(((await again.json()) as { authorizeUrl: string }).authorizeUrl).searchParams.get('state')!;
    const org = orgIdFor('callback-race');
    nock(LOGIN).post('/services/oauth2/token').times(2).delay(100).reply(200, tokenReply({}, org));
    nock(LOGIN).get(`/id/${org}/${USER_ID}`).times(2).reply(200, identityReply());
    const pages = await Promise.all([
      callback({ code: 'c-a', state: a.state }, a.cookies),
      callback({ code: 'c-b', state: stateB }, `${a.session}; ${flowB}`),
    ]);
    // Two tabs of the same admin, each holding its own flow's nonce.
    expect(pages.map((p) => p.status)).toEqual([200, 200]);
    const rows = await connectionsOf(a.workspace.id);
    expect(rows).toHaveLength(1);
    expect(decryptRefreshToken(secrets, rows[0]!)).toBe(REFRESH);
    expect(decryptAccessToken(secrets, rows[0]!)).toBe(ACCESS);
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
      org: { id: orgIdFor('status-api'), instanceUrl: INSTANCE },
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
