import { formatCents, parseCents } from '../../src/attribution/money';
import { CurrencyConverter } from '../../src/history/currency';

const rates = [
  { isoCode: 'USD', rate: '1.000000', startDate: null, nextStartDate: null },
  { isoCode: 'EUR', rate: '0.920000', startDate: null, nextStartDate: null },
  { isoCode: 'GBP', rate: '0.790000', startDate: null, nextStartDate: null },
  // Advanced currency management: EUR moved on 1 April.
  { isoCode: 'EUR', rate: '0.900000', startDate: '2026-01-01', nextStartDate: '2026-04-01' },
  { isoCode: 'EUR', rate: '0.950000', startDate: '2026-04-01', nextStartDate: null },
];
const convert = (c: CurrencyConverter, amount: string, code: string | null, closeDate: string | null = null) =>
  formatCents(c.convert(parseCents(amount), code, closeDate));

describe('converting amounts to the reporting currency', () => {
  it('leaves amounts alone in a single-currency org', () => {
    expect(convert(new CurrencyConverter('USD', []), '100000.00', 'EUR')).toBe('100000.00');
  });

  it('leaves amounts already in the reporting currency, or without a currency, alone', () => {
    const c = new CurrencyConverter(
      'USD',
      rates.filter((r) => !r.startDate),
    );
    expect(convert(c, '123.45', 'USD')).toBe('123.45');
    expect(convert(c, '123.45', null)).toBe('123.45');
  });

  it('goes through the corporate currency with the CurrencyType rates', () => {
    const c = new CurrencyConverter(
      'USD',
      rates.filter((r) => !r.startDate),
    );
    expect(convert(c, '92000.00', 'EUR')).toBe('100000.00');
    expect(
      convert(
        new CurrencyConverter(
          'GBP',
          rates.filter((r) => !r.startDate),
        ),
        '92000.00',
        'EUR',
      ),
    ).toBe('79000.00');
  });

  it('uses the dated rate holding the opportunity\u2019s close date', () => {
    const c = new CurrencyConverter('USD', rates);
    expect(convert(c, '90000.00', 'EUR', '2026-03-31')).toBe('100000.00');
    expect(convert(c, '95000.00', 'EUR', '2026-04-01')).toBe('100000.00');
    expect(convert(c, '92000.00', 'EUR', null)).toBe('100000.00'); // no close date: the CurrencyType rate
  });

  it('rounds to cents half away from zero, negative amounts too', () => {
    const c = new CurrencyConverter('USD', [
      { isoCode: 'USD', rate: '1', startDate: null, nextStartDate: null },
      { isoCode: 'JPY', rate: '3', startDate: null, nextStartDate: null },
    ]);
    expect(convert(c, '0.05', 'JPY')).toBe('0.02'); // 0.0166… -> 0.02
    expect(convert(c, '0.07', 'JPY')).toBe('0.02'); // 0.0233… -> 0.02
    expect(convert(c, '0.0450', 'JPY')).toBe('0.02'); // 0.015 -> 0.02 (away from zero)
    expect(convert(c, '-0.0450', 'JPY')).toBe('-0.02');
  });

  it('reports a currency without a rate and keeps the amount as it is', () => {
    const c = new CurrencyConverter(
      'USD',
      rates.filter((r) => !r.startDate),
    );
    expect(convert(c, '10.00', 'CHF')).toBe('10.00');
    expect([...c.missing]).toEqual(['CHF']);
  });
});
