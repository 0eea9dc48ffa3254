// Requests per minute per API key (RATE_LIMIT_PER_MINUTE). With REDIS_URL the count lives in
// Redis, so every API process shares it; otherwise in this process's memory.
import { rateLimit } from 'express-rate-limit';
import type { RequestHandler } from 'express';
import type { ApiDeps } from './deps';
import { sendProblem } from './problem';
import { rateLimitStore } from './rate-limit-store';

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
    ...rateLimitStore(deps, 'ratelimit'),
    handler: (_req, res) => {
      sendProblem(res, {
        title: 'Too Many Requests',
        status: 429,
        detail: `this API key may make ${limit} requests a minute; retry after the number of seconds in Retry-After`,
      });
    },
  });
}
