// What the engine reads: Salesforce records as versions over time, and chat conversations.
// Versions are only ever added; `occurred_at` is when the change happened in Salesforce and
// `seq` orders versions that share an instant (arrival order).
import { sql } from 'drizzle-orm';
import {
  bigint,
  boolean,
  date,
  doublePrecision,
  index,
  integer,
  numeric,
  pgTable,
  primaryKey,
  smallint,
  text,
  timestamp,
  uuid,
} from 'drizzle-orm/pg-core';
import { workspaces } from './workspaces';

const tz = { withTimezone: true } as const;
const workspaceId = () =>
  uuid('workspace_id')
    .notNull()
    .references(() => workspaces.id);
const versionColumns = () => ({
  workspaceId: workspaceId(),
  versionId: text('version_id').notNull(),
  occurredAt: timestamp('occurred_at', tz).notNull(),
  isDeleted: boolean('is_deleted').notNull().default(false),
  /** Where the version came from: `salesforce:<object>` or `scenario`. */
  source: text('source').notNull(),
  seq: bigint('seq', { mode: 'number' }).generatedAlwaysAsIdentity(),
  recordedAt: timestamp('recorded_at', tz).notNull().defaultNow(),
});

export const opportunityVersions = pgTable(
  'opportunity_versions',
  {
    ...versionColumns(),
    opportunityId: text('opportunity_id').notNull(),
    name: text('name'),
    accountId: text('account_id'),
    ownerId: text('owner_id'),
    amount: numeric('amount', { precision: 18, scale: 2 }),
    currencyIsoCode: text('currency_iso_code'),
    stageName: text('stage_name'),
    isClosed: boolean('is_closed').notNull(),
    isWon: boolean('is_won').notNull(),
    closeDate: date('close_date', { mode: 'string' }),
    createdDate: timestamp('created_date', tz),
  },
  (t) => [
    primaryKey({ columns: [t.workspaceId, t.versionId] }),
    index('opportunity_versions_record').on(t.workspaceId, t.opportunityId, t.occurredAt),
  ],
);

export const contactRoleVersions = pgTable(
  'contact_role_versions',
  {
    ...versionColumns(),
    contactRoleId: text('contact_role_id').notNull(),
    opportunityId: text('opportunity_id'),
    contactId: text('contact_id'),
    role: text('role'),
    isPrimary: boolean('is_primary'),
    createdDate: timestamp('created_date', tz),
  },
  (t) => [
    primaryKey({ columns: [t.workspaceId, t.versionId] }),
    index('contact_role_versions_record').on(t.workspaceId, t.contactRoleId),
    index('contact_role_versions_opportunity').on(t.workspaceId, t.opportunityId),
    index('contact_role_versions_contact').on(t.workspaceId, t.contactId),
  ],
);

export const contactVersions = pgTable(
  'contact_versions',
  {
    ...versionColumns(),
    contactId: text('contact_id').notNull(),
    name: text('name'),
    accountId: text('account_id'),
    email: text('email'),
    emailNormalized: text('email_normalized'),
  },
  (t) => [
    primaryKey({ columns: [t.workspaceId, t.versionId] }),
    index('contact_versions_record').on(t.workspaceId, t.contactId),
    index('contact_versions_email').on(t.workspaceId, t.emailNormalized),
  ],
);

export const leadVersions = pgTable(
  'lead_versions',
  {
    ...versionColumns(),
    leadId: text('lead_id').notNull(),
    email: text('email'),
    emailNormalized: text('email_normalized'),
    /** Lead Status: a value of the org's LeadStatus picklist (its API name), which the funnel maps to stages. */
    status: text('status'),
    createdDate: timestamp('created_date', tz),
    isConverted: boolean('is_converted').notNull().default(false),
    convertedContactId: text('converted_contact_id'),
    convertedOpportunityId: text('converted_opportunity_id'),
  },
  (t) => [
    primaryKey({ columns: [t.workspaceId, t.versionId] }),
    index('lead_versions_record').on(t.workspaceId, t.leadId),
    index('lead_versions_created').on(t.workspaceId, t.createdDate),
    index('lead_versions_email').on(t.workspaceId, t.emailNormalized),
    index('lead_versions_converted_contact').on(t.workspaceId, t.convertedContactId),
  ],
);

