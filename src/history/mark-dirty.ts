// Marks the opportunities whose attribution inputs changed. Always called in the transaction that
// wrote the history, so the mark commits with the data or not at all.
import { sql } from 'drizzle-orm';
import type { Tx } from '../platform/db/client';
import { textArray } from '../platform/db/sql';

// Rows are inserted in opportunity order, so concurrent writers lock them in the same order and
// cannot deadlock on each other.
const upsertDirty = sql`order by 2 on conflict (workspace_id, opportunity_id) do update set marked_at = now()`;

export async function markOpportunitiesDirty(tx: Tx, workspaceId: string, opportunityIds: string[]): Promise<void> {
  if (opportunityIds.length === 0) return;
  await tx.execute(sql`
    insert into attribution_dirty (workspace_id, opportunity_id)
    select distinct ${workspaceId}::uuid, id from unnest(${textArray(opportunityIds)}) as id
    ${upsertDirty}`);
}

/** Every opportunity any version of these contact roles names. */
export async function markRolesDirty(tx: Tx, workspaceId: string, contactRoleIds: string[]): Promise<void> {
  if (contactRoleIds.length === 0) return;
  await tx.execute(sql`
    insert into attribution_dirty (workspace_id, opportunity_id)
    select distinct workspace_id, opportunity_id from contact_role_versions
    where workspace_id = ${workspaceId} and contact_role_id = any(${textArray(contactRoleIds)})
      and opportunity_id is not null
    ${upsertDirty}`);
}

/** Opportunities with a role (in any version) for one of these contacts. */
export async function markContactsDirty(tx: Tx, workspaceId: string, contactIds: string[]): Promise<void> {
  if (contactIds.length === 0) return;
  await tx.execute(sql`
    insert into attribution_dirty (workspace_id, opportunity_id)
    select distinct workspace_id, opportunity_id from contact_role_versions
    where workspace_id = ${workspaceId} and contact_id = any(${textArray(contactIds)})
      and opportunity_id is not null
    ${upsertDirty}`);
}

/** Opportunities of the contacts these leads were converted into (in any version). */
export async function markLeadsDirty(tx: Tx, workspaceId: string, leadIds: string[]): Promise<void> {
  if (leadIds.length === 0) return;
  await tx.execute(sql`
    insert into attribution_dirty (workspace_id, opportunity_id)
    select distinct r.workspace_id, r.opportunity_id
    from lead_versions l
    join contact_role_versions r on r.workspace_id = l.workspace_id and r.contact_id = l.converted_contact_id
    where l.workspace_id = ${workspaceId} and l.lead_id = any(${textArray(leadIds)})
      and r.opportunity_id is not null
    ${upsertDirty}`);
}

/** Opportunities of every contact these normalized emails link to, directly or through a converted lead. */
export async function markEmailsDirty(tx: Tx, workspaceId: string, emails: string[]): Promise<void> {
  if (emails.length === 0) return;
  const list = textArray(emails);
  await tx.execute(sql`
    with linked as (
      select contact_id from contact_versions
      where workspace_id = ${workspaceId} and email_normalized = any(${list})
      union
      select c.converted_contact_id from lead_versions l
      join lead_versions c on c.workspace_id = l.workspace_id and c.lead_id = l.lead_id
      where l.workspace_id = ${workspaceId} and l.email_normalized = any(${list})
        and c.converted_contact_id is not null
      union
      -- Emails a contact or a converted lead had before we synced it (ContactHistory, LeadHistory).
      select h.record_id from field_history h
      where h.workspace_id = ${workspaceId} and h.object = 'Contact'
        and (h.old_email_normalized = any(${list}) or h.new_email_normalized = any(${list}))
      union
      select c.converted_contact_id from field_history h
      join lead_versions c on c.workspace_id = h.workspace_id and c.lead_id = h.record_id
      where h.workspace_id = ${workspaceId} and h.object = 'Lead'
        and (h.old_email_normalized = any(${list}) or h.new_email_normalized = any(${list}))
        and c.converted_contact_id is not null
    )
    insert into attribution_dirty (workspace_id, opportunity_id)
    select distinct r.workspace_id, r.opportunity_id from contact_role_versions r
    where r.workspace_id = ${workspaceId} and r.contact_id in (select contact_id from linked)
      and r.opportunity_id is not null
    ${upsertDirty}`);
}

/** Every opportunity of the workspace, e.g. after its time zone or window changed. */
export async function markWorkspaceDirty(tx: Tx, workspaceId: string): Promise<void> {
  await tx.execute(sql`
    insert into attribution_dirty (workspace_id, opportunity_id)
    select distinct workspace_id, opportunity_id from opportunity_versions where workspace_id = ${workspaceId}
    ${upsertDirty}`);
}
