// GET /api/v1/opportunities (and .csv): the influenced opportunities of a range by name.
//
//   c1 sales/agent-1 ana May 1 · c2 support/agent-2 ben May 3 · c3 sales/agent-1 cy May 4 (UTC)
//   O1 "=Acme deal" (Acme, Rita Rep): $50k created May 2 with ana and ben, $60k on May 5
//   O2 "Globex renewal" (Globex, Sam Seller): $20k created May 4 at noon with cy, won May 6
//   O3 "Old deal": $10k created April 1 with ana; influenced May 1 by c1, no change since
//   O4: no chat ever touched it
import type { RunningService } from '../../src/app/service';
import { salesforceConnections, type Workspace } from '../../src/platform/db/schema';
import { useTestDatabase } from '../support/database';
import { opportunityRow, writeSalesforceRows } from '../support/history-rows';
import { inProcessJobs } from '../support/queues';
import { startTestService } from '../support/service';
import { apiClient, chat, newKey, newWorkspace, type ApiClient } from './helpers';

const database = useTestDatabase();
let service: RunningService;
let ws: Workspace;
let api: ApiClient;

beforeAll(async () => {
  const jobs = inProcessJobs();
  service = await startTestService({ database, jobs });
  ws = await newWorkspace(database.db, 'opportunities');
  await database.db.insert(salesforceConnections).values({
    workspaceId: ws.id,
    status: 'connected',
    loginUrl: 'https://login.salesforce.com',
    instanceUrl: 'https://acme.my.salesforce.com',
    orgId: '00D5g000004Acme1EAC',
    userId: '0055g00000Admin1AAA',
  });
  await writeSalesforceRows(database.db, ws.id, {
    accounts: [
      ['A1', 'Acme'],
      ['A2', 'Globex'],
    ],
    users: [
      ['U1', 'Rita Rep'],
      ['U2', 'Sam Seller'],
    ],
    contacts: [
      ['K1', '2026-03-01T00:00:00Z', 'ana@acme.example'],
      ['K2', '2026-03-01T00:00:00Z', 'ben@acme.example'],
      ['K3', '2026-03-01T00:00:00Z', 'cy@globex.example'],
      ['K4', '2026-03-01T00:00:00Z', 'dee@initech.example'],
    ],
    opportunities: [
      opportunityRow('O1', '2026-05-02T09:00:00Z', {
        amount: '50000.00',
        name: '=Acme deal',
        accountId: 'A1',
        ownerId: 'U1',
        closeDate: '2026-06-30',
      }),
      opportunityRow('O1', '2026-05-05T09:00:00Z', {
        amount: '60000.00',
        created: '2026-05-02T09:00:00Z',
        name: '=Acme deal',
        accountId: 'A1',
        ownerId: 'U1',
        closeDate: '2026-06-30',
      }),
      opportunityRow('O2', '2026-05-04T12:00:00Z', {
        amount: '20000.00',
        name: 'Globex renewal',
        accountId: 'A2',
        ownerId: 'U2',
      }),
      opportunityRow('O2', '2026-05-06T12:00:00Z', {
        amount: '20000.00',
        stage: 'won',
        created: '2026-05-04T12:00:00Z',
        name: 'Globex renewal',
        accountId: 'A2',
        ownerId: 'U2',
        closeDate: '2026-05-06',
      }),
      opportunityRow('O3', '2026-04-01T09:00:00Z', { amount: '10000.00', name: 'Old deal' }),
      opportunityRow('O4', '2026-05-02T09:00:00Z', { amount: '99000.00', name: 'Untouched' }),
    ],
    roles: [
      ['R1', '2026-05-02T09:00:00Z', 'O1', 'K1'],
      ['R2', '2026-05-02T09:00:00Z', 'O1', 'K2'],
      ['R3', '2026-05-04T12:00:00Z', 'O2', 'K3'],
      ['R4', '2026-04-01T09:00:00Z', 'O3', 'K1'],
      ['R5', '2026-05-02T09:00:00Z', 'O4', 'K4'],
    ],
  });
  api = apiClient(service.url!, await newKey(database.db, ws.id, ['conversations:write', 'dashboard:read']));
  await api.post('/api/v1/conversations', {
    conversations: [
      chat('c1', '2026-05-01T10:00:00Z', { agentId: 'agent-1', agentName: 'Ana Agent', emails: ['ana@acme.example'] }),
      chat('c2', '2026-05-03T10:00:00Z', { teamId: 'support', agentId: 'agent-2', emails: ['ben@acme.example'] }),
      chat('c3', '2026-05-04T10:00:00Z', { agentId: 'agent-1', emails: ['cy@globex.example'] }),
    ],
  });
  await jobs.jobs.drain();
});
afterAll(() => service.close());

