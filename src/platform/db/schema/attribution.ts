// The attribution ledger (append-only, hash-chained per workspace) and what is derived from it.
import { sql } from 'drizzle-orm';
import {
  bigint,
  boolean,
  check,
  date,
  index,
  integer,
  jsonb,
  numeric,
  pgTable,
  primaryKey,
  text,
  timestamp,
  unique,
  uuid,
} from 'drizzle-orm/pg-core';
import { workspaces } from './workspaces';

const tz = { withTimezone: true } as const;

export interface LedgerCauses {
  versions: string[];
  conversations: string[];
}

/**
 * One daily delta of one opportunity for one measure. UPDATE, DELETE and TRUNCATE are refused
 * by triggers (see the migration) and by the service role's grants (`db:roles`); `hash` covers
 * the row and the previous row's hash, keyed by a ledger key outside the database.
 */
export const ledgerEntries = pgTable(
  'ledger_entries',
  {
    workspaceId: uuid('workspace_id')
      .notNull()
      .references(() => workspaces.id),
    /** Position in the workspace's hash chain, from 1. */
    seq: bigint('seq', { mode: 'number' }).notNull(),
    opportunityId: text('opportunity_id').notNull(),
    measure: text('measure', { enum: ['pipeline', 'closed_won'] }).notNull(),
    effectiveDay: date('effective_day', { mode: 'string' }).notNull(),
    amount: numeric('amount', { precision: 18, scale: 2 }).notNull(),
    currency: text('currency').notNull(),
    reason: text('reason').notNull(),
    /** True when the entry corrects a day already booked (late data). */
    correction: boolean('correction').notNull(),
    causes: jsonb('causes').$type<LedgerCauses>().notNull(),
    recordedAt: timestamp('recorded_at', tz).notNull(),
    engineVersion: text('engine_version').notNull(),
    /** How many entries this (opportunity, measure, day) had before this one: the idempotency key. */
    revision: integer('revision').notNull(),
    batchId: uuid('batch_id').notNull(),
    prevHash: text('prev_hash').notNull(),
    hash: text('hash').notNull(),
    /**
     * The ledger key (LEDGER_KEYS) whose HMAC-SHA256 is `hash`. Null: a plain SHA-256 from before
     * ledger keys, trusted only up to the workspace's seal (`ledger_seals`).
     */
    hashKeyId: text('hash_key_id'),
  },
  (t) => [
    primaryKey({ columns: [t.workspaceId, t.seq] }),
    unique('ledger_entries_revision').on(t.workspaceId, t.opportunityId, t.measure, t.effectiveDay, t.revision),
    index('ledger_entries_day').on(t.workspaceId, t.effectiveDay),
    index('ledger_entries_recorded').on(t.workspaceId, t.recordedAt),
    check('ledger_entries_measure', sql`${t.measure} in ('pipeline', 'closed_won')`),
  ],
);

/** The end of each workspace's hash chain. */
export const ledgerHeads = pgTable('ledger_heads', {
  workspaceId: uuid('workspace_id')
    .primaryKey()
    .references(() => workspaces.id),
  seq: bigint('seq', { mode: 'number' }).notNull(),
  hash: text('hash').notNull(),
  recordedAt: timestamp('recorded_at', tz).notNull(),
  /** The key of the last entry's hash; null while the chain ends in plain SHA-256 entries. */
  hashKeyId: text('hash_key_id'),
});

/**
 * Where a workspace's plain SHA-256 entries (from before ledger keys) end: an HMAC over that
 * entry's position and hash, so they cannot be rewritten, nor later entries downgraded to plain
 * SHA-256, without the key. Written once, by the first keyed append or `ledger:verify --seal`.
 */
export const ledgerSeals = pgTable('ledger_seals', {
  workspaceId: uuid('workspace_id')
    .primaryKey()
    .references(() => workspaces.id),
  seq: bigint('seq', { mode: 'number' }).notNull(),
  hash: text('hash').notNull(),
  keyId: text('key_id').notNull(),
  mac: text('mac').notNull(),
  sealedAt: timestamp('sealed_at', tz).notNull().defaultNow(),
});

