import type { Workspace } from '../../src/platform/db/schema';
import type { RunningService } from '../../src/app/service';
import { useTestDatabase } from '../support/database';
import { inProcessJobs } from '../support/queues';
import { startTestService } from '../support/service';
import { apiClient, chat, newKey, salesforceOf, type ApiClient } from './helpers';

const database = useTestDatabase();
let service: RunningService;
let ws: Workspace;
let api: ApiClient;

beforeAll(async () => {
  const jobs = inProcessJobs();
  service = await startTestService({ database, jobs });
  // Opportunity 006G: $100k on July 2nd, $110k on the 3rd, with contacts ana@ and ben@ on it.
  ws = await salesforceOf(database.db, 'board', '07-teams-without-double-counting.json');
  api = apiClient(service.url!, await newKey(database.db, ws.id, ['conversations:write', 'dashboard:read']));
  await api.post('/api/v1/conversations', {
    conversations: [
      chat('conv-8', '2026-07-01T09:00:00Z', { teamId: 'sales', agentId: 'agent-1', emails: ['ana@wayne.example'] }),
      chat('conv-9', '2026-07-05T09:00:00Z', { teamId: 'support', agentId: 'agent-9', emails: ['ben@wayne.example'] }),
      chat('conv-10', '2026-07-05T09:30:00Z', { teamId: 'support', agentId: 'agent-9', emails: ['ana@wayne.example'] }),
      chat('conv-11', '2026-07-03T09:00:00Z', {
        teamId: 'sales',
        agentId: 'agent-2',
        rating: 2,
        meetingBookedAt: '2026-07-06T15:00:00Z',
      }),
      chat('conv-12', '2026-07-04T09:00:00Z', { teamId: 'support', agentId: null, status: 'bot' }),
    ],
  });
  await jobs.jobs.drain();
});
afterAll(() => service.close());

const WEEKS = [
  { from: '2026-07-01', to: '2026-07-05' },
  { from: '2026-07-06', to: '2026-07-06' },
];
const quiet = { agentInitiated: 0, acceptanceRate: null, averageCsat: null, medianFirstResponseSeconds: null };
const row = (
  conversations: number,
  qualifiedChats: number,
  meetingsBooked: number,
  pipelineInfluenced: string,
  credit = '0.00',
  weekly: [number, number] = [conversations, 0],
  averageRating: number | null = null,
) => ({
  conversations,
  qualifiedChats,
  meetingsBooked,
  pipelineInfluenced,
  closedWonInfluenced: '0.00',
  credit: { pipeline: credit, closedWon: '0.00' },
  ...quiet,
  averageRating,
  trend: WEEKS.map((w, i) => ({
    ...w,
    conversations: weekly[i],
    ...quiet,
    averageRating: weekly[i] ? averageRating : null,
    // 006G's deltas (July 2 and 3) all go to conv-8, agent-1's, the only touch by then.
    credit: { pipeline: i === 0 ? credit : '0.00', closedWon: '0.00' },
  })),
});

describe('GET /api/v1/leaderboard', () => {
  it('ranks agents and teams by what the opportunities they touched booked, each opportunity once per row', async () => {
    const res = await api.get('/api/v1/leaderboard?from=2026-07-01&to=2026-07-06');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      from: '2026-07-01',
      to: '2026-07-06',
      currency: 'USD',
      teams: null,
      model: 'linear',
      rankBy: 'influence',
      // Equal influence: credit decides, then conversations.
      byAgent: [
        { agentId: 'agent-1', name: null, ...row(1, 0, 0, '110000.00', '110000.00') },
        { agentId: 'agent-9', name: null, ...row(2, 0, 0, '110000.00') },
        { agentId: 'agent-2', name: null, ...row(1, 1, 1, '0.00', '0.00', [1, 0], 2) },
      ],
      // Both teams touched 006G: each row has it once, so the rows add up to more than the total; credit does add up.
      byTeam: [
        { teamId: 'sales', name: 'sales', ...row(2, 1, 1, '110000.00', '110000.00', [2, 0], 2) },
        { teamId: 'support', name: 'support', ...row(3, 0, 0, '110000.00') },
      ],
      credit: {
        totals: { pipeline: '110000.00', closedWon: '0.00' },
        withoutAgent: { pipeline: '0.00', closedWon: '0.00' },
      },
    });
  });

  it('counts the entries and chats of the range only', async () => {
    const res = await api.get('/api/v1/leaderboard?from=2026-07-03&to=2026-07-04');
    const short = (r: { conversations: number; pipelineInfluenced: string; credit: { pipeline: string } }) => [
      r.conversations,
      r.pipelineInfluenced,
      r.credit.pipeline,
    ];
    expect(res.body.byAgent.map((r: { agentId: string }) => [r.agentId, ...short(r as never)])).toEqual([
      ['agent-1', 0, '10000.00', '10000.00'],
      ['agent-9', 0, '10000.00', '0.00'],
      ['agent-2', 1, '0.00', '0.00'],
    ]);
    expect(res.body.byTeam.map((r: { teamId: string }) => [r.teamId, ...short(r as never)])).toEqual([
      ['sales', 1, '10000.00', '10000.00'],
      ['support', 1, '10000.00', '0.00'],
    ]);
  });

  it("shows a team-restricted key its teams' rows only", async () => {
    const sales = apiClient(service.url!, await newKey(database.db, ws.id, ['dashboard:read'], ['sales']));
    const res = await sales.get('/api/v1/leaderboard?from=2026-07-01&to=2026-07-06');
    expect(res.body.teams).toEqual(['sales']);
    expect(res.body.byAgent.map((r: { agentId: string }) => r.agentId)).toEqual(['agent-1', 'agent-2']);
    expect(res.body.byTeam.map((r: { teamId: string }) => r.teamId)).toEqual(['sales']);
    expect((await sales.get('/api/v1/leaderboard?teams=support')).status).toBe(403);
  });
});

