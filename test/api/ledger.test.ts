import type { Workspace } from '../../src/platform/db/schema';
import { recordOpportunityVersions } from '../../src/history/record';
import { verifyLedger } from '../../src/ledger/verify';
import { testLedgerKeys } from '../support/ledger-keys';
import type { RunningService } from '../../src/app/service';
import { useTestDatabase } from '../support/database';
import { inProcessJobs } from '../support/queues';
import { startTestService } from '../support/service';
import { apiClient, chat, newKey, salesforceOf, type ApiClient } from './helpers';

const database = useTestDatabase();
const OPP = '0065g00000Opp001';
let service: RunningService;
let jobs: ReturnType<typeof inProcessJobs>;
let ws: Workspace;
let finance: ApiClient;
let firstBooked: string;

beforeAll(async () => {
  jobs = inProcessJobs();
  service = await startTestService({ database, jobs });
  ws = await salesforceOf(database.db, 'books');
  const writer = apiClient(service.url!, await newKey(database.db, ws.id, ['conversations:write']));
  await writer.post('/api/v1/conversations', {
    conversations: [chat('conv-1', '2026-03-02T15:00:00Z', { agentId: 'agent-7', emails: ['Dana@Acme.example'] })],
  });
  await jobs.jobs.drain();
  firstBooked = new Date().toISOString();
  await new Promise((r) => setTimeout(r, 20));
  // Late data: the amount raised on the 3rd was 125k, not 120k (a correction dated on the 3rd).
  await database.db.transaction((tx) =>
    recordOpportunityVersions(tx, ws.id, [
      {
        versionId: 'late@1',
        occurredAt: new Date('2026-03-03T12:00:00Z'),
        source: 'test',
        opportunityId: OPP,
        amount: '125000.00',
        stageName: 'Negotiation/Review',
        isClosed: false,
        isWon: false,
      },
    ]),
  );
  await jobs.queue.enqueue('attribution.recompute', { workspaceId: ws.id });
  await jobs.jobs.drain();
  finance = apiClient(service.url!, await newKey(database.db, ws.id, ['ledger:read']));
});
afterAll(() => service.close());

type Entry = {
  seq: number;
  effectiveDay: string;
  measure: string;
  amount: string;
  reason: string;
  correction: boolean;
};
const brief = (entries: Entry[]) =>
  entries.map(
    (e) => `${e.seq} ${e.effectiveDay} ${e.measure} ${e.amount} ${e.reason}${e.correction ? ' correction' : ''}`,
  );

