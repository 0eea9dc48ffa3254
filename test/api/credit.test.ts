// GET /api/v1/credit on a history small enough to compute by hand, in New York across the spring
// DST change (2026-03-08 has 23 hours): a chat at 04:30Z on March 8 is still March 7 there.
//
//   conv-a  sales/agent-1    ana  2026-03-06 10:00 EST   touches at the opportunity's creation, Mar 7 12:00 EST
//   conv-b  support/agent-2  ben  2026-03-07 23:30 EST   (04:30Z on Mar 8)
//   conv-c  sales/agent-3    ana  2026-03-08 04:30 EDT
//   O1: $100,000 on Mar 7, $130,000 on Mar 8 (16:00 EDT), Closed Won on Mar 9.
// Deltas: Mar 7 +100,000 (a, b eligible), Mar 8 +30,000 (a, b, c), Mar 9 closed-won +130,000 (a, b, c).
import type { RunningService } from '../../src/app/service';
import type { ScenarioFile } from '../../src/scenarios/schema';
import { loadScenario } from '../../src/scenarios/load';
import { useTestDatabase } from '../support/database';
import { inProcessJobs } from '../support/queues';
import { startTestService } from '../support/service';
import { apiClient, newKey, type ApiClient } from './helpers';
import { sql } from 'drizzle-orm';
import { recomputeDirty } from '../../src/ledger/recompute';
import { testLogger } from '../support/logger';
import { testLedgerKeys } from '../support/ledger-keys';

const database = useTestDatabase();
let service: RunningService;
let api: ApiClient;
let salesOnly: ApiClient;

const scenario: ScenarioFile = {
  name: 'credit across DST',
  workspace: { timezone: 'America/New_York', attributionWindowDays: 90 },
  events: [
    { at: '2026-03-01T12:00:00Z', type: 'contact', id: 'K-ana', email: 'ana@wayne.example' },
    { at: '2026-03-01T12:00:00Z', type: 'contact', id: 'K-ben', email: 'ben@wayne.example' },
    {
      at: '2026-03-06T15:00:00Z',
      type: 'chat',
      id: 'conv-a',
      teamId: 'sales',
      agentId: 'agent-1',
      email: 'ana@wayne.example',
    },
    {
      at: '2026-03-07T17:00:00Z',
      type: 'opportunity',
      id: 'O1',
      amount: 100000,
      stageName: 'Prospecting',
      isClosed: false,
      isWon: false,
    },
    { at: '2026-03-07T17:00:00Z', type: 'contactRole', id: 'R1', opportunityId: 'O1', contactId: 'K-ana' },
    { at: '2026-03-07T17:00:00Z', type: 'contactRole', id: 'R2', opportunityId: 'O1', contactId: 'K-ben' },
    {
      at: '2026-03-08T04:30:00Z',
      type: 'chat',
      id: 'conv-b',
      teamId: 'support',
      agentId: 'agent-2',
      email: 'ben@wayne.example',
    },
    {
      at: '2026-03-08T08:30:00Z',
      type: 'chat',
      id: 'conv-c',
      teamId: 'sales',
      agentId: 'agent-3',
      email: 'ana@wayne.example',
    },
    {
      at: '2026-03-08T20:00:00Z',
      type: 'opportunity',
      id: 'O1',
      amount: 130000,
      stageName: 'Negotiation',
      isClosed: false,
      isWon: false,
    },
    {
      at: '2026-03-09T16:00:00Z',
      type: 'opportunity',
      id: 'O1',
      amount: 130000,
      stageName: 'Closed Won',
      isClosed: true,
      isWon: true,
    },
  ],
};

beforeAll(async () => {
  service = await startTestService({ database, jobs: inProcessJobs() });
  const ws = await loadScenario(database.db, 'credit', scenario);
  await recomputeDirty({ db: database.db, logger: testLogger, batchSize: 10, ledgerKeys: testLedgerKeys }, ws.id);
  api = apiClient(service.url!, await newKey(database.db, ws.id, ['dashboard:read']));
  salesOnly = apiClient(service.url!, await newKey(database.db, ws.id, ['dashboard:read'], ['sales']));
});
afterAll(() => service.close());

const RANGE = 'from=2026-03-01&to=2026-03-10';
const rows = async (client: ApiClient, query: string) => {
  const res = await client.get(`/api/v1/credit?${query}`);
  expect(res.status).toBe(200);
  return {
    rows: (res.body.rows as { key: string; name: string; pipeline: string; closedWon: string }[]).map(
      (r) => `${r.key} ${r.pipeline} ${r.closedWon}`,
    ),
    totals: res.body.totals,
  };
};
const ALL = { pipeline: '130000.00', closedWon: '130000.00' };

