// The sObjects this test double knows, field by field: the one definition that queries, writes,
// describe and CSV all read. Names and properties follow Salesforce's object reference.
export type FieldType =
  | 'id'
  | 'reference'
  | 'string'
  | 'email'
  | 'picklist'
  | 'boolean'
  | 'currency'
  | 'double'
  | 'percent'
  | 'int'
  | 'date'
  | 'datetime';

export type FieldDef = {
  name: string;
  label: string;
  type: FieldType;
  referenceTo?: string;
  createable: boolean;
  updateable: boolean;
  nillable: boolean;
  /** Required on create (not nillable and no default), as REQUIRED_FIELD_MISSING reports. */
  required: boolean;
};

export type ObjectDef = {
  name: string;
  label: string;
  keyPrefix: string;
  createable: boolean;
  updateable: boolean;
  deletable: boolean;
  fields: FieldDef[];
  /** Lower-case field name -> field, for SOQL and JSON bodies, which ignore case. */
  byName: Map<string, FieldDef>;
};

type FieldSpec = Partial<Omit<FieldDef, 'name' | 'type'>> & { type: FieldType };

const readOnly = (type: FieldType, extra: Partial<FieldSpec> = {}): FieldSpec => ({
  type,
  createable: false,
  updateable: false,
  ...extra,
});
const writable = (type: FieldType, extra: Partial<FieldSpec> = {}): FieldSpec => ({
  type,
  createable: true,
  updateable: true,
  ...extra,
});
const required = (type: FieldType, extra: Partial<FieldSpec> = {}): FieldSpec =>
  writable(type, { nillable: false, required: true, ...extra });
const ref = (to: string, extra: Partial<FieldSpec> = {}): FieldSpec =>
  writable('reference', { referenceTo: to, ...extra });

/** Id, IsDeleted and the audit fields every object here carries. */
const SYSTEM: Record<string, FieldSpec> = {
  Id: readOnly('id', { nillable: false }),
  IsDeleted: readOnly('boolean', { nillable: false }),
  CreatedDate: readOnly('datetime', { nillable: false }),
  CreatedById: readOnly('reference', { referenceTo: 'User', nillable: false }),
  LastModifiedDate: readOnly('datetime', { nillable: false }),
  LastModifiedById: readOnly('reference', { referenceTo: 'User', nillable: false }),
  SystemModstamp: readOnly('datetime', { nillable: false }),
};

type ObjectSpec = {
  label: string;
  keyPrefix: string;
  createable?: boolean;
  updateable?: boolean;
  deletable?: boolean;
  /** Objects whose records are never deleted have no IsDeleted field (User, LeadStatus). */
  noIsDeleted?: boolean;
  fields: Record<string, FieldSpec>;
};

