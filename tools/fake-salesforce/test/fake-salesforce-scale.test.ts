// The double at scale: the state file is a log that is appended to, never rewritten on a change,
// survives a torn last line, and is compacted after a generated org; large results page from a
// sorted index and read their rows page by page, with the same records a full sort gives.
import { appendFileSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import type { FakeSalesforce } from '../src';
import { connect, rest, startFake, type TestClock, useStateFileFakes } from './fake-salesforce-client';

const MINUTE = 60_000;

const fakes = useStateFileFakes('fake-salesforce-scale-', 'org.jsonl');
const { start, stop } = fakes;
let file: string;
let clock: TestClock;
beforeEach(() => ({ file, clock } = fakes.current));

const lines = () => readFileSync(file, 'utf8').split('\n');

describe('the state log', () => {
  it('appends each change to what is on disk, never rewriting it', async () => {
    const fake = await start();
    const before = readFileSync(file, 'utf8');
    const id = fake.org.create('Account', { Name: 'Appended' });
    await stop(fake);
    const after = readFileSync(file, 'utf8');
    expect(after.startsWith(before)).toBe(true);
    const appended = after.slice(before.length).trim().split('\n');
    expect(appended.some((l) => l.startsWith('["Account","') && l.includes(id) && l.includes('Appended'))).toBe(true);
    expect(JSON.parse(lines()[0]!)).toMatchObject({ format: 'fake-salesforce-state', version: 2 });
  });

  it('leaves out a last line torn by a crash, and cuts it off before appending again', async () => {
    const first = await start();
    const kept = first.org.create('Account', { Name: 'Kept' });
    await stop(first);
    appendFileSync(file, '["Account","001'); // a batch cut short: no newline

    const second = await start();
    expect(second.org.get('Account', kept)).toMatchObject({ Name: 'Kept' });
    const next = second.org.create('Account', { Name: 'After the crash' });
    await stop(second);
    expect(readFileSync(file, 'utf8')).not.toContain('["Account","001\n');
    expect(
      lines()
        .slice(0, -1)
        .every((l) => JSON.parse(l) !== undefined),
    ).toBe(true);

    const third = await start();
    expect(third.org.get('Account', kept)).toMatchObject({ Name: 'Kept' });
    expect(third.org.get('Account', next)).toMatchObject({ Name: 'After the crash' });
  });

  it('refuses a corrupt line that is not the last one, naming the line', async () => {
    await stop(await start());
    appendFileSync(file, '{"nonsense":1}\n["Account"]\n');
    await expect(start()).rejects.toThrow(`the state file ${file} is corrupt or from another version`);
    await expect(start()).rejects.toThrow(/line \d+/);
  });

  it('reads a version 1 file (the whole state as one JSON object) and rewrites it as a log', async () => {
    const user = { Id: '0055g0000000001AAA', FirstName: 'Integration', LastName: 'User', IsActive: true };
    const account = { Id: '0015g0000000002AAA', Name: 'From version 1', IsDeleted: false, CreatedDate: 0 };
    const v1 = {
      format: 'fake-salesforce-state',
      version: 1,
      savedAt: '2026-03-01T00:00:00.000Z',
      org: {
        orgId: '00D5g0000012aBcEAI',
        userId: user.Id,
        multiCurrency: false,
        corporateCurrency: 'USD',
        idsIssued: 2,
        tables: { User: [user], Account: [account] },
        deleted: [],
      },
      tokens: { families: [], accessTokens: [], rotatedOut: [] },
      apiUsage: { hours: [] },
      demo: null,
      scenarioIds: { 'scenario-account': account.Id },
    };
    writeFileSync(file, `${JSON.stringify(v1)}\n`);
    const first = await start();
    expect(first.orgId).toBe('00D5g0000012aBcEAI');
    expect(first.org.get('Account', account.Id)).toMatchObject({ Name: 'From version 1' });
    expect(JSON.parse(lines()[0]!)).toMatchObject({ version: 2 });
    const next = first.org.create('Account', { Name: 'After' });
    expect(next > account.Id).toBe(true);
    await stop(first);

    const second = await start();
    expect(second.idFor('scenario-account')).toBe(account.Id);
    expect(second.org.query('SELECT Name FROM Account ORDER BY Name').map((r) => r.Name)).toEqual([
      'After',
      'From version 1',
    ]);
  });

  it('logs the records a restored org is given at start (an org saved before it had FieldDefinition)', async () => {
    await stop(await start());
    writeFileSync(
      file,
      lines()
        .filter((l) => !l.startsWith('["FieldDefinition"'))
        .join('\n'),
    );
    const first = await start();
    const soql = 'SELECT Id, QualifiedApiName FROM FieldDefinition';
    const added = first.org.query(soql);
    expect(added.length).toBeGreaterThan(0);
    await stop(first);
    expect(lines().some((l) => l.startsWith('["FieldDefinition"'))).toBe(true);
    expect((await start()).org.query(soql)).toEqual(added);
  });

  it('writes a generated org as one snapshot, which a restart replays to the same org', async () => {
    const first = await start();
    const generated = first.generateOrg({ opportunities: 40, seed: 7 });
    const snapshot = lines().filter((l) => l !== '');
    // The header, a line per record, the ids counter, tokens, usage, demo and scenario ids.
    const records = snapshot.filter((l) => l.startsWith('['));
    expect(records.filter((l) => l.startsWith('["OpportunityHistory"'))).toHaveLength(generated.opportunityHistory);
    const opp = first.org.query('SELECT Id FROM Opportunity')[0]!.Id as string;
    first.org.update('Opportunity', opp, { Amount: 123 });
    const soql = 'SELECT Id, Amount, StageName, SystemModstamp FROM Opportunity ORDER BY SystemModstamp, Id';
    const before = first.org.query(soql);
    const history = first.org.query('SELECT Id, OpportunityId, Amount FROM OpportunityHistory', {
      includeDeleted: true,
    });
    await stop(first);
    expect(statSync(file).mode & 0o777).toBe(0o600);

    const second = await start();
    expect(second.isEmpty).toBe(false);
    expect(second.org.query(soql)).toEqual(before);
    expect(
      second.org.query('SELECT Id, OpportunityId, Amount FROM OpportunityHistory', { includeDeleted: true }),
    ).toEqual(history);
  });
});

describe('large results', () => {
  type Page = { totalSize: number; done: boolean; nextRecordsUrl?: string; records: Array<Record<string, unknown>> };

  async function readAll(fake: FakeSalesforce, token: string, soql: string, all = false) {
    const out: Array<Record<string, unknown>> = [];
    let page = (
      await rest(fake, token, `/services/data/v62.0/${all ? 'queryAll' : 'query'}?q=${encodeURIComponent(soql)}`)
    ).body as Page;
    for (;;) {
      out.push(...page.records.map(({ attributes: _a, ...r }) => r));
      if (page.done) break;
      page = (await rest(fake, token, page.nextRecordsUrl!)).body as Page;
    }
    return { totalSize: page.totalSize, records: out };
  }

  /** What a full sort by (field, Id) of every row gives, from the lower bound on. */
  function sortedFrom(fake: FakeSalesforce, object: string, field: string, from: number, all = false) {
    return fake.org
      .query(`SELECT Id, ${field} FROM ${object}`, { includeDeleted: all })
      .map((r) => ({ Id: r.Id as string, [field]: r[field] as string }))
      .filter((r) => Date.parse(r[field]!) >= from)
      .sort((a, b) => Date.parse(a[field]!) - Date.parse(b[field]!) || (a.Id < b.Id ? -1 : a.Id > b.Id ? 1 : 0));
  }

  it('pages the incremental query from the index, and follows saves, deletes and saves back in time', async () => {
    const fake = await startFake(clock, { pageSize: 2000 });
    fakes.track(fake);
    const generated = fake.generateOrg({ opportunities: 1200, seed: 3 });
    expect(generated.opportunityHistory).toBeGreaterThan(10_000);
    const { tokens } = await connect(fake);
    const since = Date.parse(generated.from) + 100 * 24 * 60 * MINUTE;
    const iso = new Date(since).toISOString();
    const history = `SELECT Id, CreatedDate FROM OpportunityHistory WHERE CreatedDate >= ${iso} ORDER BY CreatedDate ASC, Id ASC`;
    const read = await readAll(fake, tokens.access_token, history, true);
    const expected = sortedFrom(fake, 'OpportunityHistory', 'CreatedDate', since, true);
    expect(read.totalSize).toBe(expected.length);
    expect(read.records.map((r) => r.Id)).toEqual(expected.map((r) => r.Id));

    // Saves now move rows to the end; a save back in time and a delete are followed too.
    fake.changeOpportunities(50, 9);
    const [a, b] = fake.org.query('SELECT Id FROM Opportunity LIMIT 2').map((r) => r.Id as string);
    fake.org.update('Opportunity', a!, { Amount: 1 }, { at: new Date(since + MINUTE) });
    fake.org.delete('Opportunity', b!);
    const opps = `SELECT Id, SystemModstamp FROM Opportunity WHERE SystemModstamp >= ${iso} ORDER BY SystemModstamp ASC, Id ASC`;
    for (const all of [false, true]) {
      const got = await readAll(fake, tokens.access_token, opps, all);
      const want = sortedFrom(fake, 'Opportunity', 'SystemModstamp', since, all);
      expect(got.records.map((r) => r.Id)).toEqual(want.map((r) => r.Id));
    }
    const again = await readAll(fake, tokens.access_token, history, true);
    expect(again.records.map((r) => r.Id)).toEqual(
      sortedFrom(fake, 'OpportunityHistory', 'CreatedDate', since, true).map((r) => r.Id),
    );
    expect(again.totalSize).toBeGreaterThan(read.totalSize);
  });
});
