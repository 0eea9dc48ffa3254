// Calendar days in a workspace zone (rule 1): DST transitions of whole hours, half hours and
// 45-minute offsets, the hour cache, first instants of days, and unknown zones.
import fc from 'fast-check';
import { addDays, dayFromNumber, dayToNumber, isValidTimeZone, ZoneCalendar } from '../../src/attribution/calendar';
import { TIME_ZONES } from './arbitraries';
import { localDay } from './reference-model';

const HOUR = 3_600_000;
const ms = (iso: string) => Date.parse(iso);

/** [instant, the local day it falls on] pairs, checked on a fresh calendar and on a warmed one. */
function expectDays(timeZone: string, cases: [string, string][]): void {
  const warm = new ZoneCalendar(timeZone);
  for (const [iso] of cases) warm.dayOf(ms(iso) - HOUR);
  const actual = cases.map(([iso]) => [iso, new ZoneCalendar(timeZone).dayOf(ms(iso)), warm.dayOf(ms(iso))]);
  expect(actual).toEqual(cases.map(([iso, day]) => [iso, day, day]));
}

/** Hours between the first instants of a day and of the next one. */
function hoursIn(calendar: ZoneCalendar, day: string): number {
  return (calendar.startOfDay(addDays(day, 1)).getTime() - calendar.startOfDay(day).getTime()) / HOUR;
}

