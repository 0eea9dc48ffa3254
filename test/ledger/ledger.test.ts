import { sql } from 'drizzle-orm';
import { pgError } from '../../src/platform/db/sql';
import { formatCents } from '../../src/attribution/money';
import type { Workspace } from '../../src/platform/db/schema';
import { markWorkspaceDirty } from '../../src/history/mark-dirty';
import { ENGINE_VERSION } from '../../src/attribution/engine';
import { appendLedgerEntries } from '../../src/ledger/append';
import { markWorkspacesOnOlderEngine } from '../../src/ledger/engine-upgrade';
import { withLedgerLock } from '../../src/ledger/lock';
import { recomputeDirty } from '../../src/ledger/recompute';
import { ledgerSeries } from '../../src/ledger/series';
import { verifyLedger } from '../../src/ledger/verify';
import { loadScenario } from '../../src/scenarios/load';
import { scenarioFile } from '../../src/scenarios/schema';
import { getWorkspace, updateWorkspaceSettings } from '../../src/workspaces/workspaces';
import { useTestDatabase } from '../support/database';
import { testLogger } from '../support/logger';
import { testLedgerKeys } from '../support/ledger-keys';

const database = useTestDatabase();
/** The database's own error message, whatever wraps it. */
const failure = (p: Promise<unknown>) =>
  p.then(
    () => 'no error',
    (e) => pgError(e)?.message ?? String(e),
  );
const recompute = (ws: Workspace) =>
  recomputeDirty({ db: database.db, logger: testLogger, batchSize: 50, ledgerKeys: testLedgerKeys }, ws.id);
const count = async (ws: Workspace) =>
  (
    await database.db.execute<{ n: number }>(
      sql`select count(*)::int as n from ledger_entries where workspace_id = ${ws.id}`,
    )
  )[0]!.n;
const series = async (ws: Workspace, asOf?: Date) =>
  (await ledgerSeries(database.db, ws.id, { asOf: asOf ?? null })).map(
    (d) => `${d.date} ${formatCents(d.pipelineInfluenced)} ${formatCents(d.closedWonInfluenced)}`,
  );

/** The seed story of ATTRIBUTION.md, minus whatever a test wants to deliver late. */
const seedEvents = [
  { at: '2026-03-01T09:00:00Z', type: 'contact', id: 'C1', email: 'dana@acme.example' },
  {
    at: '2026-03-02T16:00:00Z',
    type: 'opportunity',
    id: 'O1',
    amount: 100000,
    stageName: 'Prospecting',
    isClosed: false,
    isWon: false,
  },
  { at: '2026-03-02T16:00:05Z', type: 'contactRole', id: 'R1', opportunityId: 'O1', contactId: 'C1' },
  {
    at: '2026-03-03T11:00:00Z',
    type: 'opportunity',
    id: 'O1',
    amount: 120000,
    stageName: 'Negotiation/Review',
    isClosed: false,
    isWon: false,
  },
  {
    at: '2026-03-04T17:30:00Z',
    type: 'opportunity',
    id: 'O1',
    amount: 150000,
    stageName: 'Closed Won',
    isClosed: true,
    isWon: true,
  },
];
const scenario = (events: unknown[]) =>
  scenarioFile.parse({ workspace: { timezone: 'UTC', attributionWindowDays: 90 }, events });
const chatOn = (at: string, id: string, teamId = 'sales') => ({
  at,
  type: 'chat',
  id,
  teamId,
  agentId: 'a1',
  email: 'Dana@Acme.example',
});

async function seeded(slug: string, events: unknown[]): Promise<Workspace> {
  const ws = await loadScenario(database.db, slug, scenario(events));
  await recompute(ws);
  return ws;
}

