// The in-process transport (REDIS_URL unset): the same job handlers, called in this process.
// Jobs live in memory; the attribution sweep recovers work a restart dropped, because the
// durable state (dirty marks, checkpoints) is in Postgres, never only in a job.
import { randomUUID } from 'node:crypto';
import type { Logger } from '../platform/logger';
import {
  jobContract,
  type EnqueueOptions,
  type JobHandlers,
  type JobName,
  type JobPayload,
  type JobQueue,
  type JobWorker,
} from './contract';
import { backoffDelayMs } from '../platform/retry';
import { isPermanent, runJob } from './run-job';

interface Pending {
  id: string;
  name: JobName;
  payload: unknown;
  attempt: number;
}

export class InProcessJobs implements JobQueue, JobWorker {
  readonly transport = 'in-process' as const;
  private readonly waiting: Pending[] = [];
  private readonly unfinished = new Set<string>();
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly schedules = new Map<string, NodeJS.Timeout>();
  private readonly running = new Set<Promise<void>>();
  private handlers: JobHandlers | null = null;
  private closed = false;

  constructor(
    private readonly logger: Logger,
    private readonly concurrency: number,
  ) {}

  async enqueue<N extends JobName>(name: N, payload: JobPayload<N>, options: EnqueueOptions = {}): Promise<void> {
    if (this.closed) throw new Error(`cannot enqueue ${name}: the job runner is shutting down`);
    jobContract[name].payload.parse(payload);
    const id = options.jobId ?? randomUUID();
    if (options.jobId && this.unfinished.has(id)) return;
    this.unfinished.add(id);
    const job = { id, name, payload, attempt: 1 };
    if (options.delayMs) this.later(options.delayMs, () => this.push(job));
    else this.push(job);
  }

  async schedule<N extends JobName>(id: string, name: N, payload: JobPayload<N>, everyMs: number): Promise<void> {
    await this.unschedule(id);
    const timer = setInterval(
      () => void this.enqueue(name, payload, { jobId: `${id}:${Date.now()}` }).catch(() => {}),
      everyMs,
    );
    timer.unref();
    this.schedules.set(id, timer);
  }

  async unschedule(id: string): Promise<void> {
    const timer = this.schedules.get(id);
    if (timer) clearInterval(timer);
    this.schedules.delete(id);
  }

  async missingSchedules(ids: readonly string[]): Promise<string[]> {
    return ids.filter((id) => !this.schedules.has(id));
  }

  async isReady(): Promise<boolean> {
    return !this.closed;
  }

  start(handlers: JobHandlers): void {
    this.handlers = handlers;
    this.pump();
  }

  /** Resolves when nothing is waiting or running (tests and CLIs use it). */
  async drain(): Promise<void> {
    while (this.waiting.length > 0 || this.running.size > 0 || this.timers.size > 0) {
      await Promise.race([...this.running, new Promise((r) => setTimeout(r, 10))]);
    }
  }

  async close(timeoutMs = 10_000): Promise<void> {
    this.closed = true;
    for (const t of this.schedules.values()) clearInterval(t);
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
    const dropped = this.waiting.splice(0);
    if (dropped.length > 0)
      this.logger.warn(
        { jobs: dropped.length },
        'in-process jobs dropped at shutdown; the sweep recovers their work at next start',
      );
    await Promise.race([Promise.allSettled([...this.running]), new Promise((r) => setTimeout(r, timeoutMs).unref())]);
  }

  private push(job: Pending): void {
    if (this.closed) return;
    this.waiting.push(job);
    this.pump();
  }

  private later(ms: number, fn: () => void): void {
    const t = setTimeout(() => {
      this.timers.delete(t);
      fn();
    }, ms);
    this.timers.add(t);
  }

  private pump(): void {
    while (this.handlers && !this.closed && this.running.size < this.concurrency && this.waiting.length > 0) {
      const job = this.waiting.shift()!;
      const run = this.execute(job).finally(() => {
        this.running.delete(run);
        this.pump();
      });
      this.running.add(run);
    }
  }

  private async execute(job: Pending): Promise<void> {
    try {
      await runJob(this.handlers!, job.name, job.payload, { jobId: job.id, attempt: job.attempt, logger: this.logger });
      this.unfinished.delete(job.id);
    } catch (err) {
      const { attempts, backoffMs } = jobContract[job.name];
      if (isPermanent(err) || job.attempt >= attempts || this.closed) {
        this.unfinished.delete(job.id);
        return;
      }
      this.later(backoffDelayMs(backoffMs, job.attempt), () => this.push({ ...job, attempt: job.attempt + 1 }));
    }
  }
}
