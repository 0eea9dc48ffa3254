// Finding 13 of the attack round: "GET /oauth/salesforce/authorize skips the rate limit. It writes a
// row per call." The link now only redirects to the web app's Salesforce page (the flow starts from a
// signed-in admin's POST under /api/v1, which the caller's limit counts), but the OAuth pages still
// answer anyone: every /oauth/salesforce/* request counts against the client address's limit
// (OAUTH_RATE_LIMIT_PER_MINUTE), and none writes a row.
import { count } from 'drizzle-orm';
import type { RunningService } from '../../src/app/service';
import { salesforceOauthFlows } from '../../src/platform/db/schema';
import { useTestDatabase } from '../support/database';
import { inProcessJobs } from '../support/queues';
import { startTestService, testConfig } from '../support/service';

const database = useTestDatabase();
let service: RunningService;

beforeAll(async () => {
  service = await startTestService({
    database,
    jobs: inProcessJobs(),
    config: testConfig({ OAUTH_RATE_LIMIT_PER_MINUTE: '5' }),
  });
});
afterAll(() => service.close());

describe('finding 13: the OAuth pages are rate limited', () => {
  it('answers 429 problem+json to the sixth authorize link in a minute, writing no row', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 6; i++) {
      const res = await fetch(`${service.url}/oauth/salesforce/authorize?workspace=acme&environment=sandbox`, {
        redirect: 'manual',
      });
      await res.arrayBuffer();
      statuses.push(res.status);
    }
    expect(statuses).toEqual([302, 302, 302, 302, 302, 429]);
    const [row] = await database.db.select({ n: count() }).from(salesforceOauthFlows);
    expect(row!.n).toBe(0);
  });

  it('counts the callback against the same limit', async () => {
    const res = await fetch(`${service.url}/oauth/salesforce/callback?state=x&code=y`);
    expect(res.status).toBe(429);
    expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(res.headers.get('retry-after')).toMatch(/^\d+$/);
    expect(await res.json()).toMatchObject({ status: 429, detail: expect.stringMatching(/5 requests a minute/) });
  });
});
