// The local test Salesforce, driven by the real client the sync uses (jsforce 3.10.16) over real
// HTTP: OAuth with PKCE, rotation and revocation, queries and paging, writes and their side
// effects, getDeleted, Bulk API 2.0, limits, Salesforce's error bodies, and injected faults.
import { createHmac } from 'node:crypto';
import jsforce from 'jsforce';
import { s256, type FakeSalesforce } from '../src';
import {
  CLIENT,
  authorize,
  connect,
  oauth2For,
  pkcePair,
  rest,
  startFake,
  testClock,
  type TestClock,
} from './fake-salesforce-client';

const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;

let clock: TestClock;
let fake: FakeSalesforce;
const open: FakeSalesforce[] = [];

beforeEach(async () => {
  clock = testClock();
  // Access tokens outlive the clock jumps of these tests unless a test is about expiry.
  fake = await startFake(clock, { pageSize: 2, accessTokenTtlMs: 30 * DAY });
  open.push(fake);
});
afterEach(async () => {
  await Promise.all(open.splice(0).map((f) => f.close()));
});

describe('OAuth web server flow with PKCE', () => {
  it('shows a consent page titled as the local test Salesforce, with the org and the scopes', async () => {
    const { challenge } = pkcePair();
    const url = oauth2For(fake).getAuthorizationUrl({
      scope: 'api refresh_token',
      state: 's',
      code_challenge: challenge,
      code_challenge_method: 'S256',
      prompt: 'login consent',
      login_hint: 'someone@example.com',
    } as Record<string, string>);
    const res = await fetch(url);
    const html = await res.text();
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/html/);
    expect(html).toContain('<title>Allow access? — Local test Salesforce</title>');
    expect(html).toContain('This is not Salesforce');
    expect(html).toContain('Demo Org (local test Salesforce)');
    expect(html).toContain('Manage user data via APIs (api)');
    expect(html).toContain('Perform requests at any time (refresh_token, offline_access)');
    expect(html).toMatch(/<button[^>]*value="allow"[^>]*>Allow<\/button>/);
    expect(html).toMatch(/<button[^>]*value="deny"[^>]*>Deny<\/button>/);
  });

  it('exchanges the code and verifier for tokens in the shape Salesforce sends', async () => {
    const { tokens } = await authorize(fake);
    expect(Object.keys(tokens).sort()).toEqual([
      'access_token',
      'id',
      'instance_url',
      'issued_at',
      'refresh_token',
      'scope',
      'signature',
      'token_type',
    ]);
    expect(tokens).toMatchObject({
      token_type: 'Bearer',
      scope: 'api refresh_token id',
      instance_url: fake.url,
      id: `${fake.url}/id/${fake.orgId}/${fake.userId}`,
      issued_at: String(clock.now.getTime()),
    });
    expect(tokens.access_token.startsWith(`${fake.orgId.slice(0, 15)}!`)).toBe(true);
    expect(fake.orgId).toMatch(/^00D[A-Za-z0-9]{15}$/);
    const signature = createHmac('sha256', CLIENT.clientSecret)
      .update(tokens.id + String(tokens.issued_at))
      .digest('base64');
    expect(tokens.signature).toBe(signature);
  });

  it('answers Deny with access_denied and the state, and sends no code', async () => {
    const url = oauth2For(fake).getAuthorizationUrl({
      state: 'xyz',
      code_challenge: pkcePair().challenge,
      code_challenge_method: 'S256',
    } as Record<string, string>);
    const back = await fake.approveAuthorization(url, 'deny');
    expect(back.toString()).toBe(
      `${CLIENT.redirectUri}?error=access_denied&error_description=end-user+denied+authorization&state=xyz`,
    );
  });

  it('shows an error page, never a redirect, for an unknown client or a redirect URI not configured', async () => {
    const wrongClient = await fetch(
      `${fake.url}/services/oauth2/authorize?response_type=code&client_id=nope&redirect_uri=${encodeURIComponent(CLIENT.redirectUri)}`,
      { redirect: 'manual' },
    );
    expect(wrongClient.status).toBe(400);
    expect(wrongClient.headers.get('location')).toBeNull();
    expect(await wrongClient.text()).toContain('error=invalid_client_id');
    const wrongRedirect = await fetch(
      `${fake.url}/services/oauth2/authorize?response_type=code&client_id=${CLIENT.clientId}&redirect_uri=${encodeURIComponent('https://evil.example/cb')}`,
      { redirect: 'manual' },
    );
    expect(wrongRedirect.status).toBe(400);
    expect(wrongRedirect.headers.get('location')).toBeNull();
    expect(await wrongRedirect.text()).toContain('error_description=redirect_uri must match configuration');
  });

  it('refuses a wrong verifier, a too-short verifier, a reused code and an expired code with invalid_grant', async () => {
    const oauth2 = oauth2For(fake);
    const codeFor = async (challenge: string) => {
      const url = oauth2.getAuthorizationUrl({ code_challenge: challenge, code_challenge_method: 'S256' } as Record<
        string,
        string
      >);
      return (await fake.approveAuthorization(url)).searchParams.get('code')!;
    };
    const exchange = (code: string, verifier: string) =>
      oauth2.requestToken(code, { code_verifier: verifier } as Record<string, string>);

    const { verifier, challenge } = pkcePair();
    await expect(exchange(await codeFor(challenge), pkcePair().verifier)).rejects.toMatchObject({
      name: 'invalid_grant',
      message: 'invalid code verifier',
    });
    const short = 'a'.repeat(42);
    await expect(exchange(await codeFor(s256(short)), short)).rejects.toMatchObject({
      name: 'invalid_grant',
      message: 'invalid code verifier',
    });

    const code = await codeFor(challenge);
    await exchange(code, verifier);
    await expect(exchange(code, verifier)).rejects.toMatchObject({
      name: 'invalid_grant',
      message: 'invalid authorization code',
    });

    const late = await codeFor(challenge);
    clock.advance(15 * MINUTE + 1);
    await expect(exchange(late, verifier)).rejects.toMatchObject({
      name: 'invalid_grant',
      message: 'expired authorization code',
    });
  });

  it('refuses a wrong client, a wrong secret, the blocked password flow and an unsupported grant type', async () => {
    const bad = new jsforce.OAuth2({
      loginUrl: fake.url,
      clientId: CLIENT.clientId,
      clientSecret: 'wrong',
      redirectUri: CLIENT.redirectUri,
    });
    await expect(bad.requestToken('whatever')).rejects.toMatchObject({
      name: 'invalid_client',
      message: 'invalid client credentials',
    });
    const stranger = new jsforce.OAuth2({
      loginUrl: fake.url,
      clientId: 'stranger',
      clientSecret: 'x',
      redirectUri: CLIENT.redirectUri,
    });
    await expect(stranger.requestToken('whatever')).rejects.toMatchObject({
      name: 'invalid_client_id',
      message: 'client identifier invalid',
    });
    await expect(oauth2For(fake).authenticate('user@example.com', 'pw')).rejects.toMatchObject({
      name: 'invalid_grant',
      message: 'authentication failure',
    });
    await expect(oauth2For(fake).requestToken({ grant_type: 'client_credentials' } as never)).rejects.toMatchObject({
      name: 'unsupported_grant_type',
      message: 'grant type not supported',
    });
  });

  it('rotates the refresh token, and reuse of a rotated one revokes the whole family', async () => {
    const { oauth2, tokens } = await authorize(fake);
    const first = await oauth2.refreshToken(tokens.refresh_token!);
    expect(first.refresh_token).toBeDefined();
    expect(first.refresh_token).not.toBe(tokens.refresh_token);
    expect(first.access_token).not.toBe(tokens.access_token);

    await expect(oauth2.refreshToken(tokens.refresh_token!)).rejects.toMatchObject({
      name: 'invalid_grant',
      message: 'expired access/refresh token',
    });
    // The reuse revoked everything issued to this consent, the newest tokens too.
    await expect(oauth2.refreshToken(first.refresh_token!)).rejects.toMatchObject({ name: 'invalid_grant' });
    const res = await rest(fake, first.access_token, '/services/data/v62.0/limits');
    expect(res).toMatchObject({
      status: 401,
      body: [{ message: 'Session expired or invalid', errorCode: 'INVALID_SESSION_ID' }],
    });
  });

  it('keeps the refresh token when rotation is off', async () => {
    const plain = await startFake(clock, { rotateRefreshTokens: false });
    open.push(plain);
    const { oauth2, tokens } = await authorize(plain);
    const refreshed = await oauth2.refreshToken(tokens.refresh_token!);
    expect(refreshed.refresh_token).toBeUndefined();
    await expect(oauth2.refreshToken(tokens.refresh_token!)).resolves.toHaveProperty('access_token');
  });

  it('gives no refresh token when neither refresh_token nor offline_access was granted', async () => {
    const { tokens } = await authorize(fake, 'api id');
    expect(tokens.refresh_token).toBeUndefined();
  });

  it('revokes a token family, and serves identity and userinfo to a live token only', async () => {
    const { conn, oauth2, tokens } = await connect(fake);
    const me = await conn.identity();
    expect(me).toMatchObject({
      user_id: fake.userId,
      organization_id: fake.orgId,
      username: 'integration.user@demo-org.example',
    });
    const info = await rest(fake, tokens.access_token, '/services/oauth2/userinfo');
    expect(info.body).toMatchObject({
      user_id: fake.userId,
      organization_id: fake.orgId,
      preferred_username: 'integration.user@demo-org.example',
    });

    await oauth2.revokeToken(tokens.refresh_token!);
    await expect(oauth2.refreshToken(tokens.refresh_token!)).rejects.toMatchObject({ name: 'invalid_grant' });
    expect((await rest(fake, tokens.access_token, '/services/oauth2/userinfo')).status).toBe(403);
  });

  it('answers an expired access token with INVALID_SESSION_ID, which jsforce refreshes through', async () => {
    const { conn, tokens } = await connect(fake);
    fake.expireAccessTokens();
    const raw = await rest(fake, tokens.access_token, '/services/data/v62.0/query?q=SELECT+Id+FROM+Account');
    expect(raw).toMatchObject({
      status: 401,
      body: [{ message: 'Session expired or invalid', errorCode: 'INVALID_SESSION_ID' }],
    });
    const refreshed: string[] = [];
    conn.on('refresh', (token: string) => refreshed.push(token));
    await expect(conn.query('SELECT Id FROM Account')).resolves.toMatchObject({ done: true });
    expect(refreshed).toHaveLength(1);
  });

  it("with rotation, a client must keep each new refresh token: jsforce's default refresh reuses the first and loses the session", async () => {
    const short = await startFake(clock); // two-hour access tokens
    open.push(short);
    const { conn } = await connect(short);
    clock.advance(3 * 60 * MINUTE);
    await expect(conn.query('SELECT Id FROM Account')).resolves.toMatchObject({ done: true });
    clock.advance(3 * 60 * MINUTE);
    await expect(conn.query('SELECT Id FROM Account')).rejects.toThrow('expired access/refresh token');

    // A refreshFn that stores the rotated refresh token keeps the session alive.
    const { oauth2, tokens } = await authorize(short);
    let refreshToken = tokens.refresh_token!;
    const kept = new jsforce.Connection({
      oauth2,
      instanceUrl: tokens.instance_url,
      accessToken: tokens.access_token,
      version: '62.0',
      refreshFn: (c, callback) => {
        oauth2.refreshToken(refreshToken).then(
          (res) => {
            refreshToken = res.refresh_token ?? refreshToken;
            c.accessToken = res.access_token;
            callback(null, res.access_token, res);
          },
          (err: Error) => callback(err),
        );
      },
    });
    for (let i = 0; i < 3; i++) {
      clock.advance(3 * 60 * MINUTE);
      await expect(kept.query('SELECT Id FROM Account')).resolves.toMatchObject({ done: true });
    }
  });

  it('ends every session on revokeAllTokens', async () => {
    const { oauth2, tokens } = await authorize(fake);
    fake.revokeAllTokens();
    expect((await rest(fake, tokens.access_token, '/services/data/v62.0/limits')).status).toBe(401);
    await expect(oauth2.refreshToken(tokens.refresh_token!)).rejects.toMatchObject({
      name: 'invalid_grant',
      message: 'expired access/refresh token',
    });
  });
});

