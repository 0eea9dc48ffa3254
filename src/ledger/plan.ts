// Pure: what to append so the ledger's sums per (opportunity, measure, day) equal the engine's
// current deltas. Nothing when they already do, so recompute is idempotent; otherwise one
// entry per differing key, dated on the day it corrects.
import type { Cents } from '../attribution/money';
import type { DailyDelta, DeltaReason, Measure, OpportunityAttribution } from '../attribution/result';
import type { LedgerCauses } from '../db/schema';

export type LedgerReason = DeltaReason | 'reversed';

export interface BookedSum {
  opportunityId: string;
  measure: Measure;
  day: string;
  sum: Cents;
  entries: number;
}

export interface EntryDraft {
  opportunityId: string;
  measure: Measure;
  effectiveDay: string;
  amount: Cents;
  reason: LedgerReason;
  correction: boolean;
  causes: LedgerCauses;
  revision: number;
}

const key = (opp: string, measure: Measure, day: string) => `${opp}\u0000${measure}\u0000${day}`;

/**
 * @param opportunityIds every opportunity recomputed, including those no longer influenced
 * @param booked the ledger's current sums for those opportunities
 */
export function planLedgerEntries(
  opportunityIds: Iterable<string>,
  results: OpportunityAttribution[],
  booked: BookedSum[],
): EntryDraft[] {
  const bookedByKey = new Map(booked.map((b) => [key(b.opportunityId, b.measure, b.day), b]));
  const bookedKeys = new Map<string, string[]>();
  const lastBookedDay = new Map<string, string>();
  for (const b of booked) {
    const keys = bookedKeys.get(b.opportunityId) ?? [];
    keys.push(key(b.opportunityId, b.measure, b.day));
    bookedKeys.set(b.opportunityId, keys);
    const last = lastBookedDay.get(b.opportunityId);
    if (!last || b.day > last) lastBookedDay.set(b.opportunityId, b.day);
  }
  const resultById = new Map(results.map((r) => [r.opportunityId, r]));
  const drafts: EntryDraft[] = [];

  for (const opp of new Set(opportunityIds)) {
    const days = resultById.get(opp)?.days ?? [];
    const targets = new Map<string, { measure: Measure; day: DailyDelta; amount: Cents; reason: DeltaReason }>();
    for (const d of days) {
      if (d.pipeline) targets.set(key(opp, 'pipeline', d.day), { measure: 'pipeline', day: d, amount: d.pipeline.delta, reason: d.pipeline.reason });
      if (d.closedWon) targets.set(key(opp, 'closed_won', d.day), { measure: 'closed_won', day: d, amount: d.closedWon.delta, reason: d.closedWon.reason });
    }
    const startCauses = days[0]?.causes ?? { versions: [], conversations: [] };
    const keys = new Set([...targets.keys(), ...(bookedKeys.get(opp) ?? [])]);

    for (const k of keys) {
      const [, measure, day] = k.split('\u0000') as [string, Measure, string];
      const target = targets.get(k);
      const prior = bookedByKey.get(k);
      const amount = (target?.amount ?? 0n) - (prior?.sum ?? 0n);
      if (amount === 0n) continue;
      const last = lastBookedDay.get(opp);
      drafts.push({
        opportunityId: opp,
        measure,
        effectiveDay: day,
        amount,
        reason: target ? target.reason : 'reversed',
        // Rewrites a day already booked, or books a day before the last one booked: late data.
        correction: (prior?.entries ?? 0) > 0 || (last !== undefined && day < last),
        causes: target ? target.day.causes : startCauses,
        revision: prior?.entries ?? 0,
      });
    }
  }
  // Chain order an auditor reads naturally: by opportunity, day, then pipeline before closed-won.
  return drafts.sort(
    (a, b) =>
      cmp(a.opportunityId, b.opportunityId) || cmp(a.effectiveDay, b.effectiveDay) || MEASURE_ORDER[a.measure] - MEASURE_ORDER[b.measure],
  );
}

const MEASURE_ORDER: Record<Measure, number> = { pipeline: 0, closed_won: 1 };
const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
