// Changing a password: the signed-in user's own (the current one required; every other session of
// theirs ends), and an admin's reset of another user of the workspace to a temporary password,
// shown once, valid for a day, that must be replaced at the next sign-in. An admin cannot reset
// their own password this way (they would sign themselves out with a password only they saw).
import { and, eq, isNull, ne } from 'drizzle-orm';
import { z } from 'zod';
import type { DbOrTx } from '../platform/db/client';
import { sessions, users, type User } from '../platform/db/schema';
import { AppError, parseInput } from '../platform/errors';
import { withTransaction } from '../platform/tx';
import { generatePassword, hashPassword, newPassword, verifyPassword } from './passwords';
import { noteSessionsChanged } from './session-changes';
import { sessionIdOf } from './sessions';

export const passwordChangeInput = z
  .object({
    currentPassword: z.string().min(1, 'give your current password').max(1024),
    newPassword,
  })
  .refine((v) => v.currentPassword !== v.newPassword, {
    path: ['newPassword'],
    message: 'choose a password different from the current one',
  });
export type PasswordChangeInput = z.infer<typeof passwordChangeInput>;

/** How long an admin's temporary password opens a session. */
export const TEMPORARY_PASSWORD_MS = 24 * 3_600_000;

type Verify = (password: string, hash: string) => Promise<boolean>;

/**
 * Sets the user's own new password, after checking the current one. The session it is called from
 * (its cookie token) stays open; every other session of the user ends.
 */
export async function changeOwnPassword(
  db: DbOrTx,
  user: User,
  sessionToken: string,
  input: PasswordChangeInput,
  verify: Verify = verifyPassword,
  now = new Date(),
): Promise<{ sessionsEnded: number }> {
  const parsed = parseInput(passwordChangeInput, input);
  if (!(await verify(parsed.currentPassword, user.passwordHash))) {
    throw new AppError('invalid_input', 'the current password is not right: give the one you signed in with', {
      fields: [{ field: 'currentPassword', message: 'not the current password' }],
    });
  }
  const passwordHash = await hashPassword(parsed.newPassword);
  return afterSessionChange(() =>
    withTransaction(db, async (tx) => {
      await tx
        .update(users)
        .set({ passwordHash, passwordChangeRequired: false, passwordExpiresAt: null })
        .where(eq(users.id, user.id));
      const ended = await tx
        .update(sessions)
        .set({ revokedAt: now })
        .where(
          and(eq(sessions.userId, user.id), ne(sessions.id, sessionIdOf(sessionToken)), isNull(sessions.revokedAt)),
        )
        .returning({ id: sessions.id });
      return { sessionsEnded: ended.length };
    }),
  );
}

export interface TemporaryPassword {
  /** Shown to the admin this once, never stored or logged. */
  temporaryPassword: string;
  expiresAt: Date;
  user: User;
}

/**
 * An admin's reset of another user of the workspace: a temporary password (shown once) that opens
 * a session for a day and must then be replaced; every session of that user ends now.
 */
export async function resetUserPassword(
  db: DbOrTx,
  workspaceId: string,
  actor: { kind: 'api_key' | 'user'; id: string },
  userId: string,
  now = new Date(),
): Promise<TemporaryPassword> {
  if (!z.uuid().safeParse(userId).success) throw new AppError('not_found', `no user ${userId} in this workspace`);
  if (actor.kind === 'user' && actor.id === userId) {
    throw new AppError(
      'forbidden',
      'you cannot reset your own password here (it would sign you out): change it under Settings → Password, which asks for the current one',
    );
  }
  const temporaryPassword = generatePassword();
  const passwordHash = await hashPassword(temporaryPassword);
  const expiresAt = new Date(now.getTime() + TEMPORARY_PASSWORD_MS);
  return afterSessionChange(() =>
    withTransaction(db, async (tx) => {
      const [user] = await tx
        .update(users)
        .set({ passwordHash, passwordChangeRequired: true, passwordExpiresAt: expiresAt })
        .where(and(eq(users.id, userId), eq(users.workspaceId, workspaceId), eq(users.isDemo, false)))
        .returning();
      if (!user)
        throw new AppError('not_found', `no user ${userId} in this workspace (the demo visitor has no password)`);
      await tx
        .update(sessions)
        .set({ revokedAt: now })
        .where(and(eq(sessions.userId, userId), isNull(sessions.revokedAt)));
      return { temporaryPassword, expiresAt, user };
    }),
  );
}

/**
 * Runs a change of sessions or a user's password, telling the session cache before and after it
 * (session-changes.ts): a request authenticated while it commits keeps nothing in memory.
 */
async function afterSessionChange<T>(change: () => Promise<T>): Promise<T> {
  noteSessionsChanged();
  try {
    return await change();
  } finally {
    noteSessionsChanged();
  }
}
