// The door of /services/data/vNN.N: a live Bearer token (else INVALID_SESSION_ID), the daily
// API limit (else REQUEST_LIMIT_EXCEEDED), one request counted, and Sforce-Limit-Info on the way out.
import type { NextFunction, Request, Response } from 'express';
import type { FakeContext } from './context';
import { RestError, invalidSession, notFound, requestLimitExceeded } from './errors';

export function restGate(ctx: FakeContext) {
  return (req: Request, res: Response, next: NextFunction): void => {
    res.set('Sforce-Limit-Info', ctx.usage.header());
    if (!/^v\d{2,3}\.\d$/.test(String(req.params.version))) throw notFound();
    const token = /^(?:Bearer|OAuth) (.+)$/i.exec(req.get('authorization') ?? '')?.[1];
    if (!token || !ctx.tokens.checkAccess(token)) throw invalidSession();
    // A user who lost "API Enabled" keeps a valid session, and every call is refused.
    if (!ctx.behaviour.apiEnabled) throw new RestError(403, 'API_CURRENTLY_DISABLED', 'API is disabled for this User');
    if (ctx.usage.exceeded) throw requestLimitExceeded();
    ctx.usage.count();
    res.set('Sforce-Limit-Info', ctx.usage.header());
    next();
  };
}
