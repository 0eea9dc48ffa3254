// A workspace's Salesforce org: the connection (secrets encrypted), OAuth flows in progress,
// sync state per object, sync runs, stages and currency rates.
import { sql } from 'drizzle-orm';
import {
  bigint,
  boolean,
  date,
  index,
  integer,
  jsonb,
  numeric,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import { workspaces } from './workspaces';

const tz = { withTimezone: true } as const;

export const connectionStatuses = ['connected', 'needs_reauth', 'disconnected'] as const;
export type ConnectionStatus = (typeof connectionStatuses)[number];

export const salesforceConnections = pgTable(
  'salesforce_connections',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    /** One org per workspace. */
    workspaceId: uuid('workspace_id')
      .notNull()
      .unique()
      .references(() => workspaces.id),
    status: text('status', { enum: connectionStatuses }).notNull(),
    /** The login host the admin chose: https://login.salesforce.com, https://test.salesforce.com or a My Domain. */
    loginUrl: text('login_url').notNull(),
    instanceUrl: text('instance_url').notNull(),
    orgId: text('org_id').notNull(),
    userId: text('user_id').notNull(),
    username: text('username'),
    /** The connected user's name from the identity service (needs the id scope). */
    userDisplayName: text('user_display_name'),
    /** AES-256-GCM ciphertexts (src/platform/crypto.ts); null once disconnected. */
    refreshTokenEnc: text('refresh_token_enc'),
    accessTokenEnc: text('access_token_enc'),
    /** Bumped on every token change, so a worker can tell whether someone else refreshed already. */
    tokenVersion: integer('token_version').notNull().default(0),
    syncIntervalMinutes: integer('sync_interval_minutes').notNull().default(15),
    multiCurrency: boolean('multi_currency').notNull().default(false),
    apiUsageUsed: integer('api_usage_used'),
    apiUsageMax: integer('api_usage_max'),
    apiUsageSeenAt: timestamp('api_usage_seen_at', tz),
    lastError: text('last_error'),
    lastErrorAt: timestamp('last_error_at', tz),
    lastDeletedCheckAt: timestamp('last_deleted_check_at', tz),
    connectedAt: timestamp('connected_at', tz).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', tz).notNull().defaultNow(),
  },
  // An org belongs to one workspace: a second workspace cannot connect it while it is connected here.
  (t) => [
    uniqueIndex('salesforce_connections_live_org')
      .on(t.orgId)
      .where(sql`${t.status} <> 'disconnected'`),
  ],
);
export type SalesforceConnection = typeof salesforceConnections.$inferSelect;

/** A consent in progress: a one-time, expiring state bound to the workspace, with its PKCE verifier. */
export const salesforceOauthFlows = pgTable('salesforce_oauth_flows', {
  /** sha256 of the `state` sent to Salesforce; the state itself is never stored. */
  stateHash: text('state_hash').primaryKey(),
  workspaceId: uuid('workspace_id')
    .notNull()
    .references(() => workspaces.id),
  verifierEnc: text('verifier_enc').notNull(),
  loginUrl: text('login_url').notNull(),
  returnTo: text('return_to'),
  /** sha256 of a nonce held in a cookie of the browser that started the flow (older flows: null). */
  browserNonceHash: text('browser_nonce_hash'),
  /** The signed-in user who started it; the callback must come from a session of the same workspace. */
  startedByUserId: uuid('started_by_user_id'),
  createdAt: timestamp('created_at', tz).notNull().defaultNow(),
  expiresAt: timestamp('expires_at', tz).notNull(),
  usedAt: timestamp('used_at', tz),
});

/** Where each object's incremental sync stands. The checkpoint commits with the rows it covers. */
export const salesforceSyncObjects = pgTable(
  'salesforce_sync_objects',
  {
    connectionId: uuid('connection_id')
      .notNull()
      .references(() => salesforceConnections.id),
    object: text('object').notNull(),
    /** SystemModstamp (CreatedDate for OpportunityHistory) of the last row written. */
    checkpoint: timestamp('checkpoint', tz),
    /**
     * Salesforce's clock when the last *finished* pass started (the Date header of its first query
     * response; a Bulk job's createdDate): every record committed before it was read. The next pass
     * starts from it minus the overlap (sync-window.ts). Null: no finished pass has said its time.
     */
    watermark: timestamp('watermark', tz),
    /** A Bulk API 2.0 backfill in progress: resumable at its locator. */
    bulkJobId: text('bulk_job_id'),
    bulkLocator: text('bulk_locator'),
    bulkMaxModstamp: timestamp('bulk_max_modstamp', tz),
    /** The API version that created the job: its results are read with that version only. */
    bulkApiVersion: text('bulk_api_version'),
    /** The job's createdDate (Salesforce's clock): the watermark once the backfill is in. */
    bulkStartedAt: timestamp('bulk_started_at', tz),
    /** Where this object's getDeleted window ends: the next one starts here. */
    deletedCheckedAt: timestamp('deleted_checked_at', tz),
    progressRows: bigint('progress_rows', { mode: 'number' }).notNull().default(0),
    progressTotal: bigint('progress_total', { mode: 'number' }),
    lastRunStartedAt: timestamp('last_run_started_at', tz),
    lastRunFinishedAt: timestamp('last_run_finished_at', tz),
    lastOutcome: text('last_outcome'),
    lastRows: bigint('last_rows', { mode: 'number' }),
    lastError: text('last_error'),
    /** Something the admin should know about the last run that is not an error (a Bulk fallback, say). */
    lastNote: text('last_note'),
    /** Records of the last run whose text held NUL characters, stripped before storing. */
    lastNulStripped: integer('last_nul_stripped').notNull().default(0),
  },
  (t) => [primaryKey({ columns: [t.connectionId, t.object] })],
);

