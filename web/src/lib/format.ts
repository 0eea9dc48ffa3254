// Display formatting, in the browser's locale and the workspace's currency. Money is formatted
// from its decimal string (Intl formats strings exactly), never via a float sum.
const formatters = new Map<string, Intl.NumberFormat>();

function numberFormat(key: string, options: Intl.NumberFormatOptions): Intl.NumberFormat {
  let f = formatters.get(key);
  if (!f) formatters.set(key, (f = new Intl.NumberFormat(undefined, options)));
  return f;
}

type Amount = string | number | bigint;
// Intl formats decimal strings exactly (ES2023 Intl.NumberFormat v3); TypeScript's lib lags behind.
const fmt = (f: Intl.NumberFormat, v: Amount) => f.format(v as number);

export function money(
  amount: Amount,
  currency: string,
  opts: { signed?: boolean; compact?: boolean; cents?: boolean } = {},
): string {
  const digits = opts.cents ? 2 : 0;
  const f = numberFormat(`money:${currency}:${opts.signed ? 's' : ''}:${opts.compact ? 'c' : ''}:${digits}`, {
    style: 'currency',
    currency,
    ...(opts.compact
      ? { notation: 'compact', maximumFractionDigits: 1 }
      : { minimumFractionDigits: digits, maximumFractionDigits: 2 }),
    ...(opts.signed ? { signDisplay: 'exceptZero' } : {}),
  });
  return fmt(f, amount);
}

export function count(n: number, opts: { signed?: boolean } = {}): string {
  return fmt(
    numberFormat(`count:${opts.signed ? 's' : ''}`, {
      maximumFractionDigits: 0,
      ...(opts.signed ? { signDisplay: 'exceptZero' } : {}),
    }),
    n,
  );
}

export function percent(p: number, opts: { signed?: boolean } = {}): string {
  return `${fmt(numberFormat(`pct:${opts.signed ? 's' : ''}`, { maximumFractionDigits: 1, ...(opts.signed ? { signDisplay: 'exceptZero' } : {}) }), p)}%`;
}

// Dates are written one way everywhere ("Mar 3, 2026", "Mar 3, 2026, 4:05 PM"), as the API's
// sentences write them: the app is in English, so its dates are too, whatever the browser's locale.
const DATE_LOCALE = 'en-US';
const dayFormats = new Map<string, Intl.DateTimeFormat>();
function dayFormat(options: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  const key = JSON.stringify(options);
  let f = dayFormats.get(key);
  if (!f) dayFormats.set(key, (f = new Intl.DateTimeFormat(DATE_LOCALE, { ...options, timeZone: 'UTC' })));
  return f;
}
const utcDate = (day: string) => new Date(`${day}T00:00:00Z`);

/** "Mar 3" (a workspace day is a calendar date: formatted as such, in no zone of the browser's). */
export const shortDay = (day: string) => dayFormat({ month: 'short', day: 'numeric' }).format(utcDate(day));
export const longDay = (day: string) =>
  dayFormat({ weekday: 'short', month: 'short', day: 'numeric', year: 'numeric' }).format(utcDate(day));
export const monthOf = (day: string) => dayFormat({ month: 'short', year: 'numeric' }).format(utcDate(day));
export const mediumDay = (day: string) =>
  dayFormat({ month: 'short', day: 'numeric', year: 'numeric' }).format(utcDate(day));

/** An instant in the workspace's zone (always given: never the browser's): "Mar 3, 2026, 4:05 PM". */
export function instant(iso: string | null, timeZone: string): string {
  if (!iso) return '—';
  return new Intl.DateTimeFormat(DATE_LOCALE, { dateStyle: 'medium', timeStyle: 'short', timeZone }).format(
    new Date(iso),
  );
}

/** "5 minutes ago", "in 2 hours". */
export function relative(iso: string | null, now = Date.now()): string {
  if (!iso) return 'never';
  const seconds = Math.round((Date.parse(iso) - now) / 1000);
  const rtf = new Intl.RelativeTimeFormat(DATE_LOCALE, { numeric: 'auto' });
  const abs = Math.abs(seconds);
  if (abs < 45) return 'just now';
  if (abs < 3600) return rtf.format(Math.round(seconds / 60), 'minute');
  if (abs < 86_400) return rtf.format(Math.round(seconds / 3600), 'hour');
  return rtf.format(Math.round(seconds / 86_400), 'day');
}

const REASONS: Record<string, string> = {
  influence_started: 'Influence started',
  amount_changed: 'Amount changed',
  won: 'Won',
  reopened: 'Reopened',
  lost: 'Lost',
  deleted: 'Deleted',
  restored: 'Restored',
  reversed: 'Reversed',
};
export const REASON_CODES = Object.keys(REASONS);
export const reasonLabel = (r: string) => REASONS[r] ?? r;
export const measureLabel = (m: string) => (m === 'closed_won' ? 'Closed-won' : 'Pipeline');
