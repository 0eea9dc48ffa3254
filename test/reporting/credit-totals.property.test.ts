// Credit through the database on random histories: for every model, a random range and team set,
// GET /api/v1/credit's totals (any grouping) equal GET /api/v1/dashboard's, day for day through the
// ledger the recompute booked, and equal the engine's own credits summed over the range.
import fc from 'fast-check';
import { addDays } from '../../src/attribution/calendar';
import { CREDIT_MODELS, creditOfResults } from '../../src/attribution/credit';
import { attribute } from '../../src/attribution/engine';
import { formatCents } from '../../src/attribution/money';
import { teams as teamsTable } from '../../src/platform/db/schema';
import { recordHistory } from '../../src/history/record-history';
import { recomputeDirty } from '../../src/ledger/recompute';
import { buildCredit } from '../../src/reporting/credit';
import { buildDashboard } from '../../src/reporting/dashboard';
import { createWorkspace } from '../../src/workspaces/workspaces';
import { historyCase, TEAMS } from '../attribution/arbitraries';
import { useTestDatabase } from '../support/database';
import { testLogger } from '../support/logger';
import { testLedgerKeys } from '../support/ledger-keys';

const database = useTestDatabase();
const RUNS = Number(process.env.FC_DB_RUNS ?? 25);
let n = 0;

it('credit totals equal the dashboard for all five models, any range and team set', async () => {
  await fc.assert(
    fc.asyncProperty(
      historyCase(),
      fc.option(fc.subarray(TEAMS, { minLength: 1 }), { freq: 3 }),
      fc.integer({ min: -3, max: 40 }),
      fc.integer({ min: 0, max: 50 }),
      async ({ history, settings }, teams, startOffset, length) => {
        const workspace = await createWorkspace(database.db, { slug: `credit-${++n}`, ...settings });
        await database.db.transaction(async (tx) => {
          await tx.insert(teamsTable).values(TEAMS.map((id) => ({ workspaceId: workspace.id, id, name: id })));
          await recordHistory(tx, workspace.id, history, 'test');
        });
        await recomputeDirty(
          { db: database.db, logger: testLogger, batchSize: 3, ledgerKeys: testLedgerKeys },
          workspace.id,
        );

        const first = [...history.opportunities, ...history.chats].map((v) => v.at).sort((a, b) => a - b)[0];
        const origin = new Date(first ?? Date.parse('2026-03-01T00:00:00Z')).toISOString().slice(0, 10);
        const from = addDays(origin, startOffset);
        const to = addDays(from, length);
        const access = { workspaceId: workspace.id, teams: null };
        const q = { from, to, teams: teams?.join(',') };
        const dashboard = await buildDashboard(database.db, access, { ...q, granularity: 'day' });
        const expected = {
          pipeline: dashboard.totals.pipelineInfluenced,
          closedWon: dashboard.totals.closedWonInfluenced,
        };
        for (const model of CREDIT_MODELS) {
          const credit = await buildCredit(database.db, access, { ...q, model, groupBy: 'agent' });
          expect({ model, ...credit.totals }).toEqual({ model, ...expected });
        }
        // With every day of the history in range, the credits equal the engine's own, per conversation.
        const all = { from: '2025-12-01', to: '2027-06-01', teams: teams?.join(',') };
        const set = teams ? new Set(teams) : null;
        const results = attribute(history, settings, { teams: set });
        for (const model of CREDIT_MODELS) {
          const credit = await buildCredit(database.db, access, { ...all, model, groupBy: 'conversation' });
          const engine = creditOfResults(model, results, set)
            .filter((c) => c.pipeline !== 0n || c.closedWon !== 0n)
            .map((c) => `${c.conversationId} ${formatCents(c.pipeline)} ${formatCents(c.closedWon)}`)
            .sort();
          const api = credit.rows
            .filter((r) => r.pipeline !== '0.00' || r.closedWon !== '0.00')
            .map((r) => `${r.key} ${r.pipeline} ${r.closedWon}`)
            .sort();
          expect({ model, credits: api }).toEqual({ model, credits: engine });
        }
      },
    ),
    { numRuns: RUNS },
  );
}, 900_000);
