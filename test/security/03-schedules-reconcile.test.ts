// Finding 3 of the fault-injection round: "Schedules vanish when Redis loses its data, until a
// worker restarts. A periodic reconcile (every minute) re-creates missing schedulers, and
// `/readyz` reports a worker without its schedulers."
// The fault: every key of the queue's prefix deleted under a running worker (as a FLUSHALL or a
// failover without persistence does), with the reconcile every 5 seconds instead of 60.
import IORedis from 'ioredis';
import type { RunningService } from '../../src/app/service';
import { SWEEP_SCHEDULE_ID } from '../../src/app/job-handlers';
import { syncScheduleId } from '../../src/salesforce/schedules';
import { useTestDatabase } from '../support/database';
import { bullmqJobs, eventually } from '../support/queues';
import { describeWithRedis, redisUrl } from '../support/redis';
import { connectedWorkspace, nockApp } from '../support/salesforce-fixtures';
import { startTestService, testConfig, testSecrets } from '../support/service';

const database = useTestDatabase();
const secrets = testSecrets();

if (process.env.TEST_REDIS_AVAILABLE !== '1')
  process.stderr.write('\n*** 03-schedules-reconcile: SKIPPED, it needs the real Redis (TEST_REDIS_URL). ***\n\n');

describeWithRedis('schedules when Redis loses its data', () => {
  let service: RunningService;
  let jobs: ReturnType<typeof bullmqJobs>;
  let expected: string[];

  beforeAll(async () => {
    const { connection } = await connectedWorkspace(database.db, secrets, 'lost-schedules');
    expected = [SWEEP_SCHEDULE_ID, syncScheduleId(connection.id)];
    jobs = bullmqJobs();
    service = await startTestService({
      database,
      jobs,
      secrets,
      salesforce: nockApp,
      config: testConfig({ SCHEDULE_RECONCILE_SECONDS: '5' }),
    });
  });
  afterAll(async () => {
    await service.close();
    await jobs.cleanup();
  });

  const readyz = async () => {
    const res = await fetch(`${service.url}/readyz`);
    return { status: res.status, body: (await res.json()) as { checks: Record<string, string> } };
  };

  it('the worker re-creates the lost schedulers, and /readyz says so until it has', async () => {
    expect(await jobs.queue.missingSchedules(expected)).toEqual([]);
    expect(await readyz()).toMatchObject({ status: 200, body: { checks: { schedules: 'ok' } } });

    const redis = new IORedis(redisUrl());
    try {
      const keys = await redis.keys(`${jobs.prefix}:*`);
      expect(keys.length).toBeGreaterThan(0);
      await redis.del(...keys);
    } finally {
      await redis.quit();
    }
    expect(await jobs.queue.missingSchedules(expected)).toEqual(expected);
    // Until the next reconcile (a tick may land between the wipe and this probe: 1 or 2 missing).
    const lost = await readyz();
    expect(lost).toMatchObject({ status: 503, body: { status: 'not ready' } });
    expect(lost.body.checks.schedules).toMatch(/^missing \([12]\)$/);

    await eventually(
      () => jobs.queue.missingSchedules(expected),
      (m) => m.length === 0,
      15_000,
    );
    expect(await readyz()).toMatchObject({ status: 200, body: { checks: { schedules: 'ok' } } });
  });
});
