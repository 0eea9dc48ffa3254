// Days and instants as inputs: ISO 8601 text whose year is one a RevOps report can mean. Years
// near 0 or 9999 are refused with a 400 naming the field, never passed on to date arithmetic or to
// PostgreSQL, where they would fail (or overflow) deep inside a query.
import { z } from 'zod';

export const MIN_YEAR = 1900;
export const MAX_YEAR = 2200;
const YEARS = `a year from ${MIN_YEAR} to ${MAX_YEAR}`;

/** The calendar year of ISO text ("2026-03-02", "2026-03-02T15:00:00+01:00"): its first four digits. */
const yearOf = (text: string) => Number(text.slice(0, 4));
const inRange = (text: string) => yearOf(text) >= MIN_YEAR && yearOf(text) <= MAX_YEAR;
/**
 * Checked only on well-formed text: a value that is no date at all gets one message, not a second
 * about its year (and unlike `abort`, the checks of the enclosing object still run).
 */
const yearCheck = {
  message: `expected ${YEARS}`,
  when: (payload: { issues: unknown[] }) => payload.issues.length === 0,
};

/** YYYY-MM-DD. */
export const dayInput = z.iso.date().refine(inRange, yearCheck);

/** An instant with its offset, such as 2026-03-02T15:04:05Z. */
export const instantInput = z.iso
  .datetime({
    offset: true,
    error: 'expected an ISO 8601 instant with an offset, such as 2026-03-02T15:04:05Z',
  })
  .refine(inRange, yearCheck);
