// Calendar quarters for the range presets: quarter to date, last quarter, year to date, each of
// complete days in the workspace's zone (ending yesterday, as every preset does).
import { addDays, type Day, type DayRange } from './days';

const quarterStart = (day: Day): Day => {
  const month = Number(day.slice(5, 7));
  const first = Math.floor((month - 1) / 3) * 3 + 1;
  return `${day.slice(0, 4)}-${String(first).padStart(2, '0')}-01`;
};

/** On the first day of a quarter (or year) "to date" has no complete day: it means the one before. */
export function quarterPreset(preset: 'qtd' | 'last-quarter' | 'ytd', today: Day): DayRange {
  const yesterday = addDays(today, -1);
  switch (preset) {
    case 'qtd':
      return { from: quarterStart(yesterday), to: yesterday };
    case 'last-quarter': {
      const end = addDays(quarterStart(today), -1);
      return { from: quarterStart(end), to: end };
    }
    case 'ytd':
      return { from: `${yesterday.slice(0, 4)}-01-01`, to: yesterday };
  }
}
