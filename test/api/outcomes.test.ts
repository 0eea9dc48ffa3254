// GET /api/v1/outcomes and /api/v1/conversion on a Paris workspace over the spring DST change
// (2026-03-29 has 23 hours), range March 28-31. Every figure below is computed by hand.
//
// Influenced (chat touched them by Mar 31):
//   O1 ana/c1 (sales, Mar 20): $40k created Mar 21, won Mar 29
//   O2 ben/c2 (support, Mar 28): $10k created Mar 25, lost Mar 30
//   O9 ben/c2: $20k created Mar 26, won Mar 31
//   O3 cy/c4 (sales, Mar 30 11:00): $25k created Mar 30 at noon, open
// Baseline:
//   O4 $30k created Mar 28, won Mar 31 · O8 $50k created Mar 2, won Mar 30 · O6 $5k created Mar 10,
//   lost Mar 31 at 22:00 Paris · O7 $7k won Mar 27 (before the range) · O5 $15k open, its only chat
//   (c7, dee) at 00:30 on April 1 in Paris, after the range.
import type { RunningService } from '../../src/app/service';
import type { Workspace } from '../../src/platform/db/schema';
import { useTestDatabase } from '../support/database';
import { opportunityRow, writeSalesforceRows } from '../support/history-rows';
import { inProcessJobs } from '../support/queues';
import { startTestService } from '../support/service';
import { apiClient, chat, newKey, newWorkspace, type ApiClient } from './helpers';

const database = useTestDatabase();
let service: RunningService;
let ws: Workspace;
let api: ApiClient;

const deal = (id: string, created: string, amount: string, closed?: { at: string; won: boolean }) => [
  opportunityRow(id, created, { amount, name: `Deal ${id}`, closeDate: '2026-04-30' }),
  ...(closed
    ? [
        opportunityRow(id, closed.at, {
          amount,
          created,
          stage: closed.won ? ('won' as const) : ('lost' as const),
          name: `Deal ${id}`,
          closeDate: closed.at.slice(0, 10),
        }),
      ]
    : []),
];

beforeAll(async () => {
  const jobs = inProcessJobs();
  service = await startTestService({ database, jobs });
  ws = await newWorkspace(database.db, 'outcomes', { timeZone: 'Europe/Paris' });
  const contacts: [string, string, string][] = ['ana', 'ben', 'cy', 'dee', 'eve'].map((n) => [
    `K-${n}`,
    '2026-02-01T00:00:00Z',
    `${n}@acme.example`,
  ]);
  await writeSalesforceRows(database.db, ws.id, {
    contacts,
    opportunities: [
      ...deal('O1', '2026-03-21T10:00:00Z', '40000.00', { at: '2026-03-29T12:00:00Z', won: true }),
      ...deal('O2', '2026-03-25T10:00:00Z', '10000.00', { at: '2026-03-30T08:00:00Z', won: false }),
      ...deal('O9', '2026-03-26T10:00:00Z', '20000.00', { at: '2026-03-31T09:00:00Z', won: true }),
      ...deal('O3', '2026-03-30T10:00:00Z', '25000.00'),
      ...deal('O4', '2026-03-28T10:00:00Z', '30000.00', { at: '2026-03-31T10:00:00Z', won: true }),
      ...deal('O8', '2026-03-02T10:00:00Z', '50000.00', { at: '2026-03-30T10:00:00Z', won: true }),
      ...deal('O6', '2026-03-10T10:00:00Z', '5000.00', { at: '2026-03-31T20:00:00Z', won: false }),
      ...deal('O7', '2026-03-03T10:00:00Z', '7000.00', { at: '2026-03-27T12:00:00Z', won: true }),
      ...deal('O5', '2026-03-01T10:00:00Z', '15000.00'),
    ],
    roles: [
      ['R1', '2026-03-21T10:00:00Z', 'O1', 'K-ana'],
      ['R2', '2026-03-25T10:00:00Z', 'O2', 'K-ben'],
      ['R9', '2026-03-26T10:00:00Z', 'O9', 'K-ben'],
      ['R3', '2026-03-30T10:00:00Z', 'O3', 'K-cy'],
      ['R4', '2026-03-28T10:00:00Z', 'O4', 'K-eve'],
      ['R8', '2026-03-02T10:00:00Z', 'O8', 'K-eve'],
      ['R6', '2026-03-10T10:00:00Z', 'O6', 'K-eve'],
      ['R7', '2026-03-03T10:00:00Z', 'O7', 'K-eve'],
      ['R5', '2026-03-01T10:00:00Z', 'O5', 'K-dee'],
    ],
  });
  api = apiClient(service.url!, await newKey(database.db, ws.id, ['conversations:write', 'dashboard:read']));
  const res = await api.post('/api/v1/conversations', {
    conversations: [
      chat('c1', '2026-03-20T10:00:00Z', { emails: ['ana@acme.example'], rating: 3 }),
      chat('c2', '2026-03-28T10:00:00Z', {
        teamId: 'support',
        emails: ['ben@acme.example'],
        visitorId: 'v-ben',
        rating: 2,
      }),
      // No email, but the same visitorId as c2: the same visitor, ben.
      chat('c3', '2026-03-29T10:00:00Z', { visitorId: 'v-ben', rating: 0 }),
      chat('c4', '2026-03-30T09:00:00Z', { emails: ['cy@acme.example'], rating: 1 }),
      chat('c5', '2026-03-30T12:00:00Z'),
      chat('c6', '2026-03-31T12:00:00Z', { emails: ['zed@nowhere.example'] }),
      chat('c7', '2026-03-31T22:30:00Z', { emails: ['dee@acme.example'], rating: 3 }),
    ],
  });
  expect(res.status).toBe(200);
  await jobs.jobs.drain();
});
afterAll(() => service.close());

