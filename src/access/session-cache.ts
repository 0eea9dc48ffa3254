// Live web app sessions remembered for a few seconds per process, so a request of the web app
// costs no database round trip to authenticate (the session and its user, one statement before).
// The bound on revocation: a session ended through this process (sign-out, a password change or
// reset, a user removed) stops at once; one ended by another process (another API replica, the
// CLI) within SESSION_CACHE_MS. The sliding expiry is still written by resumeSession, at most
// SESSION_CACHE_MS later than without the cache (it moves in steps of a minute anyway).
import type { Session, User } from '../platform/db/schema';
import type { DbOrTx } from '../platform/db/client';
import { resumeSession, sessionIdOf } from './sessions';
import { sessionChangesSoFar } from './session-changes';

export const SESSION_CACHE_MS = 5_000;
/** Past this many sessions the cache starts over: a bound on memory. */
const MAX_SESSIONS = 10_000;

export interface SessionCacheOptions {
  ttlMs?: number;
  now?: () => number;
}

type Found = { session: Session; user: User };

/** `resumeSession` with a short memory of live sessions. Unknown, expired and revoked ones are never kept. */
export function cachedSessionResumer(
  db: DbOrTx,
  { ttlMs = SESSION_CACHE_MS, now = Date.now }: SessionCacheOptions = {},
): (token: string) => Promise<Found | null> {
  // By the token's hash (the row id): the cookie token itself is not kept.
  const known = new Map<string, { found: Found; until: number; changes: number }>();
  return async (token) => {
    const id = sessionIdOf(token);
    const hit = known.get(id);
    const t = now();
    if (hit && hit.until > t && hit.changes === sessionChangesSoFar() && hit.found.session.expiresAt.getTime() > t) {
      return hit.found;
    }
    known.delete(id);
    const before = sessionChangesSoFar(); // a change during the read leaves it unremembered
    const found = await resumeSession(db, token, new Date(t));
    if (found) {
      if (known.size >= MAX_SESSIONS) known.clear();
      known.set(id, { found, until: now() + ttlMs, changes: before });
    }
    return found;
  };
}
