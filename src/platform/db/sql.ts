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
    // A SQLSTATE is five digits or capitals ("40P01"); other errors have codes of other shapes.
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code)) return e as Error & { code: string };
    e = (e as Error & { cause?: unknown }).cause;
  }
  return null;
}