describe('ZoneCalendar.dayOf', () => {
  it('follows New York across spring forward (23-hour day)', () => {
    expectDays('America/New_York', [
      ['2026-03-08T04:59:59.999Z', '2026-03-07'], // 23:59:59.999 EST
      ['2026-03-08T05:00:00.000Z', '2026-03-08'], // midnight EST
      ['2026-03-08T06:59:59.999Z', '2026-03-08'], // 01:59:59.999 EST, the last instant before the gap
      ['2026-03-08T07:00:00.000Z', '2026-03-08'], // 03:00 EDT
      ['2026-03-09T03:59:59.999Z', '2026-03-08'], // 23:59:59.999 EDT
      ['2026-03-09T04:00:00.000Z', '2026-03-09'],
    ]);
  });

  it('follows New York across fall back (25-hour day)', () => {
    expectDays('America/New_York', [
      ['2026-11-01T03:59:59.999Z', '2026-10-31'],
      ['2026-11-01T04:00:00.000Z', '2026-11-01'], // midnight EDT
      ['2026-11-01T05:30:00.000Z', '2026-11-01'], // 01:30 EDT
      ['2026-11-01T06:30:00.000Z', '2026-11-01'], // 01:30 EST, the same wall time again
      ['2026-11-02T04:59:59.999Z', '2026-11-01'], // 23:59:59.999 EST
      ['2026-11-02T05:00:00.000Z', '2026-11-02'],
    ]);
  });

  it('follows Paris across both changes', () => {
    expectDays('Europe/Paris', [
      ['2026-03-28T22:59:59.999Z', '2026-03-28'],
      ['2026-03-28T23:00:00.000Z', '2026-03-29'], // midnight CET
      ['2026-03-29T21:59:59.999Z', '2026-03-29'], // 23:59:59.999 CEST
      ['2026-03-29T22:00:00.000Z', '2026-03-30'],
      ['2026-10-24T21:59:59.999Z', '2026-10-24'],
      ['2026-10-24T22:00:00.000Z', '2026-10-25'], // midnight CEST
      ['2026-10-25T22:59:59.999Z', '2026-10-25'], // 23:59:59.999 CET
      ['2026-10-25T23:00:00.000Z', '2026-10-26'],
    ]);
  });

  it("follows Lord Howe's 30-minute shifts, including one in the middle of a UTC hour", () => {
    expectDays('Australia/Lord_Howe', [
      ['2026-04-04T12:59:59.999Z', '2026-04-04'], // 23:59:59.999 at +11
      ['2026-04-04T13:00:00.000Z', '2026-04-05'],
      ['2026-04-05T13:29:59.999Z', '2026-04-05'], // 23:59:59.999 at +10:30
      ['2026-04-05T13:30:00.000Z', '2026-04-06'],
      ['2026-10-03T13:29:59.999Z', '2026-10-03'],
      ['2026-10-03T13:30:00.000Z', '2026-10-04'], // midnight at +10:30
      ['2026-10-03T15:29:59.999Z', '2026-10-04'], // 01:59:59.999 at +10:30, then 02:30 at +11
      ['2026-10-03T15:30:00.000Z', '2026-10-04'],
      ['2026-10-04T12:59:59.999Z', '2026-10-04'], // 23:59:59.999 at +11
      ['2026-10-04T13:00:00.000Z', '2026-10-05'],
    ]);
  });

  it('follows Chatham between +13:45 and +12:45', () => {
    expectDays('Pacific/Chatham', [
      ['2026-04-04T10:14:59.999Z', '2026-04-04'],
      ['2026-04-04T10:15:00.000Z', '2026-04-05'], // midnight at +13:45
      ['2026-04-05T11:14:59.999Z', '2026-04-05'], // 23:59:59.999 at +12:45
      ['2026-04-05T11:15:00.000Z', '2026-04-06'],
      ['2026-09-26T11:14:59.999Z', '2026-09-26'],
      ['2026-09-26T11:15:00.000Z', '2026-09-27'], // midnight at +12:45
      ['2026-09-27T10:14:59.999Z', '2026-09-27'], // 23:59:59.999 at +13:45
      ['2026-09-27T10:15:00.000Z', '2026-09-28'],
    ]);
  });

  it('puts Kolkata midnight at 18:30 UTC and UTC midnight at midnight', () => {
    expectDays('Asia/Kolkata', [
      ['2026-03-07T18:29:59.999Z', '2026-03-07'],
      ['2026-03-07T18:30:00.000Z', '2026-03-08'],
    ]);
    expectDays('UTC', [
      ['2026-03-07T23:59:59.999Z', '2026-03-07'],
      ['2026-03-08T00:00:00.000Z', '2026-03-08'],
    ]);
  });

  it("does not trust its hour cache in an hour holding a transition (St John's fell back at 00:01 in 2010)", () => {
    expectDays('America/St_Johns', [
      ['2010-11-07T02:30:30.000Z', '2010-11-07'], // 00:00:30 NDT
      ['2010-11-07T02:45:00.000Z', '2010-11-06'], // 23:15 NST, back on the day before
      ['2010-11-07T03:30:00.000Z', '2010-11-07'],
    ]);
  });

  it('takes a Date as well as epoch milliseconds', () => {
    expect(new ZoneCalendar('Pacific/Chatham').dayOf(new Date('2026-04-04T10:15:00Z'))).toBe('2026-04-05');
  });

  it('agrees with Intl for any instant in any zone, on a calendar reused across instants', () => {
    const zones = ['UTC', ...Intl.supportedValuesOf('timeZone')];
    const calendars = new Map<string, ZoneCalendar>();
    const calendar = (z: string) => calendars.get(z) ?? calendars.set(z, new ZoneCalendar(z)).get(z)!;
    fc.assert(
      fc.property(
        fc.constantFrom(...zones),
        fc.integer({ min: ms('1971-01-01'), max: ms('2037-12-31') }),
        (zone, t) => {
          expect(calendar(zone).dayOf(t)).toBe(localDay(zone, t));
        },
      ),
      { numRuns: 2000 },
    );
  });
});

