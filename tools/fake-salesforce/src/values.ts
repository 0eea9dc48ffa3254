// Field values in memory, as JSON bodies write them, and as the REST API (JSON) and Bulk API
// (CSV) print them. Datetimes are kept as epoch milliseconds, dates as "YYYY-MM-DD".
import { RestError } from './errors';
import { normalizeId } from './ids';
import type { FieldDef } from './objects';

export type Value = string | number | boolean | null;
export type Row = Record<string, Value>;

const DATE = /^\d{4}-\d{2}-\d{2}$/;
const INSTANT = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(\.\d{1,9})?(Z|[+-]\d{2}:?\d{2})$/;
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** An ISO-8601 instant as Salesforce accepts it: Z, +hh:mm or +hhmm; null when malformed. */
export function parseInstant(text: string): number | null {
  const m = INSTANT.exec(text);
  if (!m) return null;
  const zone = m[8]!;
  const iso =
    `${m[1]}-${m[2]}-${m[3]}T${m[4]}:${m[5]}:${m[6]}${(m[7] ?? '').slice(0, 4)}` +
    (zone === 'Z' ? 'Z' : `${zone.slice(0, 3)}:${zone.slice(-2)}`);
  const ms = Date.parse(iso);
  return Number.isNaN(ms) ? null : ms;
}

export function isDate(text: string): boolean {
  return DATE.test(text) && !Number.isNaN(Date.parse(`${text}T00:00:00Z`));
}

/** "2026-03-02T16:00:00.000+0000": how the REST API prints a datetime. */
export function formatDateTime(ms: number): string {
  return new Date(ms).toISOString().replace('Z', '+0000');
}

/** The UTC day of an instant, "YYYY-MM-DD". */
export function dayOf(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

export function toJson(field: FieldDef, value: Value): Value {
  if (value === null) return null;
  return field.type === 'datetime' ? formatDateTime(value as number) : value;
}

/**
 * Bulk API CSV prints datetimes with a Z, booleans as true/false, null as an empty value, and
 * currency, double and percent fields as Java doubles: "150000.0", "1.25E7", "1.0E-2"
 * (forcedotcom/dataloader#161 and #1204, forcedotcom/cli#3367).
 */
export function toCsv(field: FieldDef, value: Value): string {
  if (value === null) return '';
  if (field.type === 'datetime') return new Date(value as number).toISOString();
  if (field.type === 'currency' || field.type === 'double' || field.type === 'percent')
    return javaDouble(Number(value));
  return String(value);
}

/** Java's Double.toString: plain with a fractional digit from 10^-3 up to 10^7, d.dddE±n outside. */
export function javaDouble(n: number): string {
  const abs = Math.abs(n);
  if (abs === 0 || (abs >= 1e-3 && abs < 1e7)) {
    const plain = String(n);
    return plain.includes('.') ? plain : `${plain}.0`;
  }
  const [mantissa, exponent] = n.toExponential().split('e') as [string, string];
  return `${mantissa.includes('.') ? mantissa : `${mantissa}.0`}E${Number(exponent)}`;
}

/** A JSON body's value for this field, checked and converted; throws the error Salesforce sends. */
export function coerceInput(field: FieldDef, raw: unknown): Value {
  if (raw === null || raw === undefined) return field.type === 'boolean' ? false : null;
  switch (field.type) {
    case 'boolean':
      if (typeof raw === 'boolean') return raw;
      if (raw === 'true' || raw === 'false') return raw === 'true';
      throw cannotDeserialize('boolean', raw);
    case 'currency':
    case 'double':
    case 'percent':
    case 'int': {
      const n = typeof raw === 'number' ? raw : typeof raw === 'string' && raw.trim() !== '' ? Number(raw) : NaN;
      if (!Number.isFinite(n)) throw cannotDeserialize(field.type === 'int' ? 'int' : 'double', raw);
      return field.type === 'int' ? Math.trunc(n) : n;
    }
    case 'date':
      if (typeof raw === 'string' && isDate(raw)) return raw;
      throw cannotDeserialize('date', raw);
    case 'datetime': {
      const ms = typeof raw === 'string' ? parseInstant(raw) : null;
      if (ms === null) throw cannotDeserialize('datetime', raw);
      return ms;
    }
    case 'id':
    case 'reference': {
      if (typeof raw !== 'string') throw cannotDeserialize('id', raw);
      if (raw === '') return null;
      const id = normalizeId(raw);
      if (!id)
        throw new RestError(400, 'MALFORMED_ID', `${field.label}: id value of incorrect type: ${raw}`, [field.name]);
      return id;
    }
    default: {
      if (typeof raw === 'object') throw cannotDeserialize('string', raw);
      const text = String(raw);
      if (text === '') return null; // Salesforce stores an empty text as null
      if (field.type === 'email' && !EMAIL.test(text)) {
        throw new RestError(400, 'INVALID_EMAIL_ADDRESS', `${field.label}: invalid email address: ${text}`, [
          field.name,
        ]);
      }
      return text;
    }
  }
}

function cannotDeserialize(type: string, raw: unknown): RestError {
  const shown = typeof raw === 'string' ? raw : JSON.stringify(raw);
  return new RestError(
    400,
    'JSON_PARSER_ERROR',
    `Cannot deserialize instance of ${type} from VALUE_STRING value ${shown} or request may be missing a required field`,
  );
}
