// GET /api/v1/accounts and /api/v1/accounts/{accountId}: the accounts that chatted and one account's
// timeline. Workspace in America/New_York; every figure below is worked out by hand from this story:
//
//   A1 Acme: K1 ana, K2 ben (since Mar 1), K5 eve (converted on May 6 00:00Z from lead L1, eve@mail.example)
//   A2 Globex: K3 cy, K6 fay (at Acme until she moved to Globex on Apr 1) · A3 Initech: K4 dee (never chats)
//   O1 Acme, role K1: $50k created May 2 14:00Z, $60k on May 5 14:00Z (open)
//   O2 Acme, role K2: $20k created May 4 14:00Z, Closed Won May 6 14:00Z
//   O3 Globex, role K3: $30k created May 4 16:00Z (open) · O4 Initech, role K4: $99k, no chat
//   c1 sales ana May 1 15:00Z (target account) · c2 support ben May 3 02:00Z (May 2 in New York)
//   c3 sales cy May 4 15:00Z · c4 support eve@mail.example May 5 15:00Z · c5 sales nobody May 5
import type { RunningService } from '../../src/app/service';
import type { AccountPage } from '../../src/reporting/accounts';
import type { AccountTimeline } from '../../src/reporting/account-timeline';
import { salesforceConnections, type Workspace } from '../../src/platform/db/schema';
import { useTestDatabase } from '../support/database';
import { leadRow, opportunityRow, writeSalesforceRows } from '../support/history-rows';
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
  ws = await newWorkspace(database.db, 'accounts', { timeZone: 'America/New_York' });
  await database.db.insert(salesforceConnections).values({
    workspaceId: ws.id,
    status: 'connected',
    loginUrl: 'https://login.salesforce.com',
    instanceUrl: 'https://acme.my.salesforce.com',
    orgId: '00D5g000004Acme1EAC',
    userId: '0055g00000Admin1AAA',
  });
  const acme = { accountId: 'A1', ownerId: 'U1' };
  await writeSalesforceRows(database.db, ws.id, {
    accounts: [
      ['A1', 'Acme'],
      ['A2', 'Globex'],
      ['A3', 'Initech'],
    ],
    contacts: [
      ['K1', '2026-03-01T00:00:00Z', 'ana@acme.example', 'A1', 'Ana Diaz'],
      ['K2', '2026-03-01T00:00:00Z', 'ben@acme.example', 'A1', 'Ben Chen'],
      ['K3', '2026-03-01T00:00:00Z', 'cy@globex.example', 'A2', 'Cy Evans'],
      ['K4', '2026-03-01T00:00:00Z', 'dee@initech.example', 'A3', 'Dee Fox'],
      ['K5', '2026-05-06T00:00:00Z', 'eve@acme.example', 'A1', 'Eve Garcia'],
      ['K6', '2026-03-01T00:00:00Z', 'fay@acme.example', 'A1', 'Fay Hill'],
      ['K6', '2026-04-01T00:00:00Z', 'fay@globex.example', 'A2', 'Fay Hill'],
    ],
    leads: [
      leadRow('L1', '2026-05-04T12:00:00Z', {
        email: 'eve@mail.example',
        status: 'Open',
        created: '2026-05-04T12:00:00Z',
      }),
      leadRow('L1', '2026-05-06T00:00:00Z', {
        email: 'eve@mail.example',
        status: 'Converted',
        created: '2026-05-04T12:00:00Z',
        convertedContactId: 'K5',
      }),
    ],
    opportunities: [
      opportunityRow('O1', '2026-05-02T14:00:00Z', { amount: '50000.00', name: 'Acme platform', ...acme }),
      opportunityRow('O1', '2026-05-05T14:00:00Z', {
        amount: '60000.00',
        created: '2026-05-02T14:00:00Z',
        name: 'Acme platform',
        ...acme,
      }),
      opportunityRow('O2', '2026-05-04T14:00:00Z', { amount: '20000.00', name: 'Acme support', ...acme }),
      opportunityRow('O2', '2026-05-06T14:00:00Z', {
        amount: '20000.00',
        stage: 'won',
        created: '2026-05-04T14:00:00Z',
        name: 'Acme support',
        closeDate: '2026-05-06',
        ...acme,
      }),
      opportunityRow('O3', '2026-05-04T16:00:00Z', { amount: '30000.00', name: 'Globex deal', accountId: 'A2' }),
      opportunityRow('O4', '2026-05-02T09:00:00Z', { amount: '99000.00', name: 'Initech deal', accountId: 'A3' }),
    ],
    roles: [
      ['R1', '2026-05-02T14:00:00Z', 'O1', 'K1'],
      ['R2', '2026-05-04T14:00:00Z', 'O2', 'K2'],
      ['R3', '2026-05-04T16:00:00Z', 'O3', 'K3'],
      ['R4', '2026-05-02T09:00:00Z', 'O4', 'K4'],
    ],
  });
  api = apiClient(service.url!, await newKey(database.db, ws.id, ['conversations:write', 'dashboard:read']));
  const posted = await api.post('/api/v1/conversations', {
    conversations: [
      chat('c1', '2026-05-01T15:00:00Z', {
        agentName: 'Ana Agent',
        emails: ['ana@acme.example'],
        targetAccount: true,
      }),
      chat('c2', '2026-05-03T02:00:00Z', { teamId: 'support', agentId: 'agent-2', emails: ['ben@acme.example'] }),
      chat('c3', '2026-05-04T15:00:00Z', { emails: ['cy@globex.example'] }),
      chat('c4', '2026-05-05T15:00:00Z', { teamId: 'support', agentId: 'agent-2', emails: ['eve@mail.example'] }),
      chat('c5', '2026-05-05T16:00:00Z', { emails: ['nobody@nowhere.example'] }),
    ],
  });
  expect(posted.status).toBe(200);
  await jobs.jobs.drain();
});
afterAll(() => service.close());

