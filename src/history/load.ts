// Reads the engine's input from the history tables: for a set of opportunities, exactly the
// closure their attribution depends on (their versions, roles, the roles' contacts, leads
// converted into those contacts, and every conversation sharing one of their emails). Emails
// those contacts and leads had before we synced them (ContactHistory, LeadHistory) count as
// versions too: rule 2 links a chat to any email the contact has had.
import { and, eq, inArray, sql } from 'drizzle-orm';
import type { DbOrTx } from '../platform/db/client';
import {
  contactRoleVersions,
  contactVersions,
  conversationEmails,
  conversations,
  currencyRates,
  fieldHistory,
  leadVersions,
  opportunityVersions,
  workspaces,
} from '../platform/db/schema';
import { textArray } from '../platform/db/sql';
import { emptyHistory, normalizeEmail, type History } from '../attribution/history';
import { parseCents } from '../attribution/money';
import { CurrencyConverter } from './currency';

export async function loadHistory(db: DbOrTx, workspaceId: string, opportunityIds: string[] | 'all'): Promise<History> {
  if (opportunityIds !== 'all' && opportunityIds.length === 0) return emptyHistory();
  const all = opportunityIds === 'all';
  const ids = all ? [] : opportunityIds;

  // Statements that do not depend on each other go out together: fewer waits for the database.
  const [opportunities, roles, converter] = await Promise.all([
    db
      .select()
      .from(opportunityVersions)
      .where(
        all
          ? eq(opportunityVersions.workspaceId, workspaceId)
          : sql`${opportunityVersions.workspaceId} = ${workspaceId} and ${opportunityVersions.opportunityId} = any(${textArray(ids)})`,
      ),
    db
      .select()
      .from(contactRoleVersions)
      .where(
        all
          ? eq(contactRoleVersions.workspaceId, workspaceId)
          : sql`${contactRoleVersions.workspaceId} = ${workspaceId} and ${contactRoleVersions.contactRoleId} in (
          select contact_role_id from contact_role_versions
          where workspace_id = ${workspaceId} and opportunity_id = any(${textArray(ids)}))`,
      ),
    currencyConverter(db, workspaceId),
  ]);
  const contactIds = [...new Set(roles.map((r) => r.contactId).filter((c): c is string => c !== null))];
  const [contacts, leads, contactHistory] = await Promise.all([
    db
      .select()
      .from(contactVersions)
      .where(
        all
          ? eq(contactVersions.workspaceId, workspaceId)
          : sql`${contactVersions.workspaceId} = ${workspaceId} and ${contactVersions.contactId} = any(${textArray(contactIds)})`,
      ),
    db
      .select()
      .from(leadVersions)
      .where(
        all
          ? eq(leadVersions.workspaceId, workspaceId)
          : sql`${leadVersions.workspaceId} = ${workspaceId} and ${leadVersions.leadId} in (
          select lead_id from lead_versions
          where workspace_id = ${workspaceId} and converted_contact_id = any(${textArray(contactIds)}))`,
      ),
    emailHistory(db, workspaceId, 'Contact', all ? null : contactIds),
  ]);
  const leadHistory = await emailHistory(
    db,
    workspaceId,
    'Lead',
    all ? null : [...new Set(leads.map((l) => l.leadId))],
  );
  const emails = new Set<string>();
  for (const v of [...contacts, ...leads]) if (v.emailNormalized) emails.add(v.emailNormalized);
  for (const h of [...contactHistory, ...leadHistory]) if (h.email) emails.add(h.email);
  const chats = all
    ? await db.select().from(conversations).where(eq(conversations.workspaceId, workspaceId))
    : emails.size === 0
      ? []
      : await db
          .select()
          .from(conversations)
          .where(
            and(
              eq(conversations.workspaceId, workspaceId),
              inArray(
                conversations.id,
                db
                  .select({ id: conversationEmails.conversationId })
                  .from(conversationEmails)
                  .where(
                    sql`${conversationEmails.workspaceId} = ${workspaceId} and ${conversationEmails.emailNormalized} = any(${textArray([...emails])})`,
                  ),
              ),
            ),
          );

  // OpportunityHistory rows carry no currency: an opportunity's amounts are in its own currency.
  const currencyOf = new Map<string, string>();
  for (const v of [...opportunities].sort((a, b) => a.occurredAt.getTime() - b.occurredAt.getTime() || a.seq - b.seq)) {
    if (v.currencyIsoCode) currencyOf.set(v.opportunityId, v.currencyIsoCode);
  }

  return {
    opportunities: opportunities.map((v) => ({
      versionId: v.versionId,
      at: v.occurredAt.getTime(),
      seq: v.seq,
      deleted: v.isDeleted,
      opportunityId: v.opportunityId,
      amount:
        v.amount === null
          ? null
          : converter.convert(
              parseCents(v.amount),
              v.currencyIsoCode ?? currencyOf.get(v.opportunityId) ?? null,
              v.closeDate,
            ),
      stageName: v.stageName,
      isClosed: v.isClosed,
      isWon: v.isWon,
      createdDate: v.createdDate?.getTime() ?? null,
    })),
    contactRoles: roles.map((v) => ({
      versionId: v.versionId,
      at: v.occurredAt.getTime(),
      seq: v.seq,
      deleted: v.isDeleted,
      contactRoleId: v.contactRoleId,
      opportunityId: v.opportunityId,
      contactId: v.contactId,
      createdDate: v.createdDate?.getTime() ?? null,
    })),
    contacts: [
      ...contacts.map((v) => ({
        versionId: v.versionId,
        at: v.occurredAt.getTime(),
        seq: v.seq,
        deleted: v.isDeleted,
        contactId: v.contactId,
        email: v.email,
      })),
      ...contactHistory.map((h) => ({ ...h.version, contactId: h.recordId, email: h.email })),
    ],
    leads: [
      ...leads.map((v) => ({
        versionId: v.versionId,
        at: v.occurredAt.getTime(),
        seq: v.seq,
        deleted: v.isDeleted,
        leadId: v.leadId,
        email: v.email,
        convertedContactId: v.convertedContactId,
      })),
      ...leadHistory.map((h) => ({ ...h.version, leadId: h.recordId, email: h.email, convertedContactId: null })),
    ],
    chats: chats.map((c) => ({
      id: c.id,
      at: c.startedAt.getTime(),
      teamId: c.teamId,
      agentId: c.agentId,
      emails: c.emails.map(normalizeEmail).filter((e): e is string => e !== null),
    })),
  };
}

