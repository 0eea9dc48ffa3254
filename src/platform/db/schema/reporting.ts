// Report settings a workspace chooses: how its Lead Status values map to funnel stages.
import { sql } from 'drizzle-orm';
import { check, pgTable, primaryKey, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { workspaces } from './workspaces';

export const funnelStages = ['mql', 'sql', 'rejected', 'none'] as const;
export type FunnelStage = (typeof funnelStages)[number];

/** A workspace's choice for one Lead Status value; values without a row take the default mapping. */
export const leadStatusStages = pgTable(
  'lead_status_stages',
  {
    workspaceId: uuid('workspace_id')
      .notNull()
      .references(() => workspaces.id),
    status: text('status').notNull(),
    stage: text('stage', { enum: funnelStages }).notNull(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.workspaceId, t.status] }),
    check('lead_status_stages_stage', sql`${t.stage} in ('mql', 'sql', 'rejected', 'none')`),
  ],
);
