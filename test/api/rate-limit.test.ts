import { randomBytes } from 'node:crypto';
import type { Workspace } from '../../src/platform/db/schema';
import type { RunningService } from '../../src/app/service';
import { useTestDatabase } from '../support/database';
import { inProcessJobs } from '../support/queues';
import { describeWithRedis, redisUrl } from '../support/redis';
import { startTestService, testConfig } from '../support/service';
import { apiClient, newKey, newWorkspace } from './helpers';

const database = useTestDatabase();
let ws: Workspace;
beforeAll(async () => {
  ws = await newWorkspace(database.db, 'limited');
});

describe('rate limiting in memory', () => {
  let service: RunningService;
  beforeAll(async () => {
    service = await startTestService({
      database,
      jobs: inProcessJobs(),
      role: 'api',
      config: testConfig({ RATE_LIMIT_PER_MINUTE: '3' }),
    });
  });
  afterAll(() => service.close());

  it('answers 429 problem+json past the limit of a key, and counts each key apart', async () => {
    const first = apiClient(service.url!, await newKey(database.db, ws.id));
    const statuses = [];
    for (let i = 0; i < 4; i++) statuses.push((await first.get('/api/v1/teams')).status);
    expect(statuses).toEqual([200, 200, 200, 429]);
    const limited = await first.get('/api/v1/teams');
    expect(limited.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(limited.headers.get('retry-after')).toMatch(/^\d+$/);
    expect(limited.headers.get('x-request-id')).toMatch(/.+/);
    expect(limited.body).toMatchObject({
      status: 429,
      title: 'Too Many Requests',
      detail: expect.stringMatching(/3 requests a minute/),
    });

    const second = apiClient(service.url!, await newKey(database.db, ws.id));
    const ok = await second.get('/api/v1/teams');
    expect(ok.status).toBe(200);
    expect(ok.headers.get('ratelimit-policy')).toMatch(/q=3; w=60/);
  });
});

describeWithRedis('rate limiting in Redis', () => {
  it('shares the count of a key between API processes', async () => {
    const config = testConfig({
      RATE_LIMIT_PER_MINUTE: '3',
      REDIS_URL: redisUrl(),
      QUEUE_PREFIX: `rl-test-${randomBytes(4).toString('hex')}`,
    });
    const one = await startTestService({ database, jobs: inProcessJobs(), role: 'api', config });
    const two = await startTestService({ database, jobs: inProcessJobs(), role: 'api', config });
    try {
      const key = await newKey(database.db, ws.id);
      const statuses = [];
      for (const service of [one, two, one, two])
        statuses.push((await apiClient(service.url!, key).get('/api/v1/teams')).status);
      expect(statuses).toEqual([200, 200, 200, 429]);
    } finally {
      await one.close();
      await two.close();
    }
  });
});
