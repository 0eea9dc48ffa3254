// Finding 12 of the attack round: edge dates answered 500. Years outside 1900-2200 are now a 400
// that names the field, on every route that takes a day or an instant.
import type { RunningService } from '../../src/app/service';
import { apiClient, chat, newKey, newWorkspace } from '../api/helpers';
import { useTestDatabase } from '../support/database';
import { inProcessJobs } from '../support/queues';
import { startTestService } from '../support/service';

const database = useTestDatabase();
let service: RunningService;
let api: ReturnType<typeof apiClient>;

beforeAll(async () => {
  service = await startTestService({ database, jobs: inProcessJobs() });
  const ws = await newWorkspace(database.db, 'edge-dates');
  api = apiClient(service.url!, await newKey(database.db, ws.id));
});
afterAll(() => service.close());

const fieldsOf = (body: { errors?: { field: string }[] }) => (body.errors ?? []).map((e) => e.field);

describe('edge dates', () => {
  it.each([
    ['/api/v1/dashboard?from=0001-01-01&to=2026-01-01', 'from'],
    ['/api/v1/dashboard?from=2026-01-01&to=9999-12-31', 'to'],
    ['/api/v1/leaderboard?from=0001-01-01&to=2026-01-01', 'from'],
    ['/api/v1/ledger?from=0001-01-01', 'from'],
    ['/api/v1/ledger?to=9999-12-31', 'to'],
    ['/api/v1/ledger?asOf=0001-01-01T00:00:00Z', 'asOf'],
    ['/api/v1/ledger?asOf=9999-12-31T23:59:59Z', 'asOf'],
    ['/api/v1/ledger.csv?asOf=0000-01-01T00:00:00Z', 'asOf'],
    ...[
      'credit',
      'opportunities',
      'opportunities.csv',
      'outcomes',
      'conversion',
      'funnel',
      'chat-operations',
      'leaderboard',
    ].flatMap((report) => [
      [`/api/v1/${report}?from=1899-12-31&to=2026-01-01`, 'from'],
      [`/api/v1/${report}?from=2026-01-01&to=9999-12-31`, 'to'],
      [`/api/v1/${report}?to=2201-01-01`, 'to'],
    ]),
  ])('GET %s answers 400 naming %s', async (path, field) => {
    const res = await api.get(path);
    expect(res.status).toBe(400);
    expect(fieldsOf(res.body)).toEqual([field]);
    expect(res.body.detail).toMatch(/year from 1900 to 2200/);
  });

  it('refuses a conversation started in year 1 with a 400 naming the field', async () => {
    const res = await api.post('/api/v1/conversations', { conversations: [chat('c1', '0001-01-01T00:00:00Z')] });
    expect(res.status).toBe(400);
    expect(fieldsOf(res.body)).toEqual(['conversations[0].startedAt']);
  });

  it('still takes the years a report can mean', async () => {
    expect((await api.get('/api/v1/dashboard?from=1900-01-01&to=1901-12-31')).status).toBe(200);
    for (const report of ['credit', 'opportunities', 'outcomes', 'conversion', 'funnel', 'chat-operations'])
      expect({ report, status: (await api.get(`/api/v1/${report}?from=2199-01-01&to=2200-12-31`)).status }).toEqual({
        report,
        status: 200,
      });
    expect((await api.get('/api/v1/ledger?asOf=2200-12-31T23:59:59Z')).status).toBe(200);
  });
});
