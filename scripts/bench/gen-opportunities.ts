// Opportunities as ~10 versions each over up to nine months: stage progress, amount edits, some
// Closed Won / Closed Lost (a few reopened), ~1% deleted and a few of those undeleted.
import type { OpportunityVersion } from '../../src/attribution/history';
import { DAY_MS, sfId, type GenContext } from './spec';

const OPEN_STAGES = [
  'Prospecting',
  'Qualification',
  'Needs Analysis',
  'Value Proposition',
  'Proposal/Price Quote',
  'Negotiation/Review',
] as const;

type Outcome = 'open' | 'won' | 'lost' | 'reopened';

interface Stage {
  stageName: string;
  isClosed: boolean;
  isWon: boolean;
}

export interface Opportunities {
  versions: OpportunityVersion[];
  ids: string[];
  createdDates: Float64Array;
  /** Each opportunity's latest version: the incremental update starts from it. */
  last: OpportunityVersion[];
}

export function generateOpportunities(ctx: GenContext): Opportunities {
  const { spec, rng } = ctx;
  const counts = rng.counts(spec.opportunityVersions, spec.opportunities, 5);
  const out: Opportunities = { versions: [], ids: [], createdDates: new Float64Array(spec.opportunities), last: [] };
  for (let i = 0; i < spec.opportunities; i++) {
    const id = sfId('006', i);
    const versions = opportunityVersions(ctx, id, Math.max(1, counts[i]!));
    out.ids.push(id);
    out.createdDates[i] = versions[0]!.createdDate!;
    out.last.push(versions[versions.length - 1]!);
    for (const v of versions) out.versions.push(v);
  }
  return out;
}

function opportunityVersions(ctx: GenContext, id: string, count: number): OpportunityVersion[] {
  const { rng, range } = ctx;
  const createdDate = ctx.instant(range.start, range.baseEnd - 7 * DAY_MS);
  const times = versionTimes(ctx, createdDate, count);
  const outcome = pickOutcome(ctx, count);
  let cents = rng.between(50, 2500) * 10_000; // $5,000 to $250,000 in steps of $100
  let amount: bigint | null = rng.chance(0.02) ? null : BigInt(cents);

  const versions: OpportunityVersion[] = [];
  for (let j = 0; j < count; j++) {
    if (j > 0 && rng.chance(0.3)) {
      cents = Math.round(cents * (0.7 + 0.6 * rng.next())); // edits leave odd cents too
      amount = BigInt(cents);
    }
    versions.push({
      versionId: `${id}:${j}`,
      at: times[j]!,
      seq: ctx.nextSeq(),
      deleted: false,
      opportunityId: id,
      amount,
      createdDate,
      ...stageAt(j, count, outcome),
    });
  }
  if (rng.chance(0.01)) deleteTail(ctx, versions);
  return versions;
}

/** The first version at creation, the others spread over up to 270 days after it. */
function versionTimes(ctx: GenContext, createdDate: number, count: number): number[] {
  const span = Math.min(ctx.range.baseEnd - createdDate, 270 * DAY_MS);
  const offsets = Array.from({ length: count - 1 }, () => 1 + ctx.rng.int(span - 1));
  offsets.sort((a, b) => a - b);
  return [createdDate, ...offsets.map((o) => createdDate + o)];
}

function pickOutcome(ctx: GenContext, count: number): Outcome {
  const r = ctx.rng.next();
  if (count < 3) return 'open';
  if (r < 0.2) return 'won';
  if (r < 0.21) return 'reopened';
  if (r < 0.45) return 'lost';
  return 'open';
}

function stageAt(j: number, count: number, outcome: Outcome): Stage {
  const last = j === count - 1;
  if (outcome === 'won' && last) return { stageName: 'Closed Won', isClosed: true, isWon: true };
  if (outcome === 'lost' && last) return { stageName: 'Closed Lost', isClosed: true, isWon: false };
  // Won one version before the end, then reopened: a negative closed-won delta.
  if (outcome === 'reopened' && j === count - 2) return { stageName: 'Closed Won', isClosed: true, isWon: true };
  const stage = OPEN_STAGES[Math.min(OPEN_STAGES.length - 1, Math.floor((j * OPEN_STAGES.length) / count))]!;
  return { stageName: stage, isClosed: false, isWon: false };
}

/** The last version becomes a delete carrying the last state; 15% of those are undeleted after. */
function deleteTail(ctx: GenContext, versions: OpportunityVersion[]): void {
  const n = versions.length;
  if (n >= 3 && ctx.rng.chance(0.15)) {
    restate(versions, n - 2, n - 3, true);
    restate(versions, n - 1, n - 3, false);
  } else {
    restate(versions, n - 1, Math.max(0, n - 2), true);
  }
}

/** Slot k keeps its identity (id, instant, order) but carries version `from`'s state. */
function restate(versions: OpportunityVersion[], k: number, from: number, deleted: boolean): void {
  const slot = versions[k]!;
  versions[k] = { ...versions[from]!, versionId: slot.versionId, at: slot.at, seq: slot.seq, deleted };
}
