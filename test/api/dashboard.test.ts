import { addDays, ZoneCalendar } from '../../src/attribution/calendar';
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

const zero = {
  totalChats: 0,
  qualifiedChats: 0,
  leadVolume: 0,
  targetAccounts: 0,
  meetingsBooked: 0,
  pipelineInfluenced: '0.00',
  closedWonInfluenced: '0.00',
};

beforeAll(async () => {
  const jobs = inProcessJobs();
  service = await startTestService({ database, jobs });
  // The seed example: Dana's $100k opportunity, raised to $120k on the 3rd, won at $150k on the 4th.
  ws = await salesforceOf(database.db, 'dash');
  api = apiClient(service.url!, await newKey(database.db, ws.id, ['conversations:write', 'dashboard:read']));
  const res = await api.post('/api/v1/conversations', {
    conversations: [
      chat('conv-1', '2026-03-02T15:00:00Z', {
        agentId: 'agent-7',
        emails: ['Dana@Acme.example'],
        rating: 3,
        dataAsks: { email: 'dana@acme.example' },
        meetingBookedAt: '2026-03-04T10:00:00Z',
        targetAccount: true,
      }),
      chat('conv-2', '2026-03-02T18:00:00Z', {
        teamId: 'support',
        agentId: null,
        status: 'bot',
        rating: 0,
        dataAsks: { name: 'Lee' },
      }),
      chat('conv-3', '2026-03-03T09:00:00Z', {
        agentId: 'agent-7',
        status: 'missed',
        emails: ['dana@acme.example'],
        rating: 1,
      }),
      chat('conv-4', '2026-03-09T09:00:00Z', { teamId: 'support', agentId: 'agent-9', rating: 2 }),
    ],
  });
  expect(res.status).toBe(200);
  await jobs.jobs.drain();
});
afterAll(() => service.close());

