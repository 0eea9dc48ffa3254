import { formatCents } from '../../src/attribution/money';
import { recomputeDirty } from '../../src/ledger/recompute';
import { ledgerSeries } from '../../src/ledger/series';
import { verifyLedger } from '../../src/ledger/verify';
import { loadScenario } from '../../src/scenarios/load';
import { parseTeamList } from '../../src/scenarios/replay';
import { getWorkspaceBySlug } from '../../src/workspaces/workspaces';
import { useTestDatabase } from '../support/database';
import { testLogger } from '../support/logger';
import { testLedgerKeys } from '../support/ledger-keys';
import { readFixture, scenarioFiles } from '../support/scenarios';

const database = useTestDatabase();
const printable = (rows: Awaited<ReturnType<typeof ledgerSeries>>) =>
  rows.map((d) => ({
    date: d.date,
    pipelineInfluenced: formatCents(d.pipelineInfluenced),
    closedWonInfluenced: formatCents(d.closedWonInfluenced),
  }));

describe.each(scenarioFiles)('shared scenario %s loaded into the ledger', (file) => {
  const slug = file.replace(/\.json$/, '');

  beforeAll(async () => {
    const workspace = await loadScenario(database.db, slug, await readFixture(file));
    await recomputeDirty(
      { db: database.db, logger: testLogger, batchSize: 2, ledgerKeys: testLedgerKeys },
      workspace.id,
    );
  });

  it('books the expected daily series', async () => {
    const scenario = await readFixture(file);
    const workspace = await getWorkspaceBySlug(database.db, slug);
    expect(printable(await ledgerSeries(database.db, workspace.id))).toEqual(scenario.expected?.daily);
  });

  it('gives the expected series for every team filter, from the rollup and from the ledger', async () => {
    const scenario = await readFixture(file);
    const workspace = await getWorkspaceBySlug(database.db, slug);
    for (const [teams, expected] of Object.entries(scenario.expected?.teams ?? {})) {
      const list = [...parseTeamList(teams)];
      const fromRollupOrLedger = printable(await ledgerSeries(database.db, workspace.id, { teams: list }));
      const fromLedger = printable(await ledgerSeries(database.db, workspace.id, { teams: list, asOf: new Date() }));
      expect({ teams, daily: fromRollupOrLedger }).toEqual({ teams, daily: expected.daily });
      expect({ teams, daily: fromLedger }).toEqual({ teams, daily: expected.daily });
    }
  });

  it('passes ledger verification', async () => {
    const workspace = await getWorkspaceBySlug(database.db, slug);
    const report = await verifyLedger(database, workspace, { keys: testLedgerKeys });
    expect(report.problems).toEqual([]);
  });
});