const RANGE = 'from=2026-05-02&to=2026-05-06';
const ids = (body: { items: { id: string }[] }) => body.items.map((o) => o.id);

describe('GET /api/v1/opportunities', () => {
  it('lists what chat influenced in the range, by name, with its first chat, influence, credit and link', async () => {
    const res = await api.get(`/api/v1/opportunities?${RANGE}`);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      from: '2026-05-02',
      to: '2026-05-06',
      currency: 'USD',
      teams: null,
      model: 'linear',
      sort: 'pipelineInfluenced',
      order: 'desc',
      total: 2,
      nextCursor: null,
    });
    expect(res.body.items[0]).toEqual({
      id: 'O1',
      name: '=Acme deal',
      account: { id: 'A1', name: 'Acme' },
      owner: { id: 'U1', name: 'Rita Rep' },
      stage: 'Prospecting',
      amount: '60000.00',
      amountCurrency: 'USD',
      closeDate: '2026-06-30',
      isClosed: false,
      isWon: false,
      deleted: false,
      influenceStartedOn: '2026-05-02',
      firstChat: {
        conversationId: 'c1',
        startedAt: '2026-05-01T10:00:00.000Z',
        teamId: 'sales',
        teamName: 'sales',
        agentId: 'agent-1',
        agentName: 'Ana Agent',
      },
      chats: 2,
      pipelineInfluenced: '60000.00',
      closedWonInfluenced: '0.00',
      // May 2: all $50k to c1; May 5: the $10k raise split between c1 and c2.
      credit: [
        {
          conversationId: 'c1',
          teamId: 'sales',
          agentId: 'agent-1',
          agentName: 'Ana Agent',
          pipeline: '55000.00',
          closedWon: '0.00',
        },
        {
          conversationId: 'c2',
          teamId: 'support',
          agentId: 'agent-2',
          agentName: null,
          pipeline: '5000.00',
          closedWon: '0.00',
        },
      ],
      salesforceUrl: 'https://acme.my.salesforce.com/lightning/r/Opportunity/O1/view',
    });
    expect(res.body.items[1]).toMatchObject({
      id: 'O2',
      stage: 'Closed Won',
      isWon: true,
      closeDate: '2026-05-06',
      influenceStartedOn: '2026-05-04',
      chats: 1,
      pipelineInfluenced: '20000.00',
      closedWonInfluenced: '20000.00',
    });
  });

  it('includes an opportunity whose influence started in the range even without a change since', async () => {
    const res = await api.get('/api/v1/opportunities?from=2026-05-01&to=2026-05-06');
    expect(ids(res.body)).toEqual(['O1', 'O2', 'O3']);
    expect(res.body.items[2]).toMatchObject({
      id: 'O3',
      pipelineInfluenced: '10000.00',
      influenceStartedOn: '2026-05-01',
    });
  });

  it('sorts by any column, empty values last, and pages with a cursor', async () => {
    expect(ids((await api.get(`/api/v1/opportunities?${RANGE}&sort=closedWonInfluenced`)).body)).toEqual(['O2', 'O1']);
    expect(ids((await api.get(`/api/v1/opportunities?${RANGE}&sort=name&order=asc`)).body)).toEqual(['O1', 'O2']);
    expect(ids((await api.get(`/api/v1/opportunities?${RANGE}&sort=closeDate&order=asc`)).body)).toEqual(['O2', 'O1']);
    const first = await api.get(`/api/v1/opportunities?${RANGE}&limit=1`);
    expect(ids(first.body)).toEqual(['O1']);
    expect(first.body.total).toBe(2);
    const second = await api.get(`/api/v1/opportunities?${RANGE}&limit=1&cursor=${first.body.nextCursor}`);
    expect(ids(second.body)).toEqual(['O2']);
    expect(second.body.nextCursor).toBeNull();
  });

  it('shows a team-restricted key what its teams influenced, from their own start', async () => {
    const support = apiClient(service.url!, await newKey(database.db, ws.id, ['dashboard:read'], ['support']));
    const res = await support.get(`/api/v1/opportunities?${RANGE}`);
    expect(ids(res.body)).toEqual(['O1']);
    expect(res.body.items[0]).toMatchObject({
      influenceStartedOn: '2026-05-03',
      chats: 1,
      firstChat: { conversationId: 'c2', teamId: 'support' },
      pipelineInfluenced: '60000.00',
      credit: [{ conversationId: 'c2', pipeline: '60000.00', closedWon: '0.00' }],
    });
    expect((await support.get(`/api/v1/opportunities?${RANGE}&teams=sales`)).status).toBe(403);
  });

  it('lists for a single day what changed on it', async () => {
    const res = await api.get('/api/v1/opportunities?from=2026-05-05&to=2026-05-05');
    expect(res.body.items.map((o: { id: string; pipelineInfluenced: string }) => [o.id, o.pipelineInfluenced])).toEqual(
      [['O1', '10000.00']],
    );
  });

  it('answers an empty range with an empty list', async () => {
    expect((await api.get('/api/v1/opportunities?from=2026-01-01&to=2026-01-31')).body).toMatchObject({
      total: 0,
      items: [],
      nextCursor: null,
    });
  });

  it('answers 400 naming each bad parameter', async () => {
    const bad = await api.get('/api/v1/opportunities?sort=bogus&order=up&limit=0&model=x&to=2201-01-01');
    expect(bad.status).toBe(400);
    expect(bad.body.errors.map((e: { field: string }) => e.field).sort()).toEqual([
      'limit',
      'model',
      'order',
      'sort',
      'to',
    ]);
    const cursor = await api.get(`/api/v1/opportunities?${RANGE}&cursor=not-a-cursor`);
    expect(cursor.body.errors).toEqual([
      { field: 'cursor', message: 'not a cursor of this list: start again without it' },
    ]);
    const first = await api.get(`/api/v1/opportunities?${RANGE}&limit=1`);
    const other = await api.get(`/api/v1/opportunities?${RANGE}&sort=name&cursor=${first.body.nextCursor}`);
    expect(other.status).toBe(400);
    expect(other.body.errors[0].field).toBe('cursor');
  });
});

