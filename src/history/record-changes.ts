// Records snapshot versions only when they change the record's state in effect at their
// instant: an incremental sync re-reads rows (overlap, unrelated field edits) and those must
// neither grow the history nor mark opportunities dirty. Skipping an unchanged version never
// changes what the engine computes.
import { sql } from 'drizzle-orm';
import type { DbOrTx, Tx } from '../platform/db/client';
import { textArray } from '../platform/db/sql';
import {
  recordAccountVersions,
  recordContactRoleVersions,
  recordContactVersions,
  recordLeadVersions,
  recordOpportunityVersions,
  recordUserVersions,
  type NewAccountVersion,
  type NewContactRoleVersion,
  type NewContactVersion,
  type NewLeadVersion,
  type NewOpportunityVersion,
  type NewUserVersion,
} from './record';

export type Kind = 'opportunity' | 'contactRole' | 'contact' | 'lead' | 'account' | 'user';
type Rows = {
  opportunity: NewOpportunityVersion;
  contactRole: NewContactRoleVersion;
  contact: NewContactVersion;
  lead: NewLeadVersion;
  account: NewAccountVersion;
  user: NewUserVersion;
};

interface TableSpec<K extends Kind> {
  table: string;
  recordColumn: string;
  recordId(row: Rows[K]): string;
  /** Fields whose change is a new state: [row field, column]. */
  compare: [keyof Rows[K] & string, string][];
  write(tx: Tx, workspaceId: string, rows: Rows[K][]): Promise<number>;
}

const SPECS: { [K in Kind]: TableSpec<K> } = {
  opportunity: {
    table: 'opportunity_versions',
    recordColumn: 'opportunity_id',
    recordId: (r) => r.opportunityId,
    compare: [
      ['amount', 'amount'],
      ['currencyIsoCode', 'currency_iso_code'],
      ['stageName', 'stage_name'],
      ['isClosed', 'is_closed'],
      ['isWon', 'is_won'],
      ['isDeleted', 'is_deleted'],
      ['closeDate', 'close_date'],
      ['name', 'name'],
      ['accountId', 'account_id'],
      ['ownerId', 'owner_id'],
    ],
    write: recordOpportunityVersions,
  },
  contactRole: {
    table: 'contact_role_versions',
    recordColumn: 'contact_role_id',
    recordId: (r) => r.contactRoleId,
    compare: [
      ['opportunityId', 'opportunity_id'],
      ['contactId', 'contact_id'],
      ['isDeleted', 'is_deleted'],
      ['role', 'role'],
      ['isPrimary', 'is_primary'],
    ],
    write: recordContactRoleVersions,
  },
  contact: {
    table: 'contact_versions',
    recordColumn: 'contact_id',
    recordId: (r) => r.contactId,
    compare: [
      ['email', 'email'],
      ['isDeleted', 'is_deleted'],
      ['name', 'name'],
      ['accountId', 'account_id'],
    ],
    write: recordContactVersions,
  },
  lead: {
    table: 'lead_versions',
    recordColumn: 'lead_id',
    recordId: (r) => r.leadId,
    compare: [
      ['email', 'email'],
      ['isDeleted', 'is_deleted'],
      ['isConverted', 'is_converted'],
      ['convertedContactId', 'converted_contact_id'],
      ['convertedOpportunityId', 'converted_opportunity_id'],
      ['status', 'status'],
    ],
    write: recordLeadVersions,
  },
  account: {
    table: 'account_versions',
    recordColumn: 'account_id',
    recordId: (r) => r.accountId,
    compare: [
      ['name', 'name'],
      ['isDeleted', 'is_deleted'],
    ],
    write: recordAccountVersions,
  },
  user: {
    table: 'user_versions',
    recordColumn: 'user_id',
    recordId: (r) => r.userId,
    compare: [
      ['name', 'name'],
      ['isActive', 'is_active'],
    ],
    write: recordUserVersions,
  },
};

/** Writes the versions that change something; returns how many were written. */
export async function recordChangedVersions<K extends Kind>(
  tx: Tx,
  workspaceId: string,
  kind: K,
  rows: Rows[K][],
): Promise<number> {
  if (rows.length === 0) return 0;
  const spec = SPECS[kind] as TableSpec<K>;
  const ordered = rows
    .map((row, i) => ({ row, i, id: spec.recordId(row), at: (row.occurredAt as Date).getTime() }))
    .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : a.at - b.at || a.i - b.i));
  const inEffect = await statesInEffect(tx, workspaceId, spec, ordered);

  const changed: Rows[K][] = [];
  let previous: { id: string; at: number; state: Record<string, unknown> } | null = null;
  ordered.forEach((item, n) => {
    const fromDb = inEffect[n];
    const fromBatch = previous && previous.id === item.id ? previous : null;
    // The state in effect is whichever came later: the stored version, or the previous row of this batch.
    const baseline = fromBatch && (!fromDb || fromBatch.at >= fromDb.at) ? fromBatch.state : (fromDb?.state ?? null);
    const state = Object.fromEntries(spec.compare.map(([field]) => [field, normalize(item.row[field])]));
    if (!baseline || spec.compare.some(([field]) => baseline[field] !== state[field])) changed.push(item.row);
    previous = { id: item.id, at: item.at, state };
  });
  return changed.length === 0 ? 0 : spec.write(tx, workspaceId, changed);
}

/**
 * ANALYZE on the version tables of these kinds, after a bulk load (a first sync) grew them: the
 * planner's statistics otherwise describe the tables before the load until autovacuum catches up,
 * and the readers' plans (and the next sync's lookups of states in effect) are made for the wrong sizes.
 */
export async function analyzeVersions(db: DbOrTx, kinds: Iterable<Kind>): Promise<void> {
  for (const table of new Set([...kinds].map((k) => SPECS[k].table))) await db.execute(sql.raw(`analyze ${table}`));
}

/** For each row, the stored version of its record in effect at its instant (or undefined). */
async function statesInEffect<K extends Kind>(
  tx: Tx,
  workspaceId: string,
  spec: TableSpec<K>,
  rows: { id: string; at: number }[],
): Promise<({ at: number; state: Record<string, unknown> } | undefined)[]> {
  const columns = spec.compare.map(([field, column]) => `v.${column} as "${field}"`).join(', ');
  const found = await tx.execute<Record<string, unknown> & { idx: string; occurred_ms: string }>(sql`
    select i.idx::text as idx, (extract(epoch from v.occurred_at) * 1000)::bigint::text as occurred_ms, ${sql.raw(columns)}
    from unnest(${textArray(rows.map((r) => r.id))}, ${textArray(rows.map((r) => new Date(r.at).toISOString()))}::timestamptz[])
      with ordinality as i(record_id, at, idx)
    cross join lateral (
      select * from ${sql.raw(spec.table)} v
      where v.workspace_id = ${workspaceId} and v.${sql.raw(spec.recordColumn)} = i.record_id and v.occurred_at <= i.at
      order by v.occurred_at desc, v.seq desc limit 1
    ) v`);
  const out: ({ at: number; state: Record<string, unknown> } | undefined)[] = new Array(rows.length);
  for (const r of found) {
    out[Number(r.idx) - 1] = {
      at: Number(r.occurred_ms),
      state: Object.fromEntries(spec.compare.map(([field]) => [field, normalize(r[field])])),
    };
  }
  return out;
}

/** One comparable form for values read from Postgres and from Salesforce. */
function normalize(v: unknown): unknown {
  if (v === undefined || v === null) return null;
  if (v instanceof Date) return v.toISOString();
  return v;
}
