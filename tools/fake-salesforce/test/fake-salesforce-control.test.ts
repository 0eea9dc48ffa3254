// The control API (POST /__control/<command>), served in-process here: only with the token, never
// faulted nor counted, every command answering {"result"} or {"error"} with a status that fits.
import path from 'node:path';
import { readScenario } from '../../../src/scenarios/read';
import type { FakeSalesforce } from '../src';
import { authorize, oauth2For, pkcePair, rest, startFake, testClock } from './fake-salesforce-client';

const TOKEN = 'control-token-for-tests';
const fixtures = path.join(__dirname, '..', '..', '..', 'test', 'fixtures', 'scenarios');

let fake: FakeSalesforce;
beforeEach(async () => {
  fake = await startFake(testClock('2026-03-05T12:00:00Z'), { controlToken: TOKEN });
});
afterEach(() => fake.close());

async function control(command: string, args: unknown = {}, token: string | null = TOKEN) {
  const res = await fetch(`${fake.url}/__control/${command}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token === null ? {} : { 'x-control-token': token }) },
    body: JSON.stringify(args),
  });
  return { status: res.status, body: (await res.json()) as { result?: unknown; error?: string } };
}

describe('the control API', () => {
  it('is not there without a control token, and refuses a missing or wrong token with 403', async () => {
    const plain = await startFake(testClock());
    try {
      const res = await fetch(`${plain.url}/__control/isEmpty`, {
        method: 'POST',
        headers: { 'x-control-token': TOKEN },
      });
      expect(res.status).toBe(404);
    } finally {
      await plain.close();
    }
    for (const token of [null, 'wrong', '']) {
      expect(await control('isEmpty', {}, token)).toEqual({
        status: 403,
        body: { error: 'the control API needs the x-control-token header with the token given to --control-token' },
      });
    }
    expect(await control('isEmpty')).toEqual({ status: 200, body: { result: true } });
  });

  it('drives the org: create, update, get, query, delete, hard delete, at given instants', async () => {
    const { body: created } = await control('org.create', {
      type: 'Contact',
      fields: { LastName: 'Reyes', Email: 'dana@acme.example' },
      at: '2026-03-01T09:00:00Z',
    });
    const id = created.result as string;
    expect(id).toMatch(/^003[A-Za-z0-9]{15}$/);
    expect(await control('org.update', { type: 'Contact', id, fields: { FirstName: 'Dana' } })).toEqual({
      status: 200,
      body: { result: null },
    });
    const got = (await control('org.get', { type: 'Contact', id })).body.result as Record<string, unknown>;
    expect(got).toMatchObject({
      FirstName: 'Dana',
      LastName: 'Reyes',
      CreatedDate: '2026-03-01T09:00:00.000+0000',
      LastModifiedDate: '2026-03-05T12:00:00.000+0000',
    });
    expect(
      (await control('org.query', { soql: "SELECT Id FROM Contact WHERE LastName = 'reyes'" })).body.result,
    ).toEqual([{ attributes: { type: 'Contact', url: `/services/data/v62.0/sobjects/Contact/${id}` }, Id: id }]);
    await control('org.delete', { type: 'Contact', id });
    expect((await control('org.query', { soql: 'SELECT Id FROM Contact' })).body.result).toEqual([]);
    expect(
      (await control('org.query', { soql: 'SELECT Id, IsDeleted FROM Contact', includeDeleted: true })).body.result,
    ).toMatchObject([{ Id: id, IsDeleted: true }]);
    await control('org.hardDelete', { type: 'Contact', id });
    expect(await control('org.get', { type: 'Contact', id })).toEqual({ status: 200, body: { result: null } });
    expect((await control('isEmpty')).body.result).toBe(false);
  });

  it('seeds a scenario and the demo, and maps scenario ids', async () => {
    const seed = (
      await control('seedScenario', { file: await readScenario(path.join(fixtures, '01-seed-example.json')) })
    ).body.result as { chats: unknown[]; ids: Record<string, string> };
    expect(seed.chats).toHaveLength(1);
    expect(Object.keys(seed.ids).sort()).toEqual(['0035g00000Dana01', '0065g00000Opp001', '00K5g00000Role01']);
    expect((await control('idFor', { scenarioId: '0065g00000Opp001' })).body.result).toBe(seed.ids['0065g00000Opp001']);
    expect((await control('idFor', { scenarioId: 'nope' })).body.result).toBeNull();
    const demo = (await control('seedDemoOrg')).body.result as { chats: unknown[] };
    expect((await control('demoChats')).body.result).toEqual(demo.chats);
    expect(await control('seedDemoOrg')).toEqual({
      status: 400,
      body: { error: expect.stringMatching(/^seedDemoOrg: this org already holds the demo data/) },
    });
  });

  it('answers what was wrong: an unknown command, bad arguments, a refused write', async () => {
    expect(await control('dropDatabase')).toEqual({
      status: 404,
      body: {
        error: expect.stringMatching(
          /^unknown control command "dropDatabase"; the commands are: isEmpty, .*org\.create.*, batch$/,
        ),
      },
    });
    expect(await control('org.create', { type: 'Contact' })).toEqual({
      status: 400,
      body: { error: expect.stringMatching(/^org\.create: fields: /) },
    });
    expect(await control('isEmpty', { extra: 1 })).toEqual({
      status: 400,
      body: { error: expect.stringMatching(/^isEmpty: .*extra/) },
    });
    expect(await control('org.create', { type: 'Contact', fields: { Nope: 1 } })).toEqual({
      status: 400,
      body: { error: "org.create: INVALID_FIELD: No such column 'Nope' on sobject of type Contact" },
    });
    expect((await control('org.update', { type: 'Contact', id: '003000000000000AAA', fields: {} })).status).toBe(404);
    const res = await fetch(`${fake.url}/__control/isEmpty`, { headers: { 'x-control-token': TOKEN } });
    expect(res.status).toBe(405);
  });

  it('runs a batch in order, and names the call that failed', async () => {
    const { body } = await control('batch', {
      calls: [{ command: 'org.create', args: { type: 'Account', fields: { Name: 'Acme' } } }, { command: 'isEmpty' }],
    });
    expect(body.result).toEqual([expect.stringMatching(/^001/), false]);
    expect(
      await control('batch', {
        calls: [
          { command: 'org.create', args: { type: 'Account', fields: { Name: 'Globex' } } },
          { command: 'org.create', args: { type: 'Account', fields: { Bad: 1 } } },
        ],
      }),
    ).toEqual({
      status: 400,
      body: {
        error:
          "batch: calls[1] (1 done before it): org.create: INVALID_FIELD: No such column 'Bad' on sobject of type Account",
      },
    });
    expect((await control('org.query', { soql: 'SELECT Name FROM Account ORDER BY Name' })).body.result).toMatchObject([
      { Name: 'Acme' },
      { Name: 'Globex' },
    ]);
  });

  it('is neither faulted nor counted, while the REST API it drives is', async () => {
    const { tokens } = await authorize(fake);
    const usage = fake.apiUsage;
    const { body } = await control('injectFault', { match: { source: '.*' }, status: 503, times: 100 });
    const { id } = body.result as { id: number };
    expect((await control('apiUsage')).body.result).toBe(usage);
    expect((await rest(fake, tokens.access_token, '/services/data/v62.0/limits')).status).toBe(503);
    expect((await control('fault', { id })).body.result).toEqual({ hits: 1, remaining: 99 });
    await control('removeFault', { id });
    expect((await rest(fake, tokens.access_token, '/services/data/v62.0/limits')).status).toBe(200);
    expect(fake.apiUsage).toBe(usage + 1);
    expect(await control('fault', { id })).toEqual({
      status: 400,
      body: { error: `fault: no injected fault ${id} (it was removed or cleared)` },
    });
    await control('setApiUsage', { n: 15_000 });
    expect((await rest(fake, tokens.access_token, '/services/data/v62.0/limits')).status).toBe(403);
  });

  it("answers with the org's clock in the Date header, the settable one, on REST and Bulk API answers", async () => {
    const { tokens } = await authorize(fake);
    const query = `/services/data/v62.0/query?q=${encodeURIComponent('SELECT Id FROM Account')}`;
    // An IMF-fixdate (RFC 9110 §6.6.1) of the frozen clock, not of the machine's.
    expect((await rest(fake, tokens.access_token, query)).headers.get('date')).toBe('Thu, 05 Mar 2026 12:00:00 GMT');
    // Moved within the access token's two hours; the header drops the milliseconds.
    await control('setClock', { now: '2026-03-05T13:30:15.750Z' });
    expect((await rest(fake, tokens.access_token, query)).headers.get('date')).toBe('Thu, 05 Mar 2026 13:30:15 GMT');
    const job = await rest(fake, tokens.access_token, '/services/data/v62.0/jobs/query', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ operation: 'queryAll', query: 'SELECT Id FROM Account' }),
    });
    expect(job.headers.get('date')).toBe('Thu, 05 Mar 2026 13:30:15 GMT');
    expect(job.body).toMatchObject({ createdDate: '2026-03-05T13:30:15.750+0000' });
  });

  it('moves the clock, and presses Allow on a consent page', async () => {
    await control('setClock', { now: '2026-04-01T00:00:00Z' });
    const id = (await control('org.create', { type: 'Account', fields: { Name: 'Later' } })).body.result as string;
    expect(fake.org.get('Account', id)).toMatchObject({ CreatedDate: '2026-04-01T00:00:00.000+0000' });
    expect(await control('setClock', { now: 'soon' })).toEqual({
      status: 400,
      body: { error: 'setClock: setClock needs a Date or an ISO-8601 instant, not soon' },
    });
    await control('setClock', { now: null });
    const real = (await control('org.create', { type: 'Account', fields: { Name: 'Now' } })).body.result as string;
    expect(
      Date.now() - Date.parse(String(fake.org.get('Account', real)!.CreatedDate).replace('+0000', 'Z')),
    ).toBeLessThan(60_000);

    const url = oauth2For(fake).getAuthorizationUrl({
      state: 's1',
      code_challenge: pkcePair().challenge,
      code_challenge_method: 'S256',
    } as Record<string, string>);
    const location = (await control('approveAuthorization', { authorizeUrl: url })).body.result as string;
    expect(new URL(location).searchParams.get('code')).toMatch(/^aPrx/);
    await control('revokeAllTokens');
    await control('expireAccessTokens');
  });
});
