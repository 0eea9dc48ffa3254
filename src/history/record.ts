// Writes history versions and conversations. Every writer is idempotent (natural keys,
// ON CONFLICT) and marks the opportunities it affects dirty in the caller's transaction.
import { sql } from 'drizzle-orm';
import type { Tx } from '../db/client';
import {
  contactRoleVersions, contactVersions, conversationEmails, conversations, leadVersions, opportunityVersions,
} from '../db/schema';
import { textArray } from '../db/sql';
import { normalizeEmail } from '../attribution/history';
import {
  markContactsDirty, markEmailsDirty, markLeadsDirty, markOpportunitiesDirty, markRolesDirty,
} from './mark-dirty';

type Generated = 'workspaceId' | 'seq' | 'recordedAt';
export type NewOpportunityVersion = Omit<typeof opportunityVersions.$inferInsert, Generated>;
export type NewContactRoleVersion = Omit<typeof contactRoleVersions.$inferInsert, Generated>;
export type NewContactVersion = Omit<typeof contactVersions.$inferInsert, Generated | 'emailNormalized'>;
export type NewLeadVersion = Omit<typeof leadVersions.$inferInsert, Generated | 'emailNormalized'>;
export type NewConversation = Omit<typeof conversations.$inferInsert, 'workspaceId' | 'receivedAt' | 'updatedAt'>;

/** Rows per INSERT: well under Postgres' 65,535 bind parameters for our widest table. */
const CHUNK = 2000;

function chunks<T>(rows: T[]): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < rows.length; i += CHUNK) out.push(rows.slice(i, i + CHUNK));
  return out;
}

/** Returns how many versions were new. */
export async function recordOpportunityVersions(tx: Tx, workspaceId: string, rows: NewOpportunityVersion[]): Promise<number> {
  let added = 0;
  for (const chunk of chunks(rows)) {
    const inserted = await tx
      .insert(opportunityVersions)
      .values(chunk.map((r) => ({ ...r, workspaceId })))
      .onConflictDoNothing()
      .returning({ id: opportunityVersions.opportunityId });
    added += inserted.length;
    await markOpportunitiesDirty(tx, workspaceId, [...new Set(inserted.map((r) => r.id))]);
  }
  return added;
}

export async function recordContactRoleVersions(tx: Tx, workspaceId: string, rows: NewContactRoleVersion[]): Promise<number> {
  let added = 0;
  for (const chunk of chunks(rows)) {
    const inserted = await tx
      .insert(contactRoleVersions)
      .values(chunk.map((r) => ({ ...r, workspaceId })))
      .onConflictDoNothing()
      .returning({ id: contactRoleVersions.contactRoleId });
    added += inserted.length;
    await markRolesDirty(tx, workspaceId, [...new Set(inserted.map((r) => r.id))]);
  }
  return added;
}

export async function recordContactVersions(tx: Tx, workspaceId: string, rows: NewContactVersion[]): Promise<number> {
  let added = 0;
  for (const chunk of chunks(rows)) {
    const inserted = await tx
      .insert(contactVersions)
      .values(chunk.map((r) => ({ ...r, workspaceId, emailNormalized: normalizeEmail(r.email) })))
      .onConflictDoNothing()
      .returning({ id: contactVersions.contactId });
    added += inserted.length;
    await markContactsDirty(tx, workspaceId, [...new Set(inserted.map((r) => r.id))]);
  }
  return added;
}

export async function recordLeadVersions(tx: Tx, workspaceId: string, rows: NewLeadVersion[]): Promise<number> {
  let added = 0;
  for (const chunk of chunks(rows)) {
    const inserted = await tx
      .insert(leadVersions)
      .values(chunk.map((r) => ({ ...r, workspaceId, emailNormalized: normalizeEmail(r.email) })))
      .onConflictDoNothing()
      .returning({ id: leadVersions.leadId });
    added += inserted.length;
    await markLeadsDirty(tx, workspaceId, [...new Set(inserted.map((r) => r.id))]);
  }
  return added;
}

/**
 * Inserts or updates conversations by the chat product's id and keeps their normalized emails.
 * Opportunities reachable through the old and the new emails are marked dirty.
 */
export async function recordConversations(tx: Tx, workspaceId: string, rows: NewConversation[]): Promise<void> {
  for (const chunk of chunks(rows)) {
    const ids = chunk.map((r) => r.id);
    const previous = await tx
      .select({ email: conversationEmails.emailNormalized })
      .from(conversationEmails)
      .where(sql`${conversationEmails.workspaceId} = ${workspaceId} and ${conversationEmails.conversationId} = any(${textArray(ids)})`);
    await tx
      .insert(conversations)
      .values(chunk.map((r) => ({ ...r, workspaceId })))
      .onConflictDoUpdate({
        target: [conversations.workspaceId, conversations.id],
        set: {
          teamId: sql`excluded.team_id`,
          agentId: sql`excluded.agent_id`,
          startedAt: sql`excluded.started_at`,
          emails: sql`excluded.emails`,
          updatedAt: sql`now()`,
        },
      });
    await tx
      .delete(conversationEmails)
      .where(sql`${conversationEmails.workspaceId} = ${workspaceId} and ${conversationEmails.conversationId} = any(${textArray(ids)})`);
    const emailRows = chunk.flatMap((r) =>
      [...new Set((r.emails ?? []).map(normalizeEmail).filter((e): e is string => e !== null))].map((email) => ({
        workspaceId, conversationId: r.id, emailNormalized: email,
      })),
    );
    if (emailRows.length > 0) await tx.insert(conversationEmails).values(emailRows).onConflictDoNothing();
    const affected = new Set([...previous.map((p) => p.email), ...emailRows.map((e) => e.emailNormalized)]);
    await markEmailsDirty(tx, workspaceId, [...affected]);
  }
}
