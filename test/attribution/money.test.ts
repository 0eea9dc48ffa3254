// Money as bigint cents (rule 8): exact parsing, rounding half away from zero at the third
// decimal, JSON numbers accepted only when their decimal form is exact, two-place formatting.
import fc from 'fast-check';
import { centsFromNumber, formatCents, parseCents } from '../../src/attribution/money';

describe('parseCents', () => {
  it('reads whole and decimal amounts, signed or not, exactly', () => {
    expect(['100000.00', '65000.5', '-12', '+3', ' 7.1 ', '007.50', '0', '-0', '0.01'].map(parseCents)).toEqual([
      10_000_000n,
      6_500_050n,
      -1_200n,
      300n,
      710n,
      750n,
      0n,
      0n,
      1n,
    ]);
  });

  it('keeps amounts far beyond 2^53 exact', () => {
    expect(parseCents('123456789012345678901234.56')).toBe(12_345_678_901_234_567_890_123_456n);
    expect(parseCents('90071992547409.93')).toBe(9_007_199_254_740_993n);
  });

  it('rounds half away from zero at the third decimal, looking at that digit only', () => {
    expect(
      ['2.345', '-2.345', '2.3449', '-2.3449', '0.005', '-0.005', '0.0049999', '0.995', '-0.995', '9.999', '1.005'].map(
        parseCents,
      ),
    ).toEqual([235n, -235n, 234n, -234n, 1n, -1n, 0n, 100n, -100n, 1000n, 101n]);
  });

  it('rounds any amount in thousandths half away from zero', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: -(10n ** 20n), max: 10n ** 20n }), (thousandths) => {
        const abs = thousandths < 0n ? -thousandths : thousandths;
        const text = `${thousandths < 0n ? '-' : ''}${abs / 1000n}.${(abs % 1000n).toString().padStart(3, '0')}`;
        const rounded = (abs + 5n) / 10n;
        expect(parseCents(text)).toBe(thousandths < 0n ? -rounded : rounded);
      }),
      { numRuns: 500 },
    );
  });

  it('refuses anything but a plain decimal number, naming the input', () => {
    for (const input of ['', '   ', 'abc', '1,000.00', '1e3', '.5', '5.', '--1', '1.2.3', 'NaN', '$5', '1 000']) {
      expect(() => parseCents(input)).toThrow(RangeError);
    }
    expect(() => parseCents('1,000.00')).toThrow(
      'invalid amount "1,000.00": expected a decimal number such as 1234.56',
    );
  });

  it('adds "0.1" and "0.2" to exactly "0.30"', () => {
    expect(parseCents('0.1') + parseCents('0.2')).toBe(parseCents('0.3'));
    expect(formatCents(parseCents('0.1') + parseCents('0.2'))).toBe('0.30');
  });
});

describe('formatCents', () => {
  it('writes two decimal places, a minus sign for negatives and no grouping', () => {
    expect(
      [0n, 5n, -5n, 10n, 100n, -100n, 123_456n, -6_500_050n, 12_345_678_901_234_567_890_123_456n].map(formatCents),
    ).toEqual([
      '0.00',
      '0.05',
      '-0.05',
      '0.10',
      '1.00',
      '-1.00',
      '1234.56',
      '-65000.50',
      '123456789012345678901234.56',
    ]);
  });

  it('is read back by parseCents to the same cents, for any amount', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: -(10n ** 30n), max: 10n ** 30n }), (cents) => {
        const text = formatCents(cents);
        expect(text).toMatch(/^-?\d+\.\d{2}$/);
        expect(parseCents(text)).toBe(cents);
      }),
      { numRuns: 500 },
    );
  });
});

describe('centsFromNumber', () => {
  it('reads JSON numbers by their decimal form, not their binary value', () => {
    // 1.005 and 2.675 are stored just below the half, so Math.round(x * 100) gives 100 and 267.
    expect([100000, 65000.5, 0.1, -12, 1.005, 2.675, 0.125, -0.125, -0, 0.000001].map(centsFromNumber)).toEqual([
      10_000_000n,
      6_500_050n,
      10n,
      -1_200n,
      101n,
      268n,
      13n,
      -13n,
      0n,
      0n,
    ]);
  });

  it('accepts 15 significant digits', () => {
    expect(centsFromNumber(123456789012345)).toBe(12_345_678_901_234_500n);
    expect(centsFromNumber(1234567890123.45)).toBe(123_456_789_012_345n);
  });

  it('refuses more than 15 significant digits, exponents and non-finite numbers, asking for a string', () => {
    for (const n of [1234567890123456, 2 ** 53 + 1, 0.1 + 0.2, 1e21, 1e-7, Number.NaN, Infinity, -Infinity]) {
      expect(() => centsFromNumber(n)).toThrow(RangeError);
    }
    expect(() => centsFromNumber(0.1 + 0.2)).toThrow(
      'invalid amount "0.30000000000000004": too many significant digits for a JSON number; pass the amount as a string',
    );
  });

  it('reads back any cents amount of up to 15 digits written as a JSON number', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: -(10n ** 15n) + 1n, max: 10n ** 15n - 1n }), (cents) => {
        expect(centsFromNumber(Number(cents) / 100)).toBe(cents);
      }),
      { numRuns: 500 },
    );
  });
});
