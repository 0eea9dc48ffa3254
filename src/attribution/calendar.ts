// Calendar days in a workspace's IANA time zone (ATTRIBUTION.md rule 1), DST-correct and fast:
// the zone offset is looked up once per hour of time and cached.
export type Day = string; // YYYY-MM-DD

const HOUR_MS = 3_600_000;
const DAY_MS = 86_400_000;

export const TIME_ZONE_HINT =
  'expected an IANA time zone name such as "Europe/Paris", "America/New_York" or "UTC" (abbreviations such as PST or IST are ambiguous)';

/** Area/Location names (and UTC): ICU and PostgreSQL read these alike; bare abbreviations they do not. */
const AREA_LOCATION = /^[A-Za-z]+(?:\/[A-Za-z0-9_+-]+)+$/;

export function isValidTimeZone(timeZone: string): boolean {
  if (timeZone !== 'UTC' && !AREA_LOCATION.test(timeZone)) return false;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone });
    return true;
  } catch {
    return false;
  }
}

/** Day number (days since 1970-01-01) to YYYY-MM-DD. */
export function dayFromNumber(n: number): Day {
  return new Date(n * DAY_MS).toISOString().slice(0, 10);
}

export function dayToNumber(day: Day): number {
  return Math.floor(Date.parse(`${day}T00:00:00Z`) / DAY_MS);
}

export function addDays(day: Day, n: number): Day {
  return dayFromNumber(dayToNumber(day) + n);
}

const shared = new Map<string, ZoneCalendar>();

/** One calendar per zone for the process, so its offset cache outlives a single engine run. */
export function calendarFor(timeZone: string): ZoneCalendar {
  let calendar = shared.get(timeZone);
  if (!calendar) shared.set(timeZone, (calendar = new ZoneCalendar(timeZone)));
  return calendar;
}

export class ZoneCalendar {
  private readonly format: Intl.DateTimeFormat;
  private readonly offsetByHour = new Map<number, number>();

  constructor(readonly timeZone: string) {
    if (!isValidTimeZone(timeZone)) throw new RangeError(`unknown time zone "${timeZone}": ${TIME_ZONE_HINT}`);
    this.format = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
  }

  /** The day number on which the instant (epoch ms) falls in this zone. */
  dayNumberOf(instant: number): number {
    const hour = Math.floor(instant / HOUR_MS);
    let offset = this.offsetByHour.get(hour);
    if (offset === undefined) {
      const start = this.offsetAt(hour * HOUR_MS);
      const end = this.offsetAt((hour + 1) * HOUR_MS - 1);
      // A transition inside this hour: no shortcut, ask for this very instant.
      if (start !== end) return Math.floor((instant + this.offsetAt(instant)) / DAY_MS);
      offset = start;
      this.offsetByHour.set(hour, offset);
    }
    return Math.floor((instant + offset) / DAY_MS);
  }

  dayOf(instant: number | Date): Day {
    return dayFromNumber(this.dayNumberOf(typeof instant === 'number' ? instant : instant.getTime()));
  }

  /** The first instant of the day in this zone (midnight, or the first hour after a DST gap). */
  startOfDay(day: Day): Date {
    const n = dayToNumber(day);
    // Offsets lie within ±18h: search the window for the first instant that falls on the day.
    let lo = n * DAY_MS - 18 * HOUR_MS;
    let hi = n * DAY_MS + 18 * HOUR_MS;
    while (hi - lo > 1) {
      const mid = Math.floor((lo + hi) / 2);
      if (this.dayNumberOf(mid) >= n) hi = mid;
      else lo = mid;
    }
    return new Date(hi);
  }

  /** Offset of local wall time from UTC at the instant, in ms. */
  private offsetAt(instant: number): number {
    const p: Record<string, number> = {};
    for (const part of this.format.formatToParts(instant)) {
      if (part.type !== 'literal') p[part.type] = Number(part.value);
    }
    const wall = Date.UTC(p.year!, p.month! - 1, p.day!, p.hour!, p.minute!, p.second!);
    return wall - (instant - (((instant % 1000) + 1000) % 1000));
  }
}
