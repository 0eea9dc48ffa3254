// 95% confidence intervals for the lift of influenced over not influenced deals: Wilson score
// intervals for a win rate, Newcombe's hybrid score interval (his method 10) for a difference of
// two rates, and Welch's t interval for a difference of mean deal sizes. Pure. Money stays bigint
// cents: only the t quantile and Welch's degrees of freedom, which are not money, are floats.
import type { Cents } from '../attribution/money';

/** The normal quantile for a two-sided 95% interval. */
export const Z95 = 1.959963984540054;

export interface Interval {
  low: number;
  high: number;
}

/** Wilson's score interval for k successes in n trials (null for n = 0). */
export function wilson(k: number, n: number, z = Z95): Interval | null {
  if (n === 0) return null;
  const p = k / n;
  const z2 = z * z;
  const denominator = 1 + z2 / n;
  const center = (p + z2 / (2 * n)) / denominator;
  const half = (z * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n))) / denominator;
  return { low: Math.max(0, center - half), high: Math.min(1, center + half) };
}

/**
 * Newcombe (1998), "Interval estimation for the difference between independent proportions",
 * method 10: the difference k1/n1 - k2/n2 with limits built from the two Wilson intervals.
 */
export function newcombeDifference(
  k1: number,
  n1: number,
  k2: number,
  n2: number,
): (Interval & { difference: number }) | null {
  const w1 = wilson(k1, n1);
  const w2 = wilson(k2, n2);
  if (!w1 || !w2) return null;
  const p1 = k1 / n1;
  const p2 = k2 / n2;
  const d = p1 - p2;
  return {
    difference: d,
    low: d - Math.sqrt((p1 - w1.low) ** 2 + (w2.high - p2) ** 2),
    high: d + Math.sqrt((w1.high - p1) ** 2 + (p2 - w2.low) ** 2),
  };
}

// ---- Student's t ----

/** ln Γ(x), Lanczos (g = 7, n = 9), accurate to about 15 digits for x > 0. */
function logGamma(x: number): number {
  const c = [
    0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059,
    12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7,
  ];
  if (x < 0.5) return Math.log(Math.PI / Math.sin(Math.PI * x)) - logGamma(1 - x);
  x -= 1;
  let a = c[0]!;
  const t = x + 7.5;
  for (let i = 1; i < 9; i++) a += c[i]! / (x + i);
  return 0.5 * Math.log(2 * Math.PI) + (x + 0.5) * Math.log(t) - t + Math.log(a);
}

/** The continued fraction of the regularized incomplete beta function (modified Lentz). */
function betaFraction(a: number, b: number, x: number): number {
  const tiny = 1e-300;
  let c = 1;
  let d = 1 - ((a + b) * x) / (a + 1);
  if (Math.abs(d) < tiny) d = tiny;
  d = 1 / d;
  let h = d;
  for (let m = 1; m <= 300; m++) {
    const m2 = 2 * m;
    let aa = (m * (b - m) * x) / ((a + m2 - 1) * (a + m2));
    d = 1 + aa * d;
    if (Math.abs(d) < tiny) d = tiny;
    c = 1 + aa / c;
    if (Math.abs(c) < tiny) c = tiny;
    d = 1 / d;
    h *= d * c;
    aa = (-(a + m) * (a + b + m) * x) / ((a + m2) * (a + m2 + 1));
    d = 1 + aa * d;
    if (Math.abs(d) < tiny) d = tiny;
    c = 1 + aa / c;
    if (Math.abs(c) < tiny) c = tiny;
    d = 1 / d;
    const delta = d * c;
    h *= delta;
    if (Math.abs(delta - 1) < 1e-15) break;
  }
  return h;
}

/** I_x(a, b). */
function regularizedBeta(x: number, a: number, b: number): number {
  if (x <= 0) return 0;
  if (x >= 1) return 1;
  const front = Math.exp(logGamma(a + b) - logGamma(a) - logGamma(b) + a * Math.log(x) + b * Math.log(1 - x));
  return x < (a + 1) / (a + b + 2) ? (front * betaFraction(a, b, x)) / a : 1 - (front * betaFraction(b, a, 1 - x)) / b;
}

/** P(T <= t) for Student's t with df degrees of freedom. */
export function studentTCdf(t: number, df: number): number {
  const tail = 0.5 * regularizedBeta(df / (df + t * t), df / 2, 0.5);
  return t >= 0 ? 1 - tail : tail;
}

