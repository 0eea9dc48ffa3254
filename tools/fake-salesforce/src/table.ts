// One sObject's records, stored by column so that an org of millions of records fits in memory:
// numbers and datetimes in Float64Arrays, booleans in bytes, ids (Id and references) as the
// generator's counter, picklists and dates as codes into a dictionary; only free text stays a JS
// string. A row is a slot; slots are in creation order, which is also Id order (ids grow with
// the generator's counter), so an id is found by binary search. A value a column cannot encode
// (a reference to an id this org did not make, text in a number field) is kept aside per slot, so
// every value reads back exactly as written. Rows are materialized (a fresh object) on each read:
// a caller changes records through the Store, never through a row it holds.
import { generatedCounter, generatedId } from './ids';
import type { FieldDef, ObjectDef } from './objects';
import type { Row, Value } from './values';

const INITIAL_CAPACITY = 64;

interface Column {
  get(slot: number): Value;
  set(slot: number, value: Value): void;
  grow(capacity: number): void;
  /** A number that orders as the value does (NaN for null), for indexes; undefined if not numeric. */
  key?(slot: number): number;
  /** A test of whether a slot holds exactly this value, faster than get() where it can be. */
  holds?(value: Value): (slot: number) => boolean;
}

/** Values a column cannot encode, by slot. */
class Aside {
  private values: Map<number, Value> | null = null;
  get(slot: number): Value {
    return this.values?.get(slot) ?? null;
  }
  put(slot: number, value: Value): void {
    (this.values ??= new Map()).set(slot, value);
  }
  drop(slot: number): void {
    this.values?.delete(slot);
  }
}

function grown<T extends Float64Array | Uint8Array | Uint32Array>(old: T, capacity: number, make: (n: number) => T): T {
  const next = make(capacity);
  next.set(old);
  return next;
}

/** Numbers and datetimes (epoch ms); NaN is null or a value kept aside. */
class NumberColumn implements Column {
  private data = new Float64Array(0);
  private readonly aside = new Aside();
  get(slot: number): Value {
    const v = this.data[slot]!;
    return v === v ? v : this.aside.get(slot);
  }
  key(slot: number): number {
    return this.data[slot]!;
  }
  set(slot: number, value: Value): void {
    this.aside.drop(slot);
    if (typeof value === 'number' && value === value) this.data[slot] = value;
    else {
      this.data[slot] = NaN;
      if (value !== null) this.aside.put(slot, value);
    }
  }
  grow(capacity: number): void {
    this.data = grown(this.data, capacity, (n) => new Float64Array(n));
  }
}

const FALSE = 0;
const TRUE = 1;
const NULL = 2;
const ASIDE = 3;

class BooleanColumn implements Column {
  private data = new Uint8Array(0);
  private readonly aside = new Aside();
  get(slot: number): Value {
    const v = this.data[slot];
    return v === FALSE ? false : v === TRUE ? true : v === NULL ? null : this.aside.get(slot);
  }
  set(slot: number, value: Value): void {
    this.aside.drop(slot);
    if (value === false || value === true || value === null)
      this.data[slot] = value === null ? NULL : value ? TRUE : FALSE;
    else {
      this.data[slot] = ASIDE;
      this.aside.put(slot, value);
    }
  }
  grow(capacity: number): void {
    this.data = grown(this.data, capacity, (n) => new Uint8Array(n));
  }
}

/** Key prefixes of referenced ids, shared by all tables: code -> prefix. */
const PREFIXES: string[] = [];
const PREFIX_CODES = new Map<string, number>();
const COUNTER_SPAN = 2 ** 36;
function prefixCode(prefix: string): number {
  let code = PREFIX_CODES.get(prefix);
  if (code === undefined) {
    code = PREFIXES.push(prefix) - 1;
    PREFIX_CODES.set(prefix, code);
  }
  return code;
}

