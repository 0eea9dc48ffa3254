// The org's records in memory: one table per sObject, the system fields Salesforce maintains,
// soft and hard deletes, and the delete log that getDeleted reads. Writes arrive already checked.
// Every change is announced (onChange), so a state file can follow; serialize/restore is its pair.
import { IdGenerator, randomId } from './ids';
import { buildCatalog, TRACKED_FIELDS, type Catalog, type ObjectDef } from './objects';
import { applyOpportunityRules, historyRowFor } from './opportunity-rules';
import type { StoreState } from './persisted-state';
import type { Row, Value } from './values';

/** What deleting a parent also deletes, as Salesforce cascades it. */
const CASCADE: Record<string, Array<{ child: string; field: string }>> = {
  Account: [
    { child: 'Contact', field: 'AccountId' },
    { child: 'Opportunity', field: 'AccountId' },
  ],
  Contact: [{ child: 'OpportunityContactRole', field: 'ContactId' }],
  Opportunity: [
    { child: 'OpportunityContactRole', field: 'OpportunityId' },
    { child: 'OpportunityHistory', field: 'OpportunityId' },
  ],
};

const NAMED_BY_PARTS = new Set(['Contact', 'Lead', 'User']);

export type DeletedEntry = { type: string; id: string; deletedAt: number };

export type StoreOptions = {
  /** Field history tracking on (ContactHistory, LeadHistory); default on. */
  fieldHistory?: boolean;
  /** The org's 18-character id; random when absent. */
  orgId?: string;
  /** Called after every change of the data (not on reads, not on restore). */
  onChange?: () => void;
};

export class Store {
  readonly catalog: Catalog;
  readonly ids = new IdGenerator();
  /** The one user every write is made by (the integration user of the demo org). */
  userId = '';
  corporateCurrency = 'USD';
  readonly fieldHistory: boolean;
  /** "Object.Field" hidden from the connected user by field-level security (hideField). */
  readonly hiddenFields = new Set<string>();
  private currentOrgId: string;
  private readonly tables = new Map<string, Map<string, Row>>();
  private readonly deleteLog = new Map<string, DeletedEntry>();
  private readonly changed: () => void;

  constructor(
    readonly multiCurrency: boolean,
    options: StoreOptions = {},
  ) {
    this.fieldHistory = options.fieldHistory ?? true;
    this.catalog = buildCatalog(multiCurrency, this.fieldHistory);
    for (const def of this.catalog.values()) this.tables.set(def.name, new Map());
    this.currentOrgId = options.orgId ?? randomId('00D');
    this.changed = options.onChange ?? (() => {});
  }

  get orgId(): string {
    return this.currentOrgId;
  }

  object(name: string): ObjectDef | undefined {
    return this.catalog.get(name.toLowerCase());
  }

  /**
   * The object as the connected user sees it through the API: fields hidden by field-level
   * security are not there at all (a query naming one gets INVALID_FIELD "No such column").
   */
  visibleObject(name: string): ObjectDef | undefined {
    const def = this.object(name);
    if (!def || ![...this.hiddenFields].some((f) => f.startsWith(`${def.name}.`))) return def;
    const fields = def.fields.filter((f) => !this.hiddenFields.has(`${def.name}.${f.name}`));
    return { ...def, fields, byName: new Map(fields.map((f) => [f.name.toLowerCase(), f])) };
  }

  /** The object a record id belongs to, by its key prefix (the one holding it, where objects share one). */
  objectOfId(id: string): ObjectDef | undefined {
    const candidates = [...this.catalog.values()].filter((def) => id.startsWith(def.keyPrefix));
    return candidates.find((def) => this.get(def.name, id)) ?? candidates[0];
  }

  get(type: string, id: string): Row | undefined {
    return this.tables.get(type)?.get(id);
  }

  /** All rows of an object in creation order; soft-deleted ones only when asked (queryAll). */
  rows(type: string, includeDeleted: boolean): Row[] {
    const all = [...(this.tables.get(type)?.values() ?? [])];
    return includeDeleted ? all : all.filter((r) => r.IsDeleted !== true);
  }

  insert(type: string, values: Row, at: number): Row {
    const def = this.mustObject(type);
    const id = this.ids.next(def.keyPrefix);
    const row: Row = Object.fromEntries(def.fields.map((f) => [f.name, f.type === 'boolean' ? false : null]));
    Object.assign(row, this.defaults(type), values, {
      Id: id,
      ...(def.byName.has('isdeleted') ? { IsDeleted: false } : {}),
      CreatedDate: at,
      LastModifiedDate: at,
      SystemModstamp: at,
      CreatedById: this.userId,
      LastModifiedById: this.userId,
    });
    this.derive(type, row, new Set(Object.keys(values)), true, at);
    this.tables.get(def.name)!.set(id, row);
    this.changed();
    return row;
  }

  /** Applies the values that differ; the audit fields move even when nothing did, as in Salesforce. */
  update(type: string, id: string, values: Row, at: number): Row {
    const row = this.mustRow(type, id);
    const changed = new Set(Object.keys(values).filter((k) => row[k] !== values[k]));
    const before = { ...row };
    Object.assign(row, values, { LastModifiedDate: at, SystemModstamp: at, LastModifiedById: this.userId });
    this.derive(type, row, changed, false, at, before);
    this.changed();
    return row;
  }

  /** Soft delete: still visible to queryAll (IsDeleted = true) and listed by getDeleted. */
  softDelete(type: string, id: string, at: number, cascade = true): void {
    const row = this.mustRow(type, id);
    if (row.IsDeleted === true) return;
    Object.assign(row, { IsDeleted: true, SystemModstamp: at });
    this.deleteLog.set(id, { type, id, deletedAt: at });
    this.changed();
    if (!cascade) return;
    for (const { child, field } of CASCADE[type] ?? []) {
      for (const c of this.rows(child, false)) if (c[field] === id) this.softDelete(child, c.Id as string, at, true);
    }
  }

