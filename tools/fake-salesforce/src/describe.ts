// Describe results, generated from the object catalogue: enough for a client to discover the
// fields, their types, and whether the org has multi-currency (CurrencyIsoCode is present).
import type { FieldDef, ObjectDef } from './objects';
import type { Store } from './store';

const SOAP_TYPE: Record<FieldDef['type'], string> = {
  id: 'tns:ID',
  reference: 'tns:ID',
  string: 'xsd:string',
  email: 'xsd:string',
  picklist: 'xsd:string',
  boolean: 'xsd:boolean',
  currency: 'xsd:double',
  double: 'xsd:double',
  percent: 'xsd:double',
  int: 'xsd:int',
  date: 'xsd:date',
  datetime: 'xsd:dateTime',
};

export function describeGlobal(store: Store, version: string) {
  return {
    encoding: 'UTF-8',
    maxBatchSize: 200,
    sobjects: [...store.catalog.values()].map((def) => ({ ...objectSummary(def), urls: objectUrls(def, version) })),
  };
}

export function describeObject(store: Store, def: ObjectDef, version: string) {
  return {
    ...objectSummary(def),
    fields: def.fields.map((f) => describeField(store, def, f)),
    childRelationships: [],
    recordTypeInfos: [],
    urls: objectUrls(def, version),
  };
}

export function objectSummary(def: ObjectDef) {
  return {
    name: def.name,
    label: def.label,
    labelPlural: `${def.label}s`,
    keyPrefix: def.keyPrefix,
    custom: false,
    createable: def.createable,
    updateable: def.updateable,
    deletable: def.deletable,
    queryable: true,
    retrieveable: true,
    replicateable: true,
    searchable: false,
    undeletable: def.deletable,
  };
}

function describeField(store: Store, def: ObjectDef, f: FieldDef) {
  return {
    name: f.name,
    label: f.label,
    type: f.type,
    soapType: SOAP_TYPE[f.type],
    length: ['string', 'email', 'picklist'].includes(f.type) ? 255 : f.type === 'id' || f.type === 'reference' ? 18 : 0,
    nillable: f.nillable,
    createable: f.createable,
    updateable: f.updateable,
    defaultedOnCreate: !f.nillable && !f.required,
    filterable: true,
    sortable: true,
    groupable: f.type !== 'currency',
    custom: false,
    calculated: false,
    unique: false,
    idLookup: f.type === 'id',
    referenceTo: f.referenceTo ? [f.referenceTo] : [],
    relationshipName: f.type === 'reference' ? f.name.replace(/Id$/, '') : null,
    picklistValues: picklistValues(store, def, f),
  };
}

function picklistValues(store: Store, def: ObjectDef, f: FieldDef) {
  const entry = (value: string, active = true) => ({
    active,
    defaultValue: false,
    label: value,
    validFor: null,
    value,
  });
  if (def.name === 'Opportunity' && f.name === 'StageName') {
    return store.rows('OpportunityStage', false).map((s) => entry(String(s.ApiName), s.IsActive === true));
  }
  if (f.name === 'CurrencyIsoCode')
    return store.rows('CurrencyType', false).map((c) => entry(String(c.IsoCode), c.IsActive === true));
  return [];
}

function objectUrls(def: ObjectDef, version: string) {
  const base = `/services/data/${version}/sobjects/${def.name}`;
  return { sobject: base, describe: `${base}/describe`, rowTemplate: `${base}/{ID}` };
}
