// People who sign in to the web app: workspace users (email + password) and their sessions.
// A session row is keyed by the sha256 of its token; the token itself lives only in the cookie.
import { sql } from 'drizzle-orm';
import { boolean, check, index, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { workspaces } from './workspaces';

const tz = { withTimezone: true } as const;

export const users = pgTable(
  'users',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    workspaceId: uuid('workspace_id')
      .notNull()
      .references(() => workspaces.id),
    /** Lower-case, so the per-workspace unique index is case-insensitive. */
    email: text('email').notNull(),
    name: text('name').notNull(),
    /** scrypt with a per-user salt, encoded with its parameters (src/access/passwords.ts). */
    passwordHash: text('password_hash').notNull(),
    /** The demo workspace's user, signed in by "Explore the demo workspace" only. */
    isDemo: boolean('is_demo').notNull().default(false),
    createdAt: timestamp('created_at', tz).notNull().defaultNow(),
    lastSignInAt: timestamp('last_sign_in_at', tz),
    /** Set by an admin's reset: the user must choose a new password before using the app. */
    passwordChangeRequired: boolean('password_change_required').notNull().default(false),
    /** When the admin's temporary password stops opening a session; null for a chosen password. */
    passwordExpiresAt: timestamp('password_expires_at', tz),
  },
  (t) => [
    uniqueIndex('users_workspace_email').on(t.workspaceId, t.email),
    index('users_email').on(t.email),
    check('users_email_lower_case', sql`${t.email} = lower(${t.email})`),
  ],
);
export type User = typeof users.$inferSelect;

export const sessions = pgTable(
  'sessions',
  {
    /** sha256 (hex) of the random token in the cookie. */
    id: text('id').primaryKey(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    workspaceId: uuid('workspace_id')
      .notNull()
      .references(() => workspaces.id),
    createdAt: timestamp('created_at', tz).notNull().defaultNow(),
    /** Slides forward with use, never past created_at + the maximum lifetime. */
    expiresAt: timestamp('expires_at', tz).notNull(),
    revokedAt: timestamp('revoked_at', tz),
  },
  (t) => [index('sessions_user').on(t.userId)],
);
export type Session = typeof sessions.$inferSelect;
