// Which week a digest summarises: the last complete ISO week (Monday to Sunday) in the workspace's
// zone before `now`, the week before it for comparison, and when this week's digest falls due
// (Monday 08:00 in that zone).
import { addDays, calendarFor, dayToNumber, type Day } from '../attribution/calendar';

export interface Week {
  /** Monday. */
  from: Day;
  /** Sunday. */
  to: Day;
}

export interface DigestWeeks {
  week: Week;
  previous: Week;
  /** The instant this week's digest is due: Monday 08:00 of the current week, local time. */
  dueAt: Date;
}

const SEND_HOUR = 8;

/** The Monday of the day's ISO week (1970-01-01, day 0, was a Thursday). */
export function mondayOf(day: Day): Day {
  const weekday = (((dayToNumber(day) + 3) % 7) + 7) % 7; // 0 = Monday
  return addDays(day, -weekday);
}

export function digestWeeks(timeZone: string, now: Date): DigestWeeks {
  const calendar = calendarFor(timeZone);
  const thisMonday = mondayOf(calendar.dayOf(now));
  const from = addDays(thisMonday, -7);
  // Midnight plus 8 hours: off by the shift on a Monday that changes the clocks (no zone does so today).
  const dueAt = new Date(calendar.startOfDay(thisMonday).getTime() + SEND_HOUR * 3_600_000);
  return {
    week: { from, to: addDays(from, 6) },
    previous: { from: addDays(from, -7), to: addDays(from, -1) },
    dueAt,
  };
}
