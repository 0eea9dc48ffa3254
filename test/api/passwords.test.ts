// Passwords from the web app: a user's own change (current password required, the policy of new
// users, the other sessions end), and an admin's reset from the users list (a temporary password
// shown once, replaced at the next sign-in, expiring after a day; never one's own). Audited in the
// log, and no password is ever logged.
import { Writable } from 'node:stream';
import { eq, sql } from 'drizzle-orm';
import { createUser } from '../../src/access/users';
import type { RunningService } from '../../src/app/service';
import { users, type Workspace } from '../../src/platform/db/schema';
import { createLogger } from '../../src/platform/logger';
import { useTestDatabase } from '../support/database';
import { inProcessJobs } from '../support/queues';
import { startTestService } from '../support/service';
import { newKey, newWorkspace, apiClient } from './helpers';
import { sessionClient } from './session-client';

const database = useTestDatabase();
const lines: string[] = [];
const sink = new Writable({
  write(chunk, _enc, done) {
    lines.push(String(chunk));
    done();
  },
});
let service: RunningService;
let ws: Workspace;
let other: Workspace;
const ADA = 'ada-first-password';
const BEN = 'ben-first-password';

beforeAll(async () => {
  service = await startTestService({ database, jobs: inProcessJobs(), logger: createLogger('info', {}, sink) });
  ws = await newWorkspace(database.db, 'pw-a');
  other = await newWorkspace(database.db, 'pw-b');
  await createUser(database.db, ws.id, { email: 'ada@example.com', name: 'Ada', password: ADA });
  await createUser(database.db, ws.id, { email: 'ben@example.com', name: 'Ben', password: BEN });
  await createUser(database.db, other.id, { email: 'cy@example.com', name: 'Cy', password: 'cy-first-password' });
});
afterAll(() => service.close());

async function signIn(email: string, password: string) {
  const client = sessionClient(service.url!);
  const res = await client.post('/auth/sign-in', { email, password });
  return { client, res };
}
const userId = async (email: string) => (await database.db.select().from(users).where(eq(users.email, email)))[0]!.id;

describe('changing one’s own password', () => {
  it('refuses a wrong current password and a short new one, naming the field', async () => {
    const { client } = await signIn('ada@example.com', ADA);
    const wrong = await client.post('/auth/password', {
      currentPassword: 'not-it',
      newPassword: 'a-long-new-password',
    });
    expect(wrong.status).toBe(400);
    expect(wrong.body.detail).toMatch(/current password is not right/);
    const short = await client.post('/auth/password', { currentPassword: ADA, newPassword: 'short' });
    expect(short.status).toBe(400);
    expect(short.body.errors).toEqual([{ field: 'newPassword', message: 'use at least 12 characters' }]);
    const same = await client.post('/auth/password', { currentPassword: ADA, newPassword: ADA });
    expect(same.status).toBe(400);
  });

  it('needs the CSRF header and a session', async () => {
    const { client } = await signIn('ada@example.com', ADA);
    const body = { currentPassword: ADA, newPassword: 'a-long-new-password' };
    expect((await client.post('/auth/password', body, { csrf: false })).status).toBe(403);
    expect((await sessionClient(service.url!).post('/auth/password', body)).status).toBe(401);
  });

  it('changes it, keeps this session, ends the others, and the old password opens nothing', async () => {
    const elsewhere = (await signIn('ada@example.com', ADA)).client;
    const { client } = await signIn('ada@example.com', ADA);
    const res = await client.post('/auth/password', { currentPassword: ADA, newPassword: 'ada-second-password' });
    expect(res.status).toBe(200);
    expect(res.body.user).toMatchObject({ email: 'ada@example.com', passwordChangeRequired: false });
    expect((await client.get('/auth/me')).status).toBe(200);
    expect((await elsewhere.get('/auth/me')).status).toBe(401);
    expect((await signIn('ada@example.com', ADA)).res.status).toBe(401);
    expect((await signIn('ada@example.com', 'ada-second-password')).res.status).toBe(200);
  });
});

