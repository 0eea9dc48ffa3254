// The incremental's lower bound (sync-window.ts): Salesforce's clock at the last finished pass's
// first query (the Date header), minus one second for its resolution and the overlap. Over HTTP
// with nock, the org's clock set apart from ours: this machine's clock is months away from it.
import nock from 'nock';
import { sql } from 'drizzle-orm';
import { runSync } from '../../src/salesforce/sync-run';
import { useTestDatabase } from '../support/database';
import { NockOrg, SF_ERRORS, sfTime } from '../support/nock-salesforce';
import { connectedWorkspace, syncDeps } from '../support/salesforce-fixtures';
import { testSecrets } from '../support/service';

const database = useTestDatabase();
const secrets = testSecrets();

beforeAll(() => nock.disableNetConnect());
afterEach(() => nock.cleanAll());
afterAll(() => nock.enableNetConnect());

/** Salesforce's "now" in these tests; the machine running them is elsewhere in time. */
const ORG_NOW = new Date('2026-03-10T12:00:00Z');
const MIN = 60_000;
const at = (ms: number) => new Date(ORG_NOW.getTime() + ms);

/** An org whose contacts were all loaded within a minute by a data import, days before ORG_NOW. */
function massLoadedOrg(contacts: number): NockOrg {
  const org = new NockOrg();
  org.records.Lead = [];
  for (let i = 0; i < contacts; i++)
    contact(org, `Load${String(i).padStart(3, '0')}`, new Date(Date.UTC(2026, 2, 1, 9, 0, i % 60)));
  org.clock = ORG_NOW;
  return org;
}

function contact(org: NockOrg, key: string, modstamp: Date): void {
  org.add('Contact', {
    Id: `0035g000${key.padEnd(7, 'x')}AAA`,
    FirstName: 'C',
    LastName: key,
    Email: `${key.toLowerCase()}@acme.example`,
    AccountId: null,
    CreatedDate: sfTime('2026-03-01T09:00:00Z'),
    SystemModstamp: sfTime(modstamp.toISOString()),
    IsDeleted: false,
  });
}

const contactQueries = (org: NockOrg) =>
  org.queries.filter((q) => q.includes('FROM Contact ') && q.includes('ORDER BY'));

async function contactState(connectionId: string) {
  const [row] = await database.db.execute<{ checkpoint: string | null; watermark: string | null }>(sql`
    select checkpoint::text, watermark::text from salesforce_sync_objects
    where connection_id = ${connectionId} and object = 'Contact'`);
  const iso = (v: string | null) => (v ? new Date(v).toISOString() : null);
  return { checkpoint: iso(row!.checkpoint), watermark: iso(row!.watermark) };
}

const versionCount = async (workspaceId: string) =>
  (
    await database.db.execute<{ n: number }>(
      sql`select count(*)::int as n from contact_versions where workspace_id = ${workspaceId}`,
    )
  )[0]!.n;

