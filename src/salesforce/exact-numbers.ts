// Salesforce numbers as the text they arrive in, turned into cents with decimal string arithmetic.
// Bulk API 2.0 CSV prints currency and double fields as Java doubles ("150000.0", "1.5E7",
// "1.0E-2"; Double.toString switches to exponent notation from 10^7 and below 10^-3), and REST
// JSON numbers are parsed here without going through a binary float (parseJsonExact).

/** A decimal number, Java double notation included: "1.5E7", "-2.675", "1.0E-2", ".5". */
const DECIMAL_TEXT = /^([+-]?)(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d{1,4}))?$/;
/** Beyond this many digits left of the point it is not an amount: Double.MAX_VALUE has 309. */
const MAX_WHOLE_DIGITS = 400;

/**
 * Cents of a decimal text, rounded half away from zero (as Salesforce rounds currency), with
 * string arithmetic only. Throws a RangeError naming the text when it is not a number.
 */
export function centsOfDecimalText(input: string): bigint {
  const m = DECIMAL_TEXT.exec(input.trim());
  if (!m || (m[2] === '' && (m[3] ?? '') === '')) {
    throw new RangeError(`not a number: "${input}" (expected a decimal such as 150000.0 or 1.5E7)`);
  }
  const [, sign, whole = '', frac = '', exp = '0'] = m;
  const digits = whole + frac;
  // Where the decimal point sits in `digits` once the exponent is applied, then two places on.
  const centsPoint = whole.length + Number(exp) + 2;
  if (centsPoint > MAX_WHOLE_DIGITS) throw new RangeError(`not an amount: "${input}" is too large`);
  const kept = centsPoint <= 0 ? '' : digits.slice(0, centsPoint).padEnd(centsPoint, '0');
  const next = centsPoint < 0 ? '0' : (digits[centsPoint] ?? '0');
  let cents = BigInt(kept === '' ? '0' : kept);
  if (next >= '5') cents += 1n;
  return sign === '-' ? -cents : cents;
}

/**
 * JSON.parse, with every number kept as its source text (a string), so amounts never pass
 * through a binary float. Strings, keys and structure are JSON.parse's own.
 */
export function parseJsonExact(text: string): unknown {
  // Character codes, and indexOf to jump over strings: this runs over every REST page of a sync.
  let out = '';
  let start = 0;
  let i = 0;
  const n = text.length;
  while (i < n) {
    const c = text.charCodeAt(i);
    if (c === QUOTE) {
      // Skip the string: its end is the next quote not escaped by an odd run of backslashes.
      let q = text.indexOf('"', i + 1);
      for (;;) {
        if (q < 0) return JSON.parse(text); // unterminated: JSON.parse says where
        let b = q - 1;
        while (text.charCodeAt(b) === BACKSLASH) b -= 1;
        if ((q - 1 - b) % 2 === 0) break;
        q = text.indexOf('"', q + 1);
      }
      i = q + 1;
    } else if (c === MINUS || (c >= ZERO && c <= NINE)) {
      let j = i + 1;
      while (j < n && isNumberChar(text.charCodeAt(j))) j += 1;
      out += `${text.slice(start, i)}"${text.slice(i, j)}"`;
      start = j;
      i = j;
    } else {
      i += 1;
    }
  }
  return JSON.parse(out + text.slice(start));
}

const QUOTE = 34;
const BACKSLASH = 92;
const MINUS = 45;
const PLUS = 43;
const DOT = 46;
const ZERO = 48;
const NINE = 57;
/** [0-9eE.+-] */
const isNumberChar = (c: number) =>
  (c >= ZERO && c <= NINE) || c === 101 || c === 69 || c === DOT || c === PLUS || c === MINUS;
