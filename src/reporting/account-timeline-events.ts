// What happened to an opportunity, read from its versions in time order (the versions the ledger
// is computed from): created, each Amount and Stage change, closed won or lost, reopened, deleted
// and restored. Pure: a version that repeats the one before (an OpportunityHistory row and the
// Opportunity snapshot of the same change) adds nothing.
export interface OpportunityVersionFacts {
  at: number;
  deleted: boolean;
  /** Its Amount as a decimal string in its own currency, null without one. */
  amount: string | null;
  stageName: string | null;
  isClosed: boolean;
  isWon: boolean;
  createdAt: number | null;
}

export type OpportunityChange =
  | { kind: 'opportunity_created'; at: number; amount: string | null; stage: string | null }
  | { kind: 'amount_changed'; at: number; from: string | null; to: string | null }
  | { kind: 'stage_changed'; at: number; from: string | null; to: string | null }
  | { kind: 'opportunity_closed'; at: number; won: boolean; amount: string | null }
  | { kind: 'opportunity_reopened'; at: number; stage: string | null }
  | { kind: 'opportunity_deleted'; at: number }
  | { kind: 'opportunity_restored'; at: number };

/** The changes of one opportunity, in time order; `versions` must be in time order (then arrival). */
export function opportunityChanges(versions: readonly OpportunityVersionFacts[]): OpportunityChange[] {
  const out: OpportunityChange[] = [];
  let prev: OpportunityVersionFacts | null = null;
  for (const v of versions) {
    if (prev === null) {
      if (v.deleted) continue; // never seen alive: nothing to tell
      const at = Math.min(v.createdAt ?? v.at, v.at);
      out.push({ kind: 'opportunity_created', at, amount: v.amount, stage: v.stageName });
      if (v.isClosed) out.push({ kind: 'opportunity_closed', at: v.at, won: v.isWon, amount: v.amount });
      prev = v;
      continue;
    }
    if (v.deleted !== prev.deleted) {
      out.push({ kind: v.deleted ? 'opportunity_deleted' : 'opportunity_restored', at: v.at });
      if (v.deleted) {
        prev = { ...prev, deleted: true };
        continue;
      }
    }
    if (v.amount !== prev.amount) out.push({ kind: 'amount_changed', at: v.at, from: prev.amount, to: v.amount });
    if (v.stageName !== prev.stageName)
      out.push({ kind: 'stage_changed', at: v.at, from: prev.stageName, to: v.stageName });
    if (v.isClosed && (!prev.isClosed || v.isWon !== prev.isWon))
      out.push({ kind: 'opportunity_closed', at: v.at, won: v.isWon, amount: v.amount });
    if (!v.isClosed && prev.isClosed) out.push({ kind: 'opportunity_reopened', at: v.at, stage: v.stageName });
    prev = v;
  }
  return out;
}
