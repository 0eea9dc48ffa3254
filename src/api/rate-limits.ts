// Every rate limit of the HTTP edge, mounted in app.ts. With REDIS_URL the counts live in Redis,
// so every API process shares them; otherwise in this process's memory. A Redis outage must not
// take the API down with it: the limiters count nothing until it is back.
import type { RequestHandler } from 'express';
import { ipKeyGenerator, rateLimit, type Store } from 'express-rate-limit';
import IORedis from 'ioredis';
import { RedisStore } from 'rate-limit-redis';
import { AppError } from '../platform/errors';
import type { ApiDeps } from './deps';

type LimitDeps = Pick<ApiDeps, 'config' | 'logger' | 'onClose'>;

/** A store for one limiter, named by `name` in its Redis keys and logs; none means memory. */
function storeFor(deps: LimitDeps, name: string): { store: Store } | Record<string, never> {
  const url = deps.config.queue.redisUrl;
  if (!url) return {};
  const client = new IORedis(url, { maxRetriesPerRequest: 1, enableOfflineQueue: true });
  client.on('error', (err) =>
    deps.logger.warn({ err: { message: err.message }, limiter: name }, 'rate limit redis connection error'),
  );
  deps.onClose(() =>
    client.quit().then(
      () => undefined,
      () => client.disconnect(),
    ),
  );
  return {
    store: new RedisStore({
      prefix: `${deps.config.queue.prefix}:${name}:`,
      sendCommand: (command: string, ...args: string[]) => client.call(command, ...args) as Promise<never>,
    }),
  };
}

/** Requests per minute per API key or signed-in user (RATE_LIMIT_PER_MINUTE), on every /api/v1 route. */
export function perCallerRateLimit(deps: LimitDeps): RequestHandler {
  const limit = deps.config.api.rateLimitPerMinute;
  return rateLimit({
    windowMs: 60_000,
    limit,
    standardHeaders: 'draft-8',
    legacyHeaders: false,
    // Mounted after `authenticate`: every request here has a caller.
    keyGenerator: (req) => `key:${req.auth?.principal.id ?? 'anonymous'}`,
    passOnStoreError: true,
    ...storeFor(deps, 'ratelimit'),
    handler: (_req, _res, next) => {
      next(
        new AppError(
          'rate_limited',
          `this API key may make ${limit} requests a minute; retry after the number of seconds in Retry-After`,
        ),
      );
    },
  });
}

export const SIGN_IN_ATTEMPTS = 10;
const SIGN_IN_WINDOW_MS = 15 * 60_000;

/**
 * Failed sign-ins per client address and email: 10 in 15 minutes, then 429 until the window
 * passes. Successful sign-ins do not count. Mounted after the JSON body parser.
 */
export function signInRateLimit(deps: LimitDeps): RequestHandler {
  return rateLimit({
    windowMs: SIGN_IN_WINDOW_MS,
    limit: SIGN_IN_ATTEMPTS,
    skipSuccessfulRequests: true,
    standardHeaders: 'draft-8',
    legacyHeaders: false,
    keyGenerator: (req) => {
      const email = typeof req.body?.email === 'string' ? req.body.email.trim().toLowerCase() : '';
      return `sign-in:${ipKeyGenerator(req.ip ?? 'unknown')}:${email}`;
    },
    passOnStoreError: true,
    ...storeFor(deps, 'signin'),
    handler: (_req, _res, next) => {
      next(
        new AppError(
          'rate_limited',
          `${SIGN_IN_ATTEMPTS} sign-ins failed for this email from your address in 15 minutes: wait until the time in Retry-After, or ask your workspace admin to check your account`,
        ),
      );
    },
  });
}
