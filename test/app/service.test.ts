import { formatCents } from '../../src/attribution/money';
import type { Jobs } from '../../src/jobs/create';
import { ledgerSeries } from '../../src/ledger/series';
import { loadScenario } from '../../src/scenarios/load';
import type { RunningService } from '../../src/app/service';
import { useTestDatabase } from '../support/database';
import { bullmqJobs, eventually, inProcessJobs } from '../support/queues';
import { describeWithRedis } from '../support/redis';
import { readFixture } from '../support/scenarios';
import { startTestService } from '../support/service';

const database = useTestDatabase();

function serviceWith(make: () => Jobs & { cleanup?: () => Promise<void> }, slug: string) {
  let service: RunningService;
  let jobs: Jobs & { cleanup?: () => Promise<void> };
  beforeAll(async () => {
    jobs = make();
    service = await startTestService({ database, jobs });
  });
  afterAll(async () => {
    await service.close();
    await jobs.cleanup?.();
  });

  it('answers /healthz and reports database and queue in /readyz', async () => {
    expect(await (await fetch(`${service.url}/healthz`)).json()).toEqual({ status: 'ok' });
    const ready = await fetch(`${service.url}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({
      status: 'ready',
      checks: { database: 'up', queue: `up (${jobs.queue.transport})`, schedules: 'ok' },
    });
  });

  it('echoes a caller request id and answers unknown routes with problem+json', async () => {
    const res = await fetch(`${service.url}/no-such-route`, { headers: { 'x-request-id': 'trace-123' } });
    expect(res.status).toBe(404);
    expect(res.headers.get('content-type')).toMatch(/application\/problem\+json/);
    expect(res.headers.get('x-request-id')).toBe('trace-123');
    expect(await res.json()).toMatchObject({ title: 'Not Found', status: 404, requestId: 'trace-123' });
  });

  it('attributes newly written history through a queued recompute job', async () => {
    const scenario = await readFixture('01-seed-example.json');
    const workspace = await loadScenario(database.db, slug, scenario);
    await jobs.queue.enqueue('attribution.recompute', { workspaceId: workspace.id });
    const daily = await eventually(
      async () =>
        (await ledgerSeries(database.db, workspace.id)).map((d) => [
          d.date,
          formatCents(d.pipelineInfluenced),
          formatCents(d.closedWonInfluenced),
        ]),
      (d) => d.length === 3,
    );
    expect(daily).toEqual([
      ['2026-03-02', '100000.00', '0.00'],
      ['2026-03-03', '20000.00', '0.00'],
      ['2026-03-04', '30000.00', '150000.00'],
    ]);
  });
}

describe('the service with the in-process job runner', () => {
  serviceWith(inProcessJobs, 'svc-in-process');
});

describeWithRedis('the service with BullMQ on the real Redis', () => {
  serviceWith(bullmqJobs, 'svc-bullmq');
});

describe('readiness', () => {
  it('is 503 and names the failing part when the queue is down', async () => {
    const jobs = inProcessJobs();
    await jobs.queue.close();
    const service = await startTestService({ database, jobs, role: 'api' });
    try {
      const res = await fetch(`${service.url}/readyz`);
      expect(res.status).toBe(503);
      expect(await res.json()).toEqual({ status: 'not ready', checks: { database: 'up', queue: 'down (in-process)' } });
    } finally {
      await service.close();
    }
  });
});
