// Calendar days (YYYY-MM-DD) as the API counts them: in the workspace's time zone.
import { quarterPreset } from './quarters';
export type Day = string;

const DAY_MS = 86_400_000;

export function addDays(day: Day, n: number): Day {
  return new Date(Date.parse(`${day}T00:00:00Z`) + n * DAY_MS).toISOString().slice(0, 10);
}

export function daysBetween(from: Day, to: Day): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / DAY_MS);
}

/** Today in the zone (en-CA formats as YYYY-MM-DD). */
export function todayIn(timeZone: string, now = new Date()): Day {
  return new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(now);
}

export const yesterdayIn = (timeZone: string) => addDays(todayIn(timeZone), -1);

export interface DayRange {
  from: Day;
  to: Day;
}

export type Preset = '7d' | '30d' | '90d' | 'mtd' | 'last-month' | 'qtd' | 'last-quarter' | 'ytd' | 'custom';
export const PRESETS: { id: Preset; label: string }[] = [
  { id: '7d', label: 'Last 7 days' },
  { id: '30d', label: 'Last 30 days' },
  { id: '90d', label: 'Last 90 days' },
  { id: 'mtd', label: 'Month to date' },
  { id: 'last-month', label: 'Last month' },
  { id: 'qtd', label: 'Quarter to date' },
  { id: 'last-quarter', label: 'Last quarter' },
  { id: 'ytd', label: 'Year to date' },
  { id: 'custom', label: 'Custom range' },
];

/** The complete days of a preset, ending yesterday in the zone (today is not over yet). */
export function presetRange(preset: Exclude<Preset, 'custom'>, timeZone: string): DayRange {
  const yesterday = yesterdayIn(timeZone);
  const today = todayIn(timeZone);
  switch (preset) {
    case 'qtd':
    case 'last-quarter':
    case 'ytd':
      return quarterPreset(preset, today);
    case '7d':
      return { from: addDays(yesterday, -6), to: yesterday };
    case '30d':
      return { from: addDays(yesterday, -29), to: yesterday };
    case '90d':
      return { from: addDays(yesterday, -89), to: yesterday };
    case 'mtd': {
      const first = `${today.slice(0, 8)}01`;
      return first === today
        ? { from: `${addDays(first, -1).slice(0, 8)}01`, to: yesterday }
        : { from: first, to: yesterday };
    }
    case 'last-month': {
      const lastOfPrevious = addDays(`${today.slice(0, 8)}01`, -1);
      return { from: `${lastOfPrevious.slice(0, 8)}01`, to: lastOfPrevious };
    }
  }
}