/** Ids this org's generator made, as prefix code and counter in one double; others kept aside. */
class ReferenceColumn implements Column {
  private data = new Float64Array(0);
  private readonly aside = new Aside();
  // The last id read and written: neighbouring rows often name the same one (the user, the parent).
  private lastCode = NaN;
  private lastId = '';
  get(slot: number): Value {
    const v = this.data[slot]!;
    if (v !== v) return this.aside.get(slot);
    if (v !== this.lastCode) {
      const code = Math.floor(v / COUNTER_SPAN);
      this.lastId = generatedId(PREFIXES[code]!, v - code * COUNTER_SPAN);
      this.lastCode = v;
    }
    return this.lastId;
  }
  holds(value: Value): (slot: number) => boolean {
    const counter = typeof value === 'string' ? generatedCounter(value) : -1;
    if (counter <= 0 || counter >= COUNTER_SPAN || typeof value !== 'string') return (s) => this.get(s) === value;
    const code = prefixCode(value.slice(0, 3)) * COUNTER_SPAN + counter;
    return (s) => this.data[s] === code;
  }
  set(slot: number, value: Value): void {
    this.aside.drop(slot);
    if (typeof value === 'string' && value === this.lastId) {
      this.data[slot] = this.lastCode;
      return;
    }
    const counter = typeof value === 'string' ? generatedCounter(value) : -1;
    if (counter > 0 && counter < COUNTER_SPAN && typeof value === 'string') {
      this.data[slot] = prefixCode(value.slice(0, 3)) * COUNTER_SPAN + counter;
      this.lastId = value;
      this.lastCode = this.data[slot]!;
    } else {
      this.data[slot] = NaN;
      if (value !== null) this.aside.put(slot, value);
    }
  }
  grow(capacity: number): void {
    this.data = grown(this.data, capacity, (n) => new Float64Array(n));
  }
}

const NO_CODE = 0xffffffff;

/** Few distinct strings (picklists, dates): a code per slot into a dictionary; 0 is null. */
class DictionaryColumn implements Column {
  private data = new Uint32Array(0);
  private readonly words: string[] = [''];
  private readonly codes = new Map<string, number>();
  private readonly aside = new Aside();
  get(slot: number): Value {
    const c = this.data[slot]!;
    return c === 0 ? null : c === NO_CODE ? this.aside.get(slot) : this.words[c]!;
  }
  set(slot: number, value: Value): void {
    this.aside.drop(slot);
    if (value === null) this.data[slot] = 0;
    else if (typeof value === 'string') {
      let code = this.codes.get(value);
      if (code === undefined) {
        code = this.words.push(value) - 1;
        this.codes.set(value, code);
      }
      this.data[slot] = code;
    } else {
      this.data[slot] = NO_CODE;
      this.aside.put(slot, value);
    }
  }
  grow(capacity: number): void {
    this.data = grown(this.data, capacity, (n) => new Uint32Array(n));
  }
}

/** Free text: the values themselves. */
class ValueColumn implements Column {
  private readonly data: Value[] = [];
  get(slot: number): Value {
    return this.data[slot] ?? null;
  }
  set(slot: number, value: Value): void {
    while (this.data.length < slot) this.data.push(null);
    this.data[slot] = value;
  }
  grow(): void {}
}

function columnFor(field: FieldDef): Column | null {
  switch (field.type) {
    case 'id':
      return null;
    case 'reference':
      return new ReferenceColumn();
    case 'boolean':
      return new BooleanColumn();
    case 'currency':
    case 'double':
    case 'percent':
    case 'int':
    case 'datetime':
      return new NumberColumn();
    case 'date':
    case 'picklist':
      return new DictionaryColumn();
    default:
      return new ValueColumn();
  }
}

/**
 * Slots sorted by a numeric field, then by slot (Id): what ORDER BY SystemModstamp, Id pages over.
 * Kept up to date while writes only move values forward (a save at "now"); any other change
 * drops it and the next query sorts again.
 */
class SortedIndex {
  slots = new Uint32Array(0);
  keys = new Float64Array(0);
  length = 0;
  /** Each slot's position in `slots`, or -1: an entry whose slot points elsewhere is stale. */
  position = new Int32Array(0);
  stale = 0;

  constructor(column: Column, size: number, capacity: number) {
    const key = column.key!.bind(column);
    const order = new Uint32Array(size);
    for (let s = 0; s < size; s++) order[s] = s;
    const keys = new Float64Array(size);
    for (let s = 0; s < size; s++) keys[s] = key(s);
    // Nulls (NaN) first, as an ascending SOQL ORDER BY puts them; equal keys in slot (Id) order.
    order.sort((a, b) => {
      const ka = keys[a]!;
      const kb = keys[b]!;
      if (ka !== ka) return kb !== kb ? a - b : -1;
      if (kb !== kb) return 1;
      return ka - kb || a - b;
    });
    this.ensure(size, capacity);
    for (let i = 0; i < size; i++) {
      const s = order[i]!;
      this.slots[i] = s;
      this.keys[i] = keys[s]!;
      this.position[s] = i;
    }
    this.length = size;
  }

