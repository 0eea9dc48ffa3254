// Workspace users of the web app: created by an operator with the admin CLI, one email per
// workspace (stored lower-case), a password hash, and the demo workspace's own user.
import { and, asc, eq } from 'drizzle-orm';
import { z } from 'zod';
import { randomBytes } from 'node:crypto';
import type { DbOrTx } from '../platform/db/client';
import { users, workspaces, type User } from '../platform/db/schema';
import { pgError } from '../platform/db/sql';
import { conflict, parseInput } from '../platform/errors';
import { normalizeEmail } from '../attribution/history';
import { hashPassword, newPassword } from './passwords';
import { noteSessionsChanged } from './session-changes';

export const userEmail = z
  .string()
  .transform((v) => normalizeEmail(v) ?? '')
  .pipe(z.email('expected an email address such as ana@example.com'));

export const newUserInput = z.object({
  email: userEmail,
  name: z.string().trim().min(1, 'give the person a name').max(200),
  password: newPassword,
});
export type NewUserInput = z.input<typeof newUserInput>;

/** What the web app may show of a user. */
export type PublicUser = Pick<User, 'id' | 'email' | 'name'>;
export const publicUser = (u: User): PublicUser => ({ id: u.id, email: u.email, name: u.name });

export async function createUser(db: DbOrTx, workspaceId: string, input: NewUserInput): Promise<User> {
  const { email, name, password } = parseInput(newUserInput, input);
  try {
    const [row] = await db
      .insert(users)
      .values({ workspaceId, email, name, passwordHash: await hashPassword(password) })
      .returning();
    return row!;
  } catch (err) {
    if (pgError(err)?.code === '23505')
      throw conflict(`a user with the email ${email} already exists in this workspace`);
    throw err;
  }
}

export async function listUsers(db: DbOrTx, workspaceId: string): Promise<User[]> {
  return db.select().from(users).where(eq(users.workspaceId, workspaceId)).orderBy(asc(users.email));
}

/** Removes the user and, by cascade, every session of theirs. False when there is no such user. */
export async function removeUser(db: DbOrTx, workspaceId: string, email: string): Promise<boolean> {
  const rows = await db
    .delete(users)
    .where(and(eq(users.workspaceId, workspaceId), eq(users.email, normalizeEmail(email) ?? '')))
    .returning({ id: users.id });
  if (rows.length > 0) noteSessionsChanged(); // their sessions went with them
  return rows.length > 0;
}

/** Every password user with this email, in any workspace (sign-in does not name the workspace). */
export async function passwordUsersWithEmail(
  db: DbOrTx,
  email: string,
): Promise<(User & { workspaceSlug: string; workspaceName: string })[]> {
  const rows = await db
    .select({ user: users, slug: workspaces.slug, name: workspaces.name })
    .from(users)
    .innerJoin(workspaces, eq(workspaces.id, users.workspaceId))
    .where(and(eq(users.email, normalizeEmail(email) ?? ''), eq(users.isDemo, false)))
    .orderBy(asc(workspaces.slug));
  return rows.map((r) => ({ ...r.user, workspaceSlug: r.slug, workspaceName: r.name }));
}

const DEMO_EMAIL = 'demo@demo.example';

/** The demo workspace's user; its password is random and never shown: it signs in through /auth/demo only. */
export async function ensureDemoUser(db: DbOrTx, workspaceId: string): Promise<User> {
  const [existing] = await db
    .select()
    .from(users)
    .where(and(eq(users.workspaceId, workspaceId), eq(users.isDemo, true)));
  if (existing) return existing;
  const [row] = await db
    .insert(users)
    .values({
      workspaceId,
      email: DEMO_EMAIL,
      name: 'Demo visitor',
      isDemo: true,
      passwordHash: await hashPassword(randomBytes(32).toString('base64url')),
    })
    .onConflictDoNothing()
    .returning();
  if (row) return row;
  const [raced] = await db
    .select()
    .from(users)
    .where(and(eq(users.workspaceId, workspaceId), eq(users.isDemo, true)));
  if (!raced) throw new Error(`the demo workspace holds a user ${DEMO_EMAIL} that is not the demo user`);
  return raced;
}

/** The demo user of the demo workspace (slug), or null when the demo was never set up. */
export async function findDemoUser(db: DbOrTx, demoSlug: string): Promise<User | null> {
  const [row] = await db
    .select({ user: users })
    .from(users)
    .innerJoin(workspaces, eq(workspaces.id, users.workspaceId))
    .where(and(eq(workspaces.slug, demoSlug), eq(workspaces.isDemo, true), eq(users.isDemo, true)));
  return row?.user ?? null;
}
