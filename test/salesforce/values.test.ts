// Salesforce values as they arrive: Java-double number text, JSON numbers kept exact, NUL in text.
import { centsOfDecimalText, parseJsonExact } from '../../src/salesforce/exact-numbers';
import { stripNul } from '../../src/salesforce/record-text';
import { sfAmount } from '../../src/salesforce/records';
import { recorded, recordedJsonText } from '../support/salesforce-recorded';

describe('numbers as Salesforce prints them', () => {
  // Bulk API 2.0 CSV prints doubles as Java's Double.toString: plain from 10^-3 to 10^7, with an
  // exponent outside (forcedotcom/dataloader#161, #1204; forcedotcom/cli#3367; fixture bulk2-results-page).
  it.each([
    ['150000.0', '150000.00'],
    ['1.25E7', '12500000.00'],
    ['1.0E7', '10000000.00'],
    ['9.9213206E7', '99213206.00'],
    ['1.6147805824397E13', '16147805824397.00'],
    ['1.23456789012E11', '123456789012.00'],
    ['1.0E-2', '0.01'],
    ['1.0E-3', '0.00'],
    ['5.0E-3', '0.01'],
    ['-2.675', '-2.68'],
    ['-1.5E7', '-15000000.00'],
    ['0.285', '0.29'],
    ['100000', '100000.00'],
    ['1.999999999999999E15', '1999999999999999.00'],
    ['1E+21', '1000000000000000000000.00'],
  ])('%s is %s exactly, with no float on the way', (text, amount) => {
    expect(sfAmount(text)).toBe(amount);
  });

  it('reads every amount of the recorded Bulk results page', () => {
    const csv = recorded('bulk2-results-page').body as string;
    const amounts = [...csv.matchAll(/"(\d[^"]*E-?\d+|\d+\.\d+)","(Closed Won|Prospecting)"/g)].map((m) =>
      sfAmount(m[1]),
    );
    expect(amounts).toEqual(['150000.00', '12500000.00', '0.01']);
  });

  it('refuses text that is not a number, naming it', () => {
    expect(() => centsOfDecimalText('1,5E7')).toThrow(/not a number: "1,5E7"/);
    expect(() => centsOfDecimalText('E7')).toThrow(RangeError);
    expect(() => centsOfDecimalText('1.0E999')).toThrow(/too large/);
  });
});

describe('REST JSON read exactly', () => {
  it('keeps the recorded numbers as their text (1.25E7, 150000.0) and everything else as JSON.parse does', () => {
    const page = parseJsonExact(recordedJsonText('rest-queryall-page-1')) as {
      totalSize: string;
      done: boolean;
      records: Record<string, unknown>[];
    };
    expect(page.totalSize).toBe('3');
    expect(page.done).toBe(false);
    expect(page.records.map((r) => r.Amount)).toEqual(['150000.0', '1.25E7']);
    expect(page.records[0]).toMatchObject({
      attributes: { type: 'Opportunity', url: '/services/data/v62.0/sobjects/Opportunity/0065g00000Opp001AAA' },
      CreatedDate: '2026-03-02T16:00:00.000+0000',
      AccountId: '0015g00000AcmeAAAA',
    });
    expect(page.records[1]!.AccountId).toBeNull();
  });

  it('leaves digits inside strings alone, escapes included', () => {
    expect(parseJsonExact('{"a":"1.5E7 \\"2\\" -3","b":[-1.0E-2,0],"c":{"d":12345678901234567890}}')).toEqual({
      a: '1.5E7 "2" -3',
      b: ['-1.0E-2', '0'],
      c: { d: '12345678901234567890' },
    });
  });

  it('finds the end of a string after escaped backslashes and quotes', () => {
    const text = '{"a":"ends in a backslash \\\\","b":1.5,"c":"\\\\\\"-2\\"","d":-3}';
    expect(parseJsonExact(text)).toEqual({ a: 'ends in a backslash \\', b: '1.5', c: '\\"-2"', d: '-3' });
  });

  it('gives 18 significant digits exactly, where a float would round', () => {
    const { Amount } = parseJsonExact('{"Amount": 9999999999999999.99}') as { Amount: string };
    expect(sfAmount(Amount)).toBe('9999999999999999.99');
    expect(String(JSON.parse('{"a":9999999999999999.99}').a)).not.toBe('9999999999999999.99');
  });
});

describe('NUL characters in text', () => {
  it('are stripped from every text value, nested ones too, and the record is flagged', () => {
    const { record, stripped } = stripNul({
      Id: '0035g00000Nul001AAA',
      Email: 'eve@globex.example\u0000',
      attributes: { type: 'Contact', url: '/x\u0000' },
      Amount: '1.0',
    });
    expect(stripped).toBe(true);
    expect(record).toEqual({
      Id: '0035g00000Nul001AAA',
      Email: 'eve@globex.example',
      attributes: { type: 'Contact', url: '/x' },
      Amount: '1.0',
    });
  });

  it('leave a clean record as it is', () => {
    const input = { Id: 'x', Email: 'a@b.example' };
    expect(stripNul(input)).toEqual({ record: input, stripped: false });
  });
});