/**
 * Every email a field history row shows the record had (old and new value), as a version of its
 * own: "ContactHistory:<id>:old" at the change, so a ledger entry can cite the row that linked it.
 */
async function emailHistory(db: DbOrTx, workspaceId: string, object: 'Contact' | 'Lead', recordIds: string[] | null) {
  if (recordIds !== null && recordIds.length === 0) return [];
  const rows = await db
    .select()
    .from(fieldHistory)
    .where(
      sql`${fieldHistory.workspaceId} = ${workspaceId} and ${fieldHistory.object} = ${object} and ${fieldHistory.field} = 'Email'
        ${recordIds === null ? sql`` : sql`and ${fieldHistory.recordId} = any(${textArray(recordIds)})`}`,
    );
  return rows.flatMap((h) =>
    (['old', 'new'] as const)
      .map((side) => ({
        recordId: h.recordId,
        email: side === 'old' ? h.oldEmailNormalized : h.newEmailNormalized,
        version: {
          versionId: `${object}History:${h.historyId}:${side}`,
          at: h.changedAt.getTime(),
          seq: 0,
          deleted: false,
        },
      }))
      .filter((v) => v.email !== null),
  );
}

export async function currencyConverter(db: DbOrTx, workspaceId: string): Promise<CurrencyConverter> {
  const [workspace] = await db
    .select({ currency: workspaces.reportingCurrency })
    .from(workspaces)
    .where(eq(workspaces.id, workspaceId));
  const rates = await db
    .select({
      isoCode: currencyRates.isoCode,
      rate: currencyRates.rate,
      startDate: currencyRates.startDate,
      nextStartDate: currencyRates.nextStartDate,
    })
    .from(currencyRates)
    .where(and(eq(currencyRates.workspaceId, workspaceId), eq(currencyRates.isDeleted, false)));
  return new CurrencyConverter(workspace?.currency ?? 'USD', rates);
}
