// The latest known name of Salesforce records, from their versions (a name is never forgotten: a
// version without one, such as an OpportunityHistory row, keeps the one before).
import { sql } from 'drizzle-orm';
import type { DbOrTx } from '../platform/db/client';
import { textArray } from '../platform/db/sql';

const TABLES = {
  account: { table: 'account_versions', id: 'account_id' },
  user: { table: 'user_versions', id: 'user_id' },
  opportunity: { table: 'opportunity_versions', id: 'opportunity_id' },
  contact: { table: 'contact_versions', id: 'contact_id' },
} as const;

export type NamedRecord = keyof typeof TABLES;

/** id -> latest name, for the ids that have one. */
export async function latestNames(
  db: DbOrTx,
  record: NamedRecord,
  workspaceId: string,
  ids: readonly string[],
): Promise<Map<string, string>> {
  const wanted = [...new Set(ids)];
  if (wanted.length === 0) return new Map();
  const { table, id } = TABLES[record]; // fixed names, never input
  const rows = await db.execute<{ id: string; name: string }>(sql`
    select distinct on (${sql.raw(id)}) ${sql.raw(id)} as id, name from ${sql.raw(table)}
    where workspace_id = ${workspaceId} and ${sql.raw(id)} = any(${textArray(wanted)}) and name is not null
    order by ${sql.raw(id)}, occurred_at desc, seq desc`);
  return new Map(rows.map((r) => [r.id, r.name]));
}
