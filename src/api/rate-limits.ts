// Every rate limit of the HTTP edge, mounted in app.ts. With REDIS_URL the counts live in Redis,
// so every API process shares them; otherwise in this process's memory. A Redis outage must not
// take the API down with it: the limiters count nothing until it is back.
import type { Request, RequestHandler } from 'express';
import { ipKeyGenerator, rateLimit, type Store } from 'express-rate-limit';
import IORedis from 'ioredis';
import { RedisStore } from 'rate-limit-redis';
import { normalizeEmail } from '../attribution/history';
import { AppError } from '../platform/errors';
import type { ApiDeps } from './deps';

type LimitDeps = Pick<ApiDeps, 'config' | 'logger' | 'onClose'>;

/** One Redis connection per service for all its limiters (keyed by the service's onClose). */
const clients = new WeakMap<LimitDeps['onClose'], IORedis>();

function redisFor(deps: LimitDeps, url: string): IORedis {
  const known = clients.get(deps.onClose);
  if (known) return known;
  const client = new IORedis(url, { maxRetriesPerRequest: 1, enableOfflineQueue: true });
  client.on('error', (err) => deps.logger.warn({ err: { message: err.message } }, 'rate limit redis connection error'));
  deps.onClose(() =>
    client.quit().then(
      () => undefined,
      () => client.disconnect(),
    ),
  );
  clients.set(deps.onClose, client);
  return client;
}

/** A store for one limiter, named by `name` in its Redis keys; none means memory. */
function storeFor(deps: LimitDeps, name: string): { store: Store } | Record<string, never> {
  const url = deps.config.queue.redisUrl;
  if (!url) return {};
  const client = redisFor(deps, url);
  return {
    store: new RedisStore({
      prefix: `${deps.config.queue.prefix}:${name}:`,
      sendCommand: (command: string, ...args: string[]) => client.call(command, ...args) as Promise<never>,
    }),
  };
}

interface LimitSpec {
  /** Names the limiter in its Redis keys and logs. */
  name: string;
  windowMs: number;
  limit: number;
  key: (req: Request) => string;
  /** What the 429 says: what was counted, and what to do. */
  message: string;
  skipSuccessfulRequests?: boolean;
}

/** One way to build every limiter: draft-8 RateLimit headers, a 429 problem+json, Redis when configured. */
function limiter(deps: LimitDeps, spec: LimitSpec): RequestHandler {
  return rateLimit({
    windowMs: spec.windowMs,
    limit: spec.limit,
    skipSuccessfulRequests: spec.skipSuccessfulRequests ?? false,
    standardHeaders: 'draft-8',
    legacyHeaders: false,
    keyGenerator: spec.key,
    // Names the policy in the RateLimit-Policy header.
    identifier: spec.name,
    passOnStoreError: true,
    ...storeFor(deps, spec.name),
    handler: (_req, _res, next) => next(new AppError('rate_limited', spec.message)),
  });
}

/** The client's address: the socket's, or X-Forwarded-For's only from a proxy TRUST_PROXY names. IPv6 by /56. */
export const clientAddress = (req: Request) => ipKeyGenerator(req.ip ?? 'unknown');

/** Requests per minute per API key or signed-in user (RATE_LIMIT_PER_MINUTE), on every /api/v1 route. */
export function perCallerRateLimit(deps: LimitDeps): RequestHandler {
  const limit = deps.config.api.rateLimitPerMinute;
  return limiter(deps, {
    name: 'ratelimit',
    windowMs: 60_000,
    limit,
    // Mounted after `authenticate`: every request here has a caller.
    key: (req) => `key:${req.auth?.principal.id ?? 'anonymous'}`,
    message: `this API key may make ${limit} requests a minute; retry after the number of seconds in Retry-After`,
  });
}

/**
 * The OAuth pages (/oauth/salesforce/*) answer anyone: per client address, OAUTH_RATE_LIMIT_PER_MINUTE.
 * The callback reads sessions and may call Salesforce; the authorize link is cheap but counted alike.
 */
export function oauthRateLimit(deps: LimitDeps): RequestHandler {
  const limit = deps.config.api.oauthRateLimitPerMinute;
  return limiter(deps, {
    name: 'oauth',
    windowMs: 60_000,
    limit,
    key: (req) => `oauth:${clientAddress(req)}`,
    message: `${limit} requests a minute to the Salesforce connection pages from your address: retry after the number of seconds in Retry-After`,
  });
}

