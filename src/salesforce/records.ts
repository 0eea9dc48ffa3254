// Salesforce field values as they arrive (REST JSON or Bulk CSV) turned into our types.
import { formatCents } from '../attribution/money';
import { centsOfDecimalText } from './exact-numbers';

export type FieldType = 'string' | 'boolean' | 'number' | 'datetime' | 'date';
export type SfRecord = Record<string, unknown>;

/** "2026-03-02T16:00:00.000+0000" (Salesforce) -> Date. */
export function sfDateTime(v: unknown): Date | null {
  if (v === null || v === undefined || v === '') return null;
  const s = String(v);
  // Salesforce sends UTC ("+0000" in REST, "Z" in Bulk CSV): those skip the regex, run per record.
  const iso = s.endsWith('Z')
    ? s
    : s.endsWith('+0000')
      ? `${s.slice(0, -5)}Z`
      : s.replace(/([+-]\d{2})(\d{2})$/, '$1:$2');
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) throw new Error(`not a Salesforce datetime: ${String(v)}`);
  return d;
}

export function sfDate(v: unknown): string | null {
  if (v === null || v === undefined || v === '') return null;
  const s = String(v);
  if (!/^\d{4}-\d{2}-\d{2}$/.test(s)) throw new Error(`not a Salesforce date: ${s}`);
  return s;
}

export function sfString(v: unknown): string | null {
  return v === null || v === undefined || v === '' ? null : String(v);
}

export function sfBoolean(v: unknown): boolean {
  return v === true || v === 'true';
}

/**
 * Currency amounts, from REST JSON (kept as text, see parseJsonExact) or Bulk CSV (Java doubles
 * such as "1.5E7"), to cents rounded half away from zero: the same exact rule on both paths.
 */
export function sfAmount(v: unknown): string | null {
  if (v === null || v === undefined || v === '') return null;
  if (typeof v === 'number' && !Number.isFinite(v)) throw new RangeError(`not a Salesforce amount: ${v}`);
  // A JS number (a caller that parsed JSON itself): its shortest decimal form is what was sent.
  return formatCents(centsOfDecimalText(String(v)));
}

/** A field read with its parser; a value that does not parse is reported with the field's name. */
export function field<T>(record: SfRecord, name: string, parse: (v: unknown) => T): T {
  try {
    return parse(record[name]);
  } catch (err) {
    throw new RangeError(`${name}: ${(err as Error).message}`, { cause: err });
  }
}

/** Bulk API 2.0 CSV cells are text; typed fields are read back into REST's JSON types. */
export function fromCsvCell(type: FieldType, cell: string): unknown {
  if (cell === '') return null;
  switch (type) {
    case 'boolean':
      return cell === 'true';
    case 'number':
      return cell; // kept as text: sfAmount parses it exactly
    default:
      return cell;
  }
}

/** The SOQL literal for an instant: seconds precision, UTC. */
export function soqlDateTime(d: Date): string {
  return `${new Date(Math.floor(d.getTime() / 1000) * 1000).toISOString().slice(0, 19)}Z`;
}
