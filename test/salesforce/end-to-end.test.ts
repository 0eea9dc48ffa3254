// Each shared scenario, end to end: loaded into the local test Salesforce with its instants,
// connected through OAuth, synced through BullMQ on the real Redis, attributed into the ledger.
import { formatCents } from '../../src/attribution/money';
import { recordConversations } from '../../src/history/record';
import { ledgerSeries } from '../../src/ledger/series';
import { verifyLedger } from '../../src/ledger/verify';
import { testLedgerKeys } from '../support/ledger-keys';
import { connectionOfWorkspace } from '../../src/salesforce/connection-store';
import type { RunningService } from '../../src/app/service';
import { parseTeamList } from '../../src/scenarios/replay';
import { createWorkspace } from '../../src/workspaces/workspaces';
import { sql } from 'drizzle-orm';
import { useTestDatabase } from '../support/database';
import { bullmqJobs, eventually } from '../support/queues';
import { describeWithRedis } from '../support/redis';
import { appFor, connectThroughOAuth, startTestSalesforce } from '../support/salesforce';
import { readFixture, scenarioFiles } from '../support/scenarios';
import { startTestService, testConfig } from '../support/service';

const database = useTestDatabase();
const printable = (rows: Awaited<ReturnType<typeof ledgerSeries>>) =>
  rows.map((d) => ({
    date: d.date,
    pipelineInfluenced: formatCents(d.pipelineInfluenced),
    closedWonInfluenced: formatCents(d.closedWonInfluenced),
  }));

describeWithRedis('each shared scenario through the local Salesforce, OAuth, BullMQ and the ledger', () => {
  describe.each(scenarioFiles)('%s', (file) => {
    it('books the expected series for all teams and every team filter, and verifies', async () => {
      const scenario = await readFixture(file);
      const fake = await startTestSalesforce({ pageSize: 2 });
      const { chats } = await fake.seedScenario(scenario);
      const jobs = bullmqJobs();
      let service: RunningService | undefined;
      try {
        const config = testConfig();
        // The service must know its own URL for the callback before it starts: bind, then read it.
        service = await startTestService({ database, jobs, config });
        await service.close();
        const serviceUrl = service.url!;
        const port = new URL(serviceUrl).port;
        const bound = testConfig({ PORT: port, PUBLIC_URL: serviceUrl });
        service = await startTestService({
          database,
          jobs: bullmqJobs(jobs.prefix),
          config: bound,
          salesforce: appFor(fake, serviceUrl, bound),
        });

        const slug = file.replace(/\.json$/, '');
        const workspace = await createWorkspace(database.db, {
          slug,
          timeZone: scenario.workspace.timezone,
          attributionWindowDays: scenario.workspace.attributionWindowDays,
        });
        await database.db.transaction((tx) =>
          recordConversations(
            tx,
            workspace.id,
            chats.map((c) => ({
              id: c.id,
              teamId: c.teamId,
              agentId: c.agentId,
              startedAt: new Date(c.at),
              emails: c.emails,
            })),
          ),
        );

        const { landed } = await connectThroughOAuth(service.url!, database.db, workspace.id, fake);
        expect(landed.status).toBe(200);
        expect(await landed.text()).toContain('Salesforce is connected');

        const connection = (await connectionOfWorkspace(database.db, workspace.id))!;
        await eventually(
          async () =>
            (
              await database.db.execute<{ n: number }>(sql`
            select count(*)::int as n from salesforce_sync_runs where connection_id = ${connection.id} and outcome = 'ok'`)
            )[0]!.n,
          (n) => n >= 1,
          30_000,
        );
        const expected = scenario.expected!;
        const daily = await eventually(
          async () => printable(await ledgerSeries(database.db, workspace.id)),
          (d) => d.length === expected.daily.length,
          30_000,
        );
        expect(daily).toEqual(expected.daily);
        for (const [teams, series] of Object.entries(expected.teams ?? {})) {
          expect({
            teams,
            daily: printable(await ledgerSeries(database.db, workspace.id, { teams: [...parseTeamList(teams)] })),
          }).toEqual({ teams, daily: series.daily });
        }
        expect((await verifyLedger(database, workspace, { keys: testLedgerKeys })).problems).toEqual([]);
      } finally {
        await service?.close();
        await jobs.cleanup();
        await fake.close();
      }
    }, 60_000);
  });
});
