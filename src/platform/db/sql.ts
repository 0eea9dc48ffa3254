// Small SQL fragments shared by the data modules.
import { sql, type SQL } from 'drizzle-orm';

/** A JS string array bound as one Postgres text[] parameter (drizzle would expand a bare array). */
export function textArray(values: readonly string[]): SQL {
  return sql`${sql.param(values)}::text[]`;
}

/** The Postgres error behind a drizzle "Failed query" error (or the error itself). */
export function pgError(err: unknown): (Error & { code?: string; constraint_name?: string }) | null {
  let e: unknown = err;
  for (let depth = 0; e instanceof Error && depth < 5; depth++) {
    if ('code' in e && typeof (e as { code: unknown }).code === 'string') return e as Error & { code: string };
    e = (e as Error & { cause?: unknown }).cause;
  }
  return null;
}