describe('an admin resets a password from the users list', () => {
  let ada: ReturnType<typeof sessionClient>;
  beforeAll(async () => {
    ada = (await signIn('ada@example.com', 'ada-second-password')).client;
  });

  it("lists the workspace's users, marking the caller, without any hash", async () => {
    const res = await ada.get('/api/v1/admin/users');
    expect(res.status).toBe(200);
    expect(res.body.users.map((u: { email: string; you: boolean }) => [u.email, u.you])).toEqual([
      ['ada@example.com', true],
      ['ben@example.com', false],
    ]);
    expect(JSON.stringify(res.body)).not.toMatch(/scrypt|password_hash|passwordHash/);
  });

  it('cannot reset its own password, nor a user of another workspace', async () => {
    const self = await ada.post(`/api/v1/admin/users/${await userId('ada@example.com')}/password-reset`);
    expect(self.status).toBe(403);
    expect(self.body.detail).toMatch(/cannot reset your own password/);
    expect((await ada.post(`/api/v1/admin/users/${await userId('cy@example.com')}/password-reset`)).status).toBe(404);
    expect((await ada.post('/api/v1/admin/users/not-a-uuid/password-reset')).status).toBe(404);
    expect((await ada.get('/auth/me')).status).toBe(200);
  });

  it('gives a temporary password once; the user must replace it before anything else', async () => {
    const benBefore = (await signIn('ben@example.com', BEN)).client;
    const res = await ada.post(`/api/v1/admin/users/${await userId('ben@example.com')}/password-reset`);
    expect(res.status).toBe(201);
    const temporary: string = res.body.temporaryPassword;
    expect(temporary).toMatch(/^[A-Za-z0-9_-]{24}$/);
    expect(Date.parse(res.body.expiresAt) - Date.now()).toBeGreaterThan(23 * 3_600_000);
    expect(res.body.user).toMatchObject({ email: 'ben@example.com', passwordChangeRequired: true, you: false });
    // Ben's sessions ended, and his old password no longer works.
    expect((await benBefore.get('/auth/me')).status).toBe(401);
    expect((await signIn('ben@example.com', BEN)).res.status).toBe(401);

    const { client: ben, res: signedIn } = await signIn('ben@example.com', temporary);
    expect(signedIn.status).toBe(200);
    expect(signedIn.body.user.passwordChangeRequired).toBe(true);
    const blocked = await ben.get('/api/v1/admin/users');
    expect(blocked.status).toBe(403);
    expect(blocked.body.detail).toMatch(/choose a new one first/);
    const changed = await ben.post('/auth/password', {
      currentPassword: temporary,
      newPassword: 'ben-chosen-password',
    });
    expect(changed.status).toBe(200);
    expect(changed.body.user.passwordChangeRequired).toBe(false);
    expect((await ben.get('/api/v1/admin/users')).status).toBe(200);
    expect((await signIn('ben@example.com', temporary)).res.status).toBe(401);
  });

  it('refuses a temporary password past its day, saying so', async () => {
    const res = await ada.post(`/api/v1/admin/users/${await userId('ben@example.com')}/password-reset`);
    await database.db.execute(
      sql`update users set password_expires_at = now() - interval '1 minute' where email = 'ben@example.com'`,
    );
    const late = await signIn('ben@example.com', res.body.temporaryPassword);
    expect(late.res.status).toBe(401);
    expect(late.res.body.detail).toMatch(/temporary password has expired/);
  });

  it('lets an admin key list and reset too', async () => {
    const key = apiClient(service.url!, await newKey(database.db, ws.id));
    const res = await key.post(`/api/v1/admin/users/${await userId('ada@example.com')}/password-reset`, undefined);
    expect(res.status).toBe(201);
  });

  it('audits each change and reset in the log, without any password', () => {
    const events = lines.map((l) => JSON.parse(l) as Record<string, unknown>).filter((l) => l.event);
    expect(events.map((e) => e.event)).toEqual(expect.arrayContaining(['password.changed', 'password.reset']));
    const reset = events.find((e) => e.event === 'password.reset')!;
    expect(reset).toMatchObject({ workspaceId: ws.id, by: { kind: 'user' } });
    const all = lines.join('\n');
    for (const secret of [ADA, BEN, 'ada-second-password', 'ben-chosen-password', 'a-long-new-password'])
      expect(all).not.toContain(secret);
    expect(all).not.toMatch(/temporaryPassword/);
  });
});
