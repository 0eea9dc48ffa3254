// Verified API keys remembered for a few seconds per process, so a request costs no database
// round trip to authenticate (bench:api: two statements a request before). The bound on
// revocation: a key revoked through this process (the admin API) stops at once; revoked by another
// process (the CLI, another API replica), within API_KEY_CACHE_MS. docs/chat-api.md says so.
import type { DbOrTx } from '../platform/db/client';
import type { ApiKey } from '../platform/db/schema';
import { hashKey, revocationsSoFar, verifyApiKey } from './api-keys';

export const API_KEY_CACHE_MS = 5_000;
/** Past this many keys the cache starts over: a bound on memory, far above one process's callers. */
const MAX_KEYS = 10_000;

export interface ApiKeyCacheOptions {
  ttlMs?: number;
  now?: () => number;
}

/** `verifyApiKey` with a short memory of keys that verified. Unknown and revoked keys are never kept. */
export function cachedApiKeyVerifier(
  db: DbOrTx,
  { ttlMs = API_KEY_CACHE_MS, now = Date.now }: ApiKeyCacheOptions = {},
): (presented: string) => Promise<ApiKey | null> {
  // By the key's hash: the secret itself is not kept in memory any longer than the request.
  const known = new Map<string, { key: ApiKey; until: number; revocations: number }>();
  return async (presented) => {
    const id = hashKey(presented);
    const hit = known.get(id);
    if (hit && hit.until > now() && hit.revocations === revocationsSoFar()) return hit.key;
    known.delete(id);
    const revocations = revocationsSoFar();
    const key = await verifyApiKey(db, presented);
    if (key) {
      if (known.size >= MAX_KEYS) known.clear();
      known.set(id, { key, until: now() + ttlMs, revocations });
    }
    return key;
  };
}
