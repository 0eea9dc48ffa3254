// A page of a sorted list by an opaque keyset cursor (the last row's sort value and id), as the
// influenced opportunities and accounts lists page: rows that move between two requests are never shown twice.
// Empty values sort last whichever the order.
import { z } from 'zod';
import { invalidField } from '../platform/errors';

export type SortValue = bigint | string | number | null;
export type Order = 'asc' | 'desc';

export interface Sortable<S extends string> {
  id: string;
  sortable: Record<S, SortValue>;
}

export function compareSortValues(a: SortValue, b: SortValue, order: Order): number {
  if (a === b) return 0;
  if (a === null) return 1;
  if (b === null) return -1;
  const c = a < b ? -1 : a > b ? 1 : 0;
  return order === 'asc' ? c : -c;
}

const byId = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** Sorts the rows in place by one column, then by id. */
export function sortRows<S extends string, R extends Sortable<S>>(rows: R[], sort: S, order: Order): R[] {
  return rows.sort((a, b) => compareSortValues(a.sortable[sort], b.sortable[sort], order) || byId(a.id, b.id));
}

/** The page of sorted rows after the cursor (or the first), and the cursor of the next page (null on the last). */
export function pageAfter<S extends string, R extends Sortable<S>>(
  rows: readonly R[],
  q: { sort: S; order: Order; limit: number; cursor?: string | undefined },
  sorts: readonly [S, ...S[]],
): { items: R[]; nextCursor: string | null } {
  let start = 0;
  if (q.cursor !== undefined) {
    const after = readCursor(q.cursor, q.sort, q.order, sorts);
    start = rows.findIndex(
      (r) => (compareSortValues(r.sortable[q.sort], after.value, q.order) || byId(r.id, after.id)) > 0,
    );
  }
  const items = start < 0 ? [] : rows.slice(start, start + q.limit);
  const last = items.at(-1);
  const more = start >= 0 && start + q.limit < rows.length;
  return { items, nextCursor: more && last ? writeCursor(last, q.sort, q.order) : null };
}

function writeCursor<S extends string>(r: Sortable<S>, sort: S, order: Order): string {
  const v = r.sortable[sort];
  const value =
    typeof v === 'bigint' ? { b: v.toString() } : v === null ? null : typeof v === 'number' ? { n: v } : { s: v };
  return Buffer.from(JSON.stringify({ sort, order, value, id: r.id })).toString('base64url');
}

const cursorShape = z.object({
  sort: z.string(),
  order: z.enum(['asc', 'desc']),
  value: z.union([
    z.null(),
    z.object({ b: z.string().regex(/^-?\d+$/) }),
    z.object({ n: z.number() }),
    z.object({ s: z.string() }),
  ]),
  id: z.string(),
});

function readCursor<S extends string>(
  text: string,
  sort: S,
  order: Order,
  sorts: readonly S[],
): { value: SortValue; id: string } {
  let parsed;
  try {
    parsed = cursorShape.safeParse(JSON.parse(Buffer.from(text, 'base64url').toString('utf8')));
  } catch {
    parsed = null;
  }
  if (!parsed?.success || !sorts.includes(parsed.data.sort as S)) {
    throw invalidField('cursor', 'not a cursor of this list: start again without it');
  }
  const c = parsed.data;
  if (c.sort !== sort || c.order !== order) {
    throw invalidField(
      'cursor',
      `this cursor pages the list sorted by ${c.sort} ${c.order}: send the same sort and order`,
    );
  }
  const v = c.value;
  return { value: v === null ? null : 'b' in v ? BigInt(v.b) : 'n' in v ? v.n : v.s, id: c.id };
}