describe('the watermark', () => {
  it("is Salesforce's Date at the pass's first query, not this machine's clock", async () => {
    const org = massLoadedOrg(3).intercept();
    const { connection } = await connectedWorkspace(database.db, secrets, 'wm-server-clock');
    expect((await runSync(syncDeps(database, secrets), connection.id, 'manual')).outcome).toBe('ok');
    // The machine's clock is far from the org's: the watermark can only have come from the header.
    expect(Math.abs(Date.now() - ORG_NOW.getTime())).toBeGreaterThan(60 * MIN);
    expect(await contactState(connection.id)).toEqual({
      checkpoint: '2026-03-01T09:00:02.000Z',
      watermark: '2026-03-10T12:00:00.000Z',
    });

    org.clock = at(15 * MIN);
    expect((await runSync(syncDeps(database, secrets), connection.id, 'schedule')).outcome).toBe('ok');
    // 12:00:00 minus one second (the Date header's resolution) minus the 10-minute overlap.
    expect(contactQueries(org).at(-1)).toContain('WHERE SystemModstamp >= 2026-03-10T11:49:59Z');
    expect((await contactState(connection.id)).watermark).toBe('2026-03-10T12:15:00.000Z');
  });

  it('keeps a mass-loaded object from being read again by the next incremental, and reads what changed', async () => {
    const org = massLoadedOrg(40);
    org.pageSize = 10;
    org.intercept();
    const { workspace, connection } = await connectedWorkspace(database.db, secrets, 'wm-mass-load');
    const first = await runSync(syncDeps(database, secrets), connection.id, 'manual');
    expect(first.rows.Contact).toBe(40);

    // Before the watermark, this pass asked from 08:50:59 and read all 40 again.
    org.clock = at(15 * MIN);
    const second = await runSync(syncDeps(database, secrets), connection.id, 'schedule');
    expect(second.rows.Contact).toBe(0);

    const changed = org.records.Contact![7]!;
    Object.assign(changed, { Email: 'moved@acme.example', SystemModstamp: sfTime(at(20 * MIN).toISOString()) });
    org.clock = at(30 * MIN);
    const third = await runSync(syncDeps(database, secrets), connection.id, 'schedule');
    expect(third.rows.Contact).toBe(1);
    expect(await versionCount(workspace.id)).toBe(41);
  });

  it('catches a record committed after a pass began with a SystemModstamp inside the overlap', async () => {
    const org = massLoadedOrg(2).intercept();
    const { workspace, connection } = await connectedWorkspace(database.db, secrets, 'wm-late-commit');
    await runSync(syncDeps(database, secrets), connection.id, 'manual');

    // Stamped 4 minutes before the first pass's query, committed after it (a long transaction):
    // the first pass could not see it, and the next one still must.
    contact(org, 'Late001', at(-4 * MIN));
    org.clock = at(15 * MIN);
    const second = await runSync(syncDeps(database, secrets), connection.id, 'schedule');
    expect(second.rows.Contact).toBe(1);
    expect(await versionCount(workspace.id)).toBe(3);
  });

  it('moves only when a pass finished: a pass stopped between pages resumes from its checkpoint, nothing lost', async () => {
    const org = massLoadedOrg(2).intercept();
    const { workspace, connection } = await connectedWorkspace(database.db, secrets, 'wm-crash');
    await runSync(syncDeps(database, secrets), connection.id, 'manual');
    expect((await contactState(connection.id)).watermark).toBe('2026-03-10T12:00:00.000Z');

    // Five contacts change; the next pass reads the first page of two and then fails on every try.
    for (let i = 1; i <= 5; i++) contact(org, `Chg${i}`, at((10 + i) * MIN));
    org.clock = at(20 * MIN);
    org.fault(/\/query\/01g\d+-2 object=Contact$/, 500, SF_ERRORS.unavailable, 5);
    expect((await runSync(syncDeps(database, secrets), connection.id, 'schedule')).outcome).toBe('partial');
    expect(await contactState(connection.id)).toEqual({
      checkpoint: '2026-03-10T12:12:00.000Z',
      // Not 12:20: the pass that began then did not finish.
      watermark: '2026-03-10T12:00:00.000Z',
    });
    expect(await versionCount(workspace.id)).toBe(4);

    // One more change meanwhile; the next pass starts from the later of both bounds (the checkpoint).
    contact(org, 'Chg6', at(25 * MIN));
    org.clock = at(30 * MIN);
    const resumed = await runSync(syncDeps(database, secrets), connection.id, 'schedule');
    expect(resumed.outcome).toBe('ok');
    expect(contactQueries(org).at(-1)).toContain('WHERE SystemModstamp >= 2026-03-10T12:02:00Z');
    expect(await versionCount(workspace.id)).toBe(8);
    expect((await contactState(connection.id)).watermark).toBe('2026-03-10T12:30:00.000Z');
  });

  it('without a Date header stays where it is, and the checkpoint decides as before', async () => {
    const org = massLoadedOrg(2).intercept();
    const { connection } = await connectedWorkspace(database.db, secrets, 'wm-no-date');
    await runSync(syncDeps(database, secrets), connection.id, 'manual');
    org.clock = null;
    await runSync(syncDeps(database, secrets), connection.id, 'schedule');
    expect(contactQueries(org).at(-1)).toContain('WHERE SystemModstamp >= 2026-03-10T11:49:59Z');
    expect((await contactState(connection.id)).watermark).toBe('2026-03-10T12:00:00.000Z');

    const never = massLoadedOrg(2);
    never.clock = null;
    nock.cleanAll();
    never.intercept();
    const other = await connectedWorkspace(database.db, secrets, 'wm-no-date-ever');
    await runSync(syncDeps(database, secrets), other.connection.id, 'manual');
    await runSync(syncDeps(database, secrets), other.connection.id, 'schedule');
    expect(contactQueries(never).at(-1)).toContain('WHERE SystemModstamp >= 2026-03-01T08:50:01Z');
    expect((await contactState(other.connection.id)).watermark).toBeNull();
  });

  it("of a Bulk API backfill is the job's createdDate: the REST pass after it reads only what changed since", async () => {
    const org = massLoadedOrg(5).intercept({ bulk: true });
    const { workspace, connection } = await connectedWorkspace(database.db, secrets, 'wm-bulk');
    const deps = syncDeps(database, secrets, { bulkThreshold: 3 });
    const result = await runSync(deps, connection.id, 'manual');
    expect(result.outcome).toBe('ok');
    expect(result.rows.Contact).toBe(5); // the job's 5; the REST pass after it, none
    expect(contactQueries(org).at(-1)).toContain('WHERE SystemModstamp >= 2026-03-10T11:49:59Z');
    expect((await contactState(connection.id)).watermark).toBe('2026-03-10T12:00:00.000Z');
    expect(await versionCount(workspace.id)).toBe(5);
  });
});
