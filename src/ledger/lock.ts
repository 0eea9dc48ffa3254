// One writer per workspace ledger at a time: the hash chain is a sequence.
import { sql } from 'drizzle-orm';
import type { Tx } from '../db/client';

export async function withLedgerLock(tx: Tx, workspaceId: string): Promise<void> {
  await tx.execute(sql`select pg_advisory_xact_lock(hashtextextended(${`ledger:${workspaceId}`}, 0))`);
}
