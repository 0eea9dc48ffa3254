// The demo workspace as `npm start` builds it, synced from the local test Salesforce's demo org
// through OAuth: every report answers on it, and each has something to show.
import { sql } from 'drizzle-orm';
import { CREDIT_MODELS } from '../../src/attribution/credit';
import { ensureDemoWorkspace } from '../../src/app/demo/demo-workspace';
import type { RunningService } from '../../src/app/service';
import { connectionOfWorkspace } from '../../src/salesforce/connection-store';
import { apiClient, newKey, type ApiClient } from '../api/helpers';
import { useTestDatabase } from '../support/database';
import type { RemoteFakeSalesforce } from '../support/fake-salesforce';
import { eventually, inProcessJobs } from '../support/queues';
import { adminKey, appFor, connectThroughOAuth, startTestSalesforce } from '../support/salesforce';
import { startTestService, testConfig } from '../support/service';

const database = useTestDatabase();
let fake: RemoteFakeSalesforce;
let service: RunningService;
let api: ApiClient;
let jobs: ReturnType<typeof inProcessJobs>;

beforeAll(async () => {
  fake = await startTestSalesforce({ demo: true });
  const chats = await fake.demoChats();
  const workspace = await ensureDemoWorkspace(database.db, chats);
  // The callback URL must be known before the service starts: bind once, then restart on that port.
  jobs = inProcessJobs();
  const probe = await startTestService({ database, jobs: inProcessJobs() });
  await probe.close();
  const url = probe.url!;
  const config = testConfig({ PORT: new URL(url).port, PUBLIC_URL: url });
  service = await startTestService({ database, jobs, config, salesforce: appFor(fake, url, config) });
  const { landed } = await connectThroughOAuth(service.url!, database.db, workspace.id, fake);
  expect(landed.status).toBe(200);
  const connection = (await connectionOfWorkspace(database.db, workspace.id))!;
  await eventually(
    async () =>
      (
        await database.db.execute<{ n: number }>(
          sql`select count(*)::int as n from salesforce_sync_runs where connection_id = ${connection.id} and outcome is not null`,
        )
      )[0]!.n,
    (n) => n >= 1,
    60_000,
  );
  await jobs.jobs.drain();
  api = apiClient(service.url!, await newKey(database.db, workspace.id, ['dashboard:read', 'ledger:read']));
}, 120_000);
afterAll(async () => {
  await service?.close();
  await fake?.close();
});