const SPECS: Record<string, ObjectSpec> = {
  Account: {
    label: 'Account',
    keyPrefix: '001',
    fields: { Name: required('string'), OwnerId: ref('User') },
  },
  Contact: {
    label: 'Contact',
    keyPrefix: '003',
    fields: {
      FirstName: writable('string'),
      LastName: required('string'),
      Name: readOnly('string'),
      Email: writable('email'),
      AccountId: ref('Account'),
      OwnerId: ref('User'),
    },
  },
  Lead: {
    label: 'Lead',
    keyPrefix: '00Q',
    fields: {
      FirstName: writable('string'),
      LastName: required('string'),
      Name: readOnly('string'),
      Email: writable('email'),
      Company: required('string'),
      Status: writable('picklist', { nillable: false }), // defaulted on create
      // Conversion happens through convertLead, never a plain write.
      IsConverted: readOnly('boolean', { nillable: false }),
      ConvertedContactId: readOnly('reference', { referenceTo: 'Contact' }),
      ConvertedOpportunityId: readOnly('reference', { referenceTo: 'Opportunity' }),
      ConvertedAccountId: readOnly('reference', { referenceTo: 'Account' }),
      ConvertedDate: readOnly('date'),
      OwnerId: ref('User'),
    },
  },
  Opportunity: {
    label: 'Opportunity',
    keyPrefix: '006',
    fields: {
      Name: required('string'),
      AccountId: ref('Account'),
      Amount: writable('currency'),
      StageName: required('picklist'),
      // Derived from the stage (OpportunityStage), never written by the API.
      IsClosed: readOnly('boolean', { nillable: false }),
      IsWon: readOnly('boolean', { nillable: false }),
      CloseDate: required('date'),
      Probability: writable('percent'),
      ExpectedRevenue: readOnly('currency'),
      OwnerId: ref('User'),
    },
  },
  OpportunityContactRole: {
    label: 'Opportunity Contact Role',
    keyPrefix: '00K',
    fields: {
      OpportunityId: required('reference', { referenceTo: 'Opportunity', updateable: false }),
      ContactId: required('reference', { referenceTo: 'Contact' }),
      Role: writable('picklist'),
      IsPrimary: writable('boolean', { nillable: false }),
    },
  },
  OpportunityHistory: {
    label: 'Opportunity History',
    keyPrefix: '008',
    createable: false,
    updateable: false,
    deletable: false,
    fields: {
      OpportunityId: readOnly('reference', { referenceTo: 'Opportunity', nillable: false }),
      Amount: readOnly('currency'),
      StageName: readOnly('picklist'),
      CloseDate: readOnly('date'),
      Probability: readOnly('percent'),
      ExpectedRevenue: readOnly('currency'),
    },
  },
  OpportunityStage: {
    label: 'Opportunity Stage',
    keyPrefix: '01J',
    createable: false,
    updateable: false,
    deletable: false,
    fields: {
      MasterLabel: readOnly('string'),
      ApiName: readOnly('string'),
      IsActive: readOnly('boolean'),
      IsClosed: readOnly('boolean'),
      IsWon: readOnly('boolean'),
      DefaultProbability: readOnly('percent'),
      SortOrder: readOnly('int'),
    },
  },
  // Object reference, "LeadStatus": ApiName, IsConverted, IsDefault, MasterLabel, SortOrder;
  // describeSObjects(), query(), retrieve() only; no IsDeleted (field reference, "LeadStatus").
  // It shares 01J, the picklist-value prefix, with OpportunityStage.
  LeadStatus: {
    label: 'Lead Status Value',
    keyPrefix: '01J',
    createable: false,
    updateable: false,
    deletable: false,
    noIsDeleted: true,
    fields: {
      ApiName: readOnly('string'),
      MasterLabel: readOnly('string'),
      IsConverted: readOnly('boolean', { nillable: false }),
      IsDefault: readOnly('boolean', { nillable: false }),
      SortOrder: readOnly('int'),
    },
  },
  // Users are deactivated (IsActive), never deleted: the object has no IsDeleted field (object
  // reference, "User").
  User: {
    label: 'User',
    keyPrefix: '005',
    createable: false,
    updateable: false,
    deletable: false,
    noIsDeleted: true,
    fields: {
      Name: readOnly('string'),
      FirstName: readOnly('string'),
      LastName: readOnly('string'),
      Username: readOnly('string'),
      Email: readOnly('email'),
      IsActive: readOnly('boolean'),
    },
  },
};

/**
 * Field history: exists only once tracking is on for its object (otherwise "sObject type
 * 'ContactHistory' is not supported", INVALID_TYPE). OldValue and NewValue are anyType.
 */
const history = (parent: string): ObjectSpec => ({
  label: `${parent} History`,
  keyPrefix: '017',
  createable: false,
  updateable: false,
  deletable: false,
  fields: {
    [`${parent}Id`]: readOnly('reference', { referenceTo: parent, nillable: false }),
    Field: readOnly('picklist', { nillable: false }),
    DataType: readOnly('picklist'),
    OldValue: readOnly('string'),
    NewValue: readOnly('string'),
  },
});
const HISTORY_SPECS: Record<string, ObjectSpec> = { ContactHistory: history('Contact'), LeadHistory: history('Lead') };

