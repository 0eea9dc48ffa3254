// Properties of the ledger on random histories, through the real database: late data booked as
// corrections ends equal to a fresh replay; recompute is idempotent; any team set read from the
// ledger equals the engine's series for that set, replayed in the order the data arrived.
import fc from 'fast-check';
import { sql } from 'drizzle-orm';
import { attribute } from '../../src/attribution/engine';
import type { History } from '../../src/attribution/history';
import { formatCents } from '../../src/attribution/money';
import { dailyTotals } from '../../src/attribution/series';
import { markWorkspaceDirty } from '../../src/history/mark-dirty';
import { recordHistory } from '../../src/history/record-history';
import { recomputeDirty } from '../../src/ledger/recompute';
import { ledgerSeries } from '../../src/ledger/series';
import { verifyLedger } from '../../src/ledger/verify';
import { createWorkspace } from '../../src/workspaces/workspaces';
import { historyCase, TEAMS } from '../attribution/arbitraries';
import { eventsOf, historyOf } from '../attribution/history-ops';
import { useTestDatabase } from '../support/database';
import { testLogger } from '../support/logger';
import { testLedgerKeys } from '../support/ledger-keys';

const database = useTestDatabase();
const RUNS = Number(process.env.FC_DB_RUNS ?? 40);
const recompute = (workspaceId: string) =>
  recomputeDirty({ db: database.db, logger: testLogger, batchSize: 2, ledgerKeys: testLedgerKeys }, workspaceId);
const printable = (rows: { date: string; pipelineInfluenced: bigint; closedWonInfluenced: bigint }[]) =>
  rows.map((d) => `${d.date} ${formatCents(d.pipelineInfluenced)} ${formatCents(d.closedWonInfluenced)}`);
let n = 0;

/** The history as the database holds it: `seq` is arrival order, early deliveries first. */
function inArrivalOrder(early: History, late: History): History {
  let seq = 0;
  const renumber = <T extends { seq: number }>(a: T[], b: T[]) =>
    [...[...a].sort((x, y) => x.seq - y.seq), ...[...b].sort((x, y) => x.seq - y.seq)].map((v) => ({
      ...v,
      seq: seq++,
    }));
  return {
    chats: [...early.chats, ...late.chats],
    contacts: renumber(early.contacts, late.contacts),
    leads: renumber(early.leads, late.leads),
    opportunities: renumber(early.opportunities, late.opportunities),
    contactRoles: renumber(early.contactRoles, late.contactRoles),
  };
}

it('books late data as corrections equal to a fresh replay, idempotently, for every team set', async () => {
  await fc.assert(
    fc.asyncProperty(
      historyCase(),
      fc.infiniteStream(fc.boolean()),
      fc.subarray(TEAMS, { minLength: 1 }),
      async ({ history, settings }, lateFlags, teams) => {
        const workspace = await createWorkspace(database.db, { slug: `prop-${++n}`, ...settings });
        const events = eventsOf(history);
        const flags = events.map(() => lateFlags.next().value as boolean);
        const early = historyOf(events.filter((_, i) => !flags[i]));
        const late = historyOf(events.filter((_, i) => flags[i]));
        await database.db.transaction((tx) => recordHistory(tx, workspace.id, early, 'test'));
        await recompute(workspace.id);
        await database.db.transaction((tx) => recordHistory(tx, workspace.id, late, 'test'));
        await recompute(workspace.id);

        expect((await verifyLedger(database, workspace, { keys: testLedgerKeys })).problems).toEqual([]);
        // Versions sharing an instant are ordered by arrival: the late ones arrived last.
        const expected = dailyTotals(attribute(inArrivalOrder(early, late), settings, { teams: new Set(teams) }));
        expect(printable(await ledgerSeries(database.db, workspace.id, { teams }))).toEqual(printable(expected));

        const [before] = await database.db.execute<{ n: number }>(
          sql`select count(*)::int as n from ledger_entries where workspace_id = ${workspace.id}`,
        );
        await database.db.transaction((tx) => markWorkspaceDirty(tx, workspace.id));
        expect((await recompute(workspace.id)).entries).toBe(0);
        const [after] = await database.db.execute<{ n: number }>(
          sql`select count(*)::int as n from ledger_entries where workspace_id = ${workspace.id}`,
        );
        expect(after!.n).toBe(before!.n);
      },
    ),
    { numRuns: RUNS },
  );
}, 900_000);