describe('the leaderboard’s agent figures', () => {
  // agent-3 ("Lee Park"), sales, in two weeks of July (no email: it touches nothing):
  //   p1 Jul 7 agent-initiated, the visitor replied, rating 3, CSAT 5 · p2 Jul 8 agent-initiated, no reply
  //   p3 Jul 14 visitor, answered after 40 s, rating 1, CSAT 3 · p4 Jul 15 visitor, answered after 20 s
  //   p5 Jul 16 agent-initiated, message counts unknown
  beforeAll(async () => {
    const at = (day: string, seconds = 0) =>
      new Date(Date.parse(`2026-07-${day}T10:00:00Z`) + seconds * 1000).toISOString();
    const lee = { agentId: 'agent-3' };
    const res = await api.post('/api/v1/conversations', {
      conversations: [
        chat('p1', at('07'), {
          ...lee,
          agentName: 'Lee Park',
          initiatedBy: 'agent',
          messages: { visitor: 2, agent: 3 },
          rating: 3,
          csat: 5,
        }),
        chat('p2', at('08'), { ...lee, initiatedBy: 'agent', messages: { visitor: 0, agent: 1 } }),
        chat('p3', at('14'), {
          ...lee,
          initiatedBy: 'visitor',
          status: 'answered',
          acceptedAt: at('14', 40),
          rating: 1,
          csat: 3,
        }),
        chat('p4', at('15'), { ...lee, initiatedBy: 'visitor', status: 'answered', acceptedAt: at('15', 20) }),
        chat('p5', at('16'), { ...lee, initiatedBy: 'agent' }),
      ],
    });
    expect(res.status).toBe(200);
  });

  it('gives acceptance, rating, CSAT and first response, with a weekly trend, under the agent’s name', async () => {
    const res = await api.get('/api/v1/leaderboard?from=2026-07-06&to=2026-07-19');
    const lee = res.body.byAgent.find((r: { agentId: string }) => r.agentId === 'agent-3');
    const none = { pipeline: '0.00', closedWon: '0.00' };
    expect(lee).toEqual({
      agentId: 'agent-3',
      name: 'Lee Park',
      conversations: 5,
      qualifiedChats: 2,
      meetingsBooked: 0,
      pipelineInfluenced: '0.00',
      closedWonInfluenced: '0.00',
      credit: none,
      agentInitiated: 3,
      acceptanceRate: 0.5, // p1 of p1, p2 (p5 has no counts)
      averageRating: 2,
      averageCsat: 4,
      medianFirstResponseSeconds: 30,
      trend: [
        {
          from: '2026-07-06',
          to: '2026-07-12',
          conversations: 2,
          agentInitiated: 2,
          acceptanceRate: 0.5,
          averageRating: 3,
          averageCsat: 5,
          medianFirstResponseSeconds: null,
          credit: none,
        },
        {
          from: '2026-07-13',
          to: '2026-07-19',
          conversations: 3,
          agentInitiated: 1,
          acceptanceRate: null,
          averageRating: 1,
          averageCsat: 3,
          medianFirstResponseSeconds: 30,
          credit: none,
        },
      ],
    });
  });

  it('ranks by a model’s credit on request, and its credit adds up to the dashboard', async () => {
    const res = await api.get('/api/v1/leaderboard?from=2026-07-01&to=2026-07-06&rankBy=credit&model=time_decay');
    expect(res.body).toMatchObject({ model: 'time_decay', rankBy: 'credit' });
    expect(
      res.body.byTeam.map((r: { teamId: string; credit: { pipeline: string } }) => [r.teamId, r.credit.pipeline]),
    ).toEqual([
      ['sales', '110000.00'],
      ['support', '0.00'],
    ]);
    const dashboard = await api.get('/api/v1/dashboard?from=2026-07-01&to=2026-07-06');
    expect(res.body.credit.totals).toEqual({
      pipeline: dashboard.body.totals.pipelineInfluenced,
      closedWon: dashboard.body.totals.closedWonInfluenced,
    });
    const bad = await api.get('/api/v1/leaderboard?rankBy=size&model=none');
    expect(bad.body.errors.map((e: { field: string }) => e.field).sort()).toEqual(['model', 'rankBy']);
  });
});
