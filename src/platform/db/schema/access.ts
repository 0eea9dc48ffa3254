// Who may call the API: per-workspace API keys (stored only as a hash) with scopes and teams.
import { index, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { workspaces } from './workspaces';

const tz = { withTimezone: true } as const;

export const apiKeyScopes = ['conversations:write', 'dashboard:read', 'ledger:read', 'admin'] as const;
export type ApiKeyScope = (typeof apiKeyScopes)[number];

export const apiKeys = pgTable(
  'api_keys',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    workspaceId: uuid('workspace_id')
      .notNull()
      .references(() => workspaces.id),
    name: text('name').notNull(),
    /** The visible start of the key ("cra_3f9a1c2b"), unique: how a key is looked up and recognised. */
    prefix: text('prefix').notNull().unique(),
    /** sha256 of the whole key; the key itself is shown once and never stored. */
    hash: text('hash').notNull(),
    scopes: text('scopes', { enum: apiKeyScopes }).array().notNull(),
    /** The teams this key may see; null: all of them. */
    teams: text('teams').array(),
    createdAt: timestamp('created_at', tz).notNull().defaultNow(),
    lastUsedAt: timestamp('last_used_at', tz),
    revokedAt: timestamp('revoked_at', tz),
  },
  (t) => [index('api_keys_workspace').on(t.workspaceId)],
);
export type ApiKey = typeof apiKeys.$inferSelect;
