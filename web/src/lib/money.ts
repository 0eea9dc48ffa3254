// Money arrives as decimal strings ("120000.00"). Arithmetic (the change against the day before,
// running totals) is done in bigint cents, exactly; numbers are made only to draw or to format.
export type Cents = bigint;

const DECIMAL = /^(-?)(\d+)(?:\.(\d{1,2}))?$/;

export function toCents(amount: string): Cents {
  const m = DECIMAL.exec(amount.trim());
  if (!m) throw new Error(`not a money amount: "${amount}"`);
  const cents = BigInt(m[2]!) * 100n + BigInt((m[3] ?? '').padEnd(2, '0'));
  return m[1] === '-' ? -cents : cents;
}

export function fromCents(c: Cents): string {
  const abs = c < 0n ? -c : c;
  return `${c < 0n ? '-' : ''}${abs / 100n}.${(abs % 100n).toString().padStart(2, '0')}`;
}

/** For charts only: a float is fine to draw with, never to add up. */
export const centsToNumber = (c: Cents) => Number(c) / 100;

/** Running totals of daily deltas, exactly. */
export function runningTotals(deltas: string[]): Cents[] {
  let total = 0n;
  return deltas.map((d) => (total += toCents(d)));
}

/** The change from `before` to `after` as a percentage of |before|, one decimal; null when before is 0. */
export function percentChange(before: Cents, after: Cents): number | null {
  if (before === 0n) return null;
  const abs = before < 0n ? -before : before;
  return Number(((after - before) * 1000n) / abs) / 10;
}
