// The chat side beyond conversations: teams and webhook delivery bookkeeping.
import { index, pgTable, primaryKey, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { workspaces } from './workspaces';

const tz = { withTimezone: true } as const;

/** Teams a workspace reports on (ids as the chat product sends them). */
export const teams = pgTable(
  'teams',
  {
    workspaceId: uuid('workspace_id')
      .notNull()
      .references(() => workspaces.id),
    id: text('id').notNull(),
    name: text('name').notNull(),
    createdAt: timestamp('created_at', tz).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.workspaceId, t.id] })],
);

/** Agents' names, by the ids the chat product sends; set by an admin or by the chat product (`agentName`). */
export const agents = pgTable(
  'agents',
  {
    workspaceId: uuid('workspace_id')
      .notNull()
      .references(() => workspaces.id),
    id: text('id').notNull(),
    name: text('name').notNull(),
    /** An admin's name is kept; a name the chat product sends never replaces it. */
    nameSource: text('name_source', { enum: ['admin', 'chat'] }).notNull(),
    updatedAt: timestamp('updated_at', tz).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.workspaceId, t.id] })],
);

/** Webhook signing secrets (Standard Webhooks), encrypted at rest; several during a rotation. */
export const webhookSecrets = pgTable('webhook_secrets', {
  id: uuid('id').primaryKey().defaultRandom(),
  workspaceId: uuid('workspace_id')
    .notNull()
    .references(() => workspaces.id),
  secretEnc: text('secret_enc').notNull(),
  createdAt: timestamp('created_at', tz).notNull().defaultNow(),
  revokedAt: timestamp('revoked_at', tz),
});

/** Webhook deliveries already processed, by the sender's delivery id. */
export const webhookDeliveries = pgTable(
  'webhook_deliveries',
  {
    workspaceId: uuid('workspace_id')
      .notNull()
      .references(() => workspaces.id),
    deliveryId: text('delivery_id').notNull(),
    receivedAt: timestamp('received_at', tz).notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.workspaceId, t.deliveryId] }),
    index('webhook_deliveries_received').on(t.receivedAt),
  ],
);
