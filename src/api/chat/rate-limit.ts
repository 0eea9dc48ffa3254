// Requests per minute per API key (RATE_LIMIT_PER_MINUTE). With REDIS_URL the count lives in
// Redis, so every API process shares it; otherwise in this process's memory.
import { rateLimit, type Store } from 'express-rate-limit';
import IORedis from 'ioredis';
import { RedisStore } from 'rate-limit-redis';
import type { RequestHandler } from 'express';
import type { ApiDeps } from '../deps';
import { sendProblem } from '../problem';

export function perKeyRateLimit(deps: Pick<ApiDeps, 'config' | 'logger'>): RequestHandler {
  const limit = deps.config.api.rateLimitPerMinute;
  return rateLimit({
    windowMs: 60_000,
    limit,
    standardHeaders: 'draft-8',
    legacyHeaders: false,
    // Mounted after `authenticate`: every request here has a caller.
    keyGenerator: (req) => `key:${req.auth?.principal.id ?? 'anonymous'}`,
    // A Redis outage must not take the API down with it: count nothing until it is back.
    passOnStoreError: true,
    ...(deps.config.queue.redisUrl ? { store: redisStore(deps.config.queue.redisUrl, deps.config.queue.prefix, deps) } : {}),
    handler: (_req, res) => {
      sendProblem(res, {
        title: 'Too Many Requests',
        status: 429,
        detail: `this API key may make ${limit} requests a minute; retry after the number of seconds in Retry-After`,
      });
    },
  });
}

function redisStore(url: string, prefix: string, deps: Pick<ApiDeps, 'logger'>): Store {
  const client = new IORedis(url, { maxRetriesPerRequest: 1, enableOfflineQueue: true });
  client.on('error', (err) => deps.logger.warn({ err: { message: err.message } }, 'rate limit redis connection error'));
  // Routers have no shutdown hook: the connection must not hold the process open at exit.
  client.on('connect', () => (client as unknown as { stream?: { unref?: () => void } }).stream?.unref?.());
  return new RedisStore({
    prefix: `${prefix}:ratelimit:`,
    sendCommand: (command: string, ...args: string[]) => client.call(command, ...args) as Promise<never>,
  });
}
