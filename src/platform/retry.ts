// Backoff with jitter, the one formula for every retry of the service: jobs, Salesforce requests
// and database transactions. Full jitter (AWS Architecture Blog, "Exponential Backoff And
// Jitter"): a random delay up to base * 2^(attempt-1), so retries of many callers spread out.

export function backoffDelayMs(baseMs: number, attempt: number, capMs = Number.POSITIVE_INFINITY): number {
  return Math.round(Math.random() * Math.min(capMs, baseMs * 2 ** (attempt - 1)));
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export interface RetryOptions {
  /** Tries in all, the first included. */
  attempts: number;
  baseMs: number;
  capMs?: number;
  /** Whether this failure is worth another try; the last failure is thrown as it is. */
  retryable: (err: unknown) => boolean;
  /** Called before each wait, to log the failure that caused it. */
  onRetry?: (err: unknown, attempt: number, delayMs: number) => void;
  sleep?: (ms: number) => Promise<void>;
}

/** Runs `fn` until it succeeds, a failure is not retryable, or the attempts are spent. */
export async function retry<T>(fn: (attempt: number) => Promise<T>, options: RetryOptions): Promise<T> {
  const wait = options.sleep ?? sleep;
  for (let attempt = 1; ; attempt++) {
    try {
      return await fn(attempt);
    } catch (err) {
      if (attempt >= options.attempts || !options.retryable(err)) throw err;
      const delayMs = backoffDelayMs(options.baseMs, attempt, options.capMs);
      options.onRetry?.(err, attempt, delayMs);
      await wait(delayMs);
    }
  }
}
