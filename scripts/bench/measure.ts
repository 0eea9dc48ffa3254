// Wall time and memory of one synchronous step. With --expose-gc the heap is collected before
// and after, so growth and retained size belong to the step rather than to earlier garbage.

const MB = 1024 * 1024;

export interface StepFigures {
  ms: number;
  /** process.memoryUsage().heapUsed right after the step, before any collection. */
  heapUsedAfterMB: number;
  /** heapUsed after the step minus heapUsed after a full GC before it: live data plus garbage not yet collected. */
  heapGrowthMB: number | null;
  /** What the step's result keeps alive: heapUsed after a full GC, minus before. */
  retainedMB: number | null;
  /** Peak resident set size of the process so far (process.resourceUsage().maxRSS). */
  maxRssMB: number;
}

export const gcAvailable = typeof global.gc === 'function';

function collect(): void {
  global.gc?.();
}

export function measure<T>(step: () => T): { result: T; figures: StepFigures } {
  collect();
  const before = process.memoryUsage().heapUsed;
  const t0 = process.hrtime.bigint();
  const result = step();
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  const after = process.memoryUsage().heapUsed;
  collect();
  const retained = process.memoryUsage().heapUsed;
  return {
    result,
    figures: {
      ms: round(ms),
      heapUsedAfterMB: round(after / MB),
      heapGrowthMB: gcAvailable ? round((after - before) / MB) : null,
      retainedMB: gcAvailable ? round((retained - before) / MB) : null,
      maxRssMB: round((process.resourceUsage().maxRSS * 1024) / MB),
    },
  };
}

export function round(x: number, digits = 1): number {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}

export function perSecond(count: number, ms: number): number {
  return Math.round((count * 1000) / Math.max(ms, 1e-3));
}

export interface RepeatedFigures extends StepFigures {
  /** The first run's time; `ms` is the median over all runs. */
  firstMs: number;
  runsMs: number[];
}

/**
 * Small steps run several times: on a shared machine one sample of ~100 ms is mostly noise.
 * Memory figures are the first run's; the result is the last run's (each run is identical).
 */
export function measureRepeated<T>(step: () => T, times: number): { result: T; figures: RepeatedFigures } {
  const first = measure(step);
  let result = first.result;
  const runsMs = [first.figures.ms];
  for (let i = 1; i < times; i++) {
    const run = measure(step);
    result = run.result;
    runsMs.push(run.figures.ms);
  }
  const sorted = [...runsMs].sort((a, b) => a - b);
  const median = sorted[Math.floor(sorted.length / 2)]!;
  return { result, figures: { ...first.figures, ms: median, firstMs: first.figures.ms, runsMs } };
}
