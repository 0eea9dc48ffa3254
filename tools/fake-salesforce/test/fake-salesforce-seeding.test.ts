// Seeding the local test Salesforce: scenario files keep their instants in CreatedDate,
// SystemModstamp and OpportunityHistory; the demo org tells the seed story; multi-currency orgs.
import { readdirSync } from 'node:fs';
import path from 'node:path';
import type { FakeSalesforce } from '../src';
import { readScenario } from '../../../src/scenarios/read';
import { connect, startFake, testClock } from './fake-salesforce-client';

const fixtures = path.join(__dirname, '..', '..', '..', 'test', 'fixtures', 'scenarios');
const open: FakeSalesforce[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((f) => f.close()));
});
async function fakeAt(now: string, extra = {}): Promise<FakeSalesforce> {
  const fake = await startFake(testClock(now), { accessTokenTtlMs: 365 * 24 * 3600 * 1000, ...extra });
  open.push(fake);
  return fake;
}
const strip = (records: Array<Record<string, unknown>>) => records.map(({ attributes: _a, ...r }) => r);

describe('seedScenario', () => {
  it('loads the seed example with every instant kept, and hands back the chats', async () => {
    const fake = await fakeAt('2026-03-05T12:00:00Z');
    const seed = fake.seedScenario(await readScenario(path.join(fixtures, '01-seed-example.json')));
    const opp = fake.idFor('0065g00000Opp001')!;
    const dana = fake.idFor('0035g00000Dana01')!;
    expect(opp).toMatch(/^006[A-Za-z0-9]{15}$/);
    expect([...seed.ids.keys()].sort()).toEqual(['0035g00000Dana01', '0065g00000Opp001', '00K5g00000Role01']);
    expect(seed.chats).toEqual([
      {
        id: 'conv-1',
        at: '2026-03-02T15:00:00.000Z',
        teamId: 'sales',
        agentId: 'agent-7',
        emails: ['Dana@Acme.example'],
        contactIds: [dana],
      },
    ]);

    const { conn } = await connect(fake);
    const [o] = (
      await conn.query(
        `SELECT Id, Amount, StageName, IsClosed, IsWon, CreatedDate, SystemModstamp FROM Opportunity WHERE Id = '${opp}'`,
      )
    ).records;
    expect(o).toMatchObject({
      Amount: 150000,
      StageName: 'Closed Won',
      IsClosed: true,
      IsWon: true,
      CreatedDate: '2026-03-02T16:00:00.000+0000',
      SystemModstamp: '2026-03-04T17:30:00.000+0000',
    });
    const history = await conn.query(
      'SELECT CreatedDate, Amount, StageName FROM OpportunityHistory ORDER BY CreatedDate',
    );
    expect(strip(history.records)).toEqual([
      { CreatedDate: '2026-03-02T16:00:00.000+0000', Amount: 100000, StageName: 'Prospecting' },
      { CreatedDate: '2026-03-03T11:00:00.000+0000', Amount: 120000, StageName: 'Negotiation/Review' },
      { CreatedDate: '2026-03-04T17:30:00.000+0000', Amount: 150000, StageName: 'Closed Won' },
    ]);
    const roles = await conn.query('SELECT OpportunityId, ContactId, CreatedDate FROM OpportunityContactRole');
    expect(strip(roles.records)).toEqual([
      { OpportunityId: opp, ContactId: dana, CreatedDate: '2026-03-02T16:00:05.000+0000' },
    ]);
    const contacts = await conn.query('SELECT Id, Email, CreatedDate FROM Contact');
    expect(strip(contacts.records)).toEqual([
      { Id: dana, Email: 'dana@acme.example', CreatedDate: '2026-03-01T09:00:00.000+0000' },
    ]);
    const changedSince = await conn.query('SELECT Id FROM Opportunity WHERE SystemModstamp > 2026-03-04T00:00:00Z');
    expect(changedSince.totalSize).toBe(1);
  });

  it('records lead conversion, trims emails, adds unknown stages, and keeps deletes and undeletes', async () => {
    const fake = await fakeAt('2026-08-10T00:00:00Z');
    fake.seedScenario(await readScenario(path.join(fixtures, '08-lead-conversion-link.json')));
    const lead = fake.org.query(
      'SELECT Email, IsConverted, ConvertedContactId, ConvertedDate, CreatedDate, SystemModstamp FROM Lead',
    );
    expect(strip(lead)).toEqual([
      {
        Email: 'rui@gmail.example',
        IsConverted: true,
        ConvertedContactId: fake.idFor('003R'),
        ConvertedDate: '2026-08-05',
        CreatedDate: '2026-08-03T10:00:00.000+0000',
        SystemModstamp: '2026-08-05T11:00:02.000+0000',
      },
    ]);

    fake.seedScenario({
      events: [
        {
          at: '2026-08-06T09:00:00Z',
          type: 'opportunity',
          id: 'o1',
          amount: '1000.50',
          stageName: 'Proposal',
          isClosed: false,
          isWon: false,
          createdDate: '2026-08-01T09:00:00Z',
        },
        { at: '2026-08-07T09:00:00Z', type: 'delete', object: 'opportunity', id: 'o1' },
        {
          at: '2026-08-08T09:00:00Z',
          type: 'opportunity',
          id: 'o1',
          amount: 2000,
          stageName: 'Proposal',
          isClosed: false,
          isWon: false,
        },
        { at: '2026-08-09T09:00:00Z', type: 'delete', object: 'opportunity', id: 'o1' },
      ],
    });
    const o1 = fake.idFor('o1')!;
    expect(
      fake.org.query("SELECT IsClosed, DefaultProbability FROM OpportunityStage WHERE ApiName = 'Proposal'"),
    ).toEqual([expect.objectContaining({ IsClosed: false, DefaultProbability: 50 })]);
    expect(fake.org.get('Opportunity', o1)).toMatchObject({
      IsDeleted: true,
      Amount: 2000,
      CreatedDate: '2026-08-01T09:00:00.000+0000',
      SystemModstamp: '2026-08-09T09:00:00.000+0000',
    });
    expect(
      strip(
        fake.org.query(
          `SELECT CreatedDate, Amount FROM OpportunityHistory WHERE OpportunityId = '${o1}' ORDER BY CreatedDate`,
        ),
      ),
    ).toEqual([
      { CreatedDate: '2026-08-01T09:00:00.000+0000', Amount: 1000.5 },
      { CreatedDate: '2026-08-08T09:00:00.000+0000', Amount: 2000 },
    ]);
    const { conn } = await connect(fake);
    const deleted = await conn
      .sobject('Opportunity')
      .deleted(new Date('2026-08-06T00:00:00Z'), new Date('2026-08-10T00:00:00Z'));
    expect(deleted.deletedRecords).toEqual([{ id: o1, deletedDate: '2026-08-09T09:00:00.000+0000' }]);
  });

  it.each(readdirSync(fixtures).filter((f) => f.endsWith('.json')))(
    'seeds %s with history rows only at its opportunity instants',
    async (file) => {
      const fake = await fakeAt('2026-12-31T00:00:00Z');
      const scenario = await readScenario(path.join(fixtures, file));
      fake.seedScenario(scenario);
      const instants = new Set(
        scenario.events.filter((e) => e.type === 'opportunity').map((e) => new Date(e.createdDate ?? e.at).getTime()),
      );
      for (const e of scenario.events) if (e.type === 'opportunity') instants.add(Date.parse(e.at));
      const rows = fake.org.query('SELECT CreatedDate FROM OpportunityHistory', { includeDeleted: true });
      expect(rows.length).toBeGreaterThan(0);
      for (const r of rows) expect(instants).toContain(Date.parse(String(r.CreatedDate).replace('+0000', 'Z')));
    },
  );
});

