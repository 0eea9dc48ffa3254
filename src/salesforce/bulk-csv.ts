// Bulk API 2.0 results CSV straight into records. Salesforce prints RFC 4180 CSV with a header
// row, every value quoted, null as an empty cell, LF line endings by default (the job's
// columnDelimiter and lineEnding; we create jobs with the defaults, COMMA and LF):
// https://developer.salesforce.com/docs/atlas.en-us.api_asynch.meta/api_asynch/query_get_job_results.htm
// A quoted cell may hold commas, doubled quotes and line breaks. Written by hand because the
// generic parser (csv-parse) building an object per row, then our record from it, was the largest
// single cost of reading a Bulk page in the first sync's CPU profile (docs/performance.md).
import { fromCsvCell, type FieldType, type SfRecord } from './records';

const QUOTE = 34;
const COMMA = 44;
const LF = 10;
const CR = 13;

/**
 * The records of one results page, each with exactly `fields` (a column the header lacks is null).
 * Throws on what is not CSV: an unclosed quote, text after a closing quote, a row whose cell count
 * differs from the header's.
 */
export function parseBulkCsv(body: string, fields: Record<string, FieldType>): SfRecord[] {
  const n = body.length;
  let i = body.charCodeAt(0) === 0xfeff ? 1 : 0;
  const records: SfRecord[] = [];
  let columns: { field: string; type: FieldType; at: number }[] | null = null;
  let width = 0;
  let line = 0;
  const cells: string[] = [];
  while (i < n) {
    line += 1;
    const first = body.charCodeAt(i);
    if (first === LF || first === CR) {
      // An empty line is skipped.
      i += first === CR && body.charCodeAt(i + 1) === LF ? 2 : 1;
      continue;
    }
    cells.length = 0;
    for (;;) {
      if (body.charCodeAt(i) === QUOTE) {
        let from = i + 1;
        let cell = '';
        for (;;) {
          const q = body.indexOf('"', from);
          if (q < 0) throw new Error(`an unclosed quote on line ${line}`);
          if (body.charCodeAt(q + 1) === QUOTE) {
            cell += body.slice(from, q + 1);
            from = q + 2;
            continue;
          }
          cell += body.slice(from, q);
          i = q + 1;
          break;
        }
        const after = body.charCodeAt(i);
        if (i < n && after !== COMMA && after !== LF && after !== CR)
          throw new Error(`text after a closing quote on line ${line}`);
        cells.push(cell);
      } else {
        let j = i;
        for (; j < n; j++) {
          const c = body.charCodeAt(j);
          if (c === COMMA || c === LF || c === CR) break;
          if (c === QUOTE) throw new Error(`a quote inside an unquoted cell on line ${line}`);
        }
        cells.push(body.slice(i, j));
        i = j;
      }
      if (body.charCodeAt(i) === COMMA) {
        i += 1;
        continue;
      }
      if (body.charCodeAt(i) === CR) i += 1;
      if (body.charCodeAt(i) === LF) i += 1;
      break;
    }
    if (columns === null) {
      const header = [...cells];
      width = header.length;
      columns = Object.entries(fields).map(([field, type]) => ({ field, type, at: header.indexOf(field) }));
      continue;
    }
    if (cells.length !== width) throw new Error(`line ${line} has ${cells.length} cells where the header has ${width}`);
    const record: SfRecord = {};
    for (const c of columns) record[c.field] = c.at < 0 ? null : fromCsvCell(c.type, cells[c.at]!);
    records.push(record);
  }
  return records;
}
