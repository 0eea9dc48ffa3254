// Credit models (ATTRIBUTION.md "Credit models (v1.1)"): each daily delta of an influenced
// opportunity split among its eligible touches, in exact cents, so that credits always add up to
// influence. Pure: the replay tool, the credit report and the leaderboard all call this module.
import type { Day } from './calendar';
import type { Cents } from './money';
import type { OpportunityAttribution, Touch } from './result';

export const CREDIT_MODELS = ['first', 'last', 'linear', 'u_shaped', 'time_decay'] as const;
export type CreditModel = (typeof CREDIT_MODELS)[number];

/** One conversation's touch of the opportunity: its earliest `t` (rule 3) and the day it falls on. */
export interface CreditTouch {
  conversationId: string;
  at: number;
  day: Day;
}

/** One day of an opportunity's deltas for the team set in use (rule 6). */
export interface CreditDay {
  day: Day;
  pipeline: Cents;
  closedWon: Cents;
}

export interface TouchCredit<T extends CreditTouch> {
  touch: T;
  day: Day;
  pipeline: Cents;
  closedWon: Cents;
}

const HALF_LIFE_MS = 7 * 86_400_000;
/** time_decay weights are binary64 numbers in (0, 1], quantized to multiples of 2^-53. */
const DECAY_SCALE = 2 ** 53;

/** Touch order of the contract: by t, then conversation id. */
export function touchOrder(a: CreditTouch, b: CreditTouch): number {
  if (a.at !== b.at) return a.at - b.at;
  return a.conversationId < b.conversationId ? -1 : a.conversationId > b.conversationId ? 1 : 0;
}

/**
 * Integer weights of the eligible touches (in touch order) under a model. Only their ratios matter.
 * time_decay: 2^(-(E - t) / 7 days) for E the end of the day; dividing every weight by the latest
 * touch's leaves the ratios alone and frees them from E and the zone: 2^(-(t_last - t) / 7 days).
 */
export function creditWeights(model: CreditModel, eligible: readonly CreditTouch[]): bigint[] {
  const n = eligible.length;
  if (n === 0) throw new RangeError('a delta needs at least one eligible touch to be credited');
  switch (model) {
    case 'first':
      return eligible.map((_, i) => (i === 0 ? 1n : 0n));
    case 'last':
      return eligible.map((_, i) => (i === n - 1 ? 1n : 0n));
    case 'linear':
      return eligible.map(() => 1n);
    case 'u_shaped':
      // 40/40 to the ends and 20% shared by the n-2 others: times 5(n-2), 2(n-2) each end, 1 each other.
      if (n <= 2) return eligible.map(() => 1n);
      return eligible.map((_, i) => (i === 0 || i === n - 1 ? 2n * BigInt(n - 2) : 1n));
    case 'time_decay': {
      const last = eligible[n - 1]!.at;
      return eligible.map((t) => BigInt(Math.round(2 ** (-(last - t.at) / HALF_LIFE_MS) * DECAY_SCALE)));
    }
  }
}

/**
 * Splits a delta by weights: each share rounded toward zero to the cent, the cents left over one
 * each to the largest discarded fractions (ties: the earlier touch). Sums to the delta exactly.
 */
export function splitCents(delta: Cents, weights: readonly bigint[]): Cents[] {
  const total = weights.reduce((s, w) => s + w, 0n);
  if (total <= 0n) throw new RangeError('credit weights must add up to more than zero');
  const negative = delta < 0n;
  const amount = negative ? -delta : delta;
  const shares = weights.map((w) => (amount * w) / total);
  let left = amount - shares.reduce((s, c) => s + c, 0n);
  const byFraction = weights
    .map((w, i) => ({ i, rest: (amount * w) % total }))
    .sort((a, b) => (a.rest === b.rest ? a.i - b.i : a.rest > b.rest ? -1 : 1));
  for (const { i } of byFraction) {
    if (left === 0n) break;
    shares[i]! += 1n;
    left -= 1n;
  }
  return negative ? shares.map((c) => -c) : shares;
}

/**
 * The credits of one opportunity: every day's deltas split among the touches eligible that day
 * (t before the end of D, i.e. on D or earlier). `touches` are the team set's touches of the
 * opportunity, in any order. A day without an eligible touch cannot happen for deltas of that team
 * set (influence starts with its first touch); the edges guarantee it, so this throws.
 */
export function creditOpportunity<T extends CreditTouch>(
  model: CreditModel,
  days: readonly CreditDay[],
  touches: readonly T[],
): TouchCredit<T>[] {
  const ordered = [...touches].sort(touchOrder);
  const out: TouchCredit<T>[] = [];
  for (const d of days) {
    if (d.pipeline === 0n && d.closedWon === 0n) continue;
    const eligible = ordered.filter((t) => t.day <= d.day); // YYYY-MM-DD compares as text
    const weights = creditWeights(model, eligible);
    const pipeline = splitCents(d.pipeline, weights);
    const closedWon = splitCents(d.closedWon, weights);
    eligible.forEach((touch, i) => {
      if (pipeline[i] !== 0n || closedWon[i] !== 0n)
        out.push({ touch, day: d.day, pipeline: pipeline[i]!, closedWon: closedWon[i]! });
    });
  }
  return out;
}

export function isCreditModel(value: string): value is CreditModel {
  return (CREDIT_MODELS as readonly string[]).includes(value);
}

/** A conversation's credit over a whole history (the replay tool's `--model`). */
export interface ConversationCredit {
  conversationId: string;
  teamId: string;
  agentId: string | null;
  pipeline: Cents;
  closedWon: Cents;
}

/**
 * The credit of every touching conversation, summed over every day of the engine's results. The
 * results must come from `attribute` with the same team filter: their days are that set's deltas,
 * and only that set's conversations are touches.
 */
export function creditOfResults(
  model: CreditModel,
  results: readonly OpportunityAttribution[],
  teams: ReadonlySet<string> | null = null,
): ConversationCredit[] {
  const byConversation = new Map<string, ConversationCredit>();
  for (const r of results) {
    if (r.days.length === 0) continue;
    const touches = r.touches.filter((t: Touch) => !teams || teams.has(t.teamId));
    const days = r.days.map((d) => ({
      day: d.day,
      pipeline: d.pipeline?.delta ?? 0n,
      closedWon: d.closedWon?.delta ?? 0n,
    }));
    for (const c of creditOpportunity(model, days, touches)) {
      const id = c.touch.conversationId;
      const sum = byConversation.get(id) ?? {
        conversationId: id,
        teamId: c.touch.teamId,
        agentId: c.touch.agentId,
        pipeline: 0n,
        closedWon: 0n,
      };
      sum.pipeline += c.pipeline;
      sum.closedWon += c.closedWon;
      byConversation.set(id, sum);
    }
  }
  return [...byConversation.values()].sort((a, b) =>
    a.conversationId < b.conversationId ? -1 : a.conversationId > b.conversationId ? 1 : 0,
  );
}