/**
 * The chat webhook answers anyone, so before its body is read: refused deliveries per client address
 * (WEBHOOK_REFUSALS_PER_MINUTE; accepted ones do not count, so a busy sender is never slowed), then
 * deliveries per workspace named (WEBHOOK_RATE_LIMIT_PER_MINUTE), counted alike for a slug that
 * does not exist.
 */
export function webhookRefusalLimit(deps: LimitDeps): RequestHandler {
  const limit = deps.config.webhooks.refusalsPerAddressPerMinute;
  return limiter(deps, {
    name: 'webhook-refusals',
    windowMs: 60_000,
    limit,
    skipSuccessfulRequests: true,
    key: (req) => `webhook-refusals:${clientAddress(req)}`,
    message: `${limit} webhook deliveries from your address were refused in a minute: fix the signing, then retry after the number of seconds in Retry-After`,
  });
}

export function webhookWorkspaceLimit(deps: LimitDeps): RequestHandler {
  const limit = deps.config.webhooks.perWorkspacePerMinute;
  return limiter(deps, {
    name: 'webhook-workspace',
    windowMs: 60_000,
    limit,
    key: (req) => `webhook-workspace:${typeof req.query.workspace === 'string' ? req.query.workspace : ''}`,
    message: `a workspace takes ${limit} webhook deliveries a minute: send larger batches, or retry after the number of seconds in Retry-After`,
  });
}

export const SIGN_IN_ATTEMPTS = 10;
const SIGN_IN_WINDOW_MS = 15 * 60_000;
const emailOf = (req: Request) => (typeof req.body?.email === 'string' ? (normalizeEmail(req.body.email) ?? '') : '');

/**
 * Failed sign-ins, counted three ways in 15 minutes (successful ones do not count), then 429 until
 * the window passes: per client address and email (10), per email from any address
 * (SIGN_IN_FAILURES_PER_ACCOUNT, against a spray from many addresses) and per address for any email
 * (SIGN_IN_FAILURES_PER_ADDRESS, against one address trying many accounts). Mounted after the JSON
 * body parser. The address is the socket's unless TRUST_PROXY names the proxy in front.
 */
export function signInRateLimits(deps: LimitDeps): RequestHandler[] {
  const { failuresPerAccount, failuresPerAddress } = deps.config.signIn;
  const wait = 'wait until the time in Retry-After, or ask your workspace admin to check your account';
  return [
    limiter(deps, {
      name: 'signin',
      windowMs: SIGN_IN_WINDOW_MS,
      limit: SIGN_IN_ATTEMPTS,
      skipSuccessfulRequests: true,
      key: (req) => `sign-in:${clientAddress(req)}:${emailOf(req)}`,
      message: `${SIGN_IN_ATTEMPTS} sign-ins failed for this email from your address in 15 minutes: ${wait}`,
    }),
    limiter(deps, {
      name: 'signin-account',
      windowMs: SIGN_IN_WINDOW_MS,
      limit: failuresPerAccount,
      skipSuccessfulRequests: true,
      key: (req) => `sign-in-account:${emailOf(req)}`,
      message: `${failuresPerAccount} sign-ins failed for this email in 15 minutes: ${wait}`,
    }),
    limiter(deps, {
      name: 'signin-address',
      windowMs: SIGN_IN_WINDOW_MS,
      limit: failuresPerAddress,
      skipSuccessfulRequests: true,
      key: (req) => `sign-in-address:${clientAddress(req)}`,
      message: `${failuresPerAddress} sign-ins failed from your address in 15 minutes: ${wait}`,
    }),
  ];
}

/**
 * A wrong current password on a password change counts like a failed sign-in from that address:
 * a stolen session cannot guess its way to the password.
 */
export function passwordChangeRateLimit(deps: LimitDeps): RequestHandler {
  return limiter(deps, {
    name: 'password-change',
    windowMs: SIGN_IN_WINDOW_MS,
    limit: SIGN_IN_ATTEMPTS,
    skipSuccessfulRequests: true,
    key: (req) => `password-change:${clientAddress(req)}`,
    message: `${SIGN_IN_ATTEMPTS} password changes failed from your address in 15 minutes: wait until the time in Retry-After`,
  });
}
