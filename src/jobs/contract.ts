// The one job contract: each job's name, payload schema, retries and backoff. Producers (API,
// schedulers) and consumers (workers) both import it; transports never change it.
import { z } from 'zod';

export const jobContract = {
  /** Drain a workspace's dirty opportunities into the ledger. */
  'attribution.recompute': {
    payload: z.object({ workspaceId: z.uuid() }),
    attempts: 8,
    backoffMs: 2_000,
  },
  /** One sync run of one Salesforce org. Its own retries cover Salesforce; a run that dies is redone by the next. */
  'salesforce.sync': {
    payload: z.object({ connectionId: z.uuid(), trigger: z.enum(['schedule', 'manual', 'connect']) }),
    attempts: 3,
    backoffMs: 60_000,
  },
  /** Send the weekly digests that are due (scheduled only where SMTP is configured). Idempotent per view and week. */
  'digest.send': {
    payload: z.object({}),
    attempts: 3,
    backoffMs: 5 * 60_000,
  },
  /**
   * An org's first sync (a backfill), which a `salesforce.sync` hands over: on a queue of its own
   * with its own concurrency, so a large backfill never holds a slot the 15-minute syncs need.
   */
  'salesforce.backfill': {
    payload: z.object({ connectionId: z.uuid(), trigger: z.enum(['schedule', 'manual', 'connect']) }),
    attempts: 3,
    backoffMs: 60_000,
  },
  /** Enqueue a recompute for every workspace with dirty opportunities (safety net for lost jobs). */
  'attribution.sweep': {
    payload: z.object({}),
    attempts: 1,
    backoffMs: 0,
  },
} as const;

export type JobName = keyof typeof jobContract;
export type JobPayload<N extends JobName> = z.infer<(typeof jobContract)[N]['payload']>;
export const jobNames = Object.keys(jobContract) as JobName[];

export interface JobContext {
  jobId: string;
  attempt: number;
  logger: import('../platform/logger').Logger;
}

export type JobHandlers = { [N in JobName]: (payload: JobPayload<N>, ctx: JobContext) => Promise<void> };

export interface EnqueueOptions {
  /** Deduplicates: a job with the same id that has not finished absorbs this one. */
  jobId?: string;
  delayMs?: number;
}

/** Producer side. */
export interface JobQueue {
  readonly transport: 'bullmq' | 'in-process';
  enqueue<N extends JobName>(name: N, payload: JobPayload<N>, options?: EnqueueOptions): Promise<void>;
  /** A repeating job, kept under a stable id (re-created at every boot, so a flushed Redis recovers). */
  schedule<N extends JobName>(id: string, name: N, payload: JobPayload<N>, everyMs: number): Promise<void>;
  unschedule(id: string): Promise<void>;
  /** Which of these schedule ids have no scheduler (Redis lost its data, say). */
  missingSchedules(ids: readonly string[]): Promise<string[]>;
  isReady(): Promise<boolean>;
  close(): Promise<void>;
}

/** Consumer side. */
export interface JobWorker {
  start(handlers: JobHandlers): void;
  /** Stops taking jobs and waits for the running ones (up to the timeout). */
  close(timeoutMs: number): Promise<void>;
}
