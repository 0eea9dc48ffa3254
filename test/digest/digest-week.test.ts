// Which week a digest covers, and when it falls due, in the workspace's zone.
import { digestWeeks, mondayOf } from '../../src/digest/digest-week';

describe('digest weeks', () => {
  it('covers the last complete ISO week, Monday to Sunday, and the one before', () => {
    // Wednesday Dec 2, 2026 (UTC).
    expect(digestWeeks('UTC', new Date('2026-12-02T10:00:00Z'))).toEqual({
      week: { from: '2026-11-23', to: '2026-11-29' },
      previous: { from: '2026-11-16', to: '2026-11-22' },
      dueAt: new Date('2026-11-30T08:00:00Z'),
    });
  });

  it('counts weeks in the workspace zone: Sunday evening in New York is Monday in Auckland', () => {
    const now = new Date('2026-11-29T20:00:00Z'); // Sun 15:00 in New York, Mon 09:00 in Auckland
    expect(digestWeeks('America/New_York', now).week).toEqual({ from: '2026-11-16', to: '2026-11-22' });
    const auckland = digestWeeks('Pacific/Auckland', now);
    expect(auckland.week).toEqual({ from: '2026-11-23', to: '2026-11-29' });
    // Monday 08:00 NZDT (UTC+13) is Sunday 19:00 UTC.
    expect(auckland.dueAt).toEqual(new Date('2026-11-29T19:00:00Z'));
  });

  it('is due at 08:00 local on Monday, across a change of the clocks the day before', () => {
    // Europe/Paris leaves summer time on Sunday Oct 25, 2026: Monday 08:00 is 07:00 UTC.
    expect(digestWeeks('Europe/Paris', new Date('2026-10-26T12:00:00Z')).dueAt).toEqual(
      new Date('2026-10-26T07:00:00Z'),
    );
  });

  it('finds the Monday of any day', () => {
    expect(['2026-11-30', '2026-12-02', '2026-12-06'].map(mondayOf)).toEqual([
      '2026-11-30',
      '2026-11-30',
      '2026-11-30',
    ]);
    expect(mondayOf('2027-01-01')).toBe('2026-12-28');
  });
});