/**
 * Records a sync could not store (a value out of range, a field that does not parse), kept with
 * what Salesforce sent and why, so one record never blocks its object. Every run retries them;
 * a record stored at last leaves the table.
 */
export const salesforceQuarantine = pgTable(
  'salesforce_quarantine',
  {
    connectionId: uuid('connection_id')
      .notNull()
      .references(() => salesforceConnections.id),
    object: text('object').notNull(),
    recordId: text('record_id').notNull(),
    /** The record as Salesforce sent it (NUL characters stripped: jsonb cannot hold them). */
    record: jsonb('record').$type<Record<string, unknown>>().notNull(),
    reason: text('reason').notNull(),
    /** The SQLSTATE of a database refusal, or ours (e.g. invalid_value). */
    errorCode: text('error_code'),
    firstSeenAt: timestamp('first_seen_at', tz).notNull().defaultNow(),
    lastAttemptAt: timestamp('last_attempt_at', tz).notNull().defaultNow(),
    attempts: integer('attempts').notNull().default(1),
  },
  (t) => [primaryKey({ columns: [t.connectionId, t.object, t.recordId] })],
);

export const salesforceSyncRuns = pgTable(
  'salesforce_sync_runs',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    connectionId: uuid('connection_id')
      .notNull()
      .references(() => salesforceConnections.id),
    trigger: text('trigger').notNull(),
    startedAt: timestamp('started_at', tz).notNull().defaultNow(),
    finishedAt: timestamp('finished_at', tz),
    outcome: text('outcome'),
    rows: jsonb('rows')
      .$type<Record<string, number>>()
      .notNull()
      .default(sql`'{}'::jsonb`),
    error: text('error'),
  },
  (t) => [index('salesforce_sync_runs_connection').on(t.connectionId, t.startedAt)],
);

/** OpportunityStage: whether each stage is closed and won, to read OpportunityHistory rows. */
export const salesforceStages = pgTable(
  'salesforce_stages',
  {
    workspaceId: uuid('workspace_id')
      .notNull()
      .references(() => workspaces.id),
    stageName: text('stage_name').notNull(),
    isClosed: boolean('is_closed').notNull(),
    isWon: boolean('is_won').notNull(),
    isActive: boolean('is_active').notNull().default(true),
  },
  (t) => [primaryKey({ columns: [t.workspaceId, t.stageName] })],
);

/**
 * The org's conversion rates (multi-currency): CurrencyType (no dates) and, with advanced
 * currency management, DatedConversionRate ([start_date, next_start_date)). Rates are per
 * unit of the corporate currency, as Salesforce keeps them.
 */
export const currencyRates = pgTable(
  'currency_rates',
  {
    workspaceId: uuid('workspace_id')
      .notNull()
      .references(() => workspaces.id),
    /** The Salesforce record id (CurrencyType or DatedConversionRate). */
    sourceId: text('source_id').notNull(),
    isoCode: text('iso_code').notNull(),
    rate: numeric('rate', { precision: 30, scale: 12 }).notNull(),
    startDate: date('start_date', { mode: 'string' }),
    nextStartDate: date('next_start_date', { mode: 'string' }),
    isCorporate: boolean('is_corporate').notNull().default(false),
    isDeleted: boolean('is_deleted').notNull().default(false),
  },
  (t) => [
    primaryKey({ columns: [t.workspaceId, t.sourceId] }),
    index('currency_rates_code').on(t.workspaceId, t.isoCode),
  ],
);

/** The org's LeadStatus picklist: each value's API name and label, and whether it is converted or the default. */
export const salesforceLeadStatuses = pgTable(
  'salesforce_lead_statuses',
  {
    workspaceId: uuid('workspace_id')
      .notNull()
      .references(() => workspaces.id),
    apiName: text('api_name').notNull(),
    masterLabel: text('master_label').notNull(),
    isConverted: boolean('is_converted').notNull(),
    isDefault: boolean('is_default').notNull(),
    sortOrder: integer('sort_order'),
    /** False once the value left the picklist; old leads may still hold it. */
    isActive: boolean('is_active').notNull().default(true),
  },
  (t) => [primaryKey({ columns: [t.workspaceId, t.apiName] })],
);
