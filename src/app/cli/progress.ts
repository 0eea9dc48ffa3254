// Progress of a sync or a check in the terminal, per object: rows so far of the estimate, the
// rate, and the time left, as the Salesforce page shows them. At most one line per object a
// second (and its last), so a log of a long backfill stays readable.
import type { ObjectProgress } from '../../salesforce/run-context';

const EVERY_MS = 1_000;

export function progressPrinter(
  print: (line: string) => void,
  now: () => number = Date.now,
): (p: ObjectProgress) => void {
  const seen = new Map<string, { phase: string; started: number; printed: number }>();
  return (p) => {
    const key = `${p.object}:${p.phase}`;
    let s = seen.get(key);
    if (!s) seen.set(key, (s = { phase: p.phase, started: now(), printed: 0 }));
    const done = p.total !== null && p.rows >= p.total;
    if (!done && now() - s.printed < EVERY_MS && s.printed !== 0) return;
    s.printed = now();
    print(progressLine(p, (now() - s.started) / 1000));
  };
}

/** "Contact  1,200 / 5,000 rows (24%)  240 rows/s  ~16 s left" */
export function progressLine(p: ObjectProgress, elapsedSeconds: number): string {
  const n = (v: number) => v.toLocaleString('en-US');
  const name = p.object.padEnd(24);
  if (p.phase === 'count') return `${name}counting… ${p.total === null ? '' : `${n(p.total)} rows`}`.trimEnd();
  if (p.phase === 'deleted') return `${name}checking deletions${p.rows > 0 ? ` (${n(p.rows)} ids)` : ''}`;
  const via = p.phase === 'bulk' ? ' via Bulk API' : '';
  const rate = elapsedSeconds > 0 ? p.rows / elapsedSeconds : 0;
  const of =
    p.total !== null
      ? ` / ${n(p.total)} rows (${Math.min(100, Math.round((p.rows / Math.max(1, p.total)) * 100))}%)`
      : ' rows';
  const left =
    p.total !== null && rate > 0 && p.rows < p.total
      ? `  ~${duration((p.total - p.rows) / rate)} left`
      : p.total !== null && p.rows >= p.total
        ? '  done'
        : '';
  return `${name}${n(p.rows)}${of}${via}  ${n(Math.round(rate))} rows/s${left}`;
}

function duration(seconds: number): string {
  if (seconds < 90) return `${Math.ceil(seconds)} s`;
  if (seconds < 90 * 60) return `${Math.ceil(seconds / 60)} min`;
  return `${(seconds / 3600).toFixed(1)} h`;
}
