// Progress per object in the terminal: rows so far of the estimate, the rate, the time left.
import { progressLine, progressPrinter } from '../../../src/app/cli/progress';

describe('progress lines', () => {
  it('say rows of the estimate, the rate and the time left', () => {
    expect(progressLine({ object: 'Contact', rows: 1_200, total: 5_000, phase: 'rest' }, 5)).toBe(
      'Contact                 1,200 / 5,000 rows (24%)  240 rows/s  ~16 s left',
    );
    expect(progressLine({ object: 'Opportunity', rows: 20_000, total: 128_450, phase: 'bulk' }, 10)).toBe(
      'Opportunity             20,000 / 128,450 rows (16%) via Bulk API  2,000 rows/s  ~55 s left',
    );
    expect(progressLine({ object: 'Lead', rows: 10, total: 10, phase: 'rest' }, 1)).toBe(
      'Lead                    10 / 10 rows (100%)  10 rows/s  done',
    );
    expect(progressLine({ object: 'Contact', rows: 0, total: 128_450, phase: 'count' }, 0)).toBe(
      'Contact                 counting… 128,450 rows',
    );
    expect(progressLine({ object: 'OpportunityContactRole', rows: 0, total: null, phase: 'deleted' }, 0)).toBe(
      'OpportunityContactRole  checking deletions',
    );
  });

  it('print at most one line a second per object, and always the last', () => {
    let now = 0;
    const lines: string[] = [];
    const print = progressPrinter(
      (l) => lines.push(l),
      () => now,
    );
    for (let rows = 0; rows <= 10_000; rows += 1_000) {
      print({ object: 'Contact', rows, total: 10_000, phase: 'rest' });
      now += 300;
    }
    expect(lines).toHaveLength(5);
    expect(lines.at(-1)).toMatch(/10,000 \/ 10,000 rows \(100%\).*done$/);
  });
});
