import { sql } from 'drizzle-orm';
import { API_KEY_CACHE_MS, cachedApiKeyVerifier } from '../../src/access/api-key-cache';
import { createApiKey, revokeApiKey } from '../../src/access/api-keys';
import { newWorkspace } from '../api/helpers';
import { useTestDatabase } from '../support/database';

const database = useTestDatabase();

async function keyOf(slug: string) {
  const ws = await newWorkspace(database.db, slug);
  const created = await createApiKey(database.db, ws.id, { name: 'cache', scopes: ['dashboard:read'] });
  return { ws, id: created.apiKey.id, key: created.key };
}

describe('the cache of verified API keys', () => {
  it('answers a known key from memory, and stops a key revoked elsewhere within API_KEY_CACHE_MS', async () => {
    let clock = 1_000_000;
    const verify = cachedApiKeyVerifier(database.db, { now: () => clock });
    const { id, key } = await keyOf('cache-elsewhere');
    expect((await verify(key))?.id).toBe(id);

    // Revoked by another process (the CLI, another replica): this one cannot know at once.
    await database.db.execute(sql`update api_keys set revoked_at = now() where id = ${id}`);
    clock += API_KEY_CACHE_MS - 1;
    expect((await verify(key))?.id).toBe(id);
    clock += 1;
    expect(await verify(key)).toBeNull();
  });

  it('stops a key revoked through this process at once', async () => {
    const verify = cachedApiKeyVerifier(database.db);
    const { ws, id, key } = await keyOf('cache-here');
    expect((await verify(key))?.id).toBe(id);
    expect(await revokeApiKey(database.db, ws.id, id)).toBe(true);
    expect(await verify(key)).toBeNull();
  });

  it('never remembers an unknown key', async () => {
    const verify = cachedApiKeyVerifier(database.db);
    const { key } = await keyOf('cache-unknown');
    const wrong = `${key.slice(0, -1)}${key.endsWith('A') ? 'B' : 'A'}`;
    expect(await verify(wrong)).toBeNull();
    expect(await verify(wrong)).toBeNull();
  });
});
