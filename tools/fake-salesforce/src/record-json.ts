// A record as the REST API prints it: attributes (type and URL) first, then the asked fields.
import type { FieldDef, ObjectDef } from './objects';
import { toJson, type Row } from './values';

export function recordJson(def: ObjectDef, fields: FieldDef[], row: Row, version: string): Record<string, unknown> {
  const out: Record<string, unknown> = {
    attributes: { type: def.name, url: `/services/data/${version}/sobjects/${def.name}/${String(row.Id)}` },
  };
  for (const f of fields) out[f.name] = toJson(f, row[f.name] ?? null);
  return out;
}
