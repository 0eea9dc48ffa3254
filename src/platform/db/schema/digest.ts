// Saved views (a named range, team set and credit model) and the weekly digest's sent log.
// workspace_id leads every key: a view is only ever read within its workspace.
import { sql } from 'drizzle-orm';
import { check, date, foreignKey, pgTable, primaryKey, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { workspaces } from './workspaces';

const tz = { withTimezone: true } as const;

/** The range presets of the web app's date picker; `custom` keeps a fixed from/to. */
export const viewRangePresets = [
  '7d',
  '30d',
  '90d',
  'mtd',
  'last-month',
  'qtd',
  'last-quarter',
  'ytd',
  'custom',
] as const;
export type ViewRangePreset = (typeof viewRangePresets)[number];

export const savedViews = pgTable(
  'saved_views',
  {
    workspaceId: uuid('workspace_id')
      .notNull()
      .references(() => workspaces.id),
    id: uuid('id').notNull().defaultRandom(),
    name: text('name').notNull(),
    rangePreset: text('range_preset', { enum: viewRangePresets }).notNull(),
    /** Set (both) only for the custom range. */
    rangeFrom: date('range_from', { mode: 'string' }),
    rangeTo: date('range_to', { mode: 'string' }),
    /** The team set; null: every team. */
    teams: text('teams').array(),
    creditModel: text('credit_model').notNull(),
    /** Who receives the weekly digest by email (empty: nobody). */
    digestRecipients: text('digest_recipients')
      .array()
      .notNull()
      .default(sql`'{}'::text[]`),
    /** "user:<uuid>" or "api_key:<uuid>": who saved it. */
    createdBy: text('created_by').notNull(),
    createdAt: timestamp('created_at', tz).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', tz).notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.workspaceId, t.id] }),
    uniqueIndex('saved_views_workspace_name').on(t.workspaceId, t.name),
    check(
      'saved_views_custom_range',
      sql`(${t.rangePreset} = 'custom') = (${t.rangeFrom} is not null and ${t.rangeTo} is not null)
        and (${t.rangeFrom} is null) = (${t.rangeTo} is null) and (${t.rangeFrom} is null or ${t.rangeFrom} <= ${t.rangeTo})`,
    ),
  ],
);
export type SavedView = typeof savedViews.$inferSelect;

/**
 * One row per view and digest week: claimed in the transaction that sends the email, so several
 * workers or a retried job send each week's digest once.
 */
export const digestSends = pgTable(
  'digest_sends',
  {
    workspaceId: uuid('workspace_id').notNull(),
    viewId: uuid('view_id').notNull(),
    /** The Monday of the week the digest summarises. */
    weekStart: date('week_start', { mode: 'string' }).notNull(),
    recipients: text('recipients').array().notNull(),
    messageId: text('message_id'),
    sentAt: timestamp('sent_at', tz).notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.workspaceId, t.viewId, t.weekStart] }),
    foreignKey({
      columns: [t.workspaceId, t.viewId],
      foreignColumns: [savedViews.workspaceId, savedViews.id],
    }).onDelete('cascade'),
  ],
);
