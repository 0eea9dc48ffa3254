// Which Salesforce account each chat belongs to: a chat is linked to contacts by email as
// ATTRIBUTION.md rule 2 links it (any email a contact has had, its own or a lead's converted into
// it, field history included: the emails history/mark-dirty.ts and history/load.ts read), and a
// contact belongs to the account its latest version names. Leads that were never converted name no
// account, so their chats belong to none. The links are read from rollups kept with the versions and
// conversations (history/contact-links.ts defines and keeps them), never re-derived per request.
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

/**
 * contact id -> the account its latest version (with an account) names, for contacts not deleted
 * since: the `contact_accounts` rollup.
 */
export function contactAccounts(workspaceId: string, accountIds?: readonly string[]): SQL {
  const only = accountIds ? sql`and account_id = any(${textArray(accountIds)})` : sql``;
  return sql`select contact_id, account_id from contact_accounts where workspace_id = ${workspaceId} ${only}`;
}

/**
 * A subquery of (conversation_id, started_at, team_id, agent_id, target_account, contact_id,
 * account_id): one row per chat of the team set and contact of an account it is linked to, read
 * from the conversation_accounts rollup.
 */
export function accountChats(s: AccountLinkScope): SQL {
  const teamFilter = s.teams ? sql`and team_id = any(${textArray(s.teams)})` : sql``;
  const accounts = s.accountIds ? sql`and account_id = any(${textArray(s.accountIds)})` : sql``;
  const during = s.during
    ? sql`and started_at >= ${s.during.start.toISOString()}::timestamptz
          and started_at < ${s.during.end.toISOString()}::timestamptz`
    : sql``;
  return sql`
    select conversation_id, started_at, team_id, agent_id, ${isTargetAccountChat} as target_account, contact_id, account_id
    from conversation_accounts
    where workspace_id = ${s.workspaceId} ${teamFilter} ${accounts} ${during}`;
}