describe('REST API', () => {
  it('lists API versions without a session, and counts each REST call in Sforce-Limit-Info and limits', async () => {
    const { tokens } = await authorize(fake);
    const versions = await fetch(`${fake.url}/services/data/`).then((r) => r.json());
    expect(versions).toContainEqual({ label: "Winter '25", url: '/services/data/v62.0', version: '62.0' });
    const a = await rest(fake, tokens.access_token, '/services/data/v62.0/limits');
    expect(a.headers.get('sforce-limit-info')).toBe('api-usage=1/15000');
    expect(a.body).toMatchObject({ DailyApiRequests: { Max: 15000, Remaining: 14999 } });
    const b = await rest(fake, tokens.access_token, '/services/data/v58.0/query?q=SELECT+COUNT()+FROM+Account');
    expect(b.headers.get('sforce-limit-info')).toBe('api-usage=2/15000');
    expect(b.body).toEqual({ totalSize: 0, done: true, records: [] });
    expect(fake.apiUsage).toBe(2);
    const missing = await rest(fake, tokens.access_token, '/services/data/v62.0/nothing-here');
    expect(missing).toMatchObject({
      status: 404,
      body: [{ errorCode: 'NOT_FOUND', message: 'The requested resource does not exist' }],
    });
    expect(missing.headers.get('sforce-limit-info')).toBe('api-usage=3/15000');
  });

  it('refuses calls with REQUEST_LIMIT_EXCEEDED once the daily limit is used up', async () => {
    const { conn, tokens } = await connect(fake);
    fake.setApiUsage(15000);
    const res = await rest(fake, tokens.access_token, '/services/data/v62.0/limits');
    expect(res.status).toBe(403);
    expect(res.body).toEqual([{ message: 'TotalRequests Limit exceeded.', errorCode: 'REQUEST_LIMIT_EXCEEDED' }]);
    expect(res.headers.get('sforce-limit-info')).toBe('api-usage=15000/15000');
    await expect(conn.query('SELECT Id FROM Account')).rejects.toMatchObject({ errorCode: 'REQUEST_LIMIT_EXCEEDED' });
  });

  it('pages a query through nextRecordsUrl over a snapshot, and queryAll adds soft-deleted rows', async () => {
    const { conn } = await connect(fake);
    const ids = [];
    for (const name of ['Ada', 'Bo', 'Cy', 'Di', 'Ed']) ids.push(fake.org.create('Contact', { LastName: name }));
    type Page = { totalSize: number; done: boolean; nextRecordsUrl?: string; records: Array<{ LastName: string }> };
    const first = await conn.request<Page>(
      `/services/data/v62.0/query?q=${encodeURIComponent('SELECT Id, LastName FROM Contact ORDER BY LastName DESC')}`,
    );
    expect(first).toMatchObject({ totalSize: 5, done: false });
    expect(first.records.map((r) => r.LastName)).toEqual(['Ed', 'Di']);
    expect(first.nextRecordsUrl).toMatch(/^\/services\/data\/v62\.0\/query\/01g[A-Za-z0-9]{15}-2$/);
    fake.org.delete('Contact', ids[0]!); // after the snapshot: the pages already chosen do not change
    const second = await conn.queryMore(first.nextRecordsUrl!);
    expect(second.records.map((r) => r.LastName)).toEqual(['Cy', 'Bo']);
    const third = await conn.request<Page>(second.nextRecordsUrl!);
    expect(third).toMatchObject({ done: true, records: [{ LastName: 'Ada' }] });
    expect(third.nextRecordsUrl).toBeUndefined();

    const live = await conn.query('SELECT COUNT() FROM Contact');
    expect(live.totalSize).toBe(4);
    const all = await conn.request<{ totalSize: number; records: Array<{ Id: string; IsDeleted: boolean }> }>(
      `/services/data/v62.0/queryAll?q=${encodeURIComponent('SELECT Id, IsDeleted FROM Contact WHERE IsDeleted = true')}`,
    );
    expect(all).toMatchObject({ totalSize: 1, records: [{ Id: ids[0], IsDeleted: true }] });
    fake.hardDelete('Contact', ids[0]!);
    const afterPurge = await conn.request<{ totalSize: number }>(
      `/services/data/v62.0/queryAll?q=${encodeURIComponent('SELECT Id FROM Contact')}`,
    );
    expect(afterPurge.totalSize).toBe(4);
  });

  it('honours Sforce-Query-Options batchSize between 200 and 2000', async () => {
    const big = await startFake(clock);
    open.push(big);
    for (let i = 0; i < 250; i++) big.org.create('Account', { Name: `A${i}` });
    const { tokens } = await authorize(big);
    const page = await rest(big, tokens.access_token, '/services/data/v62.0/query?q=SELECT+Id+FROM+Account', {
      headers: { 'Sforce-Query-Options': 'batchSize=100' },
    });
    expect(page.body).toMatchObject({ totalSize: 250, done: false });
    expect((page.body as { records: unknown[] }).records).toHaveLength(200);
  });

  it('filters, orders and prints values as Salesforce does', async () => {
    const { conn } = await connect(fake);
    const at = (iso: string) => ({ at: iso });
    fake.org.create(
      'Opportunity',
      { Name: 'Alpha', Amount: 1000, StageName: 'Prospecting', CloseDate: '2026-04-01' },
      at('2026-03-01T10:00:00Z'),
    );
    fake.org.create(
      'Opportunity',
      { Name: 'beta', StageName: 'Closed Won', CloseDate: '2026-03-02' },
      at('2026-03-02T16:00:00Z'),
    );
    fake.org.create(
      'Opportunity',
      { Name: 'Gamma', Amount: 250.5, StageName: 'Closed Lost', CloseDate: '2026-03-03' },
      at('2026-03-03T08:30:00Z'),
    );
    const q = async (soql: string) => (await conn.query(soql, { autoFetch: true })).records.map((r) => r.Name);

    expect(await q('SELECT Name FROM Opportunity WHERE SystemModstamp > 2026-03-01T10:00:00Z ORDER BY Name')).toEqual([
      'beta',
      'Gamma',
    ]);
    expect(
      await q(
        'SELECT Name FROM Opportunity WHERE SystemModstamp >= 2026-03-02T16:00:00.000+0000 AND (IsWon = true OR Amount > 200) ORDER BY Name',
      ),
    ).toEqual(['beta', 'Gamma']);
    expect(await q("SELECT Name FROM Opportunity WHERE Name IN ('ALPHA', 'Gamma') ORDER BY Amount DESC")).toEqual([
      'Alpha',
      'Gamma',
    ]);
    expect(
      await q("SELECT Name FROM Opportunity WHERE Name LIKE 'g%' OR Name = 'BETA' ORDER BY CreatedDate DESC LIMIT 1"),
    ).toEqual(['Gamma']);
    expect(await q('SELECT Name FROM Opportunity WHERE Amount = null')).toEqual(['beta']);
    expect(
      await q(
        "SELECT Name FROM Opportunity WHERE StageName NOT IN ('Closed Won', 'Closed Lost') AND CloseDate <= 2026-04-01",
      ),
    ).toEqual(['Alpha']);
    expect(await q('SELECT Name FROM Opportunity ORDER BY Amount ASC NULLS LAST, Name')).toEqual([
      'Gamma',
      'Alpha',
      'beta',
    ]);
    expect(await q('SELECT Name FROM Opportunity ORDER BY Amount DESC NULLS FIRST')).toEqual([
      'beta',
      'Alpha',
      'Gamma',
    ]);

    const [gamma] = (
      await conn.query(
        "SELECT Id, Amount, IsClosed, IsWon, CloseDate, CreatedDate, Probability, AccountId FROM Opportunity WHERE Name = 'Gamma'",
      )
    ).records;
    expect(gamma).toEqual({
      attributes: { type: 'Opportunity', url: `/services/data/v62.0/sobjects/Opportunity/${gamma!.Id}` },
      Id: expect.stringMatching(/^006[A-Za-z0-9]{15}$/),
      Amount: 250.5,
      IsClosed: true,
      IsWon: false,
      CloseDate: '2026-03-03',
      CreatedDate: '2026-03-03T08:30:00.000+0000',
      Probability: 0,
      AccountId: null,
    });
  });

  it('sends Salesforce error bodies for unknown fields and objects and malformed SOQL', async () => {
    const { tokens } = await authorize(fake);
    const query = (soql: string) =>
      rest(fake, tokens.access_token, `/services/data/v62.0/query?q=${encodeURIComponent(soql)}`);
    expect(await query('SELECT Foo FROM Opportunity')).toMatchObject({
      status: 400,
      body: [
        {
          errorCode: 'INVALID_FIELD',
          message:
            "\nSELECT Foo FROM Opportunity\n       ^\nERROR at Row:1:Column:8\nNo such column 'Foo' on entity 'Opportunity'. If you are attempting to use a custom field, be sure to append the '__c' after the custom field name. Please reference your WSDL or the describe call for the appropriate names.",
        },
      ],
    });
    expect(await query('SELECT Id FROM Opportunities')).toMatchObject({
      status: 400,
      body: [
        {
          errorCode: 'INVALID_TYPE',
          message: expect.stringContaining("sObject type 'Opportunities' is not supported."),
        },
      ],
    });
    expect(await query('SELECT Id FRM Account')).toMatchObject({
      status: 400,
      body: [{ errorCode: 'MALFORMED_QUERY' }],
    });
    expect(await query("SELECT Id FROM Account WHERE Name = 'a' AND Name = 'b' OR Name = 'c'")).toMatchObject({
      status: 400,
      body: [{ errorCode: 'MALFORMED_QUERY', message: expect.stringContaining("unexpected token: 'OR'") }],
    });
    expect(await query("SELECT Id FROM Account WHERE CreatedDate > '2026-01-01'")).toMatchObject({
      status: 400,
      body: [
        {
          errorCode: 'INVALID_FIELD',
          message: expect.stringContaining(
            "value of filter criterion for field 'CreatedDate' must be of type dateTime",
          ),
        },
      ],
    });
    expect(await query('SELECT Id, CurrencyIsoCode FROM Opportunity')).toMatchObject({
      status: 400,
      body: [{ errorCode: 'INVALID_FIELD' }],
    });
  });

  it('creates, reads, updates and deletes records through jsforce, collections included', async () => {
    const { conn } = await connect(fake);
    const account = await conn.sobject('Account').create({ Name: 'Acme' });
    expect(account).toEqual({ id: expect.stringMatching(/^001[A-Za-z0-9]{15}$/), success: true, errors: [] });
    const many = await conn.sobject('Contact').create([
      { FirstName: 'Dana', LastName: 'Reyes', Email: 'dana@acme.example', AccountId: account.id },
      { FirstName: 'No', Email: 'no@acme.example' },
    ]);
    expect(many).toEqual([
      { id: expect.stringMatching(/^003[A-Za-z0-9]{15}$/), success: true, errors: [] },
      {
        success: false,
        errors: [
          {
            statusCode: 'REQUIRED_FIELD_MISSING',
            message: 'Required fields are missing: [LastName]',
            fields: ['LastName'],
          },
        ],
      },
    ]);
    const danaId = many[0]!.id!;
    expect(await conn.sobject('Contact').retrieve(danaId)).toMatchObject({
      Name: 'Dana Reyes',
      Email: 'dana@acme.example',
      AccountId: account.id,
      IsDeleted: false,
    });

    clock.advance(MINUTE);
    await expect(conn.sobject('Contact').update({ Id: danaId, Email: 'dana.reyes@acme.example' })).resolves.toEqual({
      id: danaId,
      success: true,
      errors: [],
    });
    const updated = await conn.sobject('Contact').retrieve(danaId);
    expect(updated).toMatchObject({
      Email: 'dana.reyes@acme.example',
      SystemModstamp: '2026-03-05T12:01:00.000+0000',
      CreatedDate: '2026-03-05T12:00:00.000+0000',
    });

    await expect(conn.sobject('Contact').destroy(danaId)).resolves.toEqual({ id: danaId, success: true, errors: [] });
    await expect(conn.sobject('Contact').retrieve(danaId)).rejects.toMatchObject({ errorCode: 'ENTITY_IS_DELETED' });

    const pair = await conn.sobject('Account').create([{ Name: 'One' }, { Name: 'Two' }]);
    const pairIds = pair.map((r) => r.id!);
    await expect(
      conn.sobject('Account').update(pairIds.map((Id, i) => ({ Id, Name: `Renamed ${i}` }))),
    ).resolves.toEqual(pairIds.map((id) => ({ id, success: true, errors: [] })));
    await expect(conn.sobject('Account').destroy([...pairIds, danaId], { allOrNone: true })).resolves.toEqual([
      {
        id: pairIds[0],
        success: false,
        errors: [expect.objectContaining({ statusCode: 'ALL_OR_NONE_OPERATION_ROLLED_BACK' })],
      },
      {
        id: pairIds[1],
        success: false,
        errors: [expect.objectContaining({ statusCode: 'ALL_OR_NONE_OPERATION_ROLLED_BACK' })],
      },
      {
        id: danaId,
        success: false,
        errors: [{ statusCode: 'ENTITY_IS_DELETED', message: 'entity is deleted', fields: [] }],
      },
    ]);
    await expect(conn.sobject('Account').destroy(pairIds)).resolves.toEqual(
      pairIds.map((id) => ({ id, success: true, errors: [] })),
    );
  });

  it('refuses bad writes as Salesforce does', async () => {
    const { conn } = await connect(fake);
    const opp = { Name: 'X', StageName: 'Prospecting', CloseDate: '2026-04-01' };
    await expect(conn.sobject('Opportunity').create({ ...opp, IsWon: true })).rejects.toMatchObject({
      errorCode: 'INVALID_FIELD_FOR_INSERT_UPDATE',
      data: { fields: ['IsWon'] },
    });
    await expect(conn.sobject('Opportunity').create({ ...opp, StageName: 'Nope' })).rejects.toMatchObject({
      errorCode: 'INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST',
    });
    await expect(conn.sobject('Opportunity').create({ ...opp, Foo__c: 1 })).rejects.toMatchObject({
      errorCode: 'INVALID_FIELD',
      message: "No such column 'Foo__c' on sobject of type Opportunity",
    });
    await expect(conn.sobject('Contact').create({ LastName: 'Y', Email: 'not-an-email' })).rejects.toMatchObject({
      errorCode: 'INVALID_EMAIL_ADDRESS',
    });
    await expect(
      conn.sobject('OpportunityHistory').create({ OpportunityId: '006000000000000AAA' }),
    ).rejects.toMatchObject({ errorCode: 'INVALID_TYPE_FOR_OPERATION' });
    await expect(conn.sobject('Contact').retrieve('003000000000000AAA')).rejects.toMatchObject({
      errorCode: 'NOT_FOUND',
    });
  });

  it('has the standard Lead Status picklist as LeadStatus, which Lead.Status is restricted to', async () => {
    const { conn } = await connect(fake);
    const statuses = await conn
      .query<Record<string, unknown>>(
        'SELECT Id, ApiName, MasterLabel, IsConverted, IsDefault, SortOrder FROM LeadStatus ORDER BY SortOrder',
      )
      .run({ autoFetch: true, maxFetch: 100 });
    expect(statuses.records.map((r) => [r.ApiName, r.IsConverted, r.IsDefault, r.SortOrder])).toEqual([
      ['Open - Not Contacted', false, true, 1],
      ['Working - Contacted', false, false, 2],
      ['Closed - Converted', true, false, 3],
      ['Closed - Not Converted', false, false, 4],
    ]);
    expect(String(statuses.records[0]!.Id)).toMatch(/^01J/);
    const lead = await conn.sobject('Lead').create({ LastName: 'L', Company: 'C' });
    const created = await conn.sobject('Lead').retrieve((lead as { id: string }).id);
    expect(created).toMatchObject({ Status: 'Open - Not Contacted' });
    await conn.sobject('Lead').update({ Id: (lead as { id: string }).id, Status: 'working - contacted' });
    expect(await conn.sobject('Lead').retrieve((lead as { id: string }).id)).toMatchObject({
      Status: 'Working - Contacted',
    });
    await expect(conn.sobject('Lead').update({ Id: (lead as { id: string }).id, Status: 'Hot' })).rejects.toMatchObject(
      { errorCode: 'INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST' },
    );
    // Neither LeadStatus nor User records are ever deleted: they have no IsDeleted field.
    for (const object of ['LeadStatus', 'User']) {
      await expect(conn.query(`SELECT Id, IsDeleted FROM ${object}`)).rejects.toMatchObject({
        errorCode: 'INVALID_FIELD',
      });
    }
  });

  it('adds users, as an admin does in Setup, who can own records', async () => {
    const { conn } = await connect(fake);
    const rep = fake.org.addUser({ firstName: 'Rita', lastName: 'Ramos', email: 'rita@demo-org.example' });
    expect(rep).toMatch(/^005/);
    const opp = await conn
      .sobject('Opportunity')
      .create({ Name: 'O', StageName: 'Prospecting', CloseDate: '2026-04-01', OwnerId: rep });
    const users = await conn.query<Record<string, unknown>>(`SELECT Id, Name, IsActive FROM User WHERE Id = '${rep}'`);
    expect(users.records.map((u) => [u.Name, u.IsActive])).toEqual([['Rita Ramos', true]]);
    expect(await conn.sobject('Opportunity').retrieve((opp as { id: string }).id)).toMatchObject({ OwnerId: rep });
  });

  it('derives IsClosed/IsWon from the stage and writes OpportunityHistory on tracked changes only', async () => {
    const { conn } = await connect(fake);
    const created = await conn
      .sobject('Opportunity')
      .create({ Name: 'Deal', Amount: 100000, StageName: 'Prospecting', CloseDate: '2026-04-01' });
    const id = created.id!;
    const contactId = fake.org.create('Contact', { LastName: 'Reyes' });
    clock.advance(DAY);
    await conn.sobject('Opportunity').update({ Id: id, Amount: 120000, StageName: 'Negotiation/Review' });
    clock.advance(MINUTE);
    await conn.sobject('Opportunity').update({ Id: id, Name: 'Deal (renamed)' });
    clock.advance(MINUTE);
    await conn
      .sobject('OpportunityContactRole')
      .create({ OpportunityId: id, ContactId: contactId, Role: 'Decision Maker' });
    clock.advance(DAY);
    await conn.sobject('Opportunity').update({ Id: id, Amount: 150000, StageName: 'Closed Won' });

    const history = await conn.query(
      `SELECT CreatedDate, Amount, StageName, Probability, ExpectedRevenue, CloseDate FROM OpportunityHistory WHERE OpportunityId = '${id}' ORDER BY CreatedDate`,
      { autoFetch: true },
    );
    expect(history.records.map(({ attributes: _a, ...r }) => r)).toEqual([
      {
        CreatedDate: '2026-03-05T12:00:00.000+0000',
        Amount: 100000,
        StageName: 'Prospecting',
        Probability: 10,
        ExpectedRevenue: 10000,
        CloseDate: '2026-04-01',
      },
      {
        CreatedDate: '2026-03-06T12:00:00.000+0000',
        Amount: 120000,
        StageName: 'Negotiation/Review',
        Probability: 90,
        ExpectedRevenue: 108000,
        CloseDate: '2026-04-01',
      },
      {
        CreatedDate: '2026-03-07T12:02:00.000+0000',
        Amount: 150000,
        StageName: 'Closed Won',
        Probability: 100,
        ExpectedRevenue: 150000,
        CloseDate: '2026-04-01',
      },
    ]);
    // The contact role was added at 12:02 on day 2; the opportunity's SystemModstamp did not move for it.
    const [before] = (
      await conn.query(`SELECT IsClosed, IsWon, SystemModstamp, LastModifiedDate FROM Opportunity WHERE Id = '${id}'`)
    ).records;
    expect(before).toMatchObject({ IsClosed: true, IsWon: true, SystemModstamp: '2026-03-07T12:02:00.000+0000' });
    const roles = await conn.query(
      `SELECT CreatedDate FROM OpportunityContactRole WHERE OpportunityId = '${id.slice(0, 15)}'`,
    );
    expect(roles.records).toEqual([expect.objectContaining({ CreatedDate: '2026-03-06T12:02:00.000+0000' })]);
    expect(fake.org.get('Opportunity', id)).toMatchObject({
      SystemModstamp: '2026-03-07T12:02:00.000+0000',
      Name: 'Deal (renamed)',
    });
  });

  it('reports deleted records with getDeleted, hard-deleted ones too, for 15 days back', async () => {
    const { conn, tokens } = await connect(fake);
    const a = fake.org.create('Contact', { LastName: 'A' });
    const b = fake.org.create('Contact', { LastName: 'B' });
    const start = new Date(clock.now.getTime() - MINUTE);
    clock.advance(30 * 1000);
    await conn.sobject('Contact').destroy(a);
    clock.advance(MINUTE);
    fake.org.delete('Contact', b);
    fake.hardDelete('Contact', b);
    clock.advance(5 * MINUTE);
    const result = await conn.sobject('Contact').deleted(start, clock.now);
    expect(result).toEqual({
      deletedRecords: [
        { id: a, deletedDate: '2026-03-05T12:00:30.000+0000' },
        { id: b, deletedDate: '2026-03-05T12:01:30.000+0000' },
      ],
      earliestDateAvailable: '2026-02-18T12:06:00.000+0000',
      latestDateCovered: '2026-03-05T12:06:00.000+0000',
    });
    const tooOld = await rest(
      fake,
      tokens.access_token,
      `/services/data/v62.0/sobjects/Contact/deleted/?start=${encodeURIComponent('2026-02-01T00:00:00+00:00')}&end=${encodeURIComponent('2026-03-05T12:00:00+00:00')}`,
    );
    expect(tooOld).toMatchObject({ status: 400, body: [{ errorCode: 'INVALID_REPLICATION_DATE' }] });
  });

  it('runs Bulk API 2.0 query jobs through UploadComplete/InProgress to JobComplete, with CSV pages', async () => {
    const { conn, tokens } = await connect(fake);
    fake.org.create('Account', { Name: 'Plain' });
    fake.org.create('Account', { Name: 'Comma, "Quoted" Inc' });
    const gone = fake.org.create('Account', { Name: 'Gone' });
    fake.org.delete('Account', gone);

    const rows = await (
      await conn.bulk2.query('SELECT Id, Name, CreatedDate FROM Account ORDER BY Name', {
        pollInterval: 20,
        pollTimeout: 5000,
      })
    ).toArray();
    expect(rows.map((r) => r.Name)).toEqual(['Comma, "Quoted" Inc', 'Plain']);
    expect(rows[0]!.CreatedDate).toBe('2026-03-05T12:00:00.000Z');

    const base = '/services/data/v62.0/jobs/query';
    const job = await rest(fake, tokens.access_token, base, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ operation: 'queryAll', query: 'SELECT Id, Name, IsDeleted FROM Account ORDER BY Name' }),
    });
    expect(job.body).toMatchObject({
      id: expect.stringMatching(/^750/),
      operation: 'queryAll',
      object: 'Account',
      state: 'UploadComplete',
      contentType: 'CSV',
      apiVersion: 62,
    });
    const jobId = (job.body as { id: string }).id;
    const early = await rest(fake, tokens.access_token, `${base}/${jobId}/results`);
    expect(early).toMatchObject({ status: 412, body: [{ errorCode: 'JOB_NOT_COMPLETE' }] });
    const seen = new Set<string>();
    for (let i = 0; i < 50 && !seen.has('JobComplete'); i++) {
      seen.add(((await rest(fake, tokens.access_token, `${base}/${jobId}`)).body as { state: string }).state);
      await new Promise((r) => setTimeout(r, 10));
    }
    expect([...seen]).toEqual(expect.arrayContaining(['InProgress', 'JobComplete']));

    const page1 = await rest(fake, tokens.access_token, `${base}/${jobId}/results?maxRecords=2`);
    expect(page1.headers.get('content-type')).toMatch(/^text\/csv/);
    expect(page1.headers.get('sforce-numberofrecords')).toBe('2');
    expect(page1.body).toBe(
      `"Id","Name","IsDeleted"\n"${fake.org.query("SELECT Id FROM Account WHERE Name LIKE 'Comma%'")[0]!.Id}","Comma, ""Quoted"" Inc","false"\n"${gone}","Gone","true"\n`,
    );
    const locator = page1.headers.get('sforce-locator')!;
    const page2 = await rest(fake, tokens.access_token, `${base}/${jobId}/results?maxRecords=2&locator=${locator}`);
    expect(page2.headers.get('sforce-locator')).toBe('null');
    expect(String(page2.body).split('\n').filter(Boolean)).toHaveLength(2);
    expect((await rest(fake, tokens.access_token, `${base}/${jobId}`, { method: 'DELETE' })).status).toBe(204);
  });

  it('describes objects, so a client can see which fields exist', async () => {
    const { conn } = await connect(fake);
    const d = await conn.sobject('Opportunity').describe();
    expect(d.keyPrefix).toBe('006');
    expect(d.fields.map((f) => f.name)).toEqual(
      expect.arrayContaining(['Amount', 'StageName', 'IsWon', 'SystemModstamp']),
    );
    expect(d.fields.map((f) => f.name)).not.toContain('CurrencyIsoCode');
    expect(d.fields.find((f) => f.name === 'StageName')!.picklistValues!.map((p) => p.value)).toContain('Closed Won');
  });
});

