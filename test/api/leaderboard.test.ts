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

const row = (conversations: number, qualifiedChats: number, meetingsBooked: number, pipelineInfluenced: string) => ({
  conversations,
  qualifiedChats,
  meetingsBooked,
  pipelineInfluenced,
  closedWonInfluenced: '0.00',
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
      byAgent: [
        { agentId: 'agent-9', ...row(2, 0, 0, '110000.00') },
        { agentId: 'agent-1', ...row(1, 0, 0, '110000.00') },
        { agentId: 'agent-2', ...row(1, 1, 1, '0.00') },
      ],
      // Both teams touched 006G: each row has it once, so the rows add up to more than the total.
      byTeam: [
        { teamId: 'support', name: 'support', ...row(3, 0, 0, '110000.00') },
        { teamId: 'sales', name: 'sales', ...row(2, 1, 1, '110000.00') },
      ],
    });
  });

  it('counts the entries and chats of the range only', async () => {
    const res = await api.get('/api/v1/leaderboard?from=2026-07-03&to=2026-07-04');
    expect(res.body.byAgent).toEqual([
      { agentId: 'agent-1', ...row(0, 0, 0, '10000.00') },
      { agentId: 'agent-9', ...row(0, 0, 0, '10000.00') },
      { agentId: 'agent-2', ...row(1, 1, 0, '0.00') },
    ]);
    expect(res.body.byTeam).toEqual([
      { teamId: 'sales', name: 'sales', ...row(1, 1, 0, '10000.00') },
      { teamId: 'support', name: 'support', ...row(1, 0, 0, '10000.00') },
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
