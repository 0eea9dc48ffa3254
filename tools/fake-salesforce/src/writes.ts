// Create, update and delete of one record, checked as Salesforce checks a REST write: unknown
// and read-only fields, value types, required fields, lookups and restricted picklists.
import { RestError, noSuchColumnOnWrite, notFound } from './errors';
import { normalizeId } from './ids';
import type { FieldDef, ObjectDef } from './objects';
import type { Store } from './store';
import { coerceInput, type Row } from './values';

type Mode = 'insert' | 'update';

/** A write that passed every check and can be applied; kept apart so a batch can be all-or-none. */
export type PreparedWrite =
  | { op: 'insert'; def: ObjectDef; values: Row }
  | { op: 'update'; def: ObjectDef; id: string; values: Row }
  | { op: 'delete'; def: ObjectDef; id: string };

export function prepareCreate(store: Store, typeName: string, body: unknown): PreparedWrite {
  const def = writableObject(store, typeName, 'insert');
  const values = checkedValues(store, def, body, 'insert');
  const missing = def.fields.filter((f) => f.required && (values[f.name] === undefined || values[f.name] === null));
  if (missing.length > 0) throw requiredMissing(missing);
  return { op: 'insert', def, values };
}

export function prepareUpdate(store: Store, typeName: string, rawId: string, body: unknown): PreparedWrite {
  const def = writableObject(store, typeName, 'update');
  const row = liveRecord(store, def, rawId);
  const values = checkedValues(store, def, body, 'update');
  const cleared = def.fields.filter((f) => f.required && values[f.name] === null);
  if (cleared.length > 0) throw requiredMissing(cleared);
  return { op: 'update', def, id: row.Id as string, values };
}

export function prepareDelete(store: Store, typeName: string, rawId: string): PreparedWrite {
  const def = writableObject(store, typeName, 'delete');
  return { op: 'delete', def, id: liveRecord(store, def, rawId).Id as string };
}

/** Applies a prepared write at this instant; the record's id. */
export function applyWrite(store: Store, w: PreparedWrite, at: number): string {
  switch (w.op) {
    case 'insert':
      return store.insert(w.def.name, w.values, at).Id as string;
    case 'update':
      return store.update(w.def.name, w.id, w.values, at).Id as string;
    case 'delete':
      // A contact role deleted directly skips the recycle bin: queryAll never returns it, only
      // getDeleted does (CopyStorm, "Deleted Record Management"). Roles deleted with their
      // opportunity or contact go to the bin with it (softDelete's cascade).
      if (w.def.name === 'OpportunityContactRole') store.hardDelete(w.def.name, w.id, at);
      else store.softDelete(w.def.name, w.id, at);
      return w.id;
  }
}

/** The object named in a URL, or 404 as Salesforce answers for an unknown sObject. */
export function objectNamed(store: Store, typeName: string): ObjectDef {
  const def = store.object(typeName);
  if (!def) throw notFound();
  return def;
}

/** The record an URL names, live (not in the recycle bin); the errors Salesforce sends otherwise. */
export function liveRecord(store: Store, def: ObjectDef, rawId: string): Row {
  const id = normalizeId(rawId);
  if (!id)
    throw new RestError(404, 'NOT_FOUND', `Provided external ID field does not exist or is not accessible: ${rawId}`);
  const row = id.startsWith(def.keyPrefix) ? store.get(def.name, id) : undefined;
  if (!row) throw notFound();
  if (row.IsDeleted === true) throw new RestError(404, 'ENTITY_IS_DELETED', 'entity is deleted', []);
  return row;
}

function writableObject(store: Store, typeName: string, op: 'insert' | 'update' | 'delete'): ObjectDef {
  const def = objectNamed(store, typeName);
  const allowed = op === 'insert' ? def.createable : op === 'update' ? def.updateable : def.deletable;
  if (!allowed) {
    const verb = op === 'insert' ? 'inserted' : op === 'update' ? 'updated' : 'deleted';
    throw new RestError(400, 'INVALID_TYPE_FOR_OPERATION', `entity type cannot be ${verb}: ${def.label}`);
  }
  return def;
}

function checkedValues(store: Store, def: ObjectDef, body: unknown, mode: Mode): Row {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new RestError(400, 'JSON_PARSER_ERROR', 'Cannot deserialize instance of SObject from request body');
  }
  const entries = Object.entries(body).filter(([k]) => k !== 'attributes' && !(mode === 'update' && k === 'Id'));
  const fields: Array<[FieldDef, unknown]> = entries.map(([k, v]) => {
    const field = def.byName.get(k.toLowerCase());
    if (!field) throw noSuchColumnOnWrite(k, def.name);
    return [field, v];
  });
  const readOnly = fields.filter(([f]) => !(mode === 'insert' ? f.createable : f.updateable)).map(([f]) => f.name);
  if (readOnly.length > 0) {
    throw new RestError(
      400,
      'INVALID_FIELD_FOR_INSERT_UPDATE',
      `Unable to create/update fields: ${readOnly.join(', ')}. Please check the security settings of this field and verify that it is read/write for your profile or permission set.`,
      readOnly,
    );
  }
  const values: Row = {};
  for (const [field, raw] of fields) {
    const value = coerceInput(field, raw);
    if (value !== null && field.type === 'reference') checkReference(store, field, value as string);
    if (value !== null && field.type === 'picklist')
      values[field.name] = restrictedPicklist(store, def, field, String(value));
    else values[field.name] = value;
  }
  return values;
}

function checkReference(store: Store, field: FieldDef, id: string): void {
  const target = store.object(field.referenceTo!)!;
  if (!id.startsWith(target.keyPrefix)) {
    throw new RestError(400, 'FIELD_INTEGRITY_EXCEPTION', `${field.label}: id value of incorrect type: ${id}`, [
      field.name,
    ]);
  }
  const row = store.get(target.name, id);
  if (!row) throw new RestError(400, 'INVALID_CROSS_REFERENCE_KEY', 'invalid cross reference id', [field.name]);
  if (row.IsDeleted === true) throw new RestError(400, 'ENTITY_IS_DELETED', 'entity is deleted', [field.name]);
}

/**
 * StageName, Lead Status (values of the LeadStatus picklist) and CurrencyIsoCode are restricted
 * picklists; other picklists here accept any value.
 */
function restrictedPicklist(store: Store, def: ObjectDef, field: FieldDef, value: string): string {
  if (def.name === 'Opportunity' && field.name === 'StageName') {
    const stage = store.stage(value);
    if (stage && stage.IsActive === true) return stage.ApiName as string;
  } else if (def.name === 'Lead' && field.name === 'Status') {
    const wanted = value.toLowerCase();
    const status = store
      .rows('LeadStatus', false)
      .find((s) => String(s.ApiName).toLowerCase() === wanted || String(s.MasterLabel).toLowerCase() === wanted);
    if (status) return status.ApiName as string;
  } else if (field.name === 'CurrencyIsoCode') {
    const currency = store.rows('CurrencyType', false).find((c) => c.IsoCode === value && c.IsActive === true);
    if (currency) return value;
  } else {
    return value;
  }
  throw new RestError(
    400,
    'INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST',
    `${field.label === 'Stage Name' ? 'Stage' : field.label}: bad value for restricted picklist field: ${value}`,
    [field.name],
  );
}

function requiredMissing(fields: FieldDef[]): RestError {
  const names = fields.map((f) => f.name);
  return new RestError(400, 'REQUIRED_FIELD_MISSING', `Required fields are missing: [${names.join(', ')}]`, names);
}