describe('GET /api/v1/dashboard', () => {
  it('gives every chat metric and the influence per day, zeros included, and their totals', async () => {
    const res = await api.get('/api/v1/dashboard?from=2026-03-01&to=2026-03-04');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      from: '2026-03-01',
      to: '2026-03-04',
      granularity: 'day',
      timeZone: 'UTC',
      currency: 'USD',
      teams: null,
      totals: {
        totalChats: 3,
        qualifiedChats: 2,
        leadVolume: 3,
        targetAccounts: 1,
        meetingsBooked: 1,
        pipelineInfluenced: '150000.00',
        closedWonInfluenced: '150000.00',
      },
      series: [
        { from: '2026-03-01', to: '2026-03-01', ...zero },
        {
          from: '2026-03-02',
          to: '2026-03-02',
          ...zero,
          totalChats: 2,
          qualifiedChats: 1,
          leadVolume: 2,
          targetAccounts: 1,
          pipelineInfluenced: '100000.00',
        },
        {
          from: '2026-03-03',
          to: '2026-03-03',
          ...zero,
          totalChats: 1,
          qualifiedChats: 1,
          leadVolume: 1,
          pipelineInfluenced: '20000.00',
        },
        {
          from: '2026-03-04',
          to: '2026-03-04',
          ...zero,
          meetingsBooked: 1,
          pipelineInfluenced: '30000.00',
          closedWonInfluenced: '150000.00',
        },
      ],
    });
  });

  it('groups by ISO week and by calendar month, clipped to the range', async () => {
    const weeks = await api.get('/api/v1/dashboard?from=2026-03-01&to=2026-03-10&granularity=week');
    expect(weeks.body.series).toEqual([
      { from: '2026-03-01', to: '2026-03-01', ...zero },
      {
        from: '2026-03-02',
        to: '2026-03-08',
        totalChats: 3,
        qualifiedChats: 2,
        leadVolume: 3,
        targetAccounts: 1,
        meetingsBooked: 1,
        pipelineInfluenced: '150000.00',
        closedWonInfluenced: '150000.00',
      },
      { from: '2026-03-09', to: '2026-03-10', ...zero, totalChats: 1, qualifiedChats: 1 },
    ]);
    const months = await api.get('/api/v1/dashboard?from=2026-02-15&to=2026-03-10&granularity=month');
    expect(months.body.series).toEqual([
      { from: '2026-02-15', to: '2026-02-28', ...zero },
      {
        from: '2026-03-01',
        to: '2026-03-10',
        totalChats: 4,
        qualifiedChats: 3,
        leadVolume: 3,
        targetAccounts: 1,
        meetingsBooked: 1,
        pipelineInfluenced: '150000.00',
        closedWonInfluenced: '150000.00',
      },
    ]);
    expect(months.body.totals).toEqual({ ...months.body.series[1], from: undefined, to: undefined });
  });

  it('counts only the asked teams, and an opportunity once for several teams', async () => {
    const support = await api.get('/api/v1/dashboard?from=2026-03-01&to=2026-03-04&teams=support');
    expect(support.body.teams).toEqual(['support']);
    expect(support.body.totals).toEqual({ ...zero, totalChats: 1, leadVolume: 1 });
    const both = await api.get('/api/v1/dashboard?from=2026-03-01&to=2026-03-04&teams=sales,support');
    expect(both.body.totals).toEqual({
      totalChats: 3,
      qualifiedChats: 2,
      leadVolume: 3,
      targetAccounts: 1,
      meetingsBooked: 1,
      pipelineInfluenced: '150000.00',
      closedWonInfluenced: '150000.00',
    });
  });

  it('defaults to the 30 complete days up to yesterday in the workspace zone', async () => {
    const res = await api.get('/api/v1/dashboard');
    const yesterday = addDays(new ZoneCalendar('UTC').dayOf(new Date()), -1);
    expect(res.body).toMatchObject({ from: addDays(yesterday, -29), to: yesterday, granularity: 'day' });
    expect(res.body.series).toHaveLength(30);
  });

  it('limits a team-restricted key to its teams, and names a team it may not see', async () => {
    const sales = apiClient(service.url!, await newKey(database.db, ws.id, ['dashboard:read'], ['sales']));
    const mine = await sales.get('/api/v1/dashboard?from=2026-03-01&to=2026-03-04');
    expect(mine.body.teams).toEqual(['sales']);
    expect(mine.body.totals).toEqual({
      totalChats: 2,
      qualifiedChats: 2,
      leadVolume: 2,
      targetAccounts: 1,
      meetingsBooked: 1,
      pipelineInfluenced: '150000.00',
      closedWonInfluenced: '150000.00',
    });
    const theirs = await sales.get('/api/v1/dashboard?from=2026-03-01&to=2026-03-04&teams=sales,support');
    expect(theirs.status).toBe(403);
    expect(theirs.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(theirs.body.detail).toBe('this key may not see team "support"; it sees "sales"');
  });

  it('answers 404 for a team the workspace does not have, and 400 naming bad parameters', async () => {
    const unknown = await api.get('/api/v1/dashboard?teams=sales,nope');
    expect(unknown.status).toBe(404);
    expect(unknown.body.detail).toMatch(/no team "nope"/);
    const bad = await api.get('/api/v1/dashboard?from=2026-3-1&to=tomorrow&granularity=year');
    expect(bad.status).toBe(400);
    expect(bad.body.errors.map((e: { field: string }) => e.field).sort()).toEqual(['from', 'granularity', 'to']);
    const backwards = await api.get('/api/v1/dashboard?from=2026-03-05&to=2026-03-01');
    expect(backwards.body).toMatchObject({ status: 400, errors: [{ field: 'from' }] });
    const tooLong = await api.get('/api/v1/dashboard?from=2020-01-01&to=2026-03-01');
    expect(tooLong.body).toMatchObject({ status: 400, errors: [{ field: 'to' }] });
  });

  it('needs the dashboard:read scope', async () => {
    const writer = apiClient(service.url!, await newKey(database.db, ws.id, ['conversations:write']));
    expect((await writer.get('/api/v1/dashboard')).status).toBe(403);
  });
});
