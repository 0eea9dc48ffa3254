// The dashboard's periods in words, apart from ECharts: the totals table uses them before the
// charts module has loaded.
import type { Dashboard, Granularity } from '../api/types';
import { addDays, daysBetween } from '../lib/days';
import { monthOf, shortDay } from '../lib/format';

type Period = Dashboard['series'][number];

/** A week or month the range cuts short: it holds fewer days than a whole one. */
export function isPartial(p: Period, g: Granularity): boolean {
  if (g === 'day') return false;
  if (g === 'week') return daysBetween(p.from, p.to) + 1 < 7;
  return p.from.slice(8) !== '01' || addDays(p.to, 1).slice(8) !== '01';
}

export function periodLabel(p: Period, g: Granularity): string {
  const partial = isPartial(p, g) ? ' (partial)' : '';
  if (g === 'month') return `${monthOf(p.from)}${partial}`;
  if (g === 'week') return `Wk of ${shortDay(p.from)}${partial}`;
  return shortDay(p.from);
}
