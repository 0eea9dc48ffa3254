// The local test Salesforce with a state file: a restart brings back the same org (records and their
// history, deletions, ids, tokens with rotation and reuse detection, API usage, the demo chats), so a
// connection the service stored keeps working; a file it cannot use stops the start and says why.
import { copyFileSync, existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import jsforce from 'jsforce';
import { StateFileError, type FakeSalesforce } from '../src';
import { readScenario } from '../../../src/scenarios/read';
import { authorize, oauth2For, rest, startFake, type TestClock, useStateFileFakes } from './fake-salesforce-client';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const OBJECTS = [
  'User',
  'OpportunityStage',
  'Account',
  'Contact',
  'Lead',
  'Opportunity',
  'OpportunityContactRole',
  'OpportunityHistory',
];

const fakes = useStateFileFakes('fake-salesforce-state-', 'org.json');
const { start, stop } = fakes;
let dir: string;
let file: string;
let clock: TestClock;
beforeEach(() => ({ dir, file, clock } = fakes.current));

/** Every record of every object, deleted ones included, with all fields. */
function everything(fake: FakeSalesforce) {
  return Object.fromEntries(
    OBJECTS.map((type) => [
      type,
      fake.org.query(`SELECT Id FROM ${type}`, { includeDeleted: true }).map((r) => fake.org.get(type, r.Id as string)),
    ]),
  );
}

describe('a restart from the state file', () => {
  it('brings back the same org: records, history, deletions, ids, tokens, API usage and demo chats', async () => {
    // First run: seed the demo as the service's caller does, connect, write through jsforce.
    const first = await start();
    expect(first.isEmpty).toBe(true);
    if (first.isEmpty) first.seedDemoOrg();
    expect(first.isEmpty).toBe(false);
    const chats = first.demoChats();
    expect(chats.length).toBeGreaterThan(10);

    const { oauth2, tokens } = await authorize(first);
    const conn = new jsforce.Connection({
      oauth2,
      instanceUrl: tokens.instance_url,
      accessToken: tokens.access_token,
      version: '62.0',
    });
    const windowStart = new Date(clock.now.getTime() - MINUTE);
    const account = (await conn.sobject('Account').create({ Name: 'Kept Co' })).id!;
    const opp = (
      await conn.sobject('Opportunity').create({
        Name: 'Kept deal',
        AccountId: account,
        Amount: 1000,
        StageName: 'Prospecting',
        CloseDate: '2026-04-01',
      })
    ).id!;
    const soft = (await conn.sobject('Contact').create({ LastName: 'Soft', AccountId: account })).id!;
    const hard = (await conn.sobject('Contact').create({ LastName: 'Hard', AccountId: account })).id!;
    clock.advance(MINUTE);
    await conn.sobject('Opportunity').update({ Id: opp, Amount: 2000, StageName: 'Closed Won' });
    await conn.sobject('Contact').destroy([soft, hard]);
    first.hardDelete('Contact', hard);
    const rotated = await oauth2.refreshToken(tokens.refresh_token!); // the first refresh token is now rotated out
    const before = everything(first);
    const usage = first.apiUsage;
    expect(usage).toBe(6);
    await stop(first);

    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(existsSync(`${file}.tmp`)).toBe(false);

    // Second run, an hour later, on a port of its own.
    clock.advance(HOUR);
    const second = await start();
    expect({ orgId: second.orgId, userId: second.userId }).toEqual({ orgId: first.orgId, userId: first.userId });
    expect(second.isEmpty).toBe(false);
    expect(second.demoChats()).toEqual(chats);
    expect(() => second.seedDemoOrg()).toThrow('already holds the demo data');
    expect(second.apiUsage).toBe(usage);
    expect(everything(second)).toEqual(before);

    // The access token from before the restart is still good until it expires.
    expect((await rest(second, rotated.access_token, '/services/data/v62.0/limits')).status).toBe(200);
    const again = await oauth2For(second).refreshToken(rotated.refresh_token!);
    expect(again.refresh_token).toEqual(expect.any(String));
    expect(again.refresh_token).not.toBe(rotated.refresh_token);
    expect(again.instance_url).toBe(second.url);
    const conn2 = new jsforce.Connection({
      oauth2: oauth2For(second),
      instanceUrl: again.instance_url,
      accessToken: again.access_token,
      version: '62.0',
    });

    const [deal] = (
      await conn2.query(`SELECT Name, Amount, StageName, IsWon, AccountId FROM Opportunity WHERE Id = '${opp}'`)
    ).records;
    expect(deal).toMatchObject({
      Name: 'Kept deal',
      Amount: 2000,
      StageName: 'Closed Won',
      IsWon: true,
      AccountId: account,
    });
    const history = await conn2.query(
      `SELECT CreatedDate, Amount, StageName FROM OpportunityHistory WHERE OpportunityId = '${opp}' ORDER BY CreatedDate`,
    );
    expect(history.records.map(({ attributes: _a, ...r }) => r)).toEqual([
      { CreatedDate: '2026-03-05T12:00:00.000+0000', Amount: 1000, StageName: 'Prospecting' },
      { CreatedDate: '2026-03-05T12:01:00.000+0000', Amount: 2000, StageName: 'Closed Won' },
    ]);
    const binned = await conn2.query(`SELECT Id, IsDeleted FROM Contact WHERE AccountId = '${account}'`, {
      scanAll: true,
    });
    expect(binned.records.map(({ attributes: _a, ...r }) => r)).toEqual([{ Id: soft, IsDeleted: true }]);
    expect((await conn2.query(`SELECT Id FROM Contact WHERE AccountId = '${account}'`)).totalSize).toBe(0);
    const deleted = await conn2.sobject('Contact').deleted(windowStart, clock.now);
    expect(deleted.deletedRecords).toEqual([
      { id: soft, deletedDate: '2026-03-05T12:01:00.000+0000' },
      { id: hard, deletedDate: '2026-03-05T12:01:00.000+0000' },
    ]);

    // New ids continue after the old ones, never reusing one.
    const next = (await conn2.sobject('Account').create({ Name: 'After the restart' })).id!;
    const accountIds = before.Account!.map((a) => String(a!.Id));
    expect(accountIds.every((id) => id.slice(0, 15) < next.slice(0, 15))).toBe(true);
    expect(second.apiUsage).toBe(usage + 7); // limits, four queries, getDeleted, a create

    // The refresh token rotated out before the restart is still known as reused: the family is revoked.
    await expect(oauth2For(second).refreshToken(tokens.refresh_token!)).rejects.toMatchObject({
      name: 'invalid_grant',
      message: 'expired access/refresh token',
    });
    await expect(oauth2For(second).refreshToken(again.refresh_token!)).rejects.toMatchObject({ name: 'invalid_grant' });
    await stop(second);

    // And the revocation is saved too.
    const third = await start();
    await expect(oauth2For(third).refreshToken(again.refresh_token!)).rejects.toMatchObject({ name: 'invalid_grant' });
    expect((await rest(third, again.access_token, '/services/data/v62.0/limits')).status).toBe(401);
    expect(third.org.get('Account', next)).toMatchObject({ Name: 'After the restart' });
  });

  it('keeps each access token until its own expiry, and saves expireAccessTokens', async () => {
    const first = await start();
    const { tokens } = await authorize(first);
    const { tokens: other } = await authorize(first);
    await stop(first);

    clock.advance(HOUR + 59 * MINUTE);
    const second = await start();
    expect((await rest(second, tokens.access_token, '/services/data/v62.0/limits')).status).toBe(200);
    clock.advance(MINUTE); // two hours after issue: the default lifetime is over
    expect((await rest(second, tokens.access_token, '/services/data/v62.0/limits')).status).toBe(401);
    await expect(oauth2For(second).refreshToken(other.refresh_token!)).resolves.toHaveProperty('access_token');
    second.expireAccessTokens();
    await stop(second);

    const third = await start();
    const { tokens: fresh } = await authorize(third);
    expect((await rest(third, fresh.access_token, '/services/data/v62.0/limits')).status).toBe(200);
    expect((await rest(third, other.access_token, '/services/data/v62.0/limits')).status).toBe(401);
  });

  it('carries the API usage over, and drops requests older than 24 hours (by the hour)', async () => {
    const first = await start({ accessTokenTtlMs: 30 * 24 * HOUR });
    const { tokens } = await authorize(first);
    await rest(first, tokens.access_token, '/services/data/v62.0/limits');
    await rest(first, tokens.access_token, '/services/data/v62.0/limits');
    await stop(first);

    clock.advance(23 * HOUR);
    const second = await start();
    expect(second.apiUsage).toBe(2);
    const res = await rest(second, tokens.access_token, '/services/data/v62.0/limits');
    expect(res.headers.get('sforce-limit-info')).toBe('api-usage=3/15000');
    await stop(second);

    // 25 hours after the first two: their hour has left the window; the third is 2 hours old.
    clock.advance(2 * HOUR);
    const third = await start();
    expect(third.apiUsage).toBe(1);
    third.setApiUsage(15000);
    await stop(third);

    const fourth = await start();
    expect((await rest(fourth, tokens.access_token, '/services/data/v62.0/limits')).body).toEqual([
      { message: 'TotalRequests Limit exceeded.', errorCode: 'REQUEST_LIMIT_EXCEEDED' },
    ]);
    clock.advance(25 * HOUR);
    expect((await rest(fourth, tokens.access_token, '/services/data/v62.0/limits')).status).toBe(200);
    expect(fourth.apiUsage).toBe(1);
  });

  it('saves a change within a quarter second, so a crash without close() loses at most that', async () => {
    const fake = await start();
    expect(existsSync(file)).toBe(true); // a new org is written at once
    const id = fake.org.create('Account', { Name: 'Saved without close' });
    await new Promise((r) => setTimeout(r, 400));
    const crashed = path.join(dir, 'as-left-by-a-crash.json');
    copyFileSync(file, crashed);

    const revived = await startFake(clock, { stateFile: crashed });
    fakes.track(revived);
    expect(revived.orgId).toBe(fake.orgId);
    expect(revived.org.get('Account', id)).toMatchObject({ Name: 'Saved without close' });
  });

  it('keeps scenario ids for idFor, and a new org stays empty across a restart until written to', async () => {
    const first = await start();
    await stop(first);
    const second = await start();
    expect(second.orgId).toBe(first.orgId);
    expect(second.isEmpty).toBe(true);
    expect(second.demoChats()).toEqual([]);
    second.seedScenario(
      await readScenario(
        path.join(__dirname, '..', '..', '..', 'test', 'fixtures', 'scenarios', '01-seed-example.json'),
      ),
    );
    const opp = second.idFor('0065g00000Opp001');
    await stop(second);

    const third = await start();
    expect(third.isEmpty).toBe(false);
    expect(third.idFor('0065g00000Opp001')).toBe(opp);
    expect(third.org.get('Opportunity', opp!)).toMatchObject({ Amount: 150000, StageName: 'Closed Won' });
  });
});

describe('the orgId option', () => {
  it('fixes the id of a new org (18-character form), which the state file then keeps', async () => {
    const fake = await start({ orgId: '00D5g0000012aBc' });
    expect(fake.orgId).toBe('00D5g0000012aBcEAI');
    const { tokens } = await authorize(fake);
    expect(tokens.id).toBe(`${fake.url}/id/00D5g0000012aBcEAI/${fake.userId}`);
    expect(tokens.access_token.startsWith('00D5g0000012aBc!')).toBe(true);
    await stop(fake);

    const restarted = await start();
    expect(restarted.orgId).toBe('00D5g0000012aBcEAI');
    await stop(restarted);
    expect((await start({ orgId: '00D5g0000012aBcEAI' })).orgId).toBe('00D5g0000012aBcEAI');
  });

  it('refuses a malformed org id, and one that is not the org in the state file', async () => {
    await expect(startFake(clock, { orgId: '0015g0000012aBc' })).rejects.toThrow('starts with 00D');
    await expect(startFake(clock, { orgId: '00D5g0000012aBcAAA' })).rejects.toThrow('case-safe suffix');
    await stop(await start({ orgId: '00D5g0000012aBc' }));
    const err = await start({ orgId: '00D5g0000099xYz' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(StateFileError);
    expect((err as Error).message).toBe(
      `fake-salesforce: the state file ${file} holds org 00D5g0000012aBcEAI, not the org 00D5g0000099xYzEAI of the orgId option. ` +
        `To start over with a new, empty org, delete ${file} (its records and tokens are lost; connections stored against the old org must be made again).`,
    );
  });
});

describe('a state file that cannot be used', () => {
  it.each([
    ['truncated JSON', '{"format":"fake-salesforce-state","version":1,"org":{', 'is not valid JSON'],
    ['another shape', '{"hello":"world"}', 'is corrupt or from another version of this test double (format:'],
    [
      'another version',
      JSON.stringify({ format: 'fake-salesforce-state', version: 99 }),
      'is corrupt or from another version of this test double (version:',
    ],
  ])(
    'fails the start on %s, naming the file and how to reset, and leaves the file alone',
    async (_what, content, problem) => {
      writeFileSync(file, content);
      const err = await start().catch((e: unknown) => e);
      expect(err).toBeInstanceOf(StateFileError);
      expect((err as StateFileError).file).toBe(file);
      expect((err as Error).message).toContain(`the state file ${file} ${problem}`);
      expect((err as Error).message).toContain(`To start over with a new, empty org, delete ${file}`);
      expect(readFileSync(file, 'utf8')).toBe(content);
    },
  );

  it('fails the start when the saved org does not match the multiCurrency option', async () => {
    await stop(await start({ multiCurrency: true }));
    await expect(start()).rejects.toThrow(
      `the state file ${file} cannot be restored (the saved org has multi-currency, the multiCurrency option says false)`,
    );
  });
});
