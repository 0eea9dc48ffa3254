// Deletions Salesforce reports without a record (getDeleted, or an id gone at reconciliation):
// a version marked deleted, carrying the record's last known state, unless it is deleted already.
import { sql } from 'drizzle-orm';
import type { Tx } from '../platform/db/client';
import { textArray } from '../platform/db/sql';
import { lockHistoryWrites } from './write-lock';
import { refreshContactLinks } from './contact-links';
import { markContactsDirty, markLeadsDirty, markOpportunitiesDirty, markRolesDirty } from './mark-dirty';

export type DeletableKind = 'opportunity' | 'contactRole' | 'contact' | 'lead';

const TABLES: Record<DeletableKind, { table: string; id: string; columns: string[] }> = {
  opportunity: {
    table: 'opportunity_versions',
    id: 'opportunity_id',
    columns: [
      'name',
      'account_id',
      'owner_id',
      'amount',
      'currency_iso_code',
      'stage_name',
      'is_closed',
      'is_won',
      'close_date',
      'created_date',
    ],
  },
  contactRole: {
    table: 'contact_role_versions',
    id: 'contact_role_id',
    columns: ['opportunity_id', 'contact_id', 'role', 'is_primary', 'created_date'],
  },
  contact: {
    table: 'contact_versions',
    id: 'contact_id',
    columns: ['name', 'account_id', 'email', 'email_normalized'],
  },
  lead: {
    table: 'lead_versions',
    id: 'lead_id',
    columns: [
      'email',
      'email_normalized',
      'status',
      'created_date',
      'is_converted',
      'converted_contact_id',
      'converted_opportunity_id',
    ],
  },
};

export interface Deletion {
  id: string;
  deletedAt: Date;
}

/** Returns the ids that got a new deleted version. */
export async function recordDeletions(
  tx: Tx,
  workspaceId: string,
  kind: DeletableKind,
  deletions: Deletion[],
  source: string,
): Promise<string[]> {
  if (deletions.length === 0) return [];
  await lockHistoryWrites(tx, workspaceId, 'exclusive');
  const t = TABLES[kind];
  const cols = t.columns.join(', ');
  const rows = await tx.execute<{ id: string }>(sql`
    with gone as (
      select * from unnest(${textArray(deletions.map((d) => d.id))}, ${textArray(deletions.map((d) => d.deletedAt.toISOString()))}::timestamptz[]) as g(id, at)
    ), latest as (
      select distinct on (v.${sql.raw(t.id)}) v.*
      from ${sql.raw(t.table)} v join gone on gone.id = v.${sql.raw(t.id)}
      where v.workspace_id = ${workspaceId}
      order by v.${sql.raw(t.id)}, v.occurred_at desc, v.seq desc
    )
    insert into ${sql.raw(t.table)} (workspace_id, version_id, ${sql.raw(t.id)}, occurred_at, is_deleted, source, ${sql.raw(cols)})
    select ${workspaceId}, latest.${sql.raw(t.id)} || '@deleted@' || to_char(gone.at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'),
           latest.${sql.raw(t.id)}, greatest(gone.at, latest.occurred_at), true, ${source}, ${sql.raw(t.columns.map((c) => `latest.${c}`).join(', '))}
    from latest join gone on gone.id = latest.${sql.raw(t.id)}
    where not latest.is_deleted
    on conflict do nothing
    returning ${sql.raw(t.id)} as id`);
  const ids = rows.map((r) => r.id);
  if (kind === 'opportunity') await markOpportunitiesDirty(tx, workspaceId, ids);
  else if (kind === 'contactRole') await markRolesDirty(tx, workspaceId, ids);
  else if (kind === 'contact') {
    await markContactsDirty(tx, workspaceId, ids);
    await refreshContactLinks(tx, workspaceId, { contactIds: ids }); // a deleted contact belongs to no account
  } else await markLeadsDirty(tx, workspaceId, ids);
  return ids;
}
