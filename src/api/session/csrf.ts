// Cross-site request forgery: a request authenticated by the cookie that changes something must
// carry "X-Requested-With: fetch". A page on another site cannot add that header without a CORS
// preflight, which this service never grants; the web app's fetch wrapper always sends it.
import type { Request, RequestHandler } from 'express';
import { AppError } from '../../platform/errors';

const SAFE = new Set(['GET', 'HEAD']);
export const CSRF_HEADER = 'x-requested-with';
export const CSRF_VALUE = 'fetch';

export function assertSameOriginIntent(req: Request): void {
  if (SAFE.has(req.method) || req.get(CSRF_HEADER) === CSRF_VALUE) return;
  throw new AppError(
    'forbidden',
    'a signed-in request that changes something must carry the header "X-Requested-With: fetch" (the web app sends it); scripts use an API key instead',
  );
}

export const requireSameOriginIntent: RequestHandler = (req, _res, next) => {
  try {
    assertSameOriginIntent(req);
    next();
  } catch (err) {
    next(err);
  }
};
