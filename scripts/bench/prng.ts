// A small seeded PRNG (mulberry32) so every run of the benchmark sees the very same workspace.

export class Random {
  private state: number;

  constructor(seed: number) {
    this.state = seed >>> 0;
  }

  /** A float in [0, 1). */
  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** An integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.next() * n);
  }

  /** An integer in [lo, hi]. */
  between(lo: number, hi: number): number {
    return lo + this.int(hi - lo + 1);
  }

  chance(p: number): boolean {
    return this.next() < p;
  }

  pick<T>(items: readonly T[]): T {
    return items[this.int(items.length)]!;
  }

  /** `count` distinct integers of [0, n), ascending (partial Fisher-Yates). */
  sample(n: number, count: number): number[] {
    const pool = Int32Array.from({ length: n }, (_, i) => i);
    for (let i = 0; i < count; i++) {
      const j = i + this.int(n - i);
      const tmp = pool[i]!;
      pool[i] = pool[j]!;
      pool[j] = tmp;
    }
    return Array.from(pool.subarray(0, count)).sort((a, b) => a - b);
  }

  /** `total` split into `parts` counts around total/parts, pairwise balanced so they sum exactly. */
  counts(total: number, parts: number, spread: number): number[] {
    const mean = Math.floor(total / parts);
    const out = new Array<number>(parts).fill(mean);
    for (let i = 0; i + 1 < parts; i += 2) {
      const d = this.between(-spread, spread);
      out[i] = mean + d;
      out[i + 1] = mean - d;
    }
    for (let i = 0, rest = total - mean * parts; rest > 0; i = (i + 1) % parts, rest--) out[i]! += 1;
    return out;
  }
}