describe('seedDemoOrg', () => {
  it('builds a believable org around the seed story, relative to the clock', async () => {
    const fake = await fakeAt('2026-03-05T12:00:00Z');
    const demo = fake.seedDemoOrg();
    const count = (soql: string) => fake.org.query(soql).length;
    expect(count('SELECT Id FROM Account')).toBe(20);
    expect(count('SELECT Id FROM Contact')).toBeGreaterThanOrEqual(60);
    expect(count('SELECT Id FROM Lead')).toBe(40);
    expect(count('SELECT Id FROM Lead WHERE IsConverted = true')).toBe(10);
    expect(count('SELECT Id FROM Opportunity')).toBe(30);
    expect(count("SELECT Id FROM Opportunity WHERE StageName = 'Closed Won'")).toBeGreaterThan(1);
    expect(count('SELECT Id FROM Opportunity WHERE IsClosed = false')).toBeGreaterThan(5);
    expect(count('SELECT Id FROM OpportunityHistory')).toBeGreaterThan(40);

    const [dana] = fake.org.query("SELECT Id, Name, Email, AccountId FROM Contact WHERE Email = 'dana@acme.example'");
    expect(dana).toMatchObject({ Id: demo.story.contactId, Name: 'Dana Reyes', AccountId: demo.story.accountId });
    expect(fake.org.get('Account', demo.story.accountId)).toMatchObject({ Name: 'Acme' });
    expect(
      strip(
        fake.org.query(
          `SELECT CreatedDate, Amount, StageName FROM OpportunityHistory WHERE OpportunityId = '${demo.story.opportunityId}' ORDER BY CreatedDate`,
        ),
      ),
    ).toEqual([
      { CreatedDate: '2026-03-02T16:00:00.000+0000', Amount: 100000, StageName: 'Prospecting' },
      { CreatedDate: '2026-03-03T11:00:00.000+0000', Amount: 120000, StageName: 'Negotiation/Review' },
      { CreatedDate: '2026-03-04T17:30:00.000+0000', Amount: 150000, StageName: 'Closed Won' },
    ]);
    expect(
      strip(
        fake.org.query(
          `SELECT ContactId, CreatedDate FROM OpportunityContactRole WHERE OpportunityId = '${demo.story.opportunityId}'`,
        ),
      ),
    ).toEqual([{ ContactId: demo.story.contactId, CreatedDate: '2026-03-02T16:00:05.000+0000' }]);

    expect(demo.chats).toContainEqual({
      id: expect.any(String),
      at: '2026-03-02T15:00:00.000Z',
      teamId: 'sales',
      agentId: expect.stringMatching(/^agent-/),
      emails: ['dana@acme.example'],
      contactIds: [demo.story.contactId],
    });
    expect(new Set(demo.chats.map((c) => c.teamId))).toEqual(new Set(['sales', 'support']));
    expect(demo.chats.every((c) => Date.parse(c.at) <= Date.parse('2026-03-05T12:00:00Z'))).toBe(true);
    expect(demo.chats.some((c) => c.emails.length === 0)).toBe(true);
  });

  it('gives the same org for the same clock', async () => {
    const a = (await fakeAt('2026-03-05T12:00:00Z')).seedDemoOrg();
    const b = (await fakeAt('2026-03-05T12:00:00Z')).seedDemoOrg();
    expect(b.chats).toEqual(a.chats);
  });
});

