import { boolean, integer, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';

/** A chat customer: the unit of isolation for every row and every query. */
export const workspaces = pgTable('workspaces', {
  id: uuid('id').primaryKey().defaultRandom(),
  /** The short name used on the command line (`--workspace acme`). */
  slug: text('slug').notNull().unique(),
  name: text('name').notNull(),
  timeZone: text('time_zone').notNull().default('UTC'),
  reportingCurrency: text('reporting_currency').notNull().default('USD'),
  attributionWindowDays: integer('attribution_window_days').notNull().default(90),
  isDemo: boolean('is_demo').notNull().default(false),
  /**
   * The engine version the whole ledger was last brought in line with. When the service runs a
   * newer one (a rule changed), every opportunity is recomputed once and corrections are booked.
   */
  engineVersion: text('engine_version'),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
});

export type Workspace = typeof workspaces.$inferSelect;
