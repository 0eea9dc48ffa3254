// The interval estimates of the lift, against published and independently computed values:
// Newcombe's (1998) worked example, and Student t quantiles and intervals as SciPy gives them.
import {
  median,
  meanInterval,
  newcombeDifference,
  studentTQuantile,
  welchDifference,
  wilson,
} from '../../src/reporting/statistics';

const r4 = (x: number | undefined) => (x === undefined ? x : Math.round(x * 10_000) / 10_000);

describe('rates', () => {
  it('Wilson intervals match Newcombe’s example (56/70 and 48/80)', () => {
    expect(wilson(56, 70)).toEqual({ low: expect.closeTo(0.6918, 4), high: expect.closeTo(0.877, 4) });
    expect(wilson(48, 80)).toEqual({ low: expect.closeTo(0.4905, 4), high: expect.closeTo(0.7004, 4) });
    expect(wilson(0, 0)).toBeNull();
    expect(wilson(0, 10)!.low).toBe(0);
  });

  it('the difference of two rates has Newcombe’s method-10 interval: 0.2 (0.0524, 0.3339)', () => {
    const d = newcombeDifference(56, 70, 48, 80)!;
    expect([r4(d.difference), r4(d.low), r4(d.high)]).toEqual([0.2, 0.0524, 0.3339]);
    expect(newcombeDifference(1, 2, 0, 0)).toBeNull();
  });
});

describe('Student’s t', () => {
  it('has the 97.5% quantiles of the tables', () => {
    const got = [1, 2, 5, 10, 30, 1000].map((df) => Math.round(studentTQuantile(0.975, df) * 1e6) / 1e6);
    expect(got).toEqual([12.706205, 4.302653, 2.570582, 2.228139, 2.042272, 1.962339]);
  });
});

describe('means of amounts in cents', () => {
  it('gives the t interval of a mean (SciPy: 20,000 ± 24,841.38 for 10k, 20k, 30k)', () => {
    expect(meanInterval([1_000_000n, 2_000_000n, 3_000_000n])).toEqual({
      n: 3,
      mean: 2_000_000n,
      low: -484_138n,
      high: 4_484_138n,
    });
    expect(meanInterval([5n])).toEqual({ n: 1, mean: 5n, low: null, high: null });
    expect(meanInterval([])).toBeNull();
  });

  it('gives Welch’s interval of a difference (SciPy: 13,500 in (-10,919.82, 37,919.82), df 2.05)', () => {
    expect(welchDifference([1_000_000n, 2_000_000n, 3_000_000n], [500_000n, 700_000n, 600_000n, 800_000n])).toEqual({
      difference: 1_350_000n,
      low: -1_091_982n,
      high: 3_791_982n,
      df: 2.05,
    });
    expect(welchDifference([1n], [1n, 2n])).toBeNull();
    // No spread at all: a zero-width interval.
    expect(welchDifference([100n, 100n], [40n, 40n])).toEqual({ difference: 60n, low: 60n, high: 60n, df: 2 });
  });

  it('takes the median of the middle two for an even count', () => {
    expect([median([3, 1, 2]), median([4, 1, 3, 2]), median([])]).toEqual([2, 2.5, null]);
  });
});
