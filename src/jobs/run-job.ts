// Wraps every job once, for both transports: payload validation, a child logger, timing,
// and the line between retryable and permanent failures. Handlers carry no instrumentation.
import { performance } from 'node:perf_hooks';
import type { Logger } from '../platform/logger';
import { AppError, isAppError } from '../platform/errors';
import { jobContract, type JobHandlers, type JobName } from './contract';

/** Retrying cannot help an AppError whose code says so (a bad payload, a revoked authorization). */
export const isPermanent = (err: unknown) => isAppError(err) && !err.retryable;

export async function runJob(
  handlers: JobHandlers,
  name: JobName,
  raw: unknown,
  meta: { jobId: string; attempt: number; logger: Logger },
): Promise<void> {
  const parsed = jobContract[name].payload.safeParse(raw);
  if (!parsed.success) {
    throw new AppError('invalid_input', `job ${name} ${meta.jobId} has an invalid payload: ${parsed.error.message}`);
  }
  const logger = meta.logger.child({ job: name, jobId: meta.jobId, attempt: meta.attempt, ...parsed.data });
  const started = performance.now();
  try {
    await (handlers[name] as (p: unknown, c: unknown) => Promise<void>)(parsed.data, {
      jobId: meta.jobId,
      attempt: meta.attempt,
      logger,
    });
    logger.info({ ms: Math.round(performance.now() - started) }, 'job done');
  } catch (err) {
    const permanent = isPermanent(err);
    logger[permanent ? 'error' : 'warn'](
      { ms: Math.round(performance.now() - started), err: permanent ? { message: (err as Error).message } : err },
      permanent ? 'job failed permanently' : 'job failed; it will be retried if attempts remain',
    );
    throw err;
  }
}
