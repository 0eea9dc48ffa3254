// One writer per workspace ledger at a time: the hash chain is a sequence.
import type { Tx } from '../platform/db/client';
import { lockForTransaction, tryLockForTransaction } from '../platform/locks';

export async function withLedgerLock(tx: Tx, workspaceId: string): Promise<void> {
  await lockForTransaction(tx, `ledger:${workspaceId}`);
}

/** The lock if it is free now; false when another writer holds it. */
export function tryLedgerLock(tx: Tx, workspaceId: string): Promise<boolean> {
  return tryLockForTransaction(tx, `ledger:${workspaceId}`);
}
