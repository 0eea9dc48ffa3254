// The days a report covers and how they are grouped: days in the workspace's zone, by default
// the 30 complete days up to yesterday; weeks are ISO weeks (Monday first), months calendar
// months, both clipped to the range so the first and last period may be partial.
import { z } from 'zod';
import { addDays, dayFromNumber, dayToNumber, calendarFor, type Day } from '../attribution/calendar';
import { invalidField } from '../platform/errors';
import { dayInput } from '../platform/dates';

export const DEFAULT_DAYS = 30;
/** About two years: a longer range is an export, not a chart. */
export const MAX_DAYS = 732;

export const granularity = z.enum(['day', 'week', 'month']);
export type Granularity = z.infer<typeof granularity>;

export const periodQuery = z.object({
  from: dayInput
    .optional()
    .meta({ description: 'First day (YYYY-MM-DD, in the workspace time zone). Default: 29 days before `to`.' }),
  to: dayInput.optional().meta({ description: 'Last day, included. Default: yesterday in the workspace time zone.' }),
});
export type PeriodQuery = z.infer<typeof periodQuery>;

export interface DayRange {
  from: Day;
  to: Day;
}

export type Period = DayRange;

/** The range asked for, with the defaults filled in from `now` in the workspace's zone. */
export function resolveDayRange(q: PeriodQuery, timeZone: string, now: Date): DayRange {
  const yesterday = addDays(calendarFor(timeZone).dayOf(now), -1);
  const to = q.to ?? (q.from && q.from > yesterday ? q.from : yesterday);
  const from = q.from ?? addDays(to, -(DEFAULT_DAYS - 1));
  if (from > to) throw invalidField('from', `must be on or before to (${to})`);
  if (dayToNumber(to) - dayToNumber(from) + 1 > MAX_DAYS) {
    throw invalidField('to', `a report covers at most ${MAX_DAYS} days; ask for a shorter range`);
  }
  return { from, to };
}

/** Every period of the range, in order, clipped to it. */
export function periodsOf(range: DayRange, by: Granularity): Period[] {
  const periods: Period[] = [];
  let start = range.from;
  while (start <= range.to) {
    const natural = by === 'day' ? start : by === 'week' ? endOfIsoWeek(start) : endOfMonth(start);
    const end = natural < range.to ? natural : range.to;
    periods.push({ from: start, to: end });
    start = addDays(end, 1);
  }
  return periods;
}

/** The Sunday closing the ISO week of the day (1970-01-01, day 0, was a Thursday). */
function endOfIsoWeek(day: Day): Day {
  const n = dayToNumber(day);
  const weekday = (((n + 3) % 7) + 7) % 7; // 0 = Monday
  return dayFromNumber(n + 6 - weekday);
}

function endOfMonth(day: Day): Day {
  const [y, m] = day.split('-').map(Number) as [number, number];
  return new Date(Date.UTC(y, m, 0)).toISOString().slice(0, 10);
}

/** The instants [start, end) that the days of the range cover in the zone. */
export function instantsOf(range: DayRange, timeZone: string): { start: Date; end: Date } {
  const calendar = calendarFor(timeZone);
  return { start: calendar.startOfDay(range.from), end: calendar.startOfDay(addDays(range.to, 1)) };
}
