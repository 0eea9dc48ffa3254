// What a new org already holds: the integration user every write is made by, Salesforce's
// standard opportunity stages and lead statuses, and, with multi-currency, the corporate currency
// and two others.
import type { Store } from './store';
import type { Row } from './values';

export type StageSpec = { name: string; isClosed: boolean; isWon: boolean; probability: number };

export const STANDARD_STAGES: StageSpec[] = [
  { name: 'Prospecting', isClosed: false, isWon: false, probability: 10 },
  { name: 'Qualification', isClosed: false, isWon: false, probability: 10 },
  { name: 'Needs Analysis', isClosed: false, isWon: false, probability: 20 },
  { name: 'Value Proposition', isClosed: false, isWon: false, probability: 50 },
  { name: 'Id. Decision Makers', isClosed: false, isWon: false, probability: 60 },
  { name: 'Perception Analysis', isClosed: false, isWon: false, probability: 70 },
  { name: 'Proposal/Price Quote', isClosed: false, isWon: false, probability: 75 },
  { name: 'Negotiation/Review', isClosed: false, isWon: false, probability: 90 },
  { name: 'Closed Won', isClosed: true, isWon: true, probability: 100 },
  { name: 'Closed Lost', isClosed: true, isWon: false, probability: 0 },
];

export type LeadStatusSpec = { name: string; isConverted: boolean; isDefault: boolean };

/**
 * The Lead Status picklist of a new org (Salesforce Help, "Lead Status Picklist": Open - Not
 * Contacted is the default, Closed - Converted the converted value).
 */
export const STANDARD_LEAD_STATUSES: LeadStatusSpec[] = [
  { name: 'Open - Not Contacted', isConverted: false, isDefault: true },
  { name: 'Working - Contacted', isConverted: false, isDefault: false },
  { name: 'Closed - Converted', isConverted: true, isDefault: false },
  { name: 'Closed - Not Converted', isConverted: false, isDefault: false },
];

const CURRENCIES = [
  { IsoCode: 'USD', ConversionRate: 1, IsCorporate: true },
  { IsoCode: 'EUR', ConversionRate: 0.92, IsCorporate: false },
  { IsoCode: 'GBP', ConversionRate: 0.79, IsCorporate: false },
];

export type OrgUser = { firstName: string; lastName: string; username: string; email: string };

export const INTEGRATION_USER: OrgUser = {
  firstName: 'Integration',
  lastName: 'User',
  username: 'integration.user@demo-org.example',
  email: 'integration.user@demo-org.example',
};

export function setUpOrg(store: Store, at: number): void {
  const u = INTEGRATION_USER;
  const user = store.insert(
    'User',
    {
      FirstName: u.firstName,
      LastName: u.lastName,
      Username: u.username,
      Email: u.email,
      IsActive: true,
    },
    at,
  );
  store.userId = user.Id as string;
  user.CreatedById = user.LastModifiedById = user.Id!;
  for (const stage of STANDARD_STAGES) addStage(store, stage, at);
  addStandardLeadStatuses(store, at);
  ensureFieldDefinitions(store, at);
  if (store.multiCurrency) {
    for (const c of CURRENCIES) store.insert('CurrencyType', { ...c, IsActive: true, DecimalPlaces: 2 }, at);
    for (const c of CURRENCIES) {
      store.insert(
        'DatedConversionRate',
        { IsoCode: c.IsoCode, ConversionRate: c.ConversionRate, StartDate: '0001-01-01', NextStartDate: '9999-12-31' },
        at,
      );
    }
  }
}

/**
 * FieldDefinition rows of the fields the sync asks about, with IsFieldHistoryTracked as the
 * fieldHistory option says (and a field that is never tracked, as in a real org). Also after a
 * restore of a state file written before they existed.
 */
export function ensureFieldDefinitions(store: Store, at: number): void {
  if (store.rows('FieldDefinition', true).length > 0) return;
  const fields: [string, string, string, boolean][] = [
    ['Contact', 'Email', 'Email', store.fieldHistory],
    ['Contact', 'Phone', 'Phone', false],
    ['Lead', 'Email', 'Email', store.fieldHistory],
    ['Lead', 'Status', 'Picklist', store.fieldHistory],
  ];
  for (const [entity, name, type, tracked] of fields) {
    store.insert(
      'FieldDefinition',
      { EntityDefinitionId: entity, QualifiedApiName: name, DataType: type, IsFieldHistoryTracked: tracked },
      at,
    );
  }
}

/** The objects setUpOrg fills; records of any other object are the org's own data. */
const SETUP_OBJECTS = new Set([
  'User',
  'OpportunityStage',
  'LeadStatus',
  'CurrencyType',
  'DatedConversionRate',
  'FieldDefinition',
]);

/** True while the org holds only what setUpOrg put there: no other record, live, deleted or purged. */
export function holdsOnlySetup(store: Store): boolean {
  return [...store.catalog.values()].every(
    (def) =>
      SETUP_OBJECTS.has(def.name) ||
      (store.count(def.name, true) === 0 && store.deletedBetween(def.name, -Infinity, Infinity).length === 0),
  );
}

/** Adds a stage after the existing ones, or returns the one already named so. */
export function addStage(store: Store, spec: StageSpec, at: number): Row {
  const existing = store.stage(spec.name);
  if (existing) return existing;
  return store.insert(
    'OpportunityStage',
    {
      MasterLabel: spec.name,
      ApiName: spec.name,
      IsActive: true,
      IsClosed: spec.isClosed,
      IsWon: spec.isWon,
      DefaultProbability: spec.probability,
      SortOrder: store.rows('OpportunityStage', true).length + 1,
    },
    at,
  );
}

/** The standard lead statuses, unless the picklist has values already (an org saved before it had them gets them). */
export function addStandardLeadStatuses(store: Store, at: number): void {
  if (store.rows('LeadStatus', true).length > 0) return;
  STANDARD_LEAD_STATUSES.forEach((s, i) =>
    store.insert(
      'LeadStatus',
      { MasterLabel: s.name, ApiName: s.name, IsConverted: s.isConverted, IsDefault: s.isDefault, SortOrder: i + 1 },
      at,
    ),
  );
}

/** A user of the org (a sales rep to own records), as an admin adds one in Setup. */
export function addUser(store: Store, user: Omit<OrgUser, 'username'> & { username?: string }, at: number): Row {
  const row = store.insert(
    'User',
    {
      FirstName: user.firstName,
      LastName: user.lastName,
      Username: user.username ?? user.email,
      Email: user.email,
      IsActive: true,
    },
    at,
  );
  return row;
}
