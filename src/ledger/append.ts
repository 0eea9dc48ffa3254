// Appends entries to a workspace's ledger: next positions in the hash chain, and the 'all'
// daily totals and the opportunities' days moved by the same amounts in the same transaction.
import { randomUUID } from 'node:crypto';
import { eq, sql } from 'drizzle-orm';
import { formatCents, type Cents } from '../attribution/money';
import type { Tx } from '../platform/db/client';
import { dailyTotals, ledgerEntries, ledgerHeads, ledgerSeals } from '../platform/db/schema';
import { activeKey, GENESIS_HASH, keyedEntryHash, sealMac } from './hash';
import type { LedgerKeys } from './keys';
import type { EntryDraft } from './plan';
import { chunksOf } from '../platform/batch';
import { unnestInsert } from '../platform/db/unnest-insert';
import { addToOpportunityDays } from './opportunity-days';

/**
 * Rows per insert: one array parameter per column whatever the count (unnest-insert.ts), so the
 * bound is only the size of one statement's arrays in memory.
 */
export const ROWS_PER_INSERT = 5_000;

export interface AppendContext {
  workspaceId: string;
  engineVersion: string;
  keys: LedgerKeys;
}

/**
 * The caller must hold the workspace's ledger lock (see `withLedgerLock`): the chain is a
 * sequence, and two writers would fork it.
 */
export async function appendLedgerEntries(tx: Tx, ctx: AppendContext, drafts: EntryDraft[]): Promise<number> {
  if (drafts.length === 0) return 0;
  const [head] = await tx.select().from(ledgerHeads).where(eq(ledgerHeads.workspaceId, ctx.workspaceId));
  // The database's clock, read right before the insert (not the worker's, nor the batch's start),
  // and never behind the last entry: "as recorded at T" stays well defined.
  const [clock] = await tx.execute<{ ms: string }>(
    sql`select (extract(epoch from clock_timestamp()) * 1000)::bigint::text as ms`,
  );
  const now = Number(clock!.ms);
  const recordedAt = new Date(head && head.recordedAt.getTime() > now ? head.recordedAt.getTime() : now);
  const batchId = randomUUID();
  const { keyId, key } = activeKey(ctx.keys);
  // The chain still ends in plain SHA-256 entries (recorded before ledger keys): seal them first,
  // so neither they nor any later entry can be rewritten as plain SHA-256 without the key.
  if (head && head.hashKeyId === null) {
    await tx
      .insert(ledgerSeals)
      .values({
        workspaceId: ctx.workspaceId,
        seq: head.seq,
        hash: head.hash,
        keyId,
        mac: sealMac(key, keyId, ctx.workspaceId, head.seq, head.hash),
      })
      .onConflictDoNothing();
  }

  let seq = head?.seq ?? 0;
  let prevHash = head?.hash ?? GENESIS_HASH;
  const rows = drafts.map((d) => {
    seq += 1;
    const fields = {
      workspaceId: ctx.workspaceId,
      seq,
      opportunityId: d.opportunityId,
      measure: d.measure,
      effectiveDay: d.effectiveDay,
      amount: formatCents(d.amount),
      currency: d.currency,
      reason: d.reason,
      correction: d.correction,
      causes: d.causes,
      recordedAt,
      engineVersion: ctx.engineVersion,
      revision: d.revision,
      batchId,
    };
    const hash = keyedEntryHash(key, keyId, prevHash, fields);
    const row = { ...fields, prevHash, hash, hashKeyId: keyId };
    prevHash = hash;
    return row;
  });
  for (const chunk of chunksOf(rows, ROWS_PER_INSERT)) await unnestInsert(tx, ledgerEntries, chunk);

  await tx
    .insert(ledgerHeads)
    .values({ workspaceId: ctx.workspaceId, seq, hash: prevHash, recordedAt, hashKeyId: keyId })
    .onConflictDoUpdate({
      target: ledgerHeads.workspaceId,
      set: { seq, hash: prevHash, recordedAt, hashKeyId: keyId },
    });
  await addToDailyTotals(tx, ctx.workspaceId, 'all', sumByDay(drafts));
  await addToOpportunityDays(tx, ctx.workspaceId, drafts);
  return rows.length;
}

export type DayAmounts = Map<string, { pipeline: Cents; closedWon: Cents }>;

function sumByDay(drafts: EntryDraft[]): DayAmounts {
  const byDay: DayAmounts = new Map();
  for (const d of drafts) {
    const t = byDay.get(d.effectiveDay) ?? { pipeline: 0n, closedWon: 0n };
    if (d.measure === 'pipeline') t.pipeline += d.amount;
    else t.closedWon += d.amount;
    byDay.set(d.effectiveDay, t);
  }
  return byDay;
}

export async function addToDailyTotals(tx: Tx, workspaceId: string, scope: string, amounts: DayAmounts): Promise<void> {
  const rows = [...amounts.entries()]
    .filter(([, a]) => a.pipeline !== 0n || a.closedWon !== 0n)
    .map(([day, a]) => ({
      workspaceId,
      scope,
      day,
      pipeline: formatCents(a.pipeline),
      closedWon: formatCents(a.closedWon),
    }));
  for (const chunk of chunksOf(rows, ROWS_PER_INSERT)) {
    await unnestInsert(tx, dailyTotals, chunk, {
      onConflict: sql`on conflict (workspace_id, scope, day) do update
        set pipeline = daily_totals.pipeline + excluded.pipeline, closed_won = daily_totals.closed_won + excluded.closed_won`,
    });
  }
}
