// Each shared scenario through the front door: its Salesforce side written into the history
// tables, its chats pushed through POST /api/v1/conversations, the recompute run by the
// service's own job runner, and the dashboard read over HTTP.
import { addDays } from '../../src/attribution/calendar';
import { CREDIT_MODELS } from '../../src/attribution/credit';
import { orderedEvents } from '../../src/scenarios/to-history';
import { loadScenario } from '../../src/scenarios/load';
import { parseTeamList } from '../../src/scenarios/replay';
import type { ScenarioFile } from '../../src/scenarios/schema';
import type { RunningService } from '../../src/app/service';
import { useTestDatabase } from '../support/database';
import { inProcessJobs } from '../support/queues';
import { readFixture, scenarioFiles } from '../support/scenarios';
import { startTestService } from '../support/service';
import { apiClient, newKey, type ApiClient } from './helpers';

const database = useTestDatabase();
let service: RunningService;
let jobs: ReturnType<typeof inProcessJobs>;

beforeAll(async () => {
  jobs = inProcessJobs();
  service = await startTestService({ database, jobs });
});
afterAll(() => service.close());

function chatsOf(scenario: ScenarioFile) {
  return orderedEvents(scenario.events).flatMap((e) =>
    e.type === 'chat'
      ? [
          {
            id: e.id,
            teamId: e.teamId,
            agentId: e.agentId ?? null,
            startedAt: e.at,
            emails: [...(e.email ? [e.email] : []), ...(e.emails ?? [])],
          },
        ]
      : [],
  );
}

/** The days of the dashboard series with a non-zero influence delta, as the scenario lists them. */
function nonZeroDays(body: { series: { from: string; pipelineInfluenced: string; closedWonInfluenced: string }[] }) {
  return body.series
    .filter((p) => p.pipelineInfluenced !== '0.00' || p.closedWonInfluenced !== '0.00')
    .map((p) => ({
      date: p.from,
      pipelineInfluenced: p.pipelineInfluenced,
      closedWonInfluenced: p.closedWonInfluenced,
    }));
}

describe.each(scenarioFiles)('shared scenario %s through the API', (file) => {
  let scenario: ScenarioFile;
  let api: ApiClient;
  let range: string;

  beforeAll(async () => {
    scenario = await readFixture(file);
    const salesforceOnly = { ...scenario, events: scenario.events.filter((e) => e.type !== 'chat') };
    const workspace = await loadScenario(database.db, file.replace(/\.json$/, '').toLowerCase(), salesforceOnly);
    api = apiClient(service.url!, await newKey(database.db, workspace.id, ['conversations:write', 'dashboard:read']));

    const pushed = await api.post('/api/v1/conversations', { conversations: chatsOf(scenario) });
    expect(pushed.status).toBe(200);
    await jobs.jobs.drain();

    const days = scenario.events.map((e) => e.at.slice(0, 10)).sort();
    range = `from=${addDays(days[0]!, -1)}&to=${addDays(days.at(-1)!, 1)}`;
  });

  it('gives the expected daily Pipeline and Closed-Won Influenced', async () => {
    const res = await api.get(`/api/v1/dashboard?${range}`);
    expect(res.status).toBe(200);
    expect(nonZeroDays(res.body)).toEqual(scenario.expected?.daily);
  });

  it('gives the expected series for every team filter', async () => {
    for (const [teams, expected] of Object.entries(scenario.expected?.teams ?? {})) {
      const list = [...parseTeamList(teams)];
      const res = await api.get(`/api/v1/dashboard?${range}&teams=${encodeURIComponent(list.join(','))}`);
      expect({ teams, status: res.status, daily: nonZeroDays(res.body) }).toEqual({
        teams,
        status: 200,
        daily: expected.daily,
      });
    }
  });

  it('gives credit totals equal to the dashboard for every model and team filter, by team and by agent', async () => {
    const filters = ['', ...Object.keys(scenario.expected?.teams ?? {}).map((t) => [...parseTeamList(t)].join(','))];
    for (const teams of filters) {
      const q = `${range}${teams ? `&teams=${encodeURIComponent(teams)}` : ''}`;
      const dashboard = (await api.get(`/api/v1/dashboard?${q}`)).body.totals;
      const expected = { pipeline: dashboard.pipelineInfluenced, closedWon: dashboard.closedWonInfluenced };
      for (const model of CREDIT_MODELS) {
        for (const groupBy of ['team', 'agent']) {
          const credit = await api.get(`/api/v1/credit?${q}&model=${model}&groupBy=${groupBy}`);
          expect({ teams, model, groupBy, status: credit.status, totals: credit.body.totals }).toEqual({
            teams,
            model,
            groupBy,
            status: 200,
            totals: expected,
          });
          const sum = (k: 'pipeline' | 'closedWon') =>
            (credit.body.rows as Record<string, string>[]).reduce((c, r) => c + Math.round(Number(r[k]) * 100), 0);
          expect({ model, groupBy, pipeline: sum('pipeline'), closedWon: sum('closedWon') }).toEqual({
            model,
            groupBy,
            pipeline: Math.round(Number(expected.pipeline) * 100),
            closedWon: Math.round(Number(expected.closedWon) * 100),
          });
        }
      }
    }
  });
});
