// Web app sessions: a random 32-byte token in the cookie, its sha256 as the row id. Sliding:
// each use pushes the expiry to 12 hours ahead, never past 7 days after sign-in.
import { createHash, randomBytes } from 'node:crypto';
import { and, eq, gt, isNull, sql } from 'drizzle-orm';
import type { DbOrTx } from '../platform/db/client';
import { sessions, users, type Session, type User } from '../platform/db/schema';
import { noteSessionsChanged } from './session-changes';

export const SESSION_IDLE_MS = 12 * 3_600_000;
export const SESSION_MAX_MS = 7 * 86_400_000;
/** Extending the expiry writes a row: at most once a minute per session. */
const SLIDE_STEP_MS = 60_000;

const TOKEN = /^[A-Za-z0-9_-]{43}$/;
/** The row id of a session: the sha256 of its cookie token. */
export const sessionIdOf = (token: string) => createHash('sha256').update(token).digest('hex');

export interface StartedSession {
  /** Goes into the cookie and nowhere else. */
  token: string;
  expiresAt: Date;
  /** When the session ends at the latest, whatever its use. */
  endsAt: Date;
}

export async function startSession(db: DbOrTx, user: User, now = new Date()): Promise<StartedSession> {
  const token = randomBytes(32).toString('base64url');
  const expiresAt = new Date(now.getTime() + SESSION_IDLE_MS);
  await db
    .insert(sessions)
    .values({ id: sessionIdOf(token), userId: user.id, workspaceId: user.workspaceId, createdAt: now, expiresAt });
  await db.update(users).set({ lastSignInAt: now }).where(eq(users.id, user.id));
  return { token, expiresAt, endsAt: new Date(now.getTime() + SESSION_MAX_MS) };
}

/** The live session of this token and its user, its expiry slid forward; null when unknown, expired or revoked. */
export async function resumeSession(
  db: DbOrTx,
  token: string,
  now = new Date(),
): Promise<{ session: Session; user: User } | null> {
  if (!TOKEN.test(token)) return null;
  const [row] = await db
    .select({ session: sessions, user: users })
    .from(sessions)
    .innerJoin(users, eq(users.id, sessions.userId))
    .where(and(eq(sessions.id, sessionIdOf(token)), isNull(sessions.revokedAt), gt(sessions.expiresAt, now)));
  // A session belongs to one workspace: a user moved elsewhere would not carry it along.
  if (!row || row.user.workspaceId !== row.session.workspaceId) return null;
  const slid = Math.min(now.getTime() + SESSION_IDLE_MS, row.session.createdAt.getTime() + SESSION_MAX_MS);
  if (slid - row.session.expiresAt.getTime() >= SLIDE_STEP_MS) {
    const expiresAt = new Date(slid);
    await db.update(sessions).set({ expiresAt }).where(eq(sessions.id, row.session.id));
    row.session = { ...row.session, expiresAt };
  }
  return row;
}

export async function endSession(db: DbOrTx, token: string, now = new Date()): Promise<void> {
  if (!TOKEN.test(token)) return;
  await db
    .update(sessions)
    .set({ revokedAt: now })
    .where(and(eq(sessions.id, sessionIdOf(token)), isNull(sessions.revokedAt)));
  noteSessionsChanged(); // the session cache of this process forgets it at once
}

/** Sessions past their expiry for a day are of no use to anyone: deleted when a user signs in. */
export async function pruneSessions(db: DbOrTx, userId: string): Promise<void> {
  await db
    .delete(sessions)
    .where(and(eq(sessions.userId, userId), sql`${sessions.expiresAt} < now() - interval '1 day'`));
}
