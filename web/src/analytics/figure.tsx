// A figure card: its label, its value as shown, and the API's raw value in data-value, so a test
// can tie every number on a page to the response it came from.
import type { ComponentChildren } from 'preact';
import { count, percent } from '../lib/format';

export function Figure({
  id,
  label,
  value,
  raw,
  note,
}: {
  id: string;
  label: string;
  value: ComponentChildren;
  raw: string | number | null;
  note?: ComponentChildren;
}) {
  return (
    <article class="figure" data-figure={id} data-value={raw === null ? '' : String(raw)}>
      <h3>{label}</h3>
      <p class="figure-value">{value}</p>
      {note && <p class="figure-note">{note}</p>}
    </article>
  );
}

/** A fraction 0–1 as a percentage ("62.5%"); an em dash for null (no denominator). */
export const rate = (r: number | null) => (r === null ? '—' : percent(Math.round(r * 1000) / 10));
export const maybe = (n: number | null, unit = '') => (n === null ? '—' : `${count(n)}${unit}`);
export const decimal = (n: number | null, unit = '') =>
  n === null ? '—' : `${n.toLocaleString(undefined, { maximumFractionDigits: 1 })}${unit}`;
