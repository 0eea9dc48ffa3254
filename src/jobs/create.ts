// Picks the transport: BullMQ when REDIS_URL is set, else the in-process runner.
import type { Config } from '../platform/config';
import type { Logger } from '../platform/logger';
import { BullmqJobQueue, BullmqJobWorker } from './bullmq';
import type { JobQueue, JobWorker } from './contract';
import { InProcessJobs } from './in-process';

export interface Jobs {
  queue: JobQueue;
  worker: JobWorker;
}

export function createJobs(config: Config, logger: Logger): Jobs {
  if (config.queue.redisUrl) {
    const options = {
      redisUrl: config.queue.redisUrl,
      prefix: config.queue.prefix,
      concurrency: config.queue.concurrency,
      stalledMs: config.queue.stalledMs,
      concurrencyOf: { 'salesforce.backfill': config.queue.backfillConcurrency },
      logger,
    };
    return { queue: new BullmqJobQueue(options), worker: new BullmqJobWorker(options) };
  }
  const jobs = new InProcessJobs(logger, config.queue.concurrency);
  return { queue: jobs, worker: jobs };
}