/** Account names over time (Opportunity.AccountId names them): read from Salesforce, never used by the engine. */
export const accountVersions = pgTable(
  'account_versions',
  {
    ...versionColumns(),
    accountId: text('account_id').notNull(),
    name: text('name'),
  },
  (t) => [
    primaryKey({ columns: [t.workspaceId, t.versionId] }),
    index('account_versions_record').on(t.workspaceId, t.accountId, t.occurredAt),
  ],
);

/** Salesforce users (Opportunity.OwnerId names them), as versions like every other record. */
export const userVersions = pgTable(
  'user_versions',
  {
    ...versionColumns(),
    userId: text('user_id').notNull(),
    name: text('name'),
    isActive: boolean('is_active'),
  },
  (t) => [
    primaryKey({ columns: [t.workspaceId, t.versionId] }),
    index('user_versions_record').on(t.workspaceId, t.userId, t.occurredAt),
  ],
);

export const conversationChannels = ['text', 'video', 'email', 'social', 'phone'] as const;
export const conversationInitiators = ['visitor', 'agent', 'bot'] as const;

export const conversations = pgTable(
  'conversations',
  {
    workspaceId: workspaceId(),
    /** The chat product's id: resending a conversation updates it, never duplicates it. */
    id: text('id').notNull(),
    teamId: text('team_id').notNull(),
    agentId: text('agent_id'),
    startedAt: timestamp('started_at', tz).notNull(),
    emails: text('emails')
      .array()
      .notNull()
      .default(sql`'{}'::text[]`),
    endedAt: timestamp('ended_at', tz),
    visitorId: text('visitor_id'),
    /** 0-3 fires; 1-3 is a qualified chat. */
    rating: smallint('rating'),
    qualified: boolean('qualified'),
    meetingBookedAt: timestamp('meeting_booked_at', tz),
    targetAccount: boolean('target_account').notNull().default(false),
    /** What the visitor gave when asked: email, name, phone, website, company. */
    capturedEmail: text('captured_email'),
    capturedName: text('captured_name'),
    capturedPhone: text('captured_phone'),
    capturedWebsite: text('captured_website'),
    capturedCompany: text('captured_company'),
    status: text('status', { enum: ['answered', 'missed', 'bot'] }),
    channel: text('channel', { enum: conversationChannels }),
    /** The first agent reply: wait and first response times end here. */
    acceptedAt: timestamp('accepted_at', tz),
    initiatedBy: text('initiated_by', { enum: conversationInitiators }),
    messagesVisitor: integer('messages_visitor'),
    messagesAgent: integer('messages_agent'),
    avgResponseSeconds: doublePrecision('avg_response_seconds'),
    tags: text('tags')
      .array()
      .notNull()
      .default(sql`'{}'::text[]`),
    /** 1-5 */
    csat: smallint('csat'),
    /** 0-10 */
    nps: smallint('nps'),
    resolved: boolean('resolved'),
    pageUrl: text('page_url'),
    /** The agent's name as the chat product sent it with this conversation. */
    agentName: text('agent_name'),
    receivedAt: timestamp('received_at', tz).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', tz).notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.workspaceId, t.id] }),
    index('conversations_started').on(t.workspaceId, t.startedAt),
    index('conversations_agent').on(t.workspaceId, t.agentId, t.startedAt),
    index('conversations_meetings').on(t.workspaceId, t.meetingBookedAt),
  ],
);

