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

// postgres.js's own codes for a connection that went away, and the SQLSTATEs of a server shutting
// down (57P01-57P03) or of a broken connection (class 08).
const CONNECTION_CODES = new Set(['CONNECTION_CLOSED', 'CONNECTION_ENDED', 'CONNECTION_DESTROYED', 'CONNECT_TIMEOUT']);
const NETWORK_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'ENOTFOUND', 'EAI_AGAIN']);

/** Whether the database connection failed (a restart, a network cut), rather than the statement. */
export function isConnectionError(err: unknown): boolean {
  let e: unknown = err;
  for (let depth = 0; e instanceof Error && depth < 5; depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && (CONNECTION_CODES.has(code) || NETWORK_CODES.has(code))) return true;
    if (typeof code === 'string' && (/^08/.test(code) || /^57P0[123]$/.test(code))) return true;
    e = (e as Error & { cause?: unknown }).cause;
  }
  return false;
}
