// The worker's job schedulers live in Redis: the sweep, a sync per connected org, and the weekly
// digest's check where SMTP is configured. Redis can
// lose them (a flush, a failover without persistence) and nothing would recreate them until a
// worker restarted. So a worker checks every SCHEDULE_RECONCILE_SECONDS and re-creates what is
// missing; /readyz of a process running the worker says when schedulers are missing.
import type { Db } from '../platform/db/client';
import type { JobQueue } from '../jobs/contract';
import type { Logger } from '../platform/logger';
import { expectedSyncSchedules } from '../salesforce/schedules';
import { DIGEST_SCHEDULE_ID, SWEEP_EVERY_MS, SWEEP_SCHEDULE_ID } from './job-handlers';

export interface ScheduleKeeper {
  /** The expected schedules that have no scheduler now. */
  missing(): Promise<string[]>;
  /** Re-creates the missing schedulers; how many there were. */
  reconcile(): Promise<number>;
  stop(): void;
}

export function keepSchedules(deps: {
  db: Db;
  queue: JobQueue;
  logger: Logger;
  /** Whether orgs are synced at all (a Salesforce app is configured). */
  salesforce: boolean;
  /** How often to look for weekly digests due; null without SMTP (nothing is scheduled). */
  digestEveryMs: number | null;
  everyMs: number;
}): ScheduleKeeper {
  const { queue, logger } = deps;
  const expected = async () => [
    { id: SWEEP_SCHEDULE_ID, create: () => queue.schedule(SWEEP_SCHEDULE_ID, 'attribution.sweep', {}, SWEEP_EVERY_MS) },
    ...(deps.salesforce ? await expectedSyncSchedules(deps.db, queue) : []),
    ...(deps.digestEveryMs
      ? [
          {
            id: DIGEST_SCHEDULE_ID,
            create: () => queue.schedule(DIGEST_SCHEDULE_ID, 'digest.send', {}, deps.digestEveryMs!),
          },
        ]
      : []),
  ];
  const missing = async () => queue.missingSchedules((await expected()).map((s) => s.id));
  const reconcile = async () => {
    const all = await expected();
    const gone = new Set(await queue.missingSchedules(all.map((s) => s.id)));
    if (gone.size === 0) return 0;
    logger.warn({ missing: [...gone] }, 'job schedulers were missing (did Redis lose its data?): re-creating them');
    for (const s of all) if (gone.has(s.id)) await s.create();
    return gone.size;
  };
  let running = false;
  const timer = setInterval(() => {
    if (running) return;
    running = true;
    reconcile()
      .catch((err: Error) => logger.warn({ err: { message: err.message } }, 'could not check the job schedulers'))
      .finally(() => {
        running = false;
      });
  }, deps.everyMs);
  timer.unref();
  return { missing, reconcile, stop: () => clearInterval(timer) };
}
