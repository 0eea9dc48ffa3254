// One writer per workspace ledger at a time: the hash chain is a sequence.
import { sql } from 'drizzle-orm';
import type { Tx } from '../platform/db/client';

export async function withLedgerLock(tx: Tx, workspaceId: string): Promise<void> {
  await tx.execute(sql`select pg_advisory_xact_lock(hashtextextended(${`ledger:${workspaceId}`}, 0))`);
}

/** The lock if it is free now; false when another writer holds it. */
export async function tryLedgerLock(tx: Tx, workspaceId: string): Promise<boolean> {
  const [row] = await tx.execute<{ locked: boolean }>(sql`select pg_try_advisory_xact_lock(hashtextextended(${`ledger:${workspaceId}`}, 0)) as locked`);
  return row?.locked === true;
}