describe('GET /api/v1/ledger', () => {
  it('lists the entries in chain order with their causes', async () => {
    const res = await finance.get('/api/v1/ledger');
    expect(res.status).toBe(200);
    expect(brief(res.body.entries)).toEqual([
      '1 2026-03-02 pipeline 100000.00 influence_started',
      '2 2026-03-03 pipeline 20000.00 amount_changed',
      '3 2026-03-04 pipeline 30000.00 amount_changed',
      '4 2026-03-04 closed_won 150000.00 won',
      '5 2026-03-03 pipeline 5000.00 amount_changed correction',
      '6 2026-03-04 pipeline -5000.00 amount_changed correction',
    ]);
    expect(res.body.entries[0]).toMatchObject({
      opportunityId: OPP,
      currency: 'USD',
      engineVersion: expect.any(String),
      hash: expect.stringMatching(/^[0-9a-f]{64}$/),
      causes: { conversations: ['conv-1'], versions: expect.arrayContaining([expect.stringContaining(OPP)]) },
    });
    expect(res.body.nextCursor).toBeNull();
    expect(res.body.totals).toEqual({ entries: 6, pipeline: '150000.00', closedWon: '150000.00' });
    expect(res.body.entries.map((e: Entry & { countedDay: string }) => e.countedDay)).toEqual(
      res.body.entries.map((e: Entry) => e.effectiveDay),
    );
  });

  it('pages with an opaque cursor', async () => {
    const pages: number[][] = [];
    let cursor: string | null = null;
    do {
      const res: { body: { entries: Entry[]; nextCursor: string | null } } = await finance.get(
        `/api/v1/ledger?limit=4${cursor ? `&cursor=${cursor}` : ''}`,
      );
      pages.push(res.body.entries.map((e) => e.seq));
      cursor = res.body.nextCursor;
    } while (cursor);
    expect(pages).toEqual([
      [1, 2, 3, 4],
      [5, 6],
    ]);
    const bad = await finance.get('/api/v1/ledger?cursor=not-ours');
    expect(bad.body).toMatchObject({ status: 400, errors: [{ field: 'cursor' }] });
  });

  it('gives the ledger as it was recorded at an instant', async () => {
    const res = await finance.get(`/api/v1/ledger?asOf=${encodeURIComponent(firstBooked)}`);
    expect(res.body.entries.map((e: Entry) => e.seq)).toEqual([1, 2, 3, 4]);
    const before = await finance.get('/api/v1/ledger?asOf=2000-01-01T00:00:00Z');
    expect(before.body.entries).toEqual([]);
  });

  it('filters by effective day, opportunity and reason', async () => {
    expect(
      (await finance.get('/api/v1/ledger?from=2026-03-03&to=2026-03-03')).body.entries.map((e: Entry) => e.seq),
    ).toEqual([2, 5]);
    expect((await finance.get('/api/v1/ledger?reason=won')).body.entries.map((e: Entry) => e.seq)).toEqual([4]);
    expect(
      (await finance.get(`/api/v1/ledger?opportunityId=${OPP}&from=2026-03-04`)).body.entries.map((e: Entry) => e.seq),
    ).toEqual([3, 4, 6]);
    const closedWon = await finance.get('/api/v1/ledger?measure=closed_won');
    expect(closedWon.body.entries.map((e: Entry) => e.seq)).toEqual([4]);
    expect(closedWon.body.totals).toEqual({ entries: 1, pipeline: '0.00', closedWon: '150000.00' });
    const unknown = await finance.get('/api/v1/ledger?opportunityId=006NOPE');
    expect(unknown).toMatchObject({ status: 404, body: { detail: 'no opportunity "006NOPE" in this workspace' } });
  });

  it('refuses a measure or a team it does not know, rather than ignoring it', async () => {
    const measure = await finance.get('/api/v1/ledger?measure=revenue');
    expect(measure.body).toMatchObject({ status: 400, errors: [{ field: 'measure' }] });
    const csv = await finance.get('/api/v1/ledger.csv?measure=revenue');
    expect(csv.status).toBe(400);
    const team = await finance.get('/api/v1/ledger?teams=nobody');
    expect(team).toMatchObject({ status: 404, body: { detail: expect.stringContaining('no team "nobody"') } });
  });

  it('is refused to a team-restricted key and to a key without ledger:read', async () => {
    const restricted = apiClient(service.url!, await newKey(database.db, ws.id, ['ledger:read'], ['sales']));
    for (const path of ['/api/v1/ledger', '/api/v1/ledger.csv', `/api/v1/opportunities/${OPP}/attribution`]) {
      const res = await restricted.get(path);
      expect({ path, status: res.status, detail: res.body.detail }).toEqual({
        path,
        status: 403,
        detail: expect.stringMatching(/use a key without a team restriction/),
      });
    }
    const reader = apiClient(service.url!, await newKey(database.db, ws.id, ['dashboard:read']));
    expect((await reader.get('/api/v1/ledger')).status).toBe(403);
  });
});

