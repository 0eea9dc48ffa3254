// Text as PostgreSQL can store it. A NUL character (U+0000) pasted into a Salesforce field comes
// through both REST JSON ("\u0000") and Bulk CSV, and PostgreSQL refuses it in text and jsonb
// (SQLSTATE 22021 / 22P05): one such record would stop its object on every run. It is stripped,
// for every object and field alike, and counted.
import type { SfRecord } from './records';

const NUL = '\u0000';

/** Whether any text value (nested ones too) holds a NUL: looked at without copying anything. */
function holdsNul(value: unknown): boolean {
  if (typeof value === 'string') return value.includes(NUL);
  if (Array.isArray(value)) return value.some(holdsNul);
  if (value !== null && typeof value === 'object') return Object.values(value).some(holdsNul);
  return false;
}

/** The record with NUL removed from every text value (nested ones too), and whether any was. */
export function stripNul(record: SfRecord): { record: SfRecord; stripped: boolean } {
  // Nearly every record holds none: it is then returned as it is, without a copy.
  if (!holdsNul(record)) return { record, stripped: false };
  let stripped = false;
  const clean = (value: unknown): unknown => {
    if (typeof value === 'string') {
      if (!value.includes(NUL)) return value;
      stripped = true;
      return value.replaceAll(NUL, '');
    }
    if (Array.isArray(value)) return value.map(clean);
    if (value !== null && typeof value === 'object') {
      return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, clean(v)]));
    }
    return value;
  };
  const out = clean(record) as SfRecord;
  return { record: stripped ? out : record, stripped };
}