  /** Back from the recycle bin: live again, and no longer in the delete log. */
  undelete(type: string, id: string, at: number): void {
    const row = this.mustRow(type, id);
    if (row.IsDeleted !== true) return;
    Object.assign(row, { IsDeleted: false, SystemModstamp: at });
    this.deleteLog.delete(id);
    this.changed();
  }

  /** Gone from every query (the recycle bin was emptied); getDeleted still reports it. */
  hardDelete(type: string, id: string, at: number): void {
    this.mustRow(type, id);
    if (!this.deleteLog.has(id)) this.deleteLog.set(id, { type, id, deletedAt: at });
    this.tables.get(type)!.delete(id);
    this.changed();
  }

  deletedBetween(type: string, start: number, end: number): DeletedEntry[] {
    return [...this.deleteLog.values()]
      .filter((d) => d.type === type && d.deletedAt >= start && d.deletedAt <= end)
      .sort((a, b) => a.deletedAt - b.deletedAt);
  }

  /** The OpportunityStage row for a stage name (by API name or label, ignoring case). */
  stage(name: string): Row | undefined {
    const wanted = name.toLowerCase();
    return this.rows('OpportunityStage', false).find(
      (s) => String(s.ApiName).toLowerCase() === wanted || String(s.MasterLabel).toLowerCase() === wanted,
    );
  }

  /** Everything the org holds, for the state file. The rows are the live ones: stringify them at once. */
  serialize(): StoreState {
    return {
      orgId: this.orgId,
      userId: this.userId,
      multiCurrency: this.multiCurrency,
      corporateCurrency: this.corporateCurrency,
      idsIssued: this.ids.issued,
      // insert gives every row its Id, so each row fits the saved shape.
      tables: Object.fromEntries(
        [...this.tables].map(([type, rows]) => [type, [...rows.values()] as StoreState['tables'][string]]),
      ),
      deleted: [...this.deleteLog.values()],
    };
  }

  /** Replaces everything with a serialized org of the same kind; the errors name no file, the caller does. */
  restore(state: StoreState): void {
    if (state.multiCurrency !== this.multiCurrency) {
      throw new Error(
        `the saved org ${state.multiCurrency ? 'has' : 'does not have'} multi-currency, the multiCurrency option says ${this.multiCurrency}`,
      );
    }
    const unknown = Object.keys(state.tables).filter((type) => !this.tables.has(type));
    if (unknown.length > 0) throw new Error(`the saved org has objects this one does not know: ${unknown.join(', ')}`);
    for (const [type, table] of this.tables) {
      table.clear();
      for (const row of state.tables[type] ?? []) table.set(row.Id, row);
    }
    this.deleteLog.clear();
    for (const d of state.deleted) this.deleteLog.set(d.id, { ...d });
    this.currentOrgId = state.orgId;
    this.userId = state.userId;
    this.corporateCurrency = state.corporateCurrency;
    this.ids.resumeAfter(state.idsIssued);
  }

  private defaults(type: string): Row {
    const owner: Row = this.userId ? { OwnerId: this.userId } : {};
    switch (type) {
      case 'Lead':
        return { ...owner, Status: this.defaultLeadStatus(), IsConverted: false };
      case 'Opportunity':
        return this.multiCurrency ? { ...owner, CurrencyIsoCode: this.corporateCurrency } : owner;
      case 'CurrencyType':
        return { IsActive: true, DecimalPlaces: 2, IsCorporate: false };
      case 'Account':
      case 'Contact':
        return owner;
      default:
        return {};
    }
  }

  /** The picklist's default value (Open - Not Contacted in a new org). */
  private defaultLeadStatus(): string {
    const value = this.rows('LeadStatus', false).find((s) => s.IsDefault === true);
    return value ? String(value.ApiName) : 'Open - Not Contacted';
  }

  private derive(type: string, row: Row, changed: Set<string>, isInsert: boolean, at: number, before?: Row): void {
    if (NAMED_BY_PARTS.has(type)) row.Name = [row.FirstName, row.LastName].filter((p) => p).join(' ') || null;
    if (this.fieldHistory && !isInsert && before) this.recordFieldHistory(type, row, before, changed, at);
    if (type !== 'Opportunity') return;
    const historyNeeded = applyOpportunityRules(this, row, changed, isInsert);
    if (historyNeeded) this.insert('OpportunityHistory', historyRowFor(row, this.multiCurrency), at);
  }

  /** ContactHistory / LeadHistory rows for the tracked fields that changed, as Salesforce writes them. */
  private recordFieldHistory(type: string, row: Row, before: Row, changed: Set<string>, at: number): void {
    for (const field of TRACKED_FIELDS[type] ?? []) {
      if (!changed.has(field)) continue;
      this.insert(
        `${type}History`,
        {
          [`${type}Id`]: row.Id!,
          Field: field,
          DataType: field === 'Email' ? 'Email' : 'DynamicEnum',
          OldValue: before[field] ?? null,
          NewValue: row[field] ?? null,
        },
        at,
      );
    }
  }

  private mustObject(type: string): ObjectDef {
    const def = this.object(type);
    if (!def) throw new Error(`fake-salesforce: unknown object ${type}`);
    return def;
  }

  private mustRow(type: string, id: string): Row {
    const row = this.get(type, id);
    if (!row) throw new Error(`fake-salesforce: no ${type} with id ${id}`);
    return row;
  }
}

export type { Row, Value };
