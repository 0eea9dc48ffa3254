// Money as bigint cents: exact decimal arithmetic, never a JS float (ATTRIBUTION.md rule 8).
export type Cents = bigint;

const DECIMAL = /^([+-]?)(\d+)(?:\.(\d+))?$/;

/** The engine is pure and has no error vocabulary of its own: edges validate before calling it. */
const invalidAmount = (input: string, why: string) => new RangeError(`invalid amount "${input}": ${why}`);

/**
 * Parses a decimal string ("65000.5", "-12", "100000.00") into cents. More than two decimals
 * are rounded half away from zero, as Salesforce displays currency fields.
 */
export function parseCents(input: string): Cents {
  const m = DECIMAL.exec(input.trim());
  if (!m) throw invalidAmount(input, 'expected a decimal number such as 1234.56');
  const [, sign, whole, frac = ''] = m;
  let cents = BigInt(whole!) * 100n + BigInt((frac + '00').slice(0, 2));
  if (frac.length > 2 && frac.charCodeAt(2) >= 53 /* '5' */) cents += 1n;
  return sign === '-' ? -cents : cents;
}

/**
 * Cents from a JSON number. Only numbers whose shortest decimal form is exact are accepted
 * (at most 15 significant digits), so no binary rounding can slip in.
 */
export function centsFromNumber(n: number): Cents {
  if (!Number.isFinite(n)) throw invalidAmount(String(n), 'expected a finite number');
  const text = String(n);
  if (/e/i.test(text) || text.replace(/[-.]/g, '').replace(/^0+/, '').length > 15) {
    throw invalidAmount(text, 'too many significant digits for a JSON number; pass the amount as a string');
  }
  return parseCents(text);
}

/** "1234.50", "-0.05": two decimal places, no grouping. */
export function formatCents(c: Cents): string {
  const neg = c < 0n;
  const abs = neg ? -c : c;
  const frac = (abs % 100n).toString().padStart(2, '0');
  return `${neg ? '-' : ''}${abs / 100n}.${frac}`;
}
