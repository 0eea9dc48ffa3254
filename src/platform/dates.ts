// Days and instants as inputs: ISO 8601 text whose year is one a RevOps report can mean. Years
// near 0 or 9999 are refused with a 400 naming the field, never passed on to date arithmetic or to
// PostgreSQL, where they would fail (or overflow) deep inside a query.
import { z } from 'zod';

export const MIN_YEAR = 1900;
export const MAX_YEAR = 2200;
const YEARS = `a year from ${MIN_YEAR} to ${MAX_YEAR}`;

/** The calendar year of ISO text ("2026-03-02", "2026-03-02T15:00:00+01:00"): its first four digits. */
const yearOf = (text: string) => Number(text.slice(0, 4));
/** Text that is not even a date is the format check's to name: one error per bad field, not two. */
const inRange = (text: string) => {
  const year = yearOf(text);
  return Number.isNaN(year) || (year >= MIN_YEAR && year <= MAX_YEAR);
};

/** YYYY-MM-DD. */
export const dayInput = z.iso.date().refine(inRange, `expected ${YEARS}`);

/** An instant with its offset, such as 2026-03-02T15:04:05Z. */
export const instantInput = z.iso
  .datetime({ offset: true, error: 'expected an ISO 8601 instant with an offset, such as 2026-03-02T15:04:05Z' })
  .refine(inRange, `expected ${YEARS}`);