  ensure(entries: number, slotCapacity: number): void {
    if (entries > this.slots.length) {
      const cap = Math.max(entries, this.slots.length * 2, INITIAL_CAPACITY);
      this.slots = grown(this.slots, cap, (n) => new Uint32Array(n));
      this.keys = grown(this.keys, cap, (n) => new Float64Array(n));
    }
    if (slotCapacity > this.position.length) {
      const next = new Int32Array(slotCapacity).fill(-1);
      next.set(this.position);
      this.position = next;
    }
  }

  /** Follows a slot's new key; false when the index can no longer follow (it must be rebuilt). */
  moved(slot: number, key: number, slotCapacity: number): boolean {
    const at = this.position[slot] ?? -1;
    if (at >= 0 && this.keys[at] === key) return true;
    const lastKey = this.length > 0 ? this.keys[this.length - 1]! : -Infinity;
    const lastSlot = this.length > 0 ? this.slots[this.length - 1]! : -1;
    if (key !== key || key < lastKey || (key === lastKey && slot < lastSlot)) return false;
    if (at >= 0) this.stale++;
    this.ensure(this.length + 1, slotCapacity);
    this.slots[this.length] = slot;
    this.keys[this.length] = key;
    this.position[slot] = this.length++;
    return this.stale * 2 <= this.length;
  }

  removed(slot: number): void {
    if ((this.position[slot] ?? -1) >= 0) {
      this.position[slot] = -1;
      this.stale++;
    }
  }

  live(i: number): boolean {
    return this.position[this.slots[i]!] === i;
  }
}

export class Table {
  private size = 0;
  private capacity = 0;
  private liveCount = 0;
  private counters = new Float64Array(0);
  private removedFlags = new Uint8Array(0);
  private readonly columns: Array<Column | null>;
  private readonly isDeleted: number;
  private readonly indexes = new Map<number, SortedIndex>();
  private readonly positions: Map<string, number>;

  constructor(readonly def: ObjectDef) {
    this.columns = def.fields.map(columnFor);
    this.positions = new Map(def.fields.map((f, i) => [f.name, i]));
    this.isDeleted = def.fields.findIndex((f) => f.name === 'IsDeleted');
  }

  /** Slots ever used, hard-deleted ones included. */
  get slotCount(): number {
    return this.size;
  }

  /** Rows not hard-deleted; with includeDeleted false, not soft-deleted either. */
  count(includeDeleted: boolean): number {
    if (includeDeleted || this.isDeleted < 0) return this.liveCount;
    let n = 0;
    for (let s = 0; s < this.size; s++) if (this.visible(s, false)) n++;
    return n;
  }

  /** Whether the slot holds a row a query (or, with includeDeleted, queryAll) sees. */
  visible(slot: number, includeDeleted: boolean): boolean {
    if (this.removedFlags[slot] === 1) return false;
    return includeDeleted || this.isDeleted < 0 || this.columns[this.isDeleted]!.get(slot) !== true;
  }

  /** The slots queries see, in creation (Id) order. */
  slots(includeDeleted: boolean): number[] {
    const out: number[] = [];
    for (let s = 0; s < this.size; s++) if (this.visible(s, includeDeleted)) out.push(s);
    return out;
  }