/**
 * Daily totals for fast reads, kept in step with the ledger in the same transaction.
 * scope 'all' sums the ledger; scope 'team:<id>' is the series with that one team's chats.
 */
export const dailyTotals = pgTable(
  'daily_totals',
  {
    workspaceId: uuid('workspace_id')
      .notNull()
      .references(() => workspaces.id),
    scope: text('scope').notNull(),
    day: date('day', { mode: 'string' }).notNull(),
    pipeline: numeric('pipeline', { precision: 20, scale: 2 }).notNull(),
    closedWon: numeric('closed_won', { precision: 20, scale: 2 }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.workspaceId, t.scope, t.day] })],
);

/**
 * The ledger summed per opportunity and day, with each opportunity's running totals: kept in step
 * with the ledger in the same transaction (append.ts), so a report for any team set reads days
 * and starts, never the ledger. `*_to_date` is the sum of every day up to and including `day`.
 */
export const opportunityDays = pgTable(
  'opportunity_days',
  {
    workspaceId: uuid('workspace_id')
      .notNull()
      .references(() => workspaces.id),
    opportunityId: text('opportunity_id').notNull(),
    day: date('day', { mode: 'string' }).notNull(),
    pipeline: numeric('pipeline', { precision: 20, scale: 2 }).notNull(),
    closedWon: numeric('closed_won', { precision: 20, scale: 2 }).notNull(),
    pipelineToDate: numeric('pipeline_to_date', { precision: 20, scale: 2 }).notNull(),
    closedWonToDate: numeric('closed_won_to_date', { precision: 20, scale: 2 }).notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.workspaceId, t.opportunityId, t.day] }),
    index('opportunity_days_day').on(t.workspaceId, t.day),
  ],
);

/** The earliest touch of each team on each opportunity (rule 4), as the engine last computed it. */
export const opportunityInfluence = pgTable(
  'opportunity_influence',
  {
    workspaceId: uuid('workspace_id')
      .notNull()
      .references(() => workspaces.id),
    opportunityId: text('opportunity_id').notNull(),
    teamId: text('team_id').notNull(),
    startedAt: timestamp('started_at', tz).notNull(),
    startDay: date('start_day', { mode: 'string' }).notNull(),
    conversationId: text('conversation_id').notNull(),
    contactId: text('contact_id').notNull(),
    contactRoleId: text('contact_role_id').notNull(),
    versionIds: text('version_ids').array().notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.workspaceId, t.opportunityId, t.teamId] }),
    index('opportunity_influence_team').on(t.workspaceId, t.teamId),
  ],
);

/** Every conversation that touched each opportunity, at its earliest touch (the story and the leaderboard read it). */
export const opportunityTouches = pgTable(
  'opportunity_touches',
  {
    workspaceId: uuid('workspace_id')
      .notNull()
      .references(() => workspaces.id),
    opportunityId: text('opportunity_id').notNull(),
    conversationId: text('conversation_id').notNull(),
    teamId: text('team_id').notNull(),
    agentId: text('agent_id'),
    touchedAt: timestamp('touched_at', tz).notNull(),
    touchDay: date('touch_day', { mode: 'string' }).notNull(),
    contactId: text('contact_id').notNull(),
    contactRoleId: text('contact_role_id').notNull(),
    versionIds: text('version_ids').array().notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.workspaceId, t.opportunityId, t.conversationId] }),
    index('opportunity_touches_conversation').on(t.workspaceId, t.conversationId),
    index('opportunity_touches_agent').on(t.workspaceId, t.agentId),
    index('opportunity_touches_team').on(t.workspaceId, t.teamId),
  ],
);

/**
 * Opportunities whose inputs changed since they were last attributed. Marked in the same
 * transaction as the history that changed them, so a lost job never loses a recompute.
 */
export const attributionDirty = pgTable(
  'attribution_dirty',
  {
    workspaceId: uuid('workspace_id')
      .notNull()
      .references(() => workspaces.id),
    opportunityId: text('opportunity_id').notNull(),
    markedAt: timestamp('marked_at', tz).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.workspaceId, t.opportunityId] })],
);
