// GET /api/v1/chat-operations in New York over the spring DST change (Sunday 2026-03-08 has 23
// hours), range Sat Mar 7 - Mon Mar 9. Six conversations in range, each figure worked out by hand:
//
//  id  local time      team     opened by  status    wait  ended  msgs v/a  resp  tags          channel csat nps resolved
//  o1  Sat 10:00 EST   sales    visitor    answered  30    600    4/6       20    pricing       text    5    10  yes
//  o2  Sat 11:00 EST   support  visitor    missed    -     -      -         -     -             text    -    -   -
//  o3  Sun 10:00 EDT   sales    bot        answered  90    300    2/3       40    pricing,demo  email   3    6   no
//  o4  Sun 01:30 EST   sales    agent      answered  5     60     0/1       -     -             social  -    8   -
//  o5  Mon 09:00 EDT   sales    visitor    answered  10    1200   10/10     30    demo          -       4    -   yes
//  o6  Mon 23:30 EDT   support  (none)     answered  60    -      -         -     -             phone   -    -   -
//  (o7 at 00:30 EDT on Tuesday is outside the range)
import type { RunningService } from '../../src/app/service';
import { useTestDatabase } from '../support/database';
import { inProcessJobs } from '../support/queues';
import { startTestService } from '../support/service';
import { apiClient, chat, newKey, newWorkspace, type ApiClient } from './helpers';

const database = useTestDatabase();
let service: RunningService;
let api: ApiClient;
let supportOnly: ApiClient;

const plus = (iso: string, seconds: number) => new Date(Date.parse(iso) + seconds * 1000).toISOString();
const answered = (id: string, at: string, wait: number, ended: number | null, fields: Record<string, unknown>) =>
  chat(id, at, {
    status: 'answered',
    acceptedAt: plus(at, wait),
    ...(ended === null ? {} : { endedAt: plus(at, ended) }),
    ...fields,
  });

beforeAll(async () => {
  service = await startTestService({ database, jobs: inProcessJobs() });
  const ws = await newWorkspace(database.db, 'ops', { timeZone: 'America/New_York' });
  const writer = apiClient(service.url!, await newKey(database.db, ws.id, ['conversations:write']));
  const res = await writer.post('/api/v1/conversations', {
    conversations: [
      answered('o1', '2026-03-07T15:00:00Z', 30, 600, {
        initiatedBy: 'visitor',
        messages: { visitor: 4, agent: 6 },
        avgResponseSeconds: 20,
        tags: ['pricing'],
        channel: 'text',
        csat: 5,
        nps: 10,
        resolved: true,
      }),
      chat('o2', '2026-03-07T16:00:00Z', {
        teamId: 'support',
        agentId: null,
        status: 'missed',
        initiatedBy: 'visitor',
        channel: 'text',
      }),
      answered('o3', '2026-03-08T14:00:00Z', 90, 300, {
        initiatedBy: 'bot',
        messages: { visitor: 2, agent: 3 },
        avgResponseSeconds: 40,
        tags: ['pricing', 'demo'],
        channel: 'email',
        csat: 3,
        nps: 6,
        resolved: false,
      }),
      answered('o4', '2026-03-08T06:30:00Z', 5, 60, {
        initiatedBy: 'agent',
        messages: { visitor: 0, agent: 1 },
        channel: 'social',
        nps: 8,
      }),
      answered('o5', '2026-03-09T13:00:00Z', 10, 1200, {
        initiatedBy: 'visitor',
        messages: { visitor: 10, agent: 10 },
        avgResponseSeconds: 30,
        tags: ['demo'],
        csat: 4,
        resolved: true,
      }),
      answered('o6', '2026-03-10T03:30:00Z', 60, null, { teamId: 'support', channel: 'phone' }),
      answered('o7', '2026-03-10T04:30:00Z', 60, null, { teamId: 'support', channel: 'phone' }),
    ],
  });
  expect(res.status).toBe(200);
  api = apiClient(service.url!, await newKey(database.db, ws.id, ['dashboard:read']));
  supportOnly = apiClient(service.url!, await newKey(database.db, ws.id, ['dashboard:read'], ['support']));
});
afterAll(() => service.close());

const RANGE = 'from=2026-03-07&to=2026-03-09';

