// The BullMQ transport (REDIS_URL set): one queue per job name, so a scaled deployment runs
// many workers against one Redis. Retries and backoff come from the job contract.
import { Queue, UnrecoverableError, Worker, type Job } from 'bullmq';
import IORedis from 'ioredis';
import type { Logger } from '../platform/logger';
import {
  jobContract,
  jobNames,
  type EnqueueOptions,
  type JobHandlers,
  type JobName,
  type JobPayload,
  type JobQueue,
  type JobWorker,
} from './contract';
import { isPermanent, runJob } from './run-job';

export interface BullmqOptions {
  redisUrl: string;
  prefix: string;
  concurrency: number;
  /** Jobs of these names at once per worker, instead of `concurrency`. */
  concurrencyOf?: Partial<Record<JobName, number>>;
  /** A job's lock and the stalled-job check interval (BullMQ's default: 30 s). */
  stalledMs?: number;
  logger: Logger;
}

const KEEP = { removeOnComplete: { age: 24 * 3600, count: 1000 }, removeOnFail: { age: 7 * 24 * 3600 } };

/** BullMQ queue names may not contain ':'; ours are dotted. */
const queueName = (name: JobName) => name.replace(/[^a-z0-9]+/gi, '-');
/** Nor may custom job or scheduler ids: the contract's ids ("salesforce-sync:<id>") are mapped once, here. */
const bullId = (id: string) => id.replace(/:/g, '.');

function redis(url: string): IORedis {
  // Workers block on Redis; BullMQ requires unlimited retries per request on their connection.
  return new IORedis(url, { maxRetriesPerRequest: null, enableReadyCheck: true, lazyConnect: false });
}

export class BullmqJobQueue implements JobQueue {
  readonly transport = 'bullmq' as const;
  private readonly connection: IORedis;
  private readonly queues = new Map<JobName, Queue>();

  constructor(private readonly options: BullmqOptions) {
    this.connection = redis(options.redisUrl);
    this.connection.on('error', (err) =>
      options.logger.warn({ err: { message: err.message } }, 'redis connection error'),
    );
    for (const name of jobNames) {
      this.queues.set(name, new Queue(queueName(name), { connection: this.connection, prefix: options.prefix }));
    }
  }

  async enqueue<N extends JobName>(name: N, payload: JobPayload<N>, options: EnqueueOptions = {}): Promise<void> {
    const contract = jobContract[name];
    contract.payload.parse(payload);
    await this.queue(name).add(name, payload, {
      ...(options.jobId ? { jobId: bullId(options.jobId) } : {}),
      ...(options.delayMs ? { delay: options.delayMs } : {}),
      attempts: contract.attempts,
      backoff: { type: 'exponential', delay: contract.backoffMs, jitter: 1 },
      ...KEEP,
    });
  }

  async schedule<N extends JobName>(id: string, name: N, payload: JobPayload<N>, everyMs: number): Promise<void> {
    const contract = jobContract[name];
    await this.queue(name).upsertJobScheduler(
      bullId(id),
      { every: everyMs },
      {
        name,
        data: payload,
        opts: { attempts: contract.attempts, backoff: { type: 'exponential', delay: contract.backoffMs }, ...KEEP },
      },
    );
  }

  async unschedule(id: string): Promise<void> {
    await Promise.all([...this.queues.values()].map((q) => q.removeJobScheduler(bullId(id))));
  }

  async missingSchedules(ids: readonly string[]): Promise<string[]> {
    const present = new Set<string>();
    for (const q of this.queues.values()) for (const s of await q.getJobSchedulers(0, -1)) present.add(s.key);
    return ids.filter((id) => !present.has(bullId(id)));
  }

  async isReady(): Promise<boolean> {
    try {
      return (await this.connection.ping()) === 'PONG';
    } catch {
      return false;
    }
  }

  async close(): Promise<void> {
    await Promise.all([...this.queues.values()].map((q) => q.close()));
    await this.connection.quit().catch(() => this.connection.disconnect());
  }

  private queue(name: JobName): Queue {
    return this.queues.get(name)!;
  }
}

export class BullmqJobWorker implements JobWorker {
  private readonly workers: Worker[] = [];
  private readonly connections: IORedis[] = [];

  constructor(private readonly options: BullmqOptions) {}

  start(handlers: JobHandlers): void {
    for (const name of jobNames) {
      const connection = redis(this.options.redisUrl);
      connection.on('error', (err) =>
        this.options.logger.warn({ err: { message: err.message } }, 'redis connection error'),
      );
      this.connections.push(connection);
      const worker = new Worker(
        queueName(name),
        async (job: Job) => {
          try {
            await runJob(handlers, name, job.data, {
              jobId: job.id ?? '?',
              attempt: job.attemptsMade + 1,
              logger: this.options.logger,
            });
          } catch (err) {
            if (isPermanent(err)) throw new UnrecoverableError((err as Error).message);
            throw err;
          }
        },
        {
          connection,
          prefix: this.options.prefix,
          concurrency: this.options.concurrencyOf?.[name] ?? this.options.concurrency,
          // A killed worker's job is taken over once its lock lapses and a stalled check runs.
          ...(this.options.stalledMs
            ? { lockDuration: this.options.stalledMs, stalledInterval: this.options.stalledMs }
            : {}),
        },
      );
      worker.on('error', (err) => this.options.logger.warn({ err: { message: err.message } }, 'worker error'));
      this.workers.push(worker);
    }
  }

  async close(timeoutMs: number): Promise<void> {
    // close() waits for running jobs; past the timeout they are left to BullMQ's stalled-job recovery.
    const closing = Promise.all(this.workers.map((w) => w.close()));
    await Promise.race([closing, new Promise((r) => setTimeout(r, timeoutMs).unref())]);
    await Promise.all(this.connections.map((c) => c.quit().catch(() => c.disconnect())));
  }
}
