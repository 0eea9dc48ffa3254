// Many rows into one table as one array parameter per column:
//   insert into t (a, b) select c0::int, c1::timestamptz from unnest($1::text[], $2::text[]) as u(c0, c1) …
// A statement of any size has as many parameters as the table has columns, and its text is the
// same for every batch, so PostgreSQL prepares it once per connection; drizzle's multi-row
// VALUES builds a new statement of rows × columns parameters for each batch, which costs more
// CPU than the database spends on the rows (issue 10's profile).
import { getTableColumns, sql, type SQL } from 'drizzle-orm';
import type { PgColumn, PgTable } from 'drizzle-orm/pg-core';
import type { DbOrTx } from './client';

type Insert<T extends PgTable> = T['$inferInsert'];

export interface UnnestInsertOptions {
  /** What follows the select: `on conflict … do …` (raw SQL naming columns by their SQL names). */
  onConflict?: SQL;
  /** `returning` column list; without it nothing is returned. */
  returning?: SQL;
}

/** One scalar in the text form PostgreSQL parses for its type. */
function scalarText(value: unknown): string | null {
  if (value === null || value === undefined) return null;
  if (value instanceof Date) return value.toISOString();
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'bigint' || typeof value === 'boolean') return String(value);
  throw new TypeError(`unnestInsert: a value of type ${typeof value} has no text form here`);
}

/**
 * An array in PostgreSQL's array literal form, every element quoted (backslash and double quote
 * escaped), NULL unquoted: https://www.postgresql.org/docs/current/arrays.html#ARRAYS-IO
 */
function arrayLiteral(values: readonly unknown[]): string {
  const items = values.map((v) => {
    const text = scalarText(v);
    return text === null ? 'NULL' : `"${text.replace(/[\\"]/g, (c) => `\\${c}`)}"`;
  });
  return `{${items.join(',')}}`;
}

/** One value in the text form PostgreSQL parses for the column's type. */
function asText(column: PgColumn, value: unknown): string | null {
  if (value === null || value === undefined) return null;
  if (column.columnType === 'PgJsonb' || column.columnType === 'PgJson') return JSON.stringify(value);
  if (Array.isArray(value)) return arrayLiteral(value);
  return scalarText(value);
}

/** A column's literal default (not an SQL expression), for rows that leave it out. */
function literalDefault(column: PgColumn): unknown {
  const d = column.default as unknown;
  return d === undefined || (typeof d === 'object' && d !== null) ? undefined : d;
}

/**
 * Inserts `rows` (drizzle insert shapes, property names as in the table definition) in one
 * statement. Columns no row gives are left to their defaults; identity columns are never bound.
 */
export async function unnestInsert<T extends PgTable, R extends Record<string, unknown> = Record<string, unknown>>(
  db: DbOrTx,
  table: T,
  rows: readonly Insert<T>[],
  options: UnnestInsertOptions = {},
): Promise<R[]> {
  if (rows.length === 0) return [];
  const columns = Object.entries(getTableColumns(table) as Record<string, PgColumn>).filter(
    ([key, column]) =>
      column.generatedIdentity === undefined && rows.some((r) => (r as Record<string, unknown>)[key] !== undefined),
  );
  const names = sql.raw(columns.map(([, c]) => `"${c.name}"`).join(', '));
  // Every column travels as text[] and is cast per value: an array column's values are array
  // literals (unnest of a text[][] would flatten them), a jsonb column's are JSON texts.
  const arrays = sql.join(
    columns.map(([key, column]) => {
      const fallback = literalDefault(column);
      const values = rows.map((r) => asText(column, (r as Record<string, unknown>)[key] ?? fallback));
      return sql`${sql.param(values)}::text[]`;
    }),
    sql`, `,
  );
  const casts = sql.raw(columns.map(([, column], i) => `c${i}::${column.getSQLType()}`).join(', '));
  const aliases = sql.raw(columns.map((_, i) => `c${i}`).join(', '));
  const result = await db.execute<R>(sql`
    insert into ${table} (${names})
    select ${casts} from unnest(${arrays}) as u(${aliases})
    ${options.onConflict ?? sql``}
    ${options.returning ? sql`returning ${options.returning}` : sql``}`);
  return [...result] as R[];
}
