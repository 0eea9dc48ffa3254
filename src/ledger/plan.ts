// Pure: what to append so the ledger's sums per (opportunity, measure, day) equal the engine's
// current deltas. Nothing when they already do, so recompute is idempotent; otherwise one
// entry per differing key, dated on the day it corrects.
import type { Cents } from '../attribution/money';
import type { DailyDelta, DeltaReason, Measure, OpportunityAttribution } from '../attribution/result';
import type { LedgerCauses } from '../platform/db/schema';

export type LedgerReason = DeltaReason | 'reversed' | 'currency_changed';

/** What the ledger holds for one (opportunity, measure, day) in one currency. */
export interface BookedSum {
  opportunityId: string;
  measure: Measure;
  day: string;
  currency: string;
  sum: Cents;
  entries: number;
}

export interface EntryDraft {
  opportunityId: string;
  measure: Measure;
  effectiveDay: string;
  amount: Cents;
  currency: string;
  reason: LedgerReason;
  correction: boolean;
  causes: LedgerCauses;
  revision: number;
}

const key = (opp: string, measure: Measure, day: string) => `${opp}\u0000${measure}\u0000${day}`;

/**
 * Amounts are booked in `currency` (the workspace's reporting currency). Sums booked in another
 * currency (before the reporting currency changed) are reversed in their own currency.
 *
 * @param opportunityIds every opportunity recomputed, including those no longer influenced
 * @param booked the ledger's current sums for those opportunities, per currency
 */
export function planLedgerEntries(
  opportunityIds: Iterable<string>,
  results: OpportunityAttribution[],
  booked: BookedSum[],
  currency: string,
): EntryDraft[] {
  const bookedByKey = new Map<string, BookedSum[]>();
  const bookedKeys = new Map<string, string[]>();
  const lastBookedDay = new Map<string, string>();
  for (const b of booked) {
    const k = key(b.opportunityId, b.measure, b.day);
    const sums = bookedByKey.get(k);
    if (sums) sums.push(b);
    else {
      bookedByKey.set(k, [b]);
      const keys = bookedKeys.get(b.opportunityId) ?? [];
      keys.push(k);
      bookedKeys.set(b.opportunityId, keys);
    }
    const last = lastBookedDay.get(b.opportunityId);
    if (!last || b.day > last) lastBookedDay.set(b.opportunityId, b.day);
  }
  const resultById = new Map(results.map((r) => [r.opportunityId, r]));
  const drafts: EntryDraft[] = [];

  for (const opp of new Set(opportunityIds)) {
    const days = resultById.get(opp)?.days ?? [];
    const targets = new Map<string, { measure: Measure; day: DailyDelta; amount: Cents; reason: DeltaReason }>();
    for (const d of days) {
      if (d.pipeline)
        targets.set(key(opp, 'pipeline', d.day), {
          measure: 'pipeline',
          day: d,
          amount: d.pipeline.delta,
          reason: d.pipeline.reason,
        });
      if (d.closedWon)
        targets.set(key(opp, 'closed_won', d.day), {
          measure: 'closed_won',
          day: d,
          amount: d.closedWon.delta,
          reason: d.closedWon.reason,
        });
    }
    const startCauses = days[0]?.causes ?? { versions: [], conversations: [] };
    const keys = new Set([...targets.keys(), ...(bookedKeys.get(opp) ?? [])]);

    for (const k of keys) {
      const [, measure, day] = k.split('\u0000') as [string, Measure, string];
      const target = targets.get(k);
      const sums = bookedByKey.get(k) ?? [];
      let revision = sums.reduce((n, b) => n + b.entries, 0);
      const last = lastBookedDay.get(opp);
      // Rewrites a day already booked, or books a day before the last one booked: late data.
      const correction = revision > 0 || (last !== undefined && day < last);
      for (const other of sums) {
        if (other.currency === currency || other.sum === 0n) continue;
        drafts.push({
          opportunityId: opp,
          measure,
          effectiveDay: day,
          amount: -other.sum,
          currency: other.currency,
          reason: 'currency_changed',
          correction: true,
          causes: target ? target.day.causes : startCauses,
          revision: revision++,
        });
      }
      const inCurrency = sums.find((b) => b.currency === currency)?.sum ?? 0n;
      const amount = (target?.amount ?? 0n) - inCurrency;
      if (amount === 0n) continue;
      drafts.push({
        opportunityId: opp,
        measure,
        effectiveDay: day,
        amount,
        currency,
        reason: target ? target.reason : 'reversed',
        correction,
        causes: target ? target.day.causes : startCauses,
        revision,
      });
    }
  }
  // Chain order an auditor reads naturally: by opportunity, day, then pipeline before closed-won.
  return drafts.sort(
    (a, b) =>
      cmp(a.opportunityId, b.opportunityId) ||
      cmp(a.effectiveDay, b.effectiveDay) ||
      MEASURE_ORDER[a.measure] - MEASURE_ORDER[b.measure] ||
      a.revision - b.revision,
  );
}

const MEASURE_ORDER: Record<Measure, number> = { pipeline: 0, closed_won: 1 };
const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
