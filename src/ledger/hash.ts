// The per-workspace hash chain: each entry's hash covers its content and the previous hash,
// so a row edited, removed or reordered behind the database's back is detectable.
import { createHash } from 'node:crypto';

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

export function entryHash(prevHash: string, e: HashedFields): string {
  // An array, not an object: jsonb reorders object keys, and the hash must survive a round trip.
  const canonical = JSON.stringify([
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
  ]);
  return createHash('sha256').update(canonical).digest('hex');
}
