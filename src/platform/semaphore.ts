// At most `max` tasks at once; the others wait in line, briefly. A task that cannot start within
// `maxWaitMs`, or finds `maxQueued` already waiting, is refused as `unavailable` (503 with
// Retry-After): a burst is answered at once instead of delaying everyone behind it.
import { AppError } from './errors';

export interface Semaphore {
  run<T>(task: () => Promise<T>): Promise<T>;
}

export function createSemaphore(opts: { max: number; maxWaitMs: number; maxQueued: number; busy: string }): Semaphore {
  let running = 0;
  const waiting: { start: () => void; timer: NodeJS.Timeout }[] = [];
  const refuse = () => new AppError('unavailable', opts.busy, { details: { retryAfterSeconds: 5 } });

  const release = () => {
    running -= 1;
    const next = waiting.shift();
    if (next) {
      clearTimeout(next.timer);
      running += 1;
      next.start();
    }
  };
  const acquire = (): Promise<void> => {
    if (running < opts.max) {
      running += 1;
      return Promise.resolve();
    }
    if (waiting.length >= opts.maxQueued) return Promise.reject(refuse());
    return new Promise((resolve, reject) => {
      const entry = {
        start: resolve,
        timer: setTimeout(() => {
          waiting.splice(waiting.indexOf(entry), 1);
          reject(refuse());
        }, opts.maxWaitMs),
      };
      waiting.push(entry);
    });
  };
  return {
    async run(task) {
      await acquire();
      try {
        return await task();
      } finally {
        release();
      }
    },
  };
}
