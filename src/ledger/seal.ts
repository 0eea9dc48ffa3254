// Sealing the plain SHA-256 entries a workspace recorded before ledger keys (see hash.ts).
import { sql } from 'drizzle-orm';
import type { Database } from '../platform/db/client';
import { ledgerSeals } from '../platform/db/schema';
import { withTransaction } from '../platform/tx';
import { activeKey, sealMac } from './hash';
import type { LedgerKeys } from './keys';
import { withLedgerLock } from './lock';
import type { LedgerAnchor } from './verify';

/**
 * Seals the workspace's plain SHA-256 entries (from before ledger keys) with the active ledger
 * key, once. The caller checks them first (ledger:verify --seal does): a seal vouches for them.
 */
export async function sealLegacyEntries(
  database: Database,
  workspaceId: string,
  keys: LedgerKeys,
): Promise<LedgerAnchor | null> {
  const { keyId, key } = activeKey(keys);
  return withTransaction(database.db, async (tx) => {
    await withLedgerLock(tx, workspaceId);
    const [last] = await tx.execute<{ seq: string; hash: string }>(sql`
      select seq::text, hash from ledger_entries where workspace_id = ${workspaceId} and hash_key_id is null
      order by seq desc limit 1`);
    if (!last) return null;
    const seq = Number(last.seq);
    await tx
      .insert(ledgerSeals)
      .values({ workspaceId, seq, hash: last.hash, keyId, mac: sealMac(key, keyId, workspaceId, seq, last.hash) })
      .onConflictDoNothing();
    return { seq, hash: last.hash };
  });
}