/** Normalized emails of each conversation (ATTRIBUTION.md rule 2), for linking by index. */
export const conversationEmails = pgTable(
  'conversation_emails',
  {
    workspaceId: workspaceId(),
    conversationId: text('conversation_id').notNull(),
    emailNormalized: text('email_normalized').notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.workspaceId, t.conversationId, t.emailNormalized] }),
    index('conversation_emails_email').on(t.workspaceId, t.emailNormalized),
  ],
);

/**
 * Field history Salesforce keeps where tracking is on (ContactHistory, LeadHistory): each change of
 * a tracked field, with its old and new value and when. Contact and lead emails from it link chats
 * from before the first sync (ATTRIBUTION.md rule 2: any email the contact has had); lead status
 * over time is kept for the funnel. Rows are immutable in Salesforce, so only ever added.
 */
export const fieldHistory = pgTable(
  'field_history',
  {
    workspaceId: workspaceId(),
    /** The Salesforce id of the ContactHistory or LeadHistory row. */
    historyId: text('history_id').notNull(),
    object: text('object', { enum: ['Contact', 'Lead'] }).notNull(),
    recordId: text('record_id').notNull(),
    field: text('field').notNull(),
    oldValue: text('old_value'),
    newValue: text('new_value'),
    /** For Email rows: the values normalized as rule 2 says, to find chats by them. */
    oldEmailNormalized: text('old_email_normalized'),
    newEmailNormalized: text('new_email_normalized'),
    changedAt: timestamp('changed_at', tz).notNull(),
    source: text('source').notNull(),
    recordedAt: timestamp('recorded_at', tz).notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.workspaceId, t.historyId] }),
    index('field_history_record').on(t.workspaceId, t.object, t.recordId, t.field),
    index('field_history_old_email').on(t.workspaceId, t.oldEmailNormalized),
    index('field_history_new_email').on(t.workspaceId, t.newEmailNormalized),
  ],
);

/**
 * Rollup of the versions above, kept by `history/contact-links.ts` in the transaction that writes
 * them: every normalized email a contact has had, its own or a converted lead's, field history
 * included (ATTRIBUTION.md rule 2). Only ever grows, as the versions do.
 */
export const contactEmails = pgTable(
  'contact_emails',
  {
    workspaceId: workspaceId(),
    emailNormalized: text('email_normalized').notNull(),
    contactId: text('contact_id').notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.workspaceId, t.emailNormalized, t.contactId] }),
    index('contact_emails_contact').on(t.workspaceId, t.contactId),
  ],
);

/**
 * Rollup: the account each contact belongs to now (its latest version naming one), for contacts
 * not deleted since; no row otherwise. Kept by `history/contact-links.ts` with the contact versions.
 */
export const contactAccounts = pgTable(
  'contact_accounts',
  {
    workspaceId: workspaceId(),
    contactId: text('contact_id').notNull(),
    accountId: text('account_id').notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.workspaceId, t.contactId] }),
    index('contact_accounts_account').on(t.workspaceId, t.accountId),
  ],
);

/**
 * Rollup: each conversation linked to a contact (contact_emails) that belongs to an account
 * (contact_accounts), one row per conversation and contact, with the conversation's fields the
 * accounts reports filter and count by. Kept by `history/contact-links.ts` with the conversations
 * and the versions that change a link.
 */
export const conversationAccounts = pgTable(
  'conversation_accounts',
  {
    workspaceId: workspaceId(),
    conversationId: text('conversation_id').notNull(),
    contactId: text('contact_id').notNull(),
    accountId: text('account_id').notNull(),
    startedAt: timestamp('started_at', tz).notNull(),
    teamId: text('team_id').notNull(),
    agentId: text('agent_id'),
    targetAccount: boolean('target_account').notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.workspaceId, t.conversationId, t.contactId] }),
    index('conversation_accounts_started').on(t.workspaceId, t.startedAt),
    index('conversation_accounts_account').on(t.workspaceId, t.accountId),
    index('conversation_accounts_contact').on(t.workspaceId, t.contactId),
  ],
);