/** The p-quantile of Student's t (0.5 < p < 1), by bisection on the CDF. */
export function studentTQuantile(p: number, df: number): number {
  if (!(df > 0) || !(p > 0.5 && p < 1)) throw new RangeError(`no t quantile for p=${p}, df=${df}`);
  let lo = 0;
  let hi = 1;
  while (studentTCdf(hi, df) < p) hi *= 2;
  for (let i = 0; i < 200 && hi - lo > 1e-12; i++) {
    const mid = (lo + hi) / 2;
    if (studentTCdf(mid, df) < p) lo = mid;
    else hi = mid;
  }
  return (lo + hi) / 2;
}

// ---- means of amounts, in cents ----

function isqrt(n: bigint): bigint {
  if (n < 2n) return n;
  let x = BigInt(Math.floor(Math.sqrt(Number(n))));
  for (;;) {
    const y = (x + n / x) >> 1n;
    if (y >= x && x * x <= n && (x + 1n) * (x + 1n) > n) return x;
    x = y;
  }
}

/** num / den rounded half away from zero. */
function divRound(num: bigint, den: bigint): bigint {
  if (den < 0n) return divRound(-num, -den);
  const q = num / den;
  const r = num % den;
  if (2n * (r < 0n ? -r : r) >= den) return q + (num < 0n ? -1n : 1n);
  return q;
}

interface Moments {
  n: bigint;
  sum: bigint;
  /** n·Σx² − (Σx)²: n(n-1) times the sample variance. */
  spread: bigint;
}

function moments(xs: readonly Cents[]): Moments {
  const n = BigInt(xs.length);
  let sum = 0n;
  let squares = 0n;
  for (const x of xs) {
    sum += x;
    squares += x * x;
  }
  return { n, sum, spread: n * squares - sum * sum };
}

const T_SCALE = 1_000_000_000n;
const SE_SCALE = 1_000_000n;

/** t × √(num/den) in cents, rounded: the margin of an interval whose squared standard error is num/den. */
function margin(t: number, num: bigint, den: bigint): Cents {
  const se = isqrt((num * SE_SCALE * SE_SCALE) / den); // cents × 10^6
  return divRound(se * BigInt(Math.round(t * Number(T_SCALE))), SE_SCALE * T_SCALE);
}

export interface MeanEstimate {
  n: number;
  mean: Cents;
  /** The t interval of the mean; null below two values. */
  low: Cents | null;
  high: Cents | null;
}

export function meanInterval(xs: readonly Cents[]): MeanEstimate | null {
  if (xs.length === 0) return null;
  const m = moments(xs);
  const mean = divRound(m.sum, m.n);
  if (xs.length < 2) return { n: xs.length, mean, low: null, high: null };
  // se² = s²/n = spread / (n²(n-1))
  const e = margin(studentTQuantile(0.975, xs.length - 1), m.spread, m.n * m.n * (m.n - 1n));
  return { n: xs.length, mean, low: mean - e, high: mean + e };
}

export interface DifferenceEstimate {
  difference: Cents;
  low: Cents;
  high: Cents;
  /** Welch–Satterthwaite degrees of freedom. */
  df: number;
}

/** Welch's interval for mean(a) - mean(b); null unless both have two values or more. */
export function welchDifference(a: readonly Cents[], b: readonly Cents[]): DifferenceEstimate | null {
  if (a.length < 2 || b.length < 2) return null;
  const ma = moments(a);
  const mb = moments(b);
  const difference = divRound(ma.sum * mb.n - mb.sum * ma.n, ma.n * mb.n);
  // s_i²/n_i = spread_i / B_i with B_i = n_i²(n_i - 1)
  const ba = ma.n * ma.n * (ma.n - 1n);
  const bb = mb.n * mb.n * (mb.n - 1n);
  const va = Number(ma.spread) / Number(ba);
  const vb = Number(mb.spread) / Number(bb);
  const df =
    va + vb === 0 ? a.length + b.length - 2 : (va + vb) ** 2 / (va ** 2 / (a.length - 1) + vb ** 2 / (b.length - 1));
  const e = margin(studentTQuantile(0.975, df), ma.spread * bb + mb.spread * ba, ba * bb);
  return { difference, low: difference - e, high: difference + e, df: Math.round(df * 100) / 100 };
}

/** A ratio for the API: four decimals, or null without a denominator. */
export function ratio(num: number, den: number): number | null {
  return den === 0 ? null : Math.round((num / den) * 10_000) / 10_000;
}

/** Median of numbers (the mean of the two middle ones for an even count); null when empty. */
export function median(xs: readonly number[]): number | null {
  if (xs.length === 0) return null;
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

export const round4 = (x: number) => Math.round(x * 10_000) / 10_000;
