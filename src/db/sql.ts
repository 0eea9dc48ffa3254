// Small SQL fragments shared by the data modules.
import { sql, type SQL } from 'drizzle-orm';

/** A JS string array bound as one Postgres text[] parameter (drizzle would expand a bare array). */
export function textArray(values: readonly string[]): SQL {
  return sql`${sql.param(values)}::text[]`;
}
