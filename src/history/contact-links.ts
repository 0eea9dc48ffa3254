// Which account each chat belongs to, kept as three rollups in the transaction that writes what
// they come from, so a report links chats to accounts without re-deriving it from every version
// and conversation of the workspace on each request. The definitions are the SQL below, read from
// the versions; the rollups hold exactly their answer (test/history/contact-links.test.ts).
//
// - `contact_emails`: an email is a contact's when it is any email the contact has had
//   (ATTRIBUTION.md rule 2): one of its versions' emails, or its field history's old and new
//   values, or the same of a lead converted into it. Versions are only ever added, so it only grows.
// - `contact_accounts`: a contact belongs to the account its latest version naming one names (a
//   version without an account keeps the one before), unless a later version deleted it.
// - `conversation_accounts`: a conversation belongs to the account of each contact one of its
//   emails is, with the conversation's own fields the reports filter by. Written when a
//   conversation is written (recordConversations) and when a contact's emails or account change.
import { sql, type SQL } from 'drizzle-orm';
import type { Tx } from '../platform/db/client';
import { textArray } from '../platform/db/sql';
import { lockHistoryWrites } from './write-lock';

/** Restricts a definition to the records whose versions changed; undefined: every record. */
export interface ChangedRecords {
  contactIds?: readonly string[];
  leadIds?: readonly string[];
}

const only = (column: SQL, ids: readonly string[] | undefined) =>
  ids === undefined ? sql`` : sql`and ${column} = any(${textArray(ids)})`;

/**
 * (contact_id, email) for every email a contact has had, read from the versions. With `changed`,
 * only the pairs those contacts' and leads' own versions and field history give: a contact's
 * versions give its own emails, a lead's give its emails to the contacts it was converted into.
 */
export function contactEmailsFromVersions(workspaceId: string, changed?: ChangedRecords): SQL {
  const contacts = changed ? (changed.contactIds ?? []) : undefined;
  const leads = changed ? (changed.leadIds ?? []) : undefined;
  return sql`
    select contact_id, email_normalized as email from contact_versions
    where workspace_id = ${workspaceId} and email_normalized is not null ${only(sql`contact_id`, contacts)}
    union
    select c.converted_contact_id, l.email_normalized from lead_versions l
    join lead_versions c on c.workspace_id = l.workspace_id and c.lead_id = l.lead_id
    where l.workspace_id = ${workspaceId} and l.email_normalized is not null and c.converted_contact_id is not null
      ${only(sql`l.lead_id`, leads)}
    union
    select h.record_id, e.email from field_history h
    cross join lateral unnest(array[h.old_email_normalized, h.new_email_normalized]) as e(email)
    where h.workspace_id = ${workspaceId} and h.object = 'Contact' and h.field = 'Email' and e.email is not null
      ${only(sql`h.record_id`, contacts)}
    union
    select c.converted_contact_id, e.email from field_history h
    join lead_versions c on c.workspace_id = h.workspace_id and c.lead_id = h.record_id
    cross join lateral unnest(array[h.old_email_normalized, h.new_email_normalized]) as e(email)
    where h.workspace_id = ${workspaceId} and h.object = 'Lead' and h.field = 'Email' and e.email is not null
      and c.converted_contact_id is not null ${only(sql`h.record_id`, leads)}`;
}

/** (contact_id, account_id) for every contact that belongs to an account now, read from the versions. */
export function contactAccountsFromVersions(workspaceId: string, contactIds?: readonly string[]): SQL {
  return sql`
    select contact_id, account_id from (
      select distinct on (contact_id) contact_id, account_id, is_deleted from contact_versions
      where workspace_id = ${workspaceId} and (account_id is not null or is_deleted) ${only(sql`contact_id`, contactIds)}
      order by contact_id, occurred_at desc, seq desc
    ) latest where not is_deleted`;
}

/** (conversation_id, contact_id, account_id, started_at, team_id, agent_id, target_account) per link. */
function conversationLinks(workspaceId: string, where: SQL): SQL {
  return sql`
    select distinct c.id as conversation_id, ce.contact_id, ca.account_id, c.started_at, c.team_id, c.agent_id,
           c.target_account
    from conversations c
    join conversation_emails e on e.workspace_id = c.workspace_id and e.conversation_id = c.id
    join contact_emails ce on ce.workspace_id = e.workspace_id and ce.email_normalized = e.email_normalized
    join contact_accounts ca on ca.workspace_id = ce.workspace_id and ca.contact_id = ce.contact_id
    where c.workspace_id = ${workspaceId} and ${where}`;
}

/**
 * Replaces the conversation_accounts rows of the conversations or contacts `scope` selects with
 * `fresh` (the links conversationLinks gives for the same scope), in one statement: rows no longer
 * linked deleted, new ones inserted, changed ones updated, equal ones left alone.
 */