  /** The slot of a row, or -1 (also for a hard-deleted row). */
  slotOf(id: string): number {
    const counter = generatedCounter(id);
    if (counter < 0) return -1;
    let lo = 0;
    let hi = this.size - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      const c = this.counters[mid]!;
      if (c === counter) return this.removedFlags[mid] === 1 || !id.startsWith(this.def.keyPrefix) ? -1 : mid;
      if (c < counter) lo = mid + 1;
      else hi = mid - 1;
    }
    return -1;
  }

  idOf(slot: number): string {
    return generatedId(this.def.keyPrefix, this.counters[slot]!);
  }

  /**
   * The row at a slot, as a new object with every field in the object's field order; with
   * `only`, just the Id and those fields (what a query prints).
   */
  read(slot: number, only?: ReadonlyArray<{ name: string }>): Row {
    const row: Row = {};
    if (only) {
      row.Id = this.idOf(slot);
      for (const f of only) {
        const column = this.columns[this.fieldIndex(f.name)];
        if (column) row[f.name] = column.get(slot);
      }
      return row;
    }
    const { fields } = this.def;
    for (let i = 0; i < fields.length; i++) {
      const column = this.columns[i];
      row[fields[i]!.name] = column ? column.get(slot) : this.idOf(slot);
    }
    return row;
  }

  /** One field of the row at a slot (Id included). */
  value(slot: number, field: string): Value {
    const i = this.fieldIndex(field);
    const column = this.columns[i];
    return column ? column.get(slot) : this.idOf(slot);
  }

  /** Slots whose field holds exactly this value (hard-deleted ones left out). */
  slotsWhere(field: string, value: Value): number[] {
    const column = this.columns[this.fieldIndex(field)];
    const holds = column?.holds?.(value) ?? ((s: number) => (column ? column.get(s) : this.idOf(s)) === value);
    const out: number[] = [];
    for (let s = 0; s < this.size; s++) if (this.removedFlags[s] !== 1 && holds(s)) out.push(s);
    return out;
  }

  /** Whether a row with this id would go after every row here (its counter is the highest). */
  isNewest(id: string): boolean {
    const counter = generatedCounter(id);
    return counter > 0 && (this.size === 0 || counter > this.counters[this.size - 1]!);
  }

  /** Adds a row whose Id the generator just made (ids only grow); its slot. */
  append(row: Row): number {
    const id = String(row.Id);
    const counter = generatedCounter(id);
    if (counter < 0 || !id.startsWith(this.def.keyPrefix))
      throw new Error(`fake-salesforce: ${id} is not an id this org made for ${this.def.name}`);
    if (this.size > 0 && counter <= this.counters[this.size - 1]!)
      throw new Error(`fake-salesforce: ${this.def.name} ${id} is older than the table's last row`);
    if (this.size === this.capacity) this.grow(Math.max(INITIAL_CAPACITY, this.capacity * 2));
    const slot = this.size++;
    this.counters[slot] = counter;
    this.liveCount++;
    this.write(slot, row);
    return slot;
  }

  /** Sets every field of the slot from the row (a missing field becomes null). */
  write(slot: number, row: Row): void {
    const { fields } = this.def;
    for (let i = 0; i < fields.length; i++) {
      const column = this.columns[i];
      if (!column) continue;
      column.set(slot, row[fields[i]!.name] ?? null);
      const index = this.indexes.get(i);
      if (index && !index.moved(slot, column.key!(slot), this.capacity)) this.indexes.delete(i);
    }
  }

  /** Hard delete: gone from every query and lookup. */
  remove(slot: number): void {
    if (this.removedFlags[slot] === 1) return;
    this.removedFlags[slot] = 1;
    this.liveCount--;
    for (const index of this.indexes.values()) index.removed(slot);
  }

  /**
   * Visible slots ordered by a numeric field then Id, from the first whose value passes `from`
   * (a test that is false then true along the order), or null when the field is not numeric.
   */
  orderedBy(field: string, includeDeleted: boolean, from?: (key: number) => boolean): number[] | null {
    const i = this.fieldIndex(field);
    const column = this.columns[i];
    if (!column?.key) return null;
    let index = this.indexes.get(i);
    if (!index) {
      index = new SortedIndex(column, this.size, this.capacity);
      this.indexes.set(i, index);
    }
    let lo = 0;
    if (from) {
      let hi = index.length;
      while (lo < hi) {
        const mid = (lo + hi) >>> 1;
        if (from(index.keys[mid]!)) hi = mid;
        else lo = mid + 1;
      }
    }
    const out: number[] = [];
    for (let p = lo; p < index.length; p++) {
      const s = index.slots[p]!;
      if (index.live(p) && this.visible(s, includeDeleted)) out.push(s);
    }
    return out;
  }

  private fieldIndex(field: string): number {
    const i = this.positions.get(field);
    if (i === undefined) throw new Error(`fake-salesforce: ${this.def.name} has no field ${field}`);
    return i;
  }

  private grow(capacity: number): void {
    this.counters = grown(this.counters, capacity, (n) => new Float64Array(n));
    this.removedFlags = grown(this.removedFlags, capacity, (n) => new Uint8Array(n));
    for (const c of this.columns) c?.grow(capacity);
    this.capacity = capacity;
  }
}
