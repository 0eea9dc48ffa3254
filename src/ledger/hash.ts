// The per-workspace hash chain: each entry's hash covers its content and the previous hash,
// so a row edited, removed or reordered behind the database's back is detectable. New entries
// are HMAC-SHA256 under a ledger key (keys.ts) the database never holds; entries from before
// ledger keys are plain SHA-256, trusted only up to the workspace's seal.
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import type { LedgerKeys } from './keys';

export const GENESIS_HASH = '0'.repeat(64);

export interface HashedFields {
  workspaceId: string;
  seq: number;
  opportunityId: string;
  measure: string;
  effectiveDay: string;
  amount: string; // two decimals, as formatCents prints it and numeric(18,2) returns it
  currency: string;
  reason: string;
  correction: boolean;
  causes: { versions: string[]; conversations: string[] };
  recordedAt: Date;
  engineVersion: string;
  revision: number;
  batchId: string;
}

function canonical(prevHash: string, e: HashedFields): unknown[] {
  // An array, not an object: jsonb reorders object keys, and the hash must survive a round trip.
  return [
    prevHash,
    e.workspaceId,
    e.seq,
    e.opportunityId,
    e.measure,
    e.effectiveDay,
    e.amount,
    e.currency,
    e.reason,
    e.correction,
    e.causes.versions,
    e.causes.conversations,
    e.recordedAt.toISOString(),
    e.engineVersion,
    e.revision,
    e.batchId,
  ];
}

/** The plain SHA-256 of entries recorded before ledger keys (hash_key_id null). Verification only. */
export function legacyEntryHash(prevHash: string, e: HashedFields): string {
  return createHash('sha256')
    .update(JSON.stringify(canonical(prevHash, e)))
    .digest('hex');
}

/** The keyed hash of an entry: HMAC-SHA256 under `key`, its id inside what is signed. */
export function keyedEntryHash(key: Buffer, keyId: string, prevHash: string, e: HashedFields): string {
  return createHmac('sha256', key)
    .update(JSON.stringify(['hmac-sha256', keyId, ...canonical(prevHash, e)]))
    .digest('hex');
}

/** The seal over the last plain SHA-256 entry of a workspace. */
export function sealMac(key: Buffer, keyId: string, workspaceId: string, seq: number, hash: string): string {
  return createHmac('sha256', key)
    .update(JSON.stringify(['ledger-seal', keyId, workspaceId, seq, hash]))
    .digest('hex');
}

export function activeKey(keys: LedgerKeys): { keyId: string; key: Buffer } {
  const key = keys.keys.get(keys.activeKeyId);
  if (!key) throw new Error(`the active ledger key "${keys.activeKeyId}" is not among the configured keys`);
  return { keyId: keys.activeKeyId, key };
}

/** Constant-time comparison of two hex digests. */
export function sameDigest(a: string, b: string): boolean {
  const x = Buffer.from(a, 'utf8');
  const y = Buffer.from(b, 'utf8');
  return x.length === y.length && timingSafeEqual(x, y);
}
