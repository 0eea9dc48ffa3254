// The web app's way in to /api/v1 (and the OAuth start): the session cookie of a workspace user,
// who acts as an admin of their own workspace and nothing else. An Authorization header wins:
// a request that names an API key is the key's, whatever cookies the client carries.
import type { Db } from '../../platform/db/client';
import { cachedSessionResumer } from '../../access/session-cache';
import type { Authenticator } from '../auth';
import { readSessionToken } from './cookie';
import { assertSameOriginIntent } from './csrf';
import { AppError } from '../../platform/errors';

export function sessionAuthenticator(db: Db): Authenticator {
  // A live session is remembered for SESSION_CACHE_MS (one ended through this process stops at once).
  const resumeSession = cachedSessionResumer(db);
  return async (req) => {
    if (req.headers.authorization) return null;
    const token = readSessionToken(req);
    if (!token) return null;
    const found = await resumeSession(token);
    if (!found) return null;
    assertSameOriginIntent(req);
    if (found.user.passwordChangeRequired) {
      throw new AppError(
        'forbidden',
        'your password was reset by an admin: choose a new one first (POST /auth/password, or sign in to the web app)',
      );
    }
    return {
      workspaceId: found.user.workspaceId,
      principal: { kind: 'user', id: found.user.id },
      scopes: ['admin'],
      teams: null,
    };
  };
}