const RANGE = 'from=2026-03-28&to=2026-03-31';
const n = (count: number, amount: string) => ({ count, amount });

describe('GET /api/v1/outcomes', () => {
  it('gives the stock of open pipeline and the flows of the range, influenced and not', async () => {
    const res = await api.get(`/api/v1/outcomes?${RANGE}`);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      from: '2026-03-28',
      to: '2026-03-31',
      asOf: '2026-03-31T22:00:00.000Z',
      currency: 'USD',
      teams: null,
      influenced: {
        openPipeline: n(1, '25000.00'),
        created: n(1, '25000.00'),
        won: n(2, '60000.00'),
        lost: n(1, '10000.00'),
        winRate: 0.6667,
        averageDealSize: '30000.00',
        medianDaysToClose: 5, // 8, 5, 5
        medianDaysFirstChatToClose: 3, // 9, 2, 3
      },
      baseline: {
        openPipeline: n(1, '15000.00'),
        created: n(1, '30000.00'),
        won: n(2, '80000.00'),
        lost: n(1, '5000.00'),
        winRate: 0.6667,
        averageDealSize: '40000.00',
        medianDaysToClose: 21, // 3, 28, 21
        medianDaysFirstChatToClose: null,
      },
    });
  });

  it('counts for a team set only what its chats influenced; the rest is its baseline', async () => {
    const res = await api.get(`/api/v1/outcomes?${RANGE}&teams=sales`);
    expect(res.body.influenced).toEqual({
      openPipeline: n(1, '25000.00'),
      created: n(1, '25000.00'),
      won: n(1, '40000.00'),
      lost: n(0, '0.00'),
      winRate: 1,
      averageDealSize: '40000.00',
      medianDaysToClose: 8,
      medianDaysFirstChatToClose: 9,
    });
    const salesOnly = apiClient(service.url!, await newKey(database.db, ws.id, ['dashboard:read'], ['sales']));
    expect((await salesOnly.get(`/api/v1/outcomes?${RANGE}`)).body).toMatchObject({
      teams: ['sales'],
      influenced: res.body.influenced,
      baseline: res.body.baseline,
    });
    expect((await salesOnly.get(`/api/v1/outcomes?${RANGE}&teams=support`)).status).toBe(403);
    expect(res.body.baseline).toMatchObject({
      won: n(3, '100000.00'),
      lost: n(2, '15000.00'),
      winRate: 0.6,
      averageDealSize: '33333.33',
      medianDaysToClose: 5,
    });
  });

  it('reads states as they stood at the end of a past range, one day at a time', async () => {
    const day = await api.get('/api/v1/outcomes?from=2026-03-29&to=2026-03-29');
    expect(day.body.influenced).toMatchObject({
      // O2 and O9 were open then; O3 did not exist yet.
      openPipeline: n(2, '30000.00'),
      won: n(1, '40000.00'),
      lost: n(0, '0.00'),
      winRate: 1,
    });
    const empty = await api.get('/api/v1/outcomes?from=2026-01-01&to=2026-01-31');
    expect(empty.body.influenced).toEqual({
      openPipeline: n(0, '0.00'),
      created: n(0, '0.00'),
      won: n(0, '0.00'),
      lost: n(0, '0.00'),
      winRate: null,
      averageDealSize: null,
      medianDaysToClose: null,
      medianDaysFirstChatToClose: null,
    });
  });
});