describe('GET /api/v1/ledger.csv', () => {
  it('streams the same entries as CSV, with the same filters', async () => {
    const key = await newKey(database.db, ws.id, ['ledger:read']);
    const res = await fetch(`${service.url}/api/v1/ledger.csv?to=2026-03-03`, {
      headers: { authorization: `Bearer ${key}` },
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(res.headers.get('content-disposition')).toBe('attachment; filename=ledger.csv');
    const lines = (await res.text()).trim().split('\n');
    expect(lines[0]).toBe(
      'seq,opportunity_id,measure,effective_day,amount,currency,reason,correction,cause_versions,cause_conversations,recorded_at,engine_version,hash,opportunity_name,counted_day',
    );
    expect(lines.slice(1).map((l) => l.split(',').slice(0, 8).join(','))).toEqual([
      `1,${OPP},pipeline,2026-03-02,100000.00,USD,influence_started,false`,
      `2,${OPP},pipeline,2026-03-03,20000.00,USD,amount_changed,false`,
      `5,${OPP},pipeline,2026-03-03,5000.00,USD,amount_changed,true`,
    ]);
    const [entry] = (await finance.get('/api/v1/ledger?limit=1')).body.entries;
    const first = lines[1]!.split(',');
    expect(first.slice(8)).toEqual([
      entry.causes.versions.join(' '),
      'conv-1',
      entry.recordedAt,
      entry.engineVersion,
      entry.hash,
      '', // a scenario's opportunity has no name
      '2026-03-02',
    ]);
  });
});

describe('GET /api/v1/opportunities/{id}/attribution', () => {
  it('tells the story: versions, contacts, chats, the influence start and why, and each entry', async () => {
    const res = await finance.get(`/api/v1/opportunities/${OPP}/attribution`);
    expect(res.status).toBe(200);
    const story = res.body;
    expect(story.versions.map((v: { amount: string; stageName: string }) => `${v.amount} ${v.stageName}`)).toEqual([
      '100000.00 Prospecting',
      '120000.00 Negotiation/Review',
      '125000.00 Negotiation/Review',
      '150000.00 Closed Won',
    ]);
    expect(story.contactRoles).toMatchObject([
      { contactRoleId: '00K5g00000Role01', contactId: '0035g00000Dana01', deleted: false },
    ]);
    expect(story.contacts).toMatchObject([{ contactId: '0035g00000Dana01', email: 'dana@acme.example' }]);
    expect(story.touches).toEqual([
      expect.objectContaining({
        conversationId: 'conv-1',
        teamId: 'sales',
        agentId: 'agent-7',
        startedAt: '2026-03-02T15:00:00.000Z',
        emails: ['Dana@Acme.example'],
        touchedAt: '2026-03-02T16:00:05.000Z',
        touchDay: '2026-03-02',
        contactId: '0035g00000Dana01',
        contactRoleId: '00K5g00000Role01',
      }),
    ]);
    expect(story.influence.start).toMatchObject({
      teamId: 'sales',
      conversationId: 'conv-1',
      startedAt: '2026-03-02T16:00:05.000Z',
      startDay: '2026-03-02',
    });
    expect(story.influence.byTeam).toHaveLength(1);
    expect(story.influence.why).toBe(
      'Chat conv-1 (team sales) on Mar 2, 2026, 3:00 PM shares an email with dana@acme.example, who is on this opportunity as a contact role. ' +
        "Influence starts at the latest of the chat, the role's creation and the opportunity's creation: Mar 2, 2026, 4:00 PM (UTC), so on Mar 2, 2026.",
    );
    expect(story.ledger.map((e: Entry) => e.seq)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(story.totals).toEqual({ pipelineInfluenced: '150000.00', closedWonInfluenced: '150000.00' });
  });

  it('answers 404 for an opportunity the workspace does not have', async () => {
    const res = await finance.get('/api/v1/opportunities/006NOPE/attribution');
    expect(res).toMatchObject({
      status: 404,
      body: { title: 'Not Found', detail: 'no opportunity "006NOPE" in this workspace' },
    });
  });
});

describe('the ledger for a team set', () => {
  beforeAll(async () => {
    // Support chats with Dana a day after sales did: for support alone, influence starts on the 3rd.
    const writer = apiClient(service.url!, await newKey(database.db, ws.id, ['conversations:write']));
    await writer.post('/api/v1/conversations', {
      conversations: [chat('conv-2', '2026-03-03T09:00:00Z', { teamId: 'support', emails: ['dana@acme.example'] })],
    });
    await jobs.jobs.drain();
  });

  it("moves earlier entries onto the team's first day, and its sums tie out with the dashboard", async () => {
    const res = await finance.get('/api/v1/ledger?teams=support&from=2026-03-03&to=2026-03-03&measure=pipeline');
    expect(res.status).toBe(200);
    expect(res.body.entries.map((e: Entry & { countedDay: string }) => [e.seq, e.effectiveDay, e.countedDay])).toEqual([
      [1, '2026-03-02', '2026-03-03'],
      [2, '2026-03-03', '2026-03-03'],
      [5, '2026-03-03', '2026-03-03'],
    ]);
    expect(res.body.totals).toEqual({ entries: 3, pipeline: '125000.00', closedWon: '0.00' });
    const reader = apiClient(service.url!, await newKey(database.db, ws.id, ['dashboard:read']));
    const dashboard = await reader.get('/api/v1/dashboard?teams=support&from=2026-03-02&to=2026-03-04');
    expect(dashboard.body.series.map((p: { pipelineInfluenced: string }) => p.pipelineInfluenced)).toEqual([
      '0.00',
      '125000.00',
      '25000.00',
    ]);
    const all = await finance.get('/api/v1/ledger?teams=sales,support');
    expect(all.body.totals).toEqual({ entries: 6, pipeline: '150000.00', closedWon: '150000.00' });
  });

  it('exports the same team selection as CSV, with the day each entry counts on', async () => {
    const key = await newKey(database.db, ws.id, ['ledger:read']);
    const res = await fetch(`${service.url}/api/v1/ledger.csv?teams=support&to=2026-03-03&measure=pipeline`, {
      headers: { authorization: `Bearer ${key}` },
    });
    const lines = (await res.text()).trim().split('\n');
    expect(lines.slice(1).map((l) => [l.split(',')[0], l.split(',').at(-1)])).toEqual([
      ['1', '2026-03-03'],
      ['2', '2026-03-03'],
      ['5', '2026-03-03'],
    ]);
  });
});

it('leaves a ledger that verifies: hash chain intact and equal to a fresh replay', async () => {
  expect((await verifyLedger(database, ws, { keys: testLedgerKeys })).problems).toEqual([]);
});
