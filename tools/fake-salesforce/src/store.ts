// The org's records in memory: one table per sObject (stored by column, see table.ts), the system
// fields Salesforce maintains, soft and hard deletes, and the delete log that getDeleted reads.
// Writes arrive already checked. Every change is announced (onChange) with what changed, so the
// state file's log can follow (state-log.ts); the replay methods are its pair.
import { IdGenerator, randomId } from './ids';
import { buildCatalog, TRACKED_FIELDS, type Catalog, type ObjectDef } from './objects';
import { applyOpportunityRules, historyRowFor } from './opportunity-rules';
import type { StoreState } from './persisted-state';
import { Table } from './table';
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

/** What a write changed: a record (written or hard-deleted), or an entry of the delete log. */
export type StoreChange = { kind: 'row'; type: string; id: string } | { kind: 'deleteLog'; id: string };

export type StoreOptions = {
  /** Field history tracking on (ContactHistory, LeadHistory); default on. */
  fieldHistory?: boolean;
  /** The org's 18-character id; random when absent. */
  orgId?: string;
  /** Called after every change of the data (not on reads, not on restore or replay). */
  onChange?: (change: StoreChange) => void;
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
  private readonly tables = new Map<string, Table>();
  private readonly deleteLog = new Map<string, DeletedEntry>();
  private readonly changed: (change: StoreChange) => void;
  /** Stages and lead statuses by lower-case API name and label, read on every opportunity and lead save. */
  private picklists: { stages: Map<string, Row>; leadStatuses: Row[] } | null = null;

  constructor(
    readonly multiCurrency: boolean,
    options: StoreOptions = {},
  ) {
    this.fieldHistory = options.fieldHistory ?? true;
    this.catalog = buildCatalog(multiCurrency, this.fieldHistory);
    for (const def of this.catalog.values()) this.tables.set(def.name, new Table(def));
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

  /** The record (a copy: change it through update), soft-deleted ones included; undefined when absent. */
  get(type: string, id: string): Row | undefined {
    const table = this.tables.get(type);
    const slot = table ? table.slotOf(id) : -1;
    return slot >= 0 ? table!.read(slot) : undefined;
  }

  /** All rows of an object in creation order (copies); soft-deleted ones only when asked (queryAll). */
  rows(type: string, includeDeleted: boolean): Row[] {
    const table = this.tables.get(type);
    return table ? table.slots(includeDeleted).map((s) => table.read(s)) : [];
  }

  /** How many rows an object holds (soft-deleted ones only when asked), without reading them. */
  count(type: string, includeDeleted: boolean): number {
    return this.tables.get(type)?.count(includeDeleted) ?? 0;
  }

  /** The object's table, for queries that read slots and columns rather than whole rows. */
  table(type: string): Table {
    const table = this.tables.get(type);
    if (!table) throw new Error(`fake-salesforce: unknown object ${type}`);
    return table;
  }

  insert(type: string, values: Row, at: number): Row {
    const def = this.mustObject(type);
    const id = this.ids.next(def.keyPrefix);
    const row: Row = {};
    for (const f of def.fields) row[f.name] = f.type === 'boolean' ? false : null;
    Object.assign(row, this.defaults(type), values);
    row.Id = id;
    if (def.byName.has('isdeleted')) row.IsDeleted = false;
    row.CreatedDate = at;
    row.LastModifiedDate = at;
    row.SystemModstamp = at;
    row.CreatedById = this.userId;
    row.LastModifiedById = this.userId;
    this.derive(type, row, new Set(Object.keys(values)), true, at);
    this.tables.get(def.name)!.append(row);
    this.wrote(def.name, id);
    return row;
  }

  /** Applies the values that differ; the audit fields move even when nothing did, as in Salesforce. */
  update(type: string, id: string, values: Row, at: number): Row {
    const { table, slot, row } = this.mustRow(type, id);
    const changed = new Set(Object.keys(values).filter((k) => row[k] !== values[k]));
    const before = { ...row };
    Object.assign(row, values, { LastModifiedDate: at, SystemModstamp: at, LastModifiedById: this.userId });
    this.derive(type, row, changed, false, at, before);
    table.write(slot, row);
    this.wrote(type, id);
    return row;
  }

  /** Soft delete: still visible to queryAll (IsDeleted = true) and listed by getDeleted. */
  softDelete(type: string, id: string, at: number, cascade = true): void {
    const { table, slot, row } = this.mustRow(type, id);
    if (row.IsDeleted === true) return;
    Object.assign(row, { IsDeleted: true, SystemModstamp: at });
    table.write(slot, row);
    this.deleteLog.set(id, { type, id, deletedAt: at });
    this.wrote(type, id);
    this.changed({ kind: 'deleteLog', id });
    if (!cascade) return;
    for (const { child, field } of CASCADE[type] ?? []) {
      const children = this.table(child);
      for (const s of children.slotsWhere(field, id))
        if (children.visible(s, false)) this.softDelete(child, children.idOf(s), at, true);
    }
  }

  /** Back from the recycle bin: live again, and no longer in the delete log. */
  undelete(type: string, id: string, at: number): void {
    const { table, slot, row } = this.mustRow(type, id);
    if (row.IsDeleted !== true) return;
    Object.assign(row, { IsDeleted: false, SystemModstamp: at });
    table.write(slot, row);
    this.deleteLog.delete(id);
    this.wrote(type, id);
    this.changed({ kind: 'deleteLog', id });
  }

  /** Gone from every query (the recycle bin was emptied); getDeleted still reports it. */
  hardDelete(type: string, id: string, at: number): void {
    const { table, slot } = this.mustRow(type, id);
    if (!this.deleteLog.has(id)) {
      this.deleteLog.set(id, { type, id, deletedAt: at });
      this.changed({ kind: 'deleteLog', id });
    }
    table.remove(slot);
    this.wrote(type, id);
  }

  deletedBetween(type: string, start: number, end: number): DeletedEntry[] {
    return [...this.deleteLog.values()]
      .filter((d) => d.type === type && d.deletedAt >= start && d.deletedAt <= end)
      .sort((a, b) => a.deletedAt - b.deletedAt);
  }

  /** The OpportunityStage row for a stage name (by API name or label, ignoring case). */
  stage(name: string): Row | undefined {
    return this.cachedPicklists().stages.get(name.toLowerCase());
  }

  /** The delete log's entry for an id (soft or hard delete not undone), if any. */
  deletedEntry(id: string): DeletedEntry | undefined {
    return this.deleteLog.get(id);
  }

  /** Every entry of the delete log, for a snapshot. */
  deletedEntries(): IterableIterator<DeletedEntry> {
    return this.deleteLog.values();
  }

  /** The object names with their tables, for a snapshot. */
  allTables(): IterableIterator<Table> {
    return this.tables.values();
  }

  /** Replay: a saved row, replacing the one with its Id or added after the others (the caller names the file). */
  putRow(type: string, row: Row): void {
    const table = this.tables.get(type);
    if (!table) throw new Error(`the saved org has objects this one does not know: ${type}`);
    // A snapshot lists rows in id order: most lines add a row after the others.
    const slot = table.isNewest(String(row.Id)) ? -1 : table.slotOf(String(row.Id));
    if (slot >= 0) table.write(slot, row);
    else table.append(row);
    this.picklists = null;
  }

  /** Replay: a hard delete. */
  removeRow(type: string, id: string): void {
    const table = this.tables.get(type);
    const slot = table ? table.slotOf(id) : -1;
    if (slot >= 0) table!.remove(slot);
  }

  /** Replay: the delete log's entry for an id, or none. */
  putDeleted(id: string, entry: DeletedEntry | null): void {
    if (entry) this.deleteLog.set(id, { ...entry });
    else this.deleteLog.delete(id);
  }

  /** Replay: the org's identity, as a snapshot's header holds it. */
  putIdentity(org: { orgId: string; userId: string; corporateCurrency: string }): void {
    this.currentOrgId = org.orgId;
    this.userId = org.userId;
    this.corporateCurrency = org.corporateCurrency;
  }

  /** Replaces everything with a serialized org (state file version 1); the errors name no file, the caller does. */
  restore(state: StoreState): void {
    if (state.multiCurrency !== this.multiCurrency) {
      throw new Error(
        `the saved org ${state.multiCurrency ? 'has' : 'does not have'} multi-currency, the multiCurrency option says ${this.multiCurrency}`,
      );
    }
    const unknown = Object.keys(state.tables).filter((type) => !this.tables.has(type));
    if (unknown.length > 0) throw new Error(`the saved org has objects this one does not know: ${unknown.join(', ')}`);
    for (const [type, def] of [...this.tables].map(([t, table]) => [t, table.def] as const)) {
      const table = new Table(def);
      this.tables.set(type, table);
      const rows = [...(state.tables[type] ?? [])];
      // Version 1 kept rows in insertion order, which is id order; sorting makes sure of it.
      rows.sort((a, b) => (a.Id < b.Id ? -1 : a.Id > b.Id ? 1 : 0));
      for (const row of rows) table.append({ ...row });
    }
    this.picklists = null;
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
    const value = this.cachedPicklists().leadStatuses.find((s) => s.IsDefault === true);
    return value ? String(value.ApiName) : 'Open - Not Contacted';
  }

  private cachedPicklists(): { stages: Map<string, Row>; leadStatuses: Row[] } {
    if (this.picklists) return this.picklists;
    const stages = new Map<string, Row>();
    // The first stage with a name wins, as a search in creation order finds it.
    for (const s of this.rows('OpportunityStage', false)) {
      for (const name of [String(s.ApiName).toLowerCase(), String(s.MasterLabel).toLowerCase()])
        if (!stages.has(name)) stages.set(name, s);
    }
    this.picklists = { stages, leadStatuses: this.rows('LeadStatus', false) };
    return this.picklists;
  }

  /** A record was written or removed: picklist caches follow, and the log hears of it. */
  private wrote(type: string, id: string): void {
    if (type === 'OpportunityStage' || type === 'LeadStatus') this.picklists = null;
    this.changed({ kind: 'row', type, id });
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

  private mustRow(type: string, id: string): { table: Table; slot: number; row: Row } {
    const table = this.tables.get(type);
    const slot = table ? table.slotOf(id) : -1;
    if (slot < 0) throw new Error(`fake-salesforce: no ${type} with id ${id}`);
    return { table: table!, slot, row: table!.read(slot) };
  }
}

export type { Row, Value };