async function replaceConversationLinks(tx: Tx, workspaceId: string, scope: SQL, fresh: SQL): Promise<void> {
  await tx.execute(sql`
    with fresh as (${fresh}),
    gone as (
      delete from conversation_accounts a
      where a.workspace_id = ${workspaceId} and ${scope}
        and not exists (select 1 from fresh f where f.conversation_id = a.conversation_id and f.contact_id = a.contact_id)
    )
    insert into conversation_accounts (workspace_id, conversation_id, contact_id, account_id, started_at, team_id,
                                       agent_id, target_account)
    select ${workspaceId}::uuid, conversation_id, contact_id, account_id, started_at, team_id, agent_id, target_account
    from fresh order by 2, 3
    on conflict (workspace_id, conversation_id, contact_id) do update set
      account_id = excluded.account_id, started_at = excluded.started_at, team_id = excluded.team_id,
      agent_id = excluded.agent_id, target_account = excluded.target_account
    where (conversation_accounts.account_id, conversation_accounts.started_at, conversation_accounts.team_id,
           conversation_accounts.agent_id, conversation_accounts.target_account)
      is distinct from (excluded.account_id, excluded.started_at, excluded.team_id, excluded.agent_id,
                        excluded.target_account)`);
}

/**
 * Brings conversation_accounts up to date for conversations just written (new, or any field
 * changed): call it in the writing transaction, after their conversation_emails.
 */
export async function refreshConversationLinks(tx: Tx, workspaceId: string, conversationIds: string[]): Promise<void> {
  if (conversationIds.length === 0) return;
  const ids = textArray([...new Set(conversationIds)]);
  await replaceConversationLinks(
    tx,
    workspaceId,
    sql`a.conversation_id = any(${ids})`,
    conversationLinks(workspaceId, sql`c.id = any(${ids})`),
  );
}

/**
 * Brings the rollups up to date for records whose versions or field history were just written:
 * call it in the writing transaction, under the workspace's history write lock.
 */
export async function refreshContactLinks(tx: Tx, workspaceId: string, changed: ChangedRecords): Promise<void> {
  const contactIds = [...new Set(changed.contactIds ?? [])];
  const leadIds = [...new Set(changed.leadIds ?? [])];
  if (contactIds.length + leadIds.length > 0) {
    await tx.execute(sql`
      insert into contact_emails (workspace_id, email_normalized, contact_id)
      select ${workspaceId}::uuid, email, contact_id
      from (${contactEmailsFromVersions(workspaceId, { contactIds, leadIds })}) e
      order by 2, 3
      on conflict do nothing`);
  }
  if (contactIds.length > 0) {
    await tx.execute(sql`
      with latest as (${contactAccountsFromVersions(workspaceId, contactIds)}),
      gone as (
        delete from contact_accounts a
        where a.workspace_id = ${workspaceId} and a.contact_id = any(${textArray(contactIds)})
          and not exists (select 1 from latest where latest.contact_id = a.contact_id)
      )
      insert into contact_accounts (workspace_id, contact_id, account_id)
      select ${workspaceId}::uuid, contact_id, account_id from latest order by 2
      on conflict (workspace_id, contact_id) do update set account_id = excluded.account_id
        where contact_accounts.account_id <> excluded.account_id`);
  }
  if (contactIds.length + leadIds.length > 0) {
    // The contacts whose emails or account may have changed: these, and those the leads became.
    const [affected] = await tx.execute<{ ids: string[] }>(sql`
      select coalesce(array_agg(distinct id), '{}') as ids from (
        select unnest(${textArray(contactIds)}) as id
        union all
        select converted_contact_id from lead_versions
        where workspace_id = ${workspaceId} and lead_id = any(${textArray(leadIds)}) and converted_contact_id is not null
      ) k`);
    if (!affected || affected.ids.length === 0) return;
    const contacts = textArray(affected.ids);
    await replaceConversationLinks(
      tx,
      workspaceId,
      sql`a.contact_id = any(${contacts})`,
      conversationLinks(workspaceId, sql`ce.contact_id = any(${contacts})`),
    );
  }
}

/**
 * Rebuilds a workspace's rollups from its versions, for data written around the writers (the
 * benchmarks' SQL). In one transaction, under the history write lock, so no reader sees them half
 * built and no writer interleaves.
 */
export async function rebuildContactLinks(tx: Tx, workspaceId: string): Promise<void> {
  await lockHistoryWrites(tx, workspaceId, 'exclusive');
  await tx.execute(sql`delete from conversation_accounts where workspace_id = ${workspaceId}`);
  await tx.execute(sql`delete from contact_emails where workspace_id = ${workspaceId}`);
  await tx.execute(sql`delete from contact_accounts where workspace_id = ${workspaceId}`);
  await tx.execute(sql`
    insert into contact_emails (workspace_id, email_normalized, contact_id)
    select ${workspaceId}::uuid, email, contact_id from (${contactEmailsFromVersions(workspaceId)}) e`);
  await tx.execute(sql`
    insert into contact_accounts (workspace_id, contact_id, account_id)
    select ${workspaceId}::uuid, contact_id, account_id from (${contactAccountsFromVersions(workspaceId)}) a`);
  await tx.execute(sql`
    insert into conversation_accounts (workspace_id, conversation_id, contact_id, account_id, started_at, team_id,
                                       agent_id, target_account)
    select ${workspaceId}::uuid, conversation_id, contact_id, account_id, started_at, team_id, agent_id, target_account
    from (${conversationLinks(workspaceId, sql`true`)}) l`);
}