describe('multi-currency orgs', () => {
  it('have CurrencyIsoCode on Opportunity and the CurrencyType and DatedConversionRate objects', async () => {
    const fake = await fakeAt('2026-03-05T12:00:00Z', { multiCurrency: true });
    const { conn } = await connect(fake);
    const eur = await conn.sobject('Opportunity').create({
      Name: 'EUR deal',
      Amount: 5000,
      StageName: 'Prospecting',
      CloseDate: '2026-04-01',
      CurrencyIsoCode: 'EUR',
    });
    await conn
      .sobject('Opportunity')
      .create({ Name: 'USD deal', Amount: 7000, StageName: 'Prospecting', CloseDate: '2026-04-01' });
    await expect(
      conn
        .sobject('Opportunity')
        .create({ Name: 'JPY deal', StageName: 'Prospecting', CloseDate: '2026-04-01', CurrencyIsoCode: 'JPY' }),
    ).rejects.toMatchObject({ errorCode: 'INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST' });
    const opps = await conn.query('SELECT Name, CurrencyIsoCode FROM Opportunity ORDER BY Name');
    expect(strip(opps.records)).toEqual([
      { Name: 'EUR deal', CurrencyIsoCode: 'EUR' },
      { Name: 'USD deal', CurrencyIsoCode: 'USD' },
    ]);
    const [history] = (
      await conn.query(`SELECT CurrencyIsoCode FROM OpportunityHistory WHERE OpportunityId = '${eur.id}'`)
    ).records;
    expect(history).toMatchObject({ CurrencyIsoCode: 'EUR' });
    const currencies = await conn.query(
      'SELECT IsoCode, ConversionRate, IsCorporate, IsActive, DecimalPlaces FROM CurrencyType ORDER BY IsoCode',
    );
    expect(strip(currencies.records)).toEqual([
      { IsoCode: 'EUR', ConversionRate: 0.92, IsCorporate: false, IsActive: true, DecimalPlaces: 2 },
      { IsoCode: 'GBP', ConversionRate: 0.79, IsCorporate: false, IsActive: true, DecimalPlaces: 2 },
      { IsoCode: 'USD', ConversionRate: 1, IsCorporate: true, IsActive: true, DecimalPlaces: 2 },
    ]);
    expect((await conn.query('SELECT IsoCode, StartDate, NextStartDate FROM DatedConversionRate')).totalSize).toBe(3);
  });
});