describe('GET /api/v1/conversion', () => {
  it('counts unique visitors and what they became, and the value of a visitor and of a successful chat', async () => {
    const res = await api.get(`/api/v1/conversion?${RANGE}`);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      from: '2026-03-28',
      to: '2026-03-31',
      currency: 'USD',
      // ben (c2 and c3 by visitorId), cy, the anonymous c5, zed; c7 is April 1 in Paris.
      visitors: 4,
      linkedVisitors: 2,
      influencedVisitors: 2,
      wonVisitors: 1,
      conversionRate: 0.25,
      averageWonAmount: '20000.00',
      valuePerVisitor: '5000.00',
      successfulChats: 2,
      successfulChatsWon: 1,
      valuePerSuccessfulChat: '10000.00',
    });
  });

  it('gives the lift with its 95% intervals and sample sizes', async () => {
    const res = await api.get(`/api/v1/conversion?${RANGE}`);
    expect(res.body.lift).toEqual({
      winRate: {
        influenced: { rate: 0.6667, low: 0.2077, high: 0.9385, won: 2, closed: 3 },
        baseline: { rate: 0.6667, low: 0.2077, high: 0.9385, won: 2, closed: 3 },
        difference: { value: 0, low: -0.5335, high: 0.5335 },
        relative: 0,
      },
      dealSize: {
        influenced: { mean: '30000.00', low: '-97062.05', high: '157062.05', n: 2 },
        baseline: { mean: '40000.00', low: '-87062.05', high: '167062.05', n: 2 },
        difference: { value: '-10000.00', low: '-70848.70', high: '50848.70', df: 2 },
        relative: -0.25,
      },
    });
  });

  it('for a team-restricted key, counts its teams’ visitors only', async () => {
    const sales = apiClient(service.url!, await newKey(database.db, ws.id, ['dashboard:read'], ['sales']));
    const res = await sales.get(`/api/v1/conversion?${RANGE}`);
    // Sales chats of the range: c3 (v-ben, no email here), c4 cy, c5, c6 zed.
    expect(res.body).toMatchObject({
      teams: ['sales'],
      visitors: 4,
      linkedVisitors: 1,
      influencedVisitors: 1,
      wonVisitors: 0,
      conversionRate: 0,
      averageWonAmount: null,
      valuePerVisitor: '0.00',
    });
    expect((await sales.get(`/api/v1/conversion?${RANGE}&teams=support`)).status).toBe(403);
  });

  it('answers an empty range with zeros and nulls, and 400 naming a bad parameter', async () => {
    expect((await api.get('/api/v1/conversion?from=2026-01-01&to=2026-01-01')).body).toMatchObject({
      visitors: 0,
      conversionRate: null,
      valuePerVisitor: null,
      valuePerSuccessfulChat: null,
    });
    const bad = await api.get('/api/v1/conversion?from=2026-02-30');
    expect(bad.status).toBe(400);
    expect(bad.body.errors.map((e: { field: string }) => e.field)).toEqual(['from']);
  });
});