const RANGE = 'from=2026-05-01&to=2026-05-06';
const ids = (body: AccountPage) => body.items.map((a) => a.id);

describe('GET /api/v1/accounts', () => {
  it('lists the accounts that chatted in the range, by name, with their figures', async () => {
    const res = await api.get<AccountPage>(`/api/v1/accounts?${RANGE}`);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      from: '2026-05-01',
      to: '2026-05-06',
      currency: 'USD',
      teams: null,
      sort: 'lastChatAt',
      order: 'desc',
      total: 2,
      nextCursor: null,
      items: [
        {
          id: 'A1',
          name: 'Acme',
          targetAccount: true, // c1
          chats: 3, // c1, c2, and c4 through the lead converted into K5
          chattedContacts: 3,
          contacts: 3,
          opportunities: 2,
          openInfluencedPipeline: '60000.00', // O1 open at $60k; O2 won
          closedWonInfluenced: '20000.00', // O2 on May 6
          lastChatAt: '2026-05-05T15:00:00.000Z',
          salesforceUrl: 'https://acme.my.salesforce.com/lightning/r/Account/A1/view',
        },
        {
          id: 'A2',
          name: 'Globex',
          targetAccount: false,
          chats: 1,
          chattedContacts: 1,
          contacts: 2, // K3, and K6 who moved here
          opportunities: 1,
          openInfluencedPipeline: '30000.00',
          closedWonInfluenced: '0.00',
          lastChatAt: '2026-05-04T15:00:00.000Z',
          salesforceUrl: 'https://acme.my.salesforce.com/lightning/r/Account/A2/view',
        },
      ],
    });
  });

  it('marks as target accounts those with a chat the dashboard counts in Target Accounts', async () => {
    const dashboard = await api.get(`/api/v1/dashboard?${RANGE}`);
    expect(dashboard.body.totals.targetAccounts).toBe(1); // c1
    const list = await api.get<AccountPage>(`/api/v1/accounts?${RANGE}&target=true`);
    expect(ids(list.body)).toEqual(['A1']);
  });

  it('counts days in the workspace zone: c2 (May 3 02:00Z) is on May 2 in New York', async () => {
    const may2 = await api.get<AccountPage>('/api/v1/accounts?from=2026-05-02&to=2026-05-02');
    expect(may2.body.items.map((a) => [a.id, a.chats])).toEqual([['A1', 1]]);
    expect(await api.get<AccountPage>('/api/v1/accounts?from=2026-05-03&to=2026-05-03')).toMatchObject({
      body: { total: 0, items: [] },
    });
  });

  it('sorts by any column and pages with a cursor', async () => {
    const sorted = (q: string) => api.get<AccountPage>(`/api/v1/accounts?${RANGE}&${q}`).then((r) => ids(r.body));
    expect(await sorted('sort=openInfluencedPipeline&order=asc')).toEqual(['A2', 'A1']);
    expect(await sorted('sort=chats')).toEqual(['A1', 'A2']);
    expect(await sorted('sort=name&order=desc')).toEqual(['A2', 'A1']);
    expect(await sorted('target=true')).toEqual(['A1']);
    expect(await sorted('target=false')).toEqual(['A2']);
    const first = await api.get<AccountPage>(`/api/v1/accounts?${RANGE}&sort=name&order=asc&limit=1`);
    expect([ids(first.body), first.body.total]).toEqual([['A1'], 2]);
    const second = await api.get<AccountPage>(
      `/api/v1/accounts?${RANGE}&sort=name&order=asc&limit=1&cursor=${first.body.nextCursor}`,
    );
    expect([ids(second.body), second.body.nextCursor]).toEqual([['A2'], null]);
  });

  it('shows a team-restricted key only its teams’ chats and what they influenced', async () => {
    const support = apiClient(service.url!, await newKey(database.db, ws.id, ['dashboard:read'], ['support']));
    const res = await support.get<AccountPage>(`/api/v1/accounts?${RANGE}`);
    expect(res.body.teams).toEqual(['support']);
    expect(res.body.items).toEqual([
      expect.objectContaining({
        id: 'A1',
        targetAccount: false, // c1 was sales'
        chats: 2, // c2, c4
        chattedContacts: 2,
        openInfluencedPipeline: '0.00', // only sales influenced O1
        closedWonInfluenced: '20000.00', // c2 (support) influenced O2
      }),
    ]);
    expect((await support.get(`/api/v1/accounts?${RANGE}&teams=sales`)).status).toBe(403);
    expect((await support.get('/api/v1/accounts/A2')).status).toBe(404);
  });

  it('refuses a bad query, naming the field', async () => {
    for (const [q, field] of [
      ['limit=0', 'limit'],
      ['sort=size', 'sort'],
      ['from=2026-05-07&to=2026-05-01', 'from'],
      ['cursor=nonsense', 'cursor'],
      ['target=yes', 'target'],
    ]) {
      const res = await api.get(`/api/v1/accounts?${q}`);
      expect({ q, status: res.status, fields: res.body.errors?.map((e: { field: string }) => e.field) }).toEqual({
        q,
        status: 400,
        fields: [field],
      });
    }
  });
});

