// Who is calling: an API key (Authorization: Bearer cra_...) scoped to one workspace.
// Every route below this middleware reads `req.auth` and nothing else to scope its queries.
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { cachedApiKeyVerifier } from '../access/api-key-cache';
import { hasScope, WRITE_AND_READ_FOR_TEAMS, writesAndReadsForTeams } from '../access/api-keys';
import type { Db } from '../platform/db/client';
import type { ApiKeyScope } from '../platform/db/schema';
import { AppError } from '../platform/errors';

export interface Caller {
  workspaceId: string;
  /** The key, or the signed-in user, acting. */
  principal: { kind: 'api_key' | 'user'; id: string };
  scopes: ApiKeyScope[];
  /** Teams the caller may see; null: all. */
  teams: string[] | null;
}

declare module 'express-serve-static-core' {
  interface Request {
    auth?: Caller;
  }
}

/** Extra ways to authenticate (the web app's session) are tried before the API key. */
export type Authenticator = (req: Request) => Promise<Caller | null>;

export function authenticate(db: Db, others: Authenticator[] = []): RequestHandler {
  const verify = cachedApiKeyVerifier(db);
  return async (req: Request, _res: Response, next: NextFunction) => {
    try {
      for (const other of others) {
        const caller = await other(req);
        if (caller) {
          req.auth = caller;
          return next();
        }
      }
      const header = req.headers.authorization;
      const presented = header?.startsWith('Bearer ') ? header.slice(7).trim() : undefined;
      if (!presented) {
        throw new AppError(
          'unauthorized',
          'send an API key as "Authorization: Bearer cra_..." (create one with `npm run cli -- keys:create`)',
        );
      }
      const key = await verify(presented);
      if (!key) throw new AppError('unauthorized', 'this API key is unknown or revoked');
      req.auth = {
        workspaceId: key.workspaceId,
        principal: { kind: 'api_key', id: key.id },
        scopes: key.scopes,
        teams: key.teams,
      };
      next();
    } catch (err) {
      next(err);
    }
  };
}

export function requireScope(scope: ApiKeyScope): RequestHandler {
  return (req, _res, next) => {
    if (!req.auth) return next(new AppError('unauthorized', 'authentication required'));
    if (!hasScope(req.auth.scopes, scope)) {
      return next(new AppError('forbidden', `this key lacks the "${scope}" scope`));
    }
    // A key created with both before they were refused keeps writing, and reads nothing.
    if (scope !== 'conversations:write' && writesAndReadsForTeams(req.auth.scopes, req.auth.teams)) {
      return next(new AppError('forbidden', WRITE_AND_READ_FOR_TEAMS));
    }
    next();
  };
}

/** The authenticated caller; routes mounted after `authenticate` can rely on it. */
export function caller(req: Request): Caller {
  if (!req.auth) throw new AppError('unauthorized', 'authentication required');
  return req.auth;
}

/**
 * The finance views (ledger, CSV, opportunity story) are workspace-wide: a caller restricted to
 * teams may not read them.
 */
export const requireWorkspaceWide: RequestHandler = (req, _res, next) => {
  if (req.auth?.teams) {
    return next(
      new AppError(
        'forbidden',
        'the ledger is a workspace-wide finance view and this key is restricted to teams: use a key without a team restriction',
      ),
    );
  }
  next();
};