describe('GET /api/v1/opportunities.csv', () => {
  it('downloads the same list, formula-safe', async () => {
    const res = await fetch(`${service.url}/api/v1/opportunities.csv?${RANGE}`, {
      headers: { authorization: `Bearer ${await newKey(database.db, ws.id, ['dashboard:read'])}` },
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/csv/);
    expect(res.headers.get('content-disposition')).toMatch(/opportunities\.csv/);
    const lines = (await res.text()).trim().split('\n');
    expect(lines[0]).toBe(
      'opportunity_id,name,account_id,account_name,owner_id,owner_name,stage,amount,amount_currency,close_date,' +
        'influence_started_on,first_chat_at,first_chat_conversation_id,first_chat_team,first_chat_agent,chats,' +
        'pipeline_influenced,closed_won_influenced,credit_model,credit,currency,salesforce_url',
    );
    expect(lines[1]).toBe(
      "O1,'=Acme deal,A1,Acme,U1,Rita Rep,Prospecting,60000.00,USD,2026-06-30,2026-05-02,2026-05-01T10:00:00.000Z,c1," +
        'sales,Ana Agent,2,60000.00,0.00,linear,Ana Agent (c1): 55000.00 / 0.00; agent-2 (c2): 5000.00 / 0.00,USD,' +
        'https://acme.my.salesforce.com/lightning/r/Opportunity/O1/view',
    );
    expect(lines).toHaveLength(3);
  });
});

describe('names in the ledger and the story', () => {
  it('show where ids are shown', async () => {
    const finance = apiClient(service.url!, await newKey(database.db, ws.id, ['ledger:read']));
    const ledger = await finance.get('/api/v1/ledger?opportunityId=O2');
    expect(ledger.body.entries.map((e: { opportunityName: string }) => e.opportunityName)).toEqual([
      'Globex renewal',
      'Globex renewal',
    ]);
    const story = await finance.get('/api/v1/opportunities/O1/attribution');
    expect(story.body).toMatchObject({
      opportunityId: 'O1',
      name: '=Acme deal',
      account: { id: 'A1', name: 'Acme' },
      owner: { id: 'U1', name: 'Rita Rep' },
      influence: { start: { teamId: 'sales', teamName: 'sales' } },
    });
    expect(story.body.touches.map((t: { agentName: string | null }) => t.agentName)).toEqual(['Ana Agent', null]);
    const csv = await fetch(`${service.url}/api/v1/ledger.csv?opportunityId=O2`, {
      headers: { authorization: `Bearer ${await newKey(database.db, ws.id, ['ledger:read'])}` },
    });
    const [header, ...lines] = (await csv.text()).trim().split('\n');
    const column = header!.split(',').indexOf('opportunity_name');
    expect(lines.map((l) => l.split(',')[column])).toEqual(['Globex renewal', 'Globex renewal']);
  });
});
