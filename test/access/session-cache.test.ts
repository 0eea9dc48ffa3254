import { sql } from 'drizzle-orm';
import { resetUserPassword } from '../../src/access/password-changes';
import { SESSION_CACHE_MS, cachedSessionResumer } from '../../src/access/session-cache';
import { endSession, startSession } from '../../src/access/sessions';
import { createUser, removeUser } from '../../src/access/users';
import { newWorkspace } from '../api/helpers';
import { useTestDatabase } from '../support/database';

const database = useTestDatabase();

async function sessionOf(slug: string, email = 'ada@example.com') {
  const ws = await newWorkspace(database.db, slug);
  const user = await createUser(database.db, ws.id, { email, name: 'Ada', password: 'correct horse battery' });
  const { token } = await startSession(database.db, user);
  return { ws, user, token };
}

describe('the cache of live sessions', () => {
  it('answers a live session from memory, and stops one revoked elsewhere within SESSION_CACHE_MS', async () => {
    let clock = Date.now();
    const resume = cachedSessionResumer(database.db, { now: () => clock });
    const { user, token } = await sessionOf('session-cache-elsewhere');
    expect((await resume(token))?.user.id).toBe(user.id);

    // Revoked by another process (another replica): this one cannot know at once.
    await database.db.execute(sql`update sessions set revoked_at = now() where user_id = ${user.id}`);
    clock += SESSION_CACHE_MS - 1;
    expect((await resume(token))?.user.id).toBe(user.id);
    clock += 1;
    expect(await resume(token)).toBeNull();
  });

  it('stops a session signed out through this process at once', async () => {
    const resume = cachedSessionResumer(database.db);
    const { user, token } = await sessionOf('session-cache-signout');
    expect((await resume(token))?.user.id).toBe(user.id);
    await endSession(database.db, token);
    expect(await resume(token)).toBeNull();
  });

  it('stops the sessions of a user whose password an admin reset, or who was removed, at once', async () => {
    const resume = cachedSessionResumer(database.db);
    const { ws, user, token } = await sessionOf('session-cache-reset');
    expect((await resume(token))?.user.id).toBe(user.id);
    await resetUserPassword(database.db, ws.id, { kind: 'api_key', id: 'admin-key' }, user.id);
    expect(await resume(token)).toBeNull();

    const other = await createUser(database.db, ws.id, {
      email: 'grace@example.com',
      name: 'Grace',
      password: 'correct horse battery',
    });
    const { token: graces } = await startSession(database.db, other);
    expect((await resume(graces))?.user.id).toBe(other.id);
    expect(await removeUser(database.db, ws.id, 'grace@example.com')).toBe(true);
    expect(await resume(graces)).toBeNull();
  });

  it('never remembers an unknown token, and not a session past its expiry', async () => {
    let clock = Date.now();
    const resume = cachedSessionResumer(database.db, { now: () => clock, ttlMs: 60 * 60_000 });
    const { token } = await sessionOf('session-cache-expiry');
    const unknown = `${token.slice(0, -1)}${token.endsWith('A') ? 'B' : 'A'}`;
    expect(await resume(unknown)).toBeNull();
    const found = await resume(token);
    expect(found).not.toBeNull();
    clock = found!.session.expiresAt.getTime();
    expect(await resume(token)).toBeNull();
  });
});
