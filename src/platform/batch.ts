// Inserts of many rows, in statements PostgreSQL accepts: at most 65,535 bind parameters each.
const MAX_PARAMETERS = 65_535;

/** Rows per INSERT for a table of `columns` columns, below the parameter limit and `cap`. */
export function rowsPerStatement(columns: number, cap = 2_000): number {
  return Math.max(1, Math.min(cap, Math.floor(MAX_PARAMETERS / Math.max(1, columns))));
}

export function* chunksOf<T>(rows: readonly T[], size: number): Generator<T[]> {
  for (let i = 0; i < rows.length; i += size) yield rows.slice(i, i + size);
}

/** Runs `insert` on each chunk in order and concatenates what each returned. */
export async function insertInChunks<T, R>(
  rows: readonly T[],
  size: number,
  insert: (chunk: T[]) => Promise<R[]>,
): Promise<R[]> {
  const out: R[] = [];
  for (const chunk of chunksOf(rows, size)) out.push(...(await insert(chunk)));
  return out;
}