describe('GET /api/v1/accounts/{accountId}', () => {
  it('puts the account’s chats, contacts and opportunity changes on one timeline, in time order', async () => {
    const res = await api.get<AccountTimeline>('/api/v1/accounts/A1');
    expect(res.status).toBe(200);
    const { timeline, ...header } = res.body;
    expect(header).toEqual({
      account: { id: 'A1', name: 'Acme', salesforceUrl: 'https://acme.my.salesforce.com/lightning/r/Account/A1/view' },
      timeZone: 'America/New_York',
      teams: null,
      targetAccount: true,
      chats: 3,
      contacts: 3,
      opportunities: 2,
    });
    const acmePlatform = { opportunity: { id: 'O1', name: 'Acme platform' }, currency: 'USD' };
    const acmeSupport = { opportunity: { id: 'O2', name: 'Acme support' }, currency: 'USD' };
    const ana = { id: 'K1', name: 'Ana Diaz' };
    const ben = { id: 'K2', name: 'Ben Chen' };
    const eve = { id: 'K5', name: 'Eve Garcia' };
    expect(timeline).toEqual([
      {
        kind: 'contact_added',
        at: '2026-03-01T00:00:00.000Z',
        day: '2026-02-28',
        contact: ana,
        email: 'ana@acme.example',
      },
      {
        kind: 'contact_added',
        at: '2026-03-01T00:00:00.000Z',
        day: '2026-02-28',
        contact: ben,
        email: 'ben@acme.example',
      },
      {
        kind: 'chat',
        at: '2026-05-01T15:00:00.000Z',
        day: '2026-05-01',
        conversationId: 'c1',
        team: { id: 'sales', name: 'sales' },
        agent: { id: 'agent-1', name: 'Ana Agent' },
        contacts: [ana],
        targetAccount: true,
      },
      { kind: 'contact_linked', at: '2026-05-01T15:00:00.000Z', day: '2026-05-01', contact: ana, conversationId: 'c1' },
      {
        kind: 'opportunity_created',
        at: '2026-05-02T14:00:00.000Z',
        day: '2026-05-02',
        ...acmePlatform,
        amount: '50000.00',
        stage: 'Prospecting',
      },
      {
        kind: 'chat',
        at: '2026-05-03T02:00:00.000Z',
        day: '2026-05-02',
        conversationId: 'c2',
        team: { id: 'support', name: 'support' },
        agent: { id: 'agent-2', name: null },
        contacts: [ben],
        targetAccount: false,
      },
      { kind: 'contact_linked', at: '2026-05-03T02:00:00.000Z', day: '2026-05-02', contact: ben, conversationId: 'c2' },
      {
        kind: 'opportunity_created',
        at: '2026-05-04T14:00:00.000Z',
        day: '2026-05-04',
        ...acmeSupport,
        amount: '20000.00',
        stage: 'Prospecting',
      },
      {
        kind: 'amount_changed',
        at: '2026-05-05T14:00:00.000Z',
        day: '2026-05-05',
        ...acmePlatform,
        from: '50000.00',
        to: '60000.00',
      },
      {
        kind: 'chat',
        at: '2026-05-05T15:00:00.000Z',
        day: '2026-05-05',
        conversationId: 'c4',
        team: { id: 'support', name: 'support' },
        agent: { id: 'agent-2', name: null },
        contacts: [eve],
        targetAccount: false,
      },
      // Eve's contact was created after her chat (from the lead): linked when it appears.
      {
        kind: 'contact_added',
        at: '2026-05-06T00:00:00.000Z',
        day: '2026-05-05',
        contact: eve,
        email: 'eve@acme.example',
      },
      { kind: 'contact_linked', at: '2026-05-06T00:00:00.000Z', day: '2026-05-05', contact: eve, conversationId: 'c4' },
      {
        kind: 'stage_changed',
        at: '2026-05-06T14:00:00.000Z',
        day: '2026-05-06',
        ...acmeSupport,
        from: 'Prospecting',
        to: 'Closed Won',
      },
      {
        kind: 'opportunity_closed',
        at: '2026-05-06T14:00:00.000Z',
        day: '2026-05-06',
        ...acmeSupport,
        won: true,
        amount: '20000.00',
      },
    ]);
  });

  it('shows a team set’s chats only', async () => {
    const res = await api.get<AccountTimeline>('/api/v1/accounts/A1?teams=sales');
    expect(res.body.teams).toEqual(['sales']);
    expect(
      res.body.timeline.filter((e) => e.kind === 'chat').map((e) => e.kind === 'chat' && e.conversationId),
    ).toEqual(['c1']);
    expect([res.body.chats, res.body.targetAccount]).toEqual([1, true]);
  });

  it('shows an account that never chatted, and answers 404 with a clear message for an unknown one', async () => {
    const initech = await api.get<AccountTimeline>('/api/v1/accounts/A3');
    expect(initech.status).toBe(200);
    expect([initech.body.chats, initech.body.timeline.map((e) => e.kind)]).toEqual([
      0,
      ['contact_added', 'opportunity_created'],
    ]);
    const res = await api.get('/api/v1/accounts/001NOPE');
    expect(res.status).toBe(404);
    expect(res.headers.get('content-type')).toContain('application/problem+json');
    expect(res.body.detail).toBe('no account "001NOPE" in this workspace: take an id from GET /api/v1/accounts');
    expect((await api.get('/api/v1/accounts/A1?teams=marketing')).status).toBe(404);
  });

  it('is documented in the OpenAPI document, every figure described', async () => {
    const doc = (await (await fetch(`${service.url}/api/v1/openapi.json`)).json()) as any;
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining(['/api/v1/accounts', '/api/v1/accounts/{accountId}']),
    );
    const summary = doc.components.schemas.AccountSummary.properties;
    for (const figure of ['chats', 'contacts', 'opportunities', 'openInfluencedPipeline', 'closedWonInfluenced'])
      expect({ figure, described: Boolean(summary[figure].description) }).toEqual({ figure, described: true });
  });
});
