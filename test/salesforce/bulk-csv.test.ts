// The hand-written Bulk CSV reader against csv-parse (the parser it replaced) on what Salesforce
// prints: https://developer.salesforce.com/docs/atlas.en-us.api_asynch.meta/api_asynch/query_get_job_results.htm
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import { parseBulkCsv } from '../../src/salesforce/bulk-csv';
import { fromCsvCell, type FieldType, type SfRecord } from '../../src/salesforce/records';

const fields: Record<string, FieldType> = {
  Id: 'string',
  Name: 'string',
  Amount: 'number',
  IsWon: 'boolean',
  CloseDate: 'date',
  Missing: 'string',
};

/** What sync-bulk.ts did before: csv-parse with a header row, then each field from its cell. */
function throughCsvParse(body: string): SfRecord[] {
  if (body.trim() === '') return [];
  const rows = parse(body, { columns: true, skip_empty_lines: true, bom: true }) as Record<string, string>[];
  return rows.map((row) => {
    const record: SfRecord = {};
    for (const [field, type] of Object.entries(fields)) record[field] = fromCsvCell(type, row[field] ?? '');
    return record;
  });
}

const fixture = (
  JSON.parse(readFileSync(path.join(__dirname, '../fixtures/salesforce/bulk2-results-page.json'), 'utf8')) as {
    body: string;
  }
).body;

describe('parseBulkCsv', () => {
  it.each([
    ['the recorded page (a comma, a doubled quote and a line break in one cell)', fixture],
    ['every value quoted, null empty', '"Id","Name","Amount","IsWon"\n"1","A","1.5E7","true"\n"2","","","false"\n'],
    ['CRLF line endings', '"Id","Name"\r\n"1","a,b"\r\n"2","c\r\nd"\r\n'],
    ['a byte order mark and no final line break', '\ufeff"Id","Name"\n"1","x"'],
    ['unquoted cells and empty lines', 'Id,Name,IsWon\n\n1,plain,true\n2,,false\n\n'],
    ['a header only', '"Id","Name"\n'],
    ['nothing', ''],
    ['a doubled quote at the edges of a cell', '"Id","Name"\n"1","""quoted"""\n"2",""""\n'],
  ])('reads %s as csv-parse did', (_what, body) => {
    expect(parseBulkCsv(body, fields)).toEqual(throughCsvParse(body));
  });

  it('refuses what is not CSV, as csv-parse did', () => {
    for (const body of ['"Id","Name"\n"1","open\n', '"Id","Name"\n"1"x,"y"\n', '"Id","Name"\n"1"\n']) {
      expect(() => throughCsvParse(body)).toThrow();
      expect(() => parseBulkCsv(body, fields)).toThrow();
    }
  });
});
