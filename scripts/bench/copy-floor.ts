// The floor of the sync benchmark: the rows the first sync left in the database (history versions,
// field history, ledger and its projections), loaded again with COPY FROM STDIN into a scratch
// schema whose tables have the same columns, keys and indexes. Only the COPY FROM is timed; the
// rows are read out beforehand (psql's \copy, into a temporary file, so they never sit in the heap).
import { execFileSync } from 'node:child_process';
import { createReadStream, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import postgres from 'postgres';

/** What a first sync writes for a workspace, every one keyed by workspace_id. */
export const SYNCED_TABLES = [
  'account_versions',
  'user_versions',
  'contact_versions',
  'lead_versions',
  'opportunity_versions',
  'contact_role_versions',
  'field_history',
  'ledger_entries',
  'opportunity_days',
  'daily_totals',
  'opportunity_influence',
  'opportunity_touches',
] as const;

export interface CopyFloor {
  rows: number;
  seconds: number;
  perTable: Record<string, number>;
}

/** On a connection of its own, as a bulk loader would have (and apart from the service's pool). */
export async function copyFloor(url: string, workspaceId: string): Promise<CopyFloor> {
  const dir = mkdtempSync(path.join(tmpdir(), 'bench-sync-copy-'));
  const sql = postgres(url, { max: 1, onnotice: () => {} });
  try {
    await sql`drop schema if exists bench_copy cascade`;
    await sql`create schema bench_copy`;
    const dumped: { table: string; file: string; rows: number }[] = [];
    for (const table of SYNCED_TABLES) {
      // Same columns, defaults, identity, constraints and indexes; no foreign keys (LIKE never copies them).
      await sql.unsafe(`create table bench_copy.${table} (like public.${table} including all)`);
      const file = path.join(dir, `${table}.copy`);
      // psql's \copy writes the file: postgres.js's COPY TO streams sometimes never start here.
      execFileSync('psql', [
        url,
        '-v',
        'ON_ERROR_STOP=1',
        '-qc',
        `\\copy (select * from public.${table} where workspace_id = '${workspaceId}') to '${file}'`,
      ]);
      const [count] = await sql.unsafe<{ n: number }[]>(
        `select count(*)::int as n from public.${table} where workspace_id = '${workspaceId}'`,
      );
      dumped.push({ table, file, rows: count!.n });
    }
    const perTable: Record<string, number> = {};
    const t0 = process.hrtime.bigint();
    for (const { table, file, rows } of dumped) {
      if (rows === 0) continue;
      const into = await sql.unsafe(`copy bench_copy.${table} from stdin`).writable();
      await pipeline(createReadStream(file), into);
      perTable[table] = rows;
    }
    const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
    return { rows: dumped.reduce((s, d) => s + d.rows, 0), seconds, perTable };
  } finally {
    await sql`drop schema if exists bench_copy cascade`;
    await sql.end();
    rmSync(dir, { recursive: true, force: true });
  }
}