describe('GET /api/v1/chat-operations', () => {
  it('gives every figure of the range', async () => {
    const res = await api.get(`/api/v1/chat-operations?${RANGE}`);
    expect(res.status).toBe(200);
    const heatmap = Array.from({ length: 7 }, () => Array.from({ length: 24 }, () => 0));
    heatmap[5]![10] = 1; // Saturday 10h
    heatmap[5]![11] = 1;
    heatmap[6]![10] = 1; // Sunday
    heatmap[6]![1] = 1;
    heatmap[0]![9] = 1; // Monday
    heatmap[0]![23] = 1;
    expect(res.body.totals).toEqual({
      chats: 6,
      answered: 5,
      missed: 1,
      missedRate: 0.1667,
      // 10, 30, 60, 90: the agent-initiated o4 is left out
      waitSeconds: { n: 4, median: 45, p90: 81, mean: 47.5 },
      // 30, 10, 60: visitor-opened (o6 says nothing: a visitor, as before the field existed)
      firstResponseSeconds: { n: 3, median: 30, p90: 54, mean: 33.3 },
      responseSeconds: { n: 3, median: 30, p90: 38, mean: 30 },
      durationSeconds: { n: 4, median: 450, p90: 1020, mean: 540 },
      messagesPerChat: { n: 4, mean: 9, median: 7.5, visitorMean: 4, agentMean: 5 },
      csat: { n: 3, average: 4, satisfiedRate: 0.6667 },
      nps: { n: 3, promoters: 1, passives: 1, detractors: 1, score: 0 },
      resolution: { n: 3, resolved: 2, rate: 0.6667 },
      tags: [
        { tag: 'demo', chats: 2 },
        { tag: 'pricing', chats: 2 },
      ],
      untagged: 3,
      channels: [
        { channel: 'text', chats: 2 },
        { channel: 'email', chats: 1 },
        { channel: 'phone', chats: 1 },
        { channel: 'social', chats: 1 },
        { channel: 'unknown', chats: 1 },
      ],
      csatDistribution: [0, 0, 1, 1, 1],
      heatmap,
    });
  });

  it('splits the range into local days, the 23-hour Sunday holding its early-morning chat', async () => {
    const res = await api.get(`/api/v1/chat-operations?${RANGE}`);
    expect(
      res.body.series.map((p: { from: string; chats: number; missed: number; waitSeconds: { n: number } }) => [
        p.from,
        p.chats,
        p.missed,
        p.waitSeconds.n,
      ]),
    ).toEqual([
      ['2026-03-07', 2, 1, 1],
      ['2026-03-08', 2, 0, 1],
      ['2026-03-09', 2, 0, 2],
    ]);
    const weeks = await api.get(`/api/v1/chat-operations?${RANGE}&granularity=week`);
    expect(weeks.body.series.map((p: { from: string; to: string; chats: number }) => [p.from, p.to, p.chats])).toEqual([
      ['2026-03-07', '2026-03-08', 4],
      ['2026-03-09', '2026-03-09', 2],
    ]);
  });

  it('shows a team-restricted key its teams only', async () => {
    const res = await supportOnly.get(`/api/v1/chat-operations?${RANGE}`);
    expect(res.body.teams).toEqual(['support']);
    expect(res.body.totals).toMatchObject({ chats: 2, answered: 1, missed: 1, missedRate: 0.5 });
    expect((await supportOnly.get(`/api/v1/chat-operations?${RANGE}&teams=sales`)).status).toBe(403);
  });

  it('answers an empty range with zeros and nulls, and 400 naming a bad parameter', async () => {
    const empty = await api.get('/api/v1/chat-operations?from=2026-02-01&to=2026-02-01');
    expect(empty.body.totals).toMatchObject({
      chats: 0,
      missedRate: null,
      waitSeconds: { n: 0, median: null, p90: null, mean: null },
      nps: { n: 0, score: null },
      tags: [],
      channels: [],
      untagged: 0,
    });
    expect(empty.body.series).toHaveLength(1);
    const bad = await api.get('/api/v1/chat-operations?granularity=hour&to=1899-01-01');
    expect(bad.status).toBe(400);
    expect(bad.body.errors.map((e: { field: string }) => e.field).sort()).toEqual(['granularity', 'to']);
  });
});