describe('the demo workspace', () => {
  it('synced cleanly, names included', async () => {
    const [run] = await database.db.execute<{ outcome: string; error: string | null }>(
      sql`select outcome, error from salesforce_sync_runs order by started_at desc limit 1`,
    );
    expect(run).toEqual({ outcome: 'ok', error: null });
    const [names] = await database.db.execute<{ accounts: number; users: number; statuses: number }>(sql`
      select (select count(*)::int from account_versions) as accounts, (select count(*)::int from user_versions) as users,
             (select count(*)::int from salesforce_lead_statuses) as statuses`);
    expect(names).toEqual({ accounts: 20, users: 5, statuses: 4 });
  });

  it('gives credit equal to the dashboard under every model', async () => {
    const dashboard = (await api.get('/api/v1/dashboard')).body.totals;
    expect(Number(dashboard.pipelineInfluenced)).toBeGreaterThan(0);
    for (const model of CREDIT_MODELS) {
      const credit = await api.get(`/api/v1/credit?model=${model}&groupBy=agent`);
      expect(credit.status).toBe(200);
      expect(credit.body.rows.length).toBeGreaterThan(0);
      expect({ model, ...credit.body.totals }).toEqual({
        model,
        pipeline: dashboard.pipelineInfluenced,
        closedWon: dashboard.closedWonInfluenced,
      });
    }
  });

  it('lists the influenced opportunities by name, with accounts and owners', async () => {
    const res = await api.get('/api/v1/opportunities?limit=500');
    expect(res.body.total).toBeGreaterThan(0);
    const story = res.body.items.find((o: { name: string }) => o.name === 'Acme — Platform expansion');
    expect(story).toMatchObject({
      account: { name: 'Acme' },
      owner: { name: 'Rita Ramos' },
      stage: 'Closed Won',
      amount: '150000.00',
      firstChat: { teamName: 'Sales' },
    });
    expect(story.salesforceUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/lightning\/r\/Opportunity\/006\w+\/view$/);
    const csv = await fetch(`${service.url}/api/v1/opportunities.csv`, {
      headers: { authorization: `Bearer ${await newKey(database.db, (await demoId())!, ['dashboard:read'])}` },
    });
    expect(csv.status).toBe(200);
  });

  it('has outcomes and a baseline, conversion and a lift', async () => {
    const outcomes = (await api.get('/api/v1/outcomes')).body;
    expect(outcomes.influenced.won.count).toBeGreaterThan(0);
    expect(outcomes.baseline.won.count + outcomes.baseline.lost.count).toBeGreaterThan(0);
    expect(outcomes.influenced.openPipeline.count).toBeGreaterThan(0);
    const conversion = (await api.get('/api/v1/conversion')).body;
    expect(conversion.visitors).toBeGreaterThan(0);
    expect(conversion.wonVisitors).toBeGreaterThan(0);
    expect(conversion.valuePerVisitor).not.toBeNull();
    expect(conversion.lift.winRate.influenced.closed).toBeGreaterThan(0);
  });

  it('has a lead funnel, chat-sourced leads included, and learns acceptance times from later syncs', async () => {
    const range = `from=${daysAgo(70)}&to=${daysAgo(0)}`;
    const funnel = (await api.get(`/api/v1/funnel?${range}`)).body;
    expect(funnel.all.leads).toBe(40);
    // Leads rejected before anyone worked them never reached MQL.
    expect(funnel.all.mql).toBeGreaterThan(funnel.all.sql);
    expect(funnel.all.sql).toBeGreaterThan(0);
    expect(funnel.all.rejected).toBeGreaterThan(0);
    expect(funnel.all.converted).toBe(10);
    expect(funnel.chatSourced.leads).toBeGreaterThan(0);
    // The demo org tracks Lead Status history, so even a first sync knows when each accepted lead was accepted.
    const acceptedBefore = funnel.all.acceptedWithTime as number;
    expect(acceptedBefore).toBeGreaterThan(0);
    expect(acceptedBefore).toBeLessThanOrEqual(funnel.all.sql);

    // Sales accepts an open lead now; the next sync sees the change, and its time to accept.
    const [open] = await fake.org.query("SELECT Id FROM Lead WHERE Status = 'Open - Not Contacted'");
    await fake.org.update('Lead', String(open!.Id), { Status: 'Working - Contacted' });
    const admin = apiClient(service.url!, await adminKey(database.db, (await demoId())!));
    expect((await admin.post('/api/v1/salesforce/sync')).status).toBe(202);
    await eventually(
      async () => {
        await jobs.jobs.drain();
        return (await api.get(`/api/v1/funnel?${range}`)).body.all.acceptedWithTime as number;
      },
      (n) => n === acceptedBefore + 1,
      60_000,
    );
    expect((await api.get(`/api/v1/funnel?${range}`)).body.all.medianHoursToAccept).toBeGreaterThan(0);
  }, 90_000);

  it('has chat operations and a leaderboard with named agents', async () => {
    const ops = (await api.get('/api/v1/chat-operations')).body.totals;
    expect(ops.missed).toBeGreaterThan(0);
    expect(ops.waitSeconds.n).toBeGreaterThan(0);
    expect(ops.csat.n).toBeGreaterThan(0);
    expect(ops.nps.n).toBeGreaterThan(0);
    expect(ops.tags.length).toBeGreaterThan(0);
    expect(ops.channels.length).toBeGreaterThan(1);
    const board = (await api.get('/api/v1/leaderboard?rankBy=credit')).body;
    expect(board.byAgent.map((a: { name: string }) => a.name)).toContain('Ana Ortiz');
    expect(board.byAgent.some((a: { acceptanceRate: number | null }) => a.acceptanceRate !== null)).toBe(true);
  });
});

const daysAgo = (n: number) => new Date(Date.now() - n * 86_400_000).toISOString().slice(0, 10);
const demoId = async () =>
  (await database.db.execute<{ id: string }>(sql`select id from workspaces where slug = 'demo'`))[0]?.id;
