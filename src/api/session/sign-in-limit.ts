// Failed sign-ins per client address and email: 10 in 15 minutes, then 429 until the window
// passes. Successful sign-ins do not count. With REDIS_URL the count is shared by every API process.
import { ipKeyGenerator, rateLimit } from 'express-rate-limit';
import type { RequestHandler } from 'express';
import type { ApiDeps } from '../deps';
import { sendProblem } from '../problem';
import { rateLimitStore } from '../rate-limit-store';

export const SIGN_IN_ATTEMPTS = 10;
const WINDOW_MS = 15 * 60_000;

export function signInLimit(deps: Pick<ApiDeps, 'config' | 'logger'>): RequestHandler {
  return rateLimit({
    windowMs: WINDOW_MS,
    limit: SIGN_IN_ATTEMPTS,
    skipSuccessfulRequests: true,
    standardHeaders: 'draft-8',
    legacyHeaders: false,
    // Mounted after the JSON body parser.
    keyGenerator: (req) => {
      const email = typeof req.body?.email === 'string' ? req.body.email.trim().toLowerCase() : '';
      return `sign-in:${ipKeyGenerator(req.ip ?? 'unknown')}:${email}`;
    },
    passOnStoreError: true,
    ...rateLimitStore(deps, 'signin'),
    handler: (_req, res) => {
      sendProblem(res, {
        title: 'Too Many Requests',
        status: 429,
        detail: `${SIGN_IN_ATTEMPTS} sign-ins failed for this email from your address in 15 minutes: wait until the time in Retry-After, or ask your workspace admin to check your account`,
      });
    },
  });
}
