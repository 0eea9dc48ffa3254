// Job transports for tests: in-process, or BullMQ on the real Redis under a prefix of the test's own.
import { randomBytes } from 'node:crypto';
import IORedis from 'ioredis';
import { BullmqJobQueue, BullmqJobWorker } from '../../src/jobs/bullmq';
import type { Jobs } from '../../src/jobs/create';
import { InProcessJobs } from '../../src/jobs/in-process';
import { testLogger } from './logger';
import { redisUrl } from './redis';

export function inProcessJobs(): Jobs & { jobs: InProcessJobs } {
  const jobs = new InProcessJobs(testLogger, 2);
  return { queue: jobs, worker: jobs, jobs };
}

export function bullmqJobs(
  prefix = `attr-test-${randomBytes(4).toString('hex')}`,
): Jobs & { prefix: string; cleanup(): Promise<void> } {
  const options = { redisUrl: redisUrl(), prefix, concurrency: 2, logger: testLogger };
  return {
    prefix,
    queue: new BullmqJobQueue(options),
    worker: new BullmqJobWorker(options),
    async cleanup() {
      const redis = new IORedis(redisUrl());
      let cursor = '0';
      do {
        const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1000);
        cursor = next;
        if (keys.length > 0) await redis.del(...keys);
      } while (cursor !== '0');
      await redis.quit();
    },
  };
}

export async function eventually<T>(probe: () => Promise<T>, ok: (v: T) => boolean, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await probe();
    if (ok(v)) return v;
    if (Date.now() > deadline)
      throw new Error(`condition not met within ${timeoutMs} ms; last value: ${JSON.stringify(v)}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