describe('ZoneCalendar.startOfDay', () => {
  it('is local midnight on both sides of each transition', () => {
    const starts = (zone: string, days: string[]) =>
      days.map((d) => new ZoneCalendar(zone).startOfDay(d).toISOString());
    expect(starts('America/New_York', ['2026-03-08', '2026-03-09', '2026-11-01', '2026-11-02'])).toEqual([
      '2026-03-08T05:00:00.000Z',
      '2026-03-09T04:00:00.000Z',
      '2026-11-01T04:00:00.000Z',
      '2026-11-02T05:00:00.000Z',
    ]);
    expect(starts('Europe/Paris', ['2026-03-29', '2026-03-30', '2026-10-25', '2026-10-26'])).toEqual([
      '2026-03-28T23:00:00.000Z',
      '2026-03-29T22:00:00.000Z',
      '2026-10-24T22:00:00.000Z',
      '2026-10-25T23:00:00.000Z',
    ]);
    expect(starts('Australia/Lord_Howe', ['2026-04-05', '2026-04-06', '2026-10-04', '2026-10-05'])).toEqual([
      '2026-04-04T13:00:00.000Z',
      '2026-04-05T13:30:00.000Z',
      '2026-10-03T13:30:00.000Z',
      '2026-10-04T13:00:00.000Z',
    ]);
    expect(starts('Pacific/Chatham', ['2026-04-05', '2026-04-06', '2026-09-27', '2026-09-28'])).toEqual([
      '2026-04-04T10:15:00.000Z',
      '2026-04-05T11:15:00.000Z',
      '2026-09-26T11:15:00.000Z',
      '2026-09-27T10:15:00.000Z',
    ]);
    expect(starts('Asia/Kolkata', ['2026-03-08'])).toEqual(['2026-03-07T18:30:00.000Z']);
    expect(starts('UTC', ['2026-03-08'])).toEqual(['2026-03-08T00:00:00.000Z']);
  });

  it('gives days of 23, 23.5, 24, 24.5 and 25 hours where the zones change offset', () => {
    const lengths = ([zone, day]: [string, string]) => hoursIn(new ZoneCalendar(zone), day);
    expect(
      (
        [
          ['America/New_York', '2026-03-08'],
          ['America/New_York', '2026-11-01'],
          ['Europe/Paris', '2026-03-29'],
          ['Europe/Paris', '2026-10-25'],
          ['Australia/Lord_Howe', '2026-04-05'],
          ['Australia/Lord_Howe', '2026-10-04'],
          ['Pacific/Chatham', '2026-04-05'],
          ['Pacific/Chatham', '2026-09-27'],
          ['Asia/Kolkata', '2026-03-08'],
          ['UTC', '2026-03-08'],
        ] as [string, string][]
      ).map(lengths),
    ).toEqual([23, 25, 23, 25, 24.5, 23.5, 25, 23, 24, 24]);
  });

  it('is the first instant after the gap when midnight itself is skipped', () => {
    // Havana and Santiago spring forward at midnight: the day starts at 01:00.
    expect(new ZoneCalendar('America/Havana').startOfDay('2026-03-08').toISOString()).toBe('2026-03-08T05:00:00.000Z');
    expect(new ZoneCalendar('America/Santiago').startOfDay('2026-09-06').toISOString()).toBe(
      '2026-09-06T04:00:00.000Z',
    );
  });

  it('is the first instant of the day for any day in the workspace zones', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...TIME_ZONES),
        fc.integer({ min: dayToNumber('2000-01-01'), max: dayToNumber('2037-12-31') }),
        (zone, n) => {
          const calendar = new ZoneCalendar(zone);
          const day = dayFromNumber(n);
          const start = calendar.startOfDay(day).getTime();
          expect([calendar.dayOf(start), calendar.dayOf(start - 1)]).toEqual([day, addDays(day, -1)]);
        },
      ),
      { numRuns: 500 },
    );
  });
});

describe('unknown time zones', () => {
  it('are refused with an error that names the zone and what to use instead', () => {
    expect(() => new ZoneCalendar('Mars/Olympus_Mons')).toThrow(RangeError);
    expect(() => new ZoneCalendar('Mars/Olympus_Mons')).toThrow(
      'unknown time zone "Mars/Olympus_Mons": expected an IANA time zone name such as "Europe/Paris"',
    );
    expect(() => new ZoneCalendar('')).toThrow(RangeError);
  });

  it('are told apart from IANA names by isValidTimeZone', () => {
    expect(['UTC', 'Pacific/Chatham', 'Mars/Olympus_Mons', ''].map(isValidTimeZone)).toEqual([
      true,
      true,
      false,
      false,
    ]);
  });
});

describe('day arithmetic', () => {
  it('numbers days from 1970-01-01 both ways', () => {
    expect([dayToNumber('1970-01-01'), dayToNumber('1969-12-31'), dayToNumber('2026-03-08')]).toEqual([0, -1, 20520]);
    expect([dayFromNumber(0), dayFromNumber(-1), dayFromNumber(20520)]).toEqual([
      '1970-01-01',
      '1969-12-31',
      '2026-03-08',
    ]);
  });

  it('adds days across month, leap-year and year ends', () => {
    expect([
      addDays('2026-02-28', 1),
      addDays('2028-02-28', 1),
      addDays('2026-12-31', 1),
      addDays('2026-03-01', -1),
      addDays('2026-03-08', 0),
    ]).toEqual(['2026-03-01', '2028-02-29', '2027-01-01', '2026-02-28', '2026-03-08']);
  });
});