describe('the ledger', () => {
  it('refuses UPDATE, DELETE and TRUNCATE of its entries', async () => {
    const ws = await seeded('immutable', [...seedEvents, chatOn('2026-03-02T15:00:00Z', 'chat-1')]);
    expect(await count(ws)).toBe(4);
    expect(
      await failure(database.db.execute(sql`update ledger_entries set amount = 1 where workspace_id = ${ws.id}`)),
    ).toMatch(/append-only: UPDATE is not allowed/);
    expect(await failure(database.db.execute(sql`delete from ledger_entries where workspace_id = ${ws.id}`))).toMatch(
      /append-only: DELETE is not allowed/,
    );
    expect(await failure(database.db.execute(sql`truncate ledger_entries`))).toMatch(
      /append-only: TRUNCATE is not allowed/,
    );
    expect(await count(ws)).toBe(4);
  });

  it('appends nothing when an unchanged workspace is recomputed again', async () => {
    const ws = await seeded('idempotent', [...seedEvents, chatOn('2026-03-02T15:00:00Z', 'chat-1')]);
    const before = await count(ws);
    await database.db.transaction((tx) => markWorkspaceDirty(tx, ws.id));
    const outcome = await recompute(ws);
    expect(outcome).toMatchObject({ opportunities: 1, entries: 0 });
    expect(await count(ws)).toBe(before);
    // Loading the very same history again changes nothing either.
    await loadScenario(database.db, 'idempotent', scenario([...seedEvents, chatOn('2026-03-02T15:00:00Z', 'chat-1')]));
    expect((await recompute(ws)).entries).toBe(0);
  });

  it('leaves no partial batch and keeps the dirty marks when a batch fails half-way', async () => {
    const ws = await loadScenario(
      database.db,
      'crash',
      scenario([...seedEvents, chatOn('2026-03-02T15:00:00Z', 'chat-1')]),
    );
    // Fail after the entries were inserted, inside the batch's transaction.
    await database.db.execute(
      sql.raw(`
      create function fail_influence() returns trigger language plpgsql as $$ begin raise exception 'simulated crash'; end $$;
      create trigger fail_influence before insert on opportunity_influence for each row execute function fail_influence();`),
    );
    expect(await failure(recompute(ws))).toMatch(/simulated crash/);
    expect(await count(ws)).toBe(0);
    const [dirty] = await database.db.execute<{ n: number }>(
      sql`select count(*)::int as n from attribution_dirty where workspace_id = ${ws.id}`,
    );
    expect(dirty!.n).toBe(1);
    const [totals] = await database.db.execute<{ n: number }>(
      sql`select count(*)::int as n from daily_totals where workspace_id = ${ws.id}`,
    );
    expect(totals!.n).toBe(0);

    await database.db.execute(
      sql.raw('drop trigger fail_influence on opportunity_influence; drop function fail_influence();'),
    );
    await recompute(ws);
    expect(await series(ws)).toEqual([
      '2026-03-02 100000.00 0.00',
      '2026-03-03 20000.00 0.00',
      '2026-03-04 30000.00 150000.00',
    ]);
  });

  it('books a late chat as corrections dated on the past days it changes, and keeps what it said before', async () => {
    // First known chat is on day 2: influence starts at $120k on 3 March.
    const ws = await seeded('late-chat', [...seedEvents, chatOn('2026-03-03T12:00:00Z', 'chat-2')]);
    expect(await series(ws)).toEqual(['2026-03-03 120000.00 0.00', '2026-03-04 30000.00 150000.00']);
    const before = new Date();
    await new Promise((r) => setTimeout(r, 5));

    // The day-1 chat arrives late: influence really started on 2 March at $100k.
    await loadScenario(database.db, 'late-chat', scenario([chatOn('2026-03-02T15:00:00Z', 'chat-1')]));
    await recompute(ws);
    expect(await series(ws)).toEqual([
      '2026-03-02 100000.00 0.00',
      '2026-03-03 20000.00 0.00',
      '2026-03-04 30000.00 150000.00',
    ]);
    expect(await series(ws, before)).toEqual(['2026-03-03 120000.00 0.00', '2026-03-04 30000.00 150000.00']);

    const late = await database.db.execute<{
      effective_day: string;
      amount: string;
      reason: string;
      correction: boolean;
      revision: number;
      causes: { conversations: string[] };
    }>(sql`
      select effective_day::text, amount::text, reason, correction, revision, causes from ledger_entries
      where workspace_id = ${ws.id} and recorded_at > ${before.toISOString()}::timestamptz order by seq`);
    expect(late.map((e) => [e.effective_day, e.amount, e.reason, e.correction, e.revision])).toEqual([
      ['2026-03-02', '100000.00', 'influence_started', true, 0],
      ['2026-03-03', '-100000.00', 'amount_changed', true, 1],
    ]);
    expect(late[0]!.causes.conversations).toEqual(['chat-1']);
    expect((await verifyLedger(database, ws, { keys: testLedgerKeys })).problems).toEqual([]);
  });

  it('books a late contact role on the days it affects', async () => {
    const withoutRole = seedEvents.filter((e) => e.type !== 'contactRole');
    const ws = await seeded('late-role', [...withoutRole, chatOn('2026-03-02T15:00:00Z', 'chat-1')]);
    expect(await series(ws)).toEqual([]);
    await loadScenario(database.db, 'late-role', scenario(seedEvents.filter((e) => e.type === 'contactRole')));
    await recompute(ws);
    expect(await series(ws)).toEqual([
      '2026-03-02 100000.00 0.00',
      '2026-03-03 20000.00 0.00',
      '2026-03-04 30000.00 150000.00',
    ]);
    expect((await verifyLedger(database, ws, { keys: testLedgerKeys })).problems).toEqual([]);
  });

  it('reverses a day that no longer has a delta', async () => {
    // A deleted opportunity version arrives late for 3 March: the +20k of that day becomes -100k.
    const ws = await seeded('late-delete', [...seedEvents, chatOn('2026-03-02T15:00:00Z', 'chat-1')]);
    await loadScenario(
      database.db,
      'late-delete',
      scenario([{ at: '2026-03-03T18:00:00Z', type: 'delete', object: 'opportunity', id: 'O1' }]),
    );
    await recompute(ws);
    // Deleted at the end of 3 March, so 4 March's Closed Won at 150k restores it.
    expect(await series(ws)).toEqual([
      '2026-03-02 100000.00 0.00',
      '2026-03-03 -100000.00 0.00',
      '2026-03-04 150000.00 150000.00',
    ]);
    expect((await verifyLedger(database, ws, { keys: testLedgerKeys })).problems).toEqual([]);
  });

  it('lets the verifier find a row edited or removed behind the triggers\u2019 back', async () => {
    const ws = await seeded('tampered', [...seedEvents, chatOn('2026-03-02T15:00:00Z', 'chat-1')]);
    expect((await verifyLedger(database, ws, { keys: testLedgerKeys })).problems).toEqual([]);
    await database.db.transaction(async (tx) => {
      await tx.execute(sql`set local session_replication_role = replica`); // what a superuser could do
      await tx.execute(sql`update ledger_entries set amount = 25000 where workspace_id = ${ws.id} and seq = 2`);
    });
    const problems = (await verifyLedger(database, ws, { keys: testLedgerKeys })).problems.join('\n');
    expect(problems).toMatch(/entry 2 .* was changed after it was recorded/);
    expect(problems).toMatch(/pipeline on 2026-03-03: ledger 25000.00, replay 20000.00/);

    await database.db.transaction(async (tx) => {
      await tx.execute(sql`set local session_replication_role = replica`);
      await tx.execute(sql`delete from ledger_entries where workspace_id = ${ws.id} and seq = 4`);
    });
    expect((await verifyLedger(database, ws, { keys: testLedgerKeys })).problems.join('\n')).toMatch(
      /chain ends at entry 3, but the ledger head says 4/,
    );
  });

  it('appends each change once when two recomputes run at the same time', async () => {
    const events = [...seedEvents, chatOn('2026-03-02T15:00:00Z', 'chat-1')];
    const ws = await loadScenario(database.db, 'concurrent', scenario(events));
    const results = await Promise.all([recompute(ws), recompute(ws), recompute(ws)]);
    expect(results.reduce((n, r) => n + r.entries, 0)).toBe(4);
    expect(await count(ws)).toBe(4);
    expect((await verifyLedger(database, ws, { keys: testLedgerKeys })).problems).toEqual([]);
  });

  it('recomputes again after a time-zone change and books the moved days as corrections', async () => {
    const ws = await seeded('zone-change', [...seedEvents, chatOn('2026-03-02T15:00:00Z', 'chat-1')]);
    await database.db.transaction((tx) => updateWorkspaceSettings(tx, ws, { timeZone: 'Pacific/Kiritimati' })); // UTC+14
    await recompute(ws);
    expect(await series(ws)).toEqual([
      '2026-03-03 100000.00 0.00',
      '2026-03-04 20000.00 0.00',
      '2026-03-05 30000.00 150000.00',
    ]);
    const refreshed = await getWorkspace(database.db, ws.id);
    expect((await verifyLedger(database, refreshed, { keys: testLedgerKeys })).problems).toEqual([]);
  });

  it('brings a ledger booked by an older engine in line once, with corrections, when the rules change', async () => {
    // Contract v1.1: a chat while a Closed Won opportunity sits deleted finds it closed. The old
    // engine counted it; a ledger it booked is corrected on the next sweep.
    const events = [
      { at: '2026-05-01T09:00:00Z', type: 'contact', id: 'C9', email: 'ava@globex.example' },
      {
        at: '2026-05-02T10:00:00Z',
        type: 'opportunity',
        id: 'O9',
        amount: 50000,
        stageName: 'Closed Won',
        isClosed: true,
        isWon: true,
      },
      { at: '2026-05-02T10:00:05Z', type: 'contactRole', id: 'R9', opportunityId: 'O9', contactId: 'C9' },
      { at: '2026-05-03T10:00:00Z', type: 'delete', object: 'opportunity', id: 'O9' },
      {
        at: '2026-05-04T10:00:00Z',
        type: 'chat',
        id: 'conv-901',
        teamId: 'sales',
        agentId: 'a1',
        email: 'ava@globex.example',
      },
      {
        at: '2026-05-05T10:00:00Z',
        type: 'opportunity',
        id: 'O9',
        amount: 60000,
        stageName: 'Negotiation/Review',
        isClosed: false,
        isWon: false,
      },
      {
        at: '2026-05-06T10:00:00Z',
        type: 'chat',
        id: 'conv-902',
        teamId: 'support',
        agentId: 'a2',
        email: 'ava@globex.example',
      },
    ];
    const ws = await seeded('engine-upgrade', events);
    expect(await series(ws)).toEqual(['2026-05-06 60000.00 0.00']);
    // What the v1 engine booked: influence from the 05-04 chat, so 60000 on 05-05.
    await database.db.transaction(async (tx) => {
      await withLedgerLock(tx, ws.id);
      await appendLedgerEntries(tx, { workspaceId: ws.id, engineVersion: 'rules-v1/engine-1', keys: testLedgerKeys }, [
        {
          opportunityId: 'O9',
          measure: 'pipeline',
          effectiveDay: '2026-05-05',
          amount: 60000_00n,
          currency: 'USD',
          reason: 'influence_started',
          correction: false,
          causes: { versions: [], conversations: ['conv-901'] },
          revision: 0,
        },
        {
          opportunityId: 'O9',
          measure: 'pipeline',
          effectiveDay: '2026-05-06',
          amount: -60000_00n,
          currency: 'USD',
          reason: 'reversed',
          correction: true,
          causes: { versions: [], conversations: [] },
          revision: 1,
        },
      ]);
      await tx.execute(sql`update workspaces set engine_version = 'rules-v1/engine-1' where id = ${ws.id}`);
    });
    expect(await series(ws)).toEqual(['2026-05-05 60000.00 0.00']);

    expect(await markWorkspacesOnOlderEngine(database.db)).toEqual(expect.arrayContaining([ws.id]));
    expect(await markWorkspacesOnOlderEngine(database.db)).not.toContain(ws.id);
    await recompute(ws);
    expect(await series(ws)).toEqual(['2026-05-06 60000.00 0.00']);
    expect((await getWorkspace(database.db, ws.id)).engineVersion).toBe(ENGINE_VERSION);
  });

  it('rebooks in the new currency when the reporting currency changes, reversing the old entries', async () => {
    const ws = await seeded('currency-change', [...seedEvents, chatOn('2026-03-02T15:00:00Z', 'chat-1')]);
    const before = new Date();
    await new Promise((r) => setTimeout(r, 5));
    await database.db.transaction((tx) => updateWorkspaceSettings(tx, ws, { reportingCurrency: 'EUR' }));
    await recompute(ws);
    const byCurrency = await database.db.execute<{ currency: string; day: string; sum: string }>(sql`
      select currency, effective_day::text as day, sum(amount)::text as sum from ledger_entries
      where workspace_id = ${ws.id} group by 1, 2 order by 1, 2`);
    expect(byCurrency.map((r) => `${r.currency} ${r.day} ${r.sum}`)).toEqual([
      'EUR 2026-03-02 100000.00',
      'EUR 2026-03-03 20000.00',
      'EUR 2026-03-04 180000.00',
      'USD 2026-03-02 0.00',
      'USD 2026-03-03 0.00',
      'USD 2026-03-04 0.00',
    ]);
    const reasons = await database.db.execute<{ reason: string }>(sql`
      select distinct reason from ledger_entries where workspace_id = ${ws.id} and currency = 'USD' and amount < 0`);
    expect(reasons.map((r) => r.reason)).toEqual(['currency_changed']);
    expect(await series(ws)).toEqual([
      '2026-03-02 100000.00 0.00',
      '2026-03-03 20000.00 0.00',
      '2026-03-04 30000.00 150000.00',
    ]);
    expect(await series(ws, before)).toEqual([
      '2026-03-02 100000.00 0.00',
      '2026-03-03 20000.00 0.00',
      '2026-03-04 30000.00 150000.00',
    ]);
    expect(
      (await verifyLedger(database, await getWorkspace(database.db, ws.id), { keys: testLedgerKeys })).problems,
    ).toEqual([]);
  });

  it('steps aside, without waiting, when another recompute holds the workspace\u2019s ledger', async () => {
    const ws = await loadScenario(
      database.db,
      'busy',
      scenario([...seedEvents, chatOn('2026-03-02T15:00:00Z', 'chat-1')]),
    );
    let release!: () => void;
    const held = new Promise<void>((r) => (release = r));
    const holder = database.db.transaction(async (tx) => {
      await withLedgerLock(tx, ws.id);
      await held;
    });
    await new Promise((r) => setTimeout(r, 50));
    const outcome = await recomputeDirty(
      { db: database.db, logger: testLogger, batchSize: 50, ledgerKeys: testLedgerKeys },
      ws.id,
      {
        wait: false,
      },
    );
    expect(outcome).toMatchObject({ busy: true, opportunities: 0 });
    release();
    await holder;
    expect(
      await recomputeDirty({ db: database.db, logger: testLogger, batchSize: 50, ledgerKeys: testLedgerKeys }, ws.id, {
        wait: false,
      }),
    ).toMatchObject({ busy: false, opportunities: 1 });
  });
});
