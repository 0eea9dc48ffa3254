// Which Salesforce account each chat belongs to: a chat is linked to contacts by email as
// ATTRIBUTION.md rule 2 links it (any email a contact has had, its own or a lead's converted into
// it, field history included: the emails history/mark-dirty.ts and history/load.ts read), and a
// contact belongs to the account its latest version names. Leads that were never converted name no
// account, so their chats belong to none.
import { sql, type SQL } from 'drizzle-orm';
import { textArray } from '../platform/db/sql';
import { isTargetAccountChat } from './chat-metrics';

export interface AccountLinkScope {
  workspaceId: string;
  /** Only these teams' conversations; null: all teams. */
  teams: readonly string[] | null;
  /** Only these accounts; undefined: every account. */
  accountIds?: readonly string[];
  /** Only conversations that started in [start, end); undefined: all. */
  during?: { start: Date; end: Date };
}

/** normalized email -> contact id, for every email a contact has had (rule 2). */
export function contactEmails(workspaceId: string): SQL {
  return sql`
    select contact_id, email_normalized as email from contact_versions
    where workspace_id = ${workspaceId} and email_normalized is not null
    union
    select c.converted_contact_id, l.email_normalized from lead_versions l
    join lead_versions c on c.workspace_id = l.workspace_id and c.lead_id = l.lead_id
    where l.workspace_id = ${workspaceId} and l.email_normalized is not null and c.converted_contact_id is not null
    union
    select h.record_id, e.email from field_history h
    cross join lateral unnest(array[h.old_email_normalized, h.new_email_normalized]) as e(email)
    where h.workspace_id = ${workspaceId} and h.object = 'Contact' and h.field = 'Email' and e.email is not null
    union
    select c.converted_contact_id, e.email from field_history h
    join lead_versions c on c.workspace_id = h.workspace_id and c.lead_id = h.record_id
    cross join lateral unnest(array[h.old_email_normalized, h.new_email_normalized]) as e(email)
    where h.workspace_id = ${workspaceId} and h.object = 'Lead' and h.field = 'Email' and e.email is not null
      and c.converted_contact_id is not null`;
}

/** contact id -> the account its latest version (with an account) names, for contacts not deleted since. */
export function contactAccounts(workspaceId: string, accountIds?: readonly string[]): SQL {
  const only = accountIds ? sql`and account_id = any(${textArray(accountIds)})` : sql``;
  return sql`
    select contact_id, account_id from (
      select distinct on (contact_id) contact_id, account_id, is_deleted from contact_versions
      where workspace_id = ${workspaceId} and (account_id is not null or is_deleted)
      order by contact_id, occurred_at desc, seq desc
    ) latest where not is_deleted ${only}`;
}

/**
 * A subquery of (conversation_id, started_at, team_id, agent_id, target_account, contact_id,
 * account_id): one row per chat of the team set and contact of an account it is linked to.
 */
export function accountChats(s: AccountLinkScope): SQL {
  const teamFilter = s.teams ? sql`and c.team_id = any(${textArray(s.teams)})` : sql``;
  const during = s.during
    ? sql`and c.started_at >= ${s.during.start.toISOString()}::timestamptz
          and c.started_at < ${s.during.end.toISOString()}::timestamptz`
    : sql``;
  return sql`
    select distinct c.id as conversation_id, c.started_at, c.team_id, c.agent_id, ${isTargetAccountChat} as target_account,
           ce.contact_id, ca.account_id
    from conversations c
    join conversation_emails e on e.workspace_id = c.workspace_id and e.conversation_id = c.id
    join (${contactEmails(s.workspaceId)}) ce on ce.email = e.email_normalized
    join (${contactAccounts(s.workspaceId, s.accountIds)}) ca on ca.contact_id = ce.contact_id
    where c.workspace_id = ${s.workspaceId} ${teamFilter} ${during}`;
}