/** The fields tracked when field history is on (Setup → Set History Tracking). */
export const TRACKED_FIELDS: Record<string, string[]> = { Contact: ['Email'], Lead: ['Status', 'Email'] };

/** FieldDefinition, queried with WHERE EntityDefinitionId = 'Contact': IsFieldHistoryTracked. */
const FIELD_DEFINITION: ObjectSpec = {
  label: 'Field Definition',
  keyPrefix: '0FD',
  createable: false,
  updateable: false,
  deletable: false,
  fields: {
    QualifiedApiName: readOnly('string'),
    EntityDefinitionId: readOnly('string'),
    DataType: readOnly('string'),
    IsFieldHistoryTracked: readOnly('boolean'),
  },
};

/** Only in orgs with multi-currency enabled, as in Salesforce. */
const MULTI_CURRENCY_SPECS: Record<string, ObjectSpec> = {
  CurrencyType: {
    label: 'Currency Type',
    keyPrefix: '02B',
    deletable: false,
    fields: {
      IsoCode: required('picklist', { updateable: false }),
      ConversionRate: required('double'),
      IsCorporate: readOnly('boolean'),
      IsActive: writable('boolean'),
      DecimalPlaces: writable('int'),
    },
  },
  DatedConversionRate: {
    label: 'Dated Conversion Rate',
    keyPrefix: '04w',
    fields: {
      IsoCode: required('picklist', { updateable: false }),
      ConversionRate: required('double'),
      StartDate: required('date'),
      NextStartDate: readOnly('date'),
    },
  },
};

const CURRENCY_ISO_CODE: FieldSpec = writable('picklist', { label: 'Opportunity Currency' });

export type Catalog = Map<string, ObjectDef>;

/** The org's objects, keyed by lower-case name. Multi-currency adds CurrencyIsoCode and two objects. */
export function buildCatalog(multiCurrency: boolean, fieldHistory = true): Catalog {
  const specs: Record<string, ObjectSpec> = {
    ...SPECS,
    FieldDefinition: FIELD_DEFINITION,
    ...(fieldHistory ? HISTORY_SPECS : {}),
    ...(multiCurrency ? MULTI_CURRENCY_SPECS : {}),
  };
  const catalog: Catalog = new Map();
  for (const [name, spec] of Object.entries(specs)) {
    const extra: Record<string, FieldSpec> =
      multiCurrency && (name === 'Opportunity' || name === 'OpportunityHistory')
        ? { CurrencyIsoCode: name === 'Opportunity' ? CURRENCY_ISO_CODE : readOnly('picklist') }
        : {};
    const { IsDeleted, ...withoutIsDeleted } = SYSTEM;
    const system = spec.noIsDeleted ? withoutIsDeleted : { ...withoutIsDeleted, IsDeleted: IsDeleted! };
    catalog.set(name.toLowerCase(), objectDef(name, spec, { ...system, ...spec.fields, ...extra }));
  }
  return catalog;
}

function objectDef(name: string, spec: ObjectSpec, specs: Record<string, FieldSpec>): ObjectDef {
  const fields = Object.entries(specs).map(([fieldName, s]): FieldDef => ({
    name: fieldName,
    label: s.label ?? labelOf(fieldName),
    type: s.type,
    referenceTo: s.referenceTo,
    createable: s.createable ?? false,
    updateable: s.updateable ?? false,
    nillable: s.nillable ?? s.type !== 'boolean',
    required: s.required ?? false,
  }));
  return {
    name,
    label: spec.label,
    keyPrefix: spec.keyPrefix,
    createable: spec.createable ?? true,
    updateable: spec.updateable ?? true,
    deletable: spec.deletable ?? true,
    fields,
    byName: new Map(fields.map((f) => [f.name.toLowerCase(), f])),
  };
}

/** "CloseDate" -> "Close Date", "AccountId" -> "Account ID", as Salesforce labels its fields. */
function labelOf(field: string): string {
  return field
    .replace(/Id$/, ' ID')
    .replace(/([a-z])([A-Z])/g, '$1 $2')
    .trim();
}
