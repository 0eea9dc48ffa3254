import { periodsOf, resolveDayRange } from '../../src/reporting/reporting-period';
import { AppError } from '../../src/platform/errors';

const failure = (f: () => unknown) => {
  try {
    f();
    return null;
  } catch (err) {
    return err instanceof AppError ? { code: err.code, errors: err.fields } : err;
  }
};

describe('the reporting period', () => {
  it('defaults to the 30 complete days up to yesterday in the workspace time zone', () => {
    const now = new Date('2026-03-01T03:00:00Z'); // still February 28th in New York
    expect(resolveDayRange({}, 'UTC', now)).toEqual({ from: '2026-01-30', to: '2026-02-28' });
    expect(resolveDayRange({}, 'America/New_York', now)).toEqual({ from: '2026-01-29', to: '2026-02-27' });
  });

  it('fills the missing end from the given one', () => {
    const now = new Date('2026-03-10T12:00:00Z');
    expect(resolveDayRange({ to: '2026-02-10' }, 'UTC', now)).toEqual({ from: '2026-01-12', to: '2026-02-10' });
    expect(resolveDayRange({ from: '2026-03-01' }, 'UTC', now)).toEqual({ from: '2026-03-01', to: '2026-03-09' });
    expect(resolveDayRange({ from: '2026-04-01' }, 'UTC', now)).toEqual({ from: '2026-04-01', to: '2026-04-01' });
  });

  it('refuses a range that ends before it starts, or covers more than about two years', () => {
    const now = new Date('2026-03-10T12:00:00Z');
    expect(failure(() => resolveDayRange({ from: '2026-03-02', to: '2026-03-01' }, 'UTC', now))).toEqual({
      code: 'invalid_input',
      errors: [{ field: 'from', message: 'must be on or before to (2026-03-01)' }],
    });
    expect(failure(() => resolveDayRange({ from: '2024-01-01', to: '2026-01-02' }, 'UTC', now))).toMatchObject({
      code: 'invalid_input',
      errors: [{ field: 'to' }],
    });
    expect(failure(() => resolveDayRange({ from: '2024-03-01', to: '2026-03-01' }, 'UTC', now))).toBeNull();
  });

  it('groups days into ISO weeks, Monday first, clipped to the range', () => {
    // 2026-03-04 is a Wednesday; 2026-03-09 a Monday.
    expect(periodsOf({ from: '2026-03-04', to: '2026-03-17' }, 'week')).toEqual([
      { from: '2026-03-04', to: '2026-03-08' },
      { from: '2026-03-09', to: '2026-03-15' },
      { from: '2026-03-16', to: '2026-03-17' },
    ]);
    // A week across a year end stays one week.
    expect(periodsOf({ from: '2025-12-29', to: '2026-01-04' }, 'week')).toEqual([
      { from: '2025-12-29', to: '2026-01-04' },
    ]);
  });

  it('groups days into calendar months, clipped to the range, leap days included', () => {
    expect(periodsOf({ from: '2028-01-15', to: '2028-03-02' }, 'month')).toEqual([
      { from: '2028-01-15', to: '2028-01-31' },
      { from: '2028-02-01', to: '2028-02-29' },
      { from: '2028-03-01', to: '2028-03-02' },
    ]);
  });

  it('lists every day of a daily range', () => {
    expect(periodsOf({ from: '2026-02-27', to: '2026-03-02' }, 'day').map((p) => p.from)).toEqual([
      '2026-02-27',
      '2026-02-28',
      '2026-03-01',
      '2026-03-02',
    ]);
  });
});
