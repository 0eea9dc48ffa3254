// Reads the engine's input from the history tables: for a set of opportunities, exactly the
// closure their attribution depends on (their versions, roles, the roles' contacts, leads
// converted into those contacts, and every conversation sharing one of their emails). Emails
// those contacts and leads had before we synced them (ContactHistory, LeadHistory) count as
// versions too: rule 2 links a chat to any email the contact has had.
import { and, eq, sql, type SQL } from 'drizzle-orm';
import type { DbOrTx } from '../platform/db/client';
import { currencyRates, workspaces } from '../platform/db/schema';
import { textArray } from '../platform/db/sql';
import { emptyHistory, normalizeEmail, type History } from '../attribution/history';
import { parseCents } from '../attribution/money';
import { CurrencyConverter } from './currency';

/** An instant as epoch milliseconds, computed by PostgreSQL (a float8 is exact for whole milliseconds). */
const ms = (column: string) => sql.raw(`floor(extract(epoch from ${column}) * 1000)::float8`);

type VersionRow = {
  version_id: string;
  at: number;
  seq: string | number;
  is_deleted: boolean;
};

/**
 * The engine's input is read with narrow raw selects (only the columns the engine reads, instants
 * as epoch milliseconds): mapping every column of every row through drizzle cost the recompute of
 * 1,000 opportunities about ten times what PostgreSQL spent finding the rows.
 */