describe('injected faults', () => {
  it('answers matching requests with the injected status the given number of times (jsforce retries a GET through them)', async () => {
    const { conn } = await connect(fake);
    const fault = fake.injectFault({ match: /\/query$/, status: 503, times: 2 });
    // jsforce 3 retries GETs on 5xx with back-off (0.5 s, then 1 s): the third attempt gets through.
    await expect(conn.query('SELECT Id FROM Account')).resolves.toMatchObject({ done: true });
    expect(fault).toMatchObject({ hits: 2, remaining: 0 });
    expect(fake.apiUsage).toBe(1); // faults answer before the request is counted

    fake.injectFault({ match: /\/sobjects\/Account$/, method: 'POST', status: 503 });
    await expect(conn.sobject('Account').create({ Name: 'Once' })).rejects.toMatchObject({
      errorCode: 'SERVER_UNAVAILABLE',
    });
    await expect(conn.sobject('Account').create({ Name: 'Twice' })).resolves.toMatchObject({ success: true });
  });

  it('can send a custom body, delay, or drop the connection', async () => {
    const { tokens } = await authorize(fake);
    fake.injectFault({
      match: /\/limits$/,
      status: 500,
      body: [{ message: 'boom', errorCode: 'UNKNOWN_EXCEPTION' }],
      headers: { 'Retry-After': '1' },
    });
    const custom = await rest(fake, tokens.access_token, '/services/data/v62.0/limits');
    expect(custom).toMatchObject({ status: 500, body: [{ message: 'boom', errorCode: 'UNKNOWN_EXCEPTION' }] });
    expect(custom.headers.get('retry-after')).toBe('1');

    fake.injectFault({ match: /\/limits$/, delayMs: 150 });
    const started = Date.now();
    expect((await rest(fake, tokens.access_token, '/services/data/v62.0/limits')).status).toBe(200);
    expect(Date.now() - started).toBeGreaterThanOrEqual(140);

    fake.injectFault({ match: /\/services\/oauth2\/token$/, dropConnection: true });
    await expect(oauth2For(fake).refreshToken(tokens.refresh_token!)).rejects.toThrow(
      /socket hang up|ECONNRESET|fetch failed|terminated/i,
    );
    await expect(oauth2For(fake).refreshToken(tokens.refresh_token!)).resolves.toHaveProperty('access_token');
  });
});