describe('GET /api/v1/credit', () => {
  it('splits each day among the conversations that touched the deal by that day, in the workspace zone', async () => {
    // Mar 7: 50,000 each to a and b; Mar 8: 10,000 each; Mar 9: 43,333.33 each, the odd cent to a (earliest).
    expect(await rows(api, `${RANGE}&model=linear&groupBy=conversation`)).toEqual({
      rows: ['conv-a 60000.00 43333.34', 'conv-b 60000.00 43333.33', 'conv-c 10000.00 43333.33'],
      totals: ALL,
    });
  });

  it('gives each model its weights', async () => {
    // u_shaped: two touches 50/50 on Mar 7, then 40/20/40.
    expect((await rows(api, `${RANGE}&model=u_shaped&groupBy=conversation`)).rows).toEqual([
      'conv-a 62000.00 52000.00',
      'conv-b 56000.00 26000.00',
      'conv-c 12000.00 52000.00',
    ]);
    expect((await rows(api, `${RANGE}&model=first&groupBy=conversation`)).rows).toEqual(['conv-a 130000.00 130000.00']);
    expect((await rows(api, `${RANGE}&model=last&groupBy=conversation`)).rows).toEqual([
      'conv-b 100000.00 0.00',
      'conv-c 30000.00 130000.00',
    ]);
  });

  it('groups by team, agent and opportunity, with names, and always adds up to the dashboard', async () => {
    const teams = await api.get(`/api/v1/credit?${RANGE}&model=linear&groupBy=team`);
    expect(teams.body).toEqual({
      model: 'linear',
      groupBy: 'team',
      from: '2026-03-01',
      to: '2026-03-10',
      currency: 'USD',
      teams: null,
      rows: [
        { key: 'sales', name: 'sales', pipeline: '70000.00', closedWon: '86666.67' },
        { key: 'support', name: 'support', pipeline: '60000.00', closedWon: '43333.33' },
      ],
      totals: ALL,
    });
    expect((await rows(api, `${RANGE}&model=linear&groupBy=agent`)).rows).toEqual([
      'agent-1 60000.00 43333.34',
      'agent-2 60000.00 43333.33',
      'agent-3 10000.00 43333.33',
    ]);
    expect((await rows(api, `${RANGE}&groupBy=opportunity`)).rows).toEqual(['O1 130000.00 130000.00']);
    const dashboard = await api.get(`/api/v1/dashboard?${RANGE}`);
    expect(dashboard.body.totals).toMatchObject({ pipelineInfluenced: '130000.00', closedWonInfluenced: '130000.00' });
  });

  it('names conversations by their visitor and local day', async () => {
    const res = await api.get(`/api/v1/credit?${RANGE}&groupBy=conversation`);
    expect(res.body.rows.map((r: { name: string }) => r.name)).toEqual([
      'ana@wayne.example · 2026-03-06',
      'ben@wayne.example · 2026-03-07',
      'ana@wayne.example · 2026-03-08',
    ]);
  });

  it('credits a team set from its own influence start, with its own conversations only', async () => {
    // Support starts on Mar 7 with the $100k; all of it, and later days, go to conv-b.
    expect(await rows(api, `${RANGE}&teams=support&groupBy=conversation`)).toEqual({
      rows: ['conv-b 130000.00 130000.00'],
      totals: ALL,
    });
    // Sales: a alone on Mar 7, then a and c.
    expect(await rows(api, `${RANGE}&teams=sales&groupBy=conversation`)).toEqual({
      rows: ['conv-a 115000.00 65000.00', 'conv-c 15000.00 65000.00'],
      totals: ALL,
    });
  });

  it('shows a team-restricted key its teams only', async () => {
    expect(await rows(salesOnly, `${RANGE}&groupBy=team`)).toEqual({
      rows: ['sales 130000.00 130000.00'],
      totals: ALL,
    });
    expect((await salesOnly.get(`/api/v1/credit?${RANGE}&teams=support`)).status).toBe(403);
  });

  it('covers a single day (the 23-hour DST day) and an empty range', async () => {
    expect(await rows(api, 'from=2026-03-08&to=2026-03-08&groupBy=conversation')).toEqual({
      rows: ['conv-a 10000.00 0.00', 'conv-b 10000.00 0.00', 'conv-c 10000.00 0.00'],
      totals: { pipeline: '30000.00', closedWon: '0.00' },
    });
    expect(await rows(api, 'from=2026-02-01&to=2026-03-06')).toEqual({
      rows: [],
      totals: { pipeline: '0.00', closedWon: '0.00' },
    });
  });

  it('answers 400 naming each bad parameter', async () => {
    const res = await api.get('/api/v1/credit?model=fancy&groupBy=region&from=1899-12-31&to=2026-13-01');
    expect(res.status).toBe(400);
    expect(res.body.errors.map((e: { field: string }) => e.field).sort()).toEqual(['from', 'groupBy', 'model', 'to']);
    expect((await api.get('/api/v1/credit?teams=nobody')).status).toBe(404);
  });

  // Last: it breaks the data on purpose.
  it('never loses a cent: a delta no stored touch can take is reported whole on a null row', async () => {
    await database.db.execute(sql`delete from opportunity_touches where opportunity_id = 'O1'`);
    const res = await api.get(`/api/v1/credit?${RANGE}&groupBy=agent`);
    expect(res.body.rows).toEqual([
      {
        key: null,
        name: '(not attributable yet: a recompute is pending)',
        pipeline: '130000.00',
        closedWon: '130000.00',
      },
    ]);
    expect(res.body.totals).toEqual(ALL);
  });
});