export async function loadHistory(db: DbOrTx, workspaceId: string, opportunityIds: string[] | 'all'): Promise<History> {
  if (opportunityIds !== 'all' && opportunityIds.length === 0) return emptyHistory();
  const all = opportunityIds === 'all';
  const ids = all ? [] : opportunityIds;
  const only = (condition: SQL) => (all ? sql`` : sql`and ${condition}`);

  const opportunities = await db.execute<
    VersionRow & {
      opportunity_id: string;
      amount: string | null;
      currency_iso_code: string | null;
      stage_name: string | null;
      is_closed: boolean;
      is_won: boolean;
      close_date: string | null;
      created: number | null;
    }
  >(sql`
    select version_id, ${ms('occurred_at')} as at, seq, is_deleted, opportunity_id, amount::text as amount,
           currency_iso_code, stage_name, is_closed, is_won, close_date::text as close_date, ${ms('created_date')} as created
    from opportunity_versions
    where workspace_id = ${workspaceId} ${only(sql`opportunity_id = any(${textArray(ids)})`)}`);
  const roles = await db.execute<
    VersionRow & {
      contact_role_id: string;
      opportunity_id: string | null;
      contact_id: string | null;
      created: number | null;
    }
  >(sql`
    select version_id, ${ms('occurred_at')} as at, seq, is_deleted, contact_role_id, opportunity_id, contact_id,
           ${ms('created_date')} as created
    from contact_role_versions
    where workspace_id = ${workspaceId} ${only(sql`contact_role_id in (
      select contact_role_id from contact_role_versions
      where workspace_id = ${workspaceId} and opportunity_id = any(${textArray(ids)}))`)}`);
  const contactIds = [...new Set(roles.map((r) => r.contact_id).filter((c): c is string => c !== null))];
  const contacts = await db.execute<
    VersionRow & { contact_id: string; email: string | null; email_normalized: string | null }
  >(sql`
    select version_id, ${ms('occurred_at')} as at, seq, is_deleted, contact_id, email, email_normalized
    from contact_versions
    where workspace_id = ${workspaceId} ${only(sql`contact_id = any(${textArray(contactIds)})`)}`);
  const leads = await db.execute<
    VersionRow & {
      lead_id: string;
      email: string | null;
      email_normalized: string | null;
      converted_contact_id: string | null;
    }
  >(sql`
    select version_id, ${ms('occurred_at')} as at, seq, is_deleted, lead_id, email, email_normalized, converted_contact_id
    from lead_versions
    where workspace_id = ${workspaceId} ${only(sql`lead_id in (
      select lead_id from lead_versions
      where workspace_id = ${workspaceId} and converted_contact_id = any(${textArray(contactIds)}))`)}`);
  const contactHistory = await emailHistory(db, workspaceId, 'Contact', all ? null : contactIds);
  const leadHistory = await emailHistory(
    db,
    workspaceId,
    'Lead',
    all ? null : [...new Set(leads.map((l) => l.lead_id))],
  );
  const emails = new Set<string>();
  for (const v of [...contacts, ...leads]) if (v.email_normalized) emails.add(v.email_normalized);
  for (const h of [...contactHistory, ...leadHistory]) if (h.email) emails.add(h.email);
  const chats =
    !all && emails.size === 0
      ? []
      : await db.execute<{ id: string; at: number; team_id: string; agent_id: string | null; emails: string[] }>(sql`
          select id, ${ms('started_at')} as at, team_id, agent_id, emails
          from conversations
          where workspace_id = ${workspaceId} ${only(sql`id in (
            select conversation_id from conversation_emails
            where workspace_id = ${workspaceId} and email_normalized = any(${textArray([...emails])}))`)}`);

  const converter = await currencyConverter(db, workspaceId);
  // OpportunityHistory rows carry no currency: an opportunity's amounts are in its own currency.
  const currencyOf = new Map<string, string>();
  for (const v of [...opportunities].sort((a, b) => a.at - b.at || Number(a.seq) - Number(b.seq))) {
    if (v.currency_iso_code) currencyOf.set(v.opportunity_id, v.currency_iso_code);
  }
  const version = (v: VersionRow) => ({ versionId: v.version_id, at: v.at, seq: Number(v.seq), deleted: v.is_deleted });

  return {
    opportunities: opportunities.map((v) => ({
      ...version(v),
      opportunityId: v.opportunity_id,
      amount:
        v.amount === null
          ? null
          : converter.convert(
              parseCents(v.amount),
              v.currency_iso_code ?? currencyOf.get(v.opportunity_id) ?? null,
              v.close_date,
            ),
      stageName: v.stage_name,
      isClosed: v.is_closed,
      isWon: v.is_won,
      createdDate: v.created,
    })),
    contactRoles: roles.map((v) => ({
      ...version(v),
      contactRoleId: v.contact_role_id,
      opportunityId: v.opportunity_id,
      contactId: v.contact_id,
      createdDate: v.created,
    })),
    contacts: [
      ...contacts.map((v) => ({ ...version(v), contactId: v.contact_id, email: v.email })),
      ...contactHistory.map((h) => ({ ...h.version, contactId: h.recordId, email: h.email })),
    ],
    leads: [
      ...leads.map((v) => ({
        ...version(v),
        leadId: v.lead_id,
        email: v.email,
        convertedContactId: v.converted_contact_id,
      })),
      ...leadHistory.map((h) => ({ ...h.version, leadId: h.recordId, email: h.email, convertedContactId: null })),
    ],
    chats: chats.map((c) => ({
      id: c.id,
      at: c.at,
      teamId: c.team_id,
      agentId: c.agent_id,
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
  const rows = await db.execute<{
    history_id: string;
    record_id: string;
    old_email_normalized: string | null;
    new_email_normalized: string | null;
    at: number;
  }>(sql`
    select history_id, record_id, old_email_normalized, new_email_normalized, ${ms('changed_at')} as at
    from field_history
    where workspace_id = ${workspaceId} and object = ${object} and field = 'Email'
      ${recordIds === null ? sql`` : sql`and record_id = any(${textArray(recordIds)})`}`);
  return rows.flatMap((h) =>
    (['old', 'new'] as const)
      .map((side) => ({
        recordId: h.record_id,
        email: side === 'old' ? h.old_email_normalized : h.new_email_normalized,
        version: { versionId: `${object}History:${h.history_id}:${side}`, at: h.at, seq: 0, deleted: false },
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
