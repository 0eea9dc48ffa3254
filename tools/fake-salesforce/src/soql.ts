// SOQL for this test double: parsed with soql-parser-js, checked against the org's objects, and
// run over rows. Supports field lists or COUNT(), WHERE, ORDER BY, LIMIT and OFFSET.
import { parseQuery, type OrderByClause, type Query, type WhereClause } from '@jetstreamapp/soql-parser-js';
import type { RestError } from './errors';
import type { FieldDef, ObjectDef } from './objects';
import { SoqlProblem } from './soql-problem';
import { compareValues, comparable, compileWhere, type Predicate } from './soql-where';
import type { Table } from './table';
import type { Row } from './values';

export type CompiledQuery = {
  soql: string;
  object: ObjectDef;
  /** SELECT COUNT(): only the number of matching rows is returned. */
  count: boolean;
  fields: FieldDef[];
  where: Predicate;
  /** Whether there is a WHERE clause at all. */
  filtered: boolean;
  /**
   * When the WHERE clause is one condition "field >= x" or "field > x": that field, and the
   * condition as a test of its value (false, then true, along the field's ascending order).
   */
  lowerBound?: { field: FieldDef; test: (value: number) => boolean };
  orderBy: Array<{ field: FieldDef; descending: boolean; nullsFirst: boolean }>;
  limit?: number;
  offset?: number;
};

const SUPPORTED_CLAUSES = new Set(['fields', 'sObject', 'where', 'orderBy', 'limit', 'offset']);

type Objects = { object(name: string): ObjectDef | undefined };

/** The objects as the connected user sees them through the API (field-level security applied). */
export const visible = (ctx: { store: { visibleObject(name: string): ObjectDef | undefined } }): Objects => ({
  object: (name) => ctx.store.visibleObject(name),
});

/** The compiled query, or the RestError Salesforce would send for this statement. */
export function compileSoql(objects: Objects, soql: string): CompiledQuery | RestError {
  try {
    return compile(objects, soql);
  } catch (err) {
    if (err instanceof SoqlProblem) return err.toRestError(soql);
    throw err;
  }
}

/** Matching rows, ordered, with OFFSET and LIMIT applied. */
export function runQuery(query: CompiledQuery, table: Table, includeDeleted: boolean): Row[] {
  return selectSlots(query, table, includeDeleted).map((s) => table.read(s));
}

/**
 * The slots of the matching rows, ordered, with OFFSET and LIMIT applied. ORDER BY a datetime or
 * number (then Id), as the sync's incremental queries read, walks the table's sorted index from
 * the WHERE's lower bound, so a query over millions of rows costs what it returns; other queries
 * read every row.
 */
export function selectSlots(query: CompiledQuery, table: Table, includeDeleted: boolean): number[] {
  let slots = indexedSlots(query, table, includeDeleted);
  if (!slots) {
    slots = table.slots(includeDeleted);
    if (query.filtered) slots = slots.filter((s) => query.where(table.read(s)));
    if (query.orderBy.length > 0) {
      const rows = slots.map((slot) => ({ slot, row: table.read(slot) }));
      rows.sort((a, b) => compareRows(query, a.row, b.row));
      slots = rows.map((r) => r.slot);
    }
  }
  const start = query.offset ?? 0;
  if (start === 0 && query.limit === undefined) return slots;
  return slots.slice(start, query.limit === undefined ? undefined : start + query.limit);
}

function indexedSlots(query: CompiledQuery, table: Table, includeDeleted: boolean): number[] | null {
  const [first, ...rest] = query.orderBy;
  if (!first || first.descending || !first.nullsFirst) return null;
  // Slots are in Id order, so the index's tie-break is "then Id ASC".
  if (rest.length > 1 || (rest[0] && (rest[0].field.name !== 'Id' || rest[0].descending))) return null;
  const bound = query.lowerBound?.field.name === first.field.name ? query.lowerBound : undefined;
  if (query.filtered && !bound) return null;
  return table.orderedBy(first.field.name, includeDeleted, bound?.test);
}

function compile(objects: Objects, soql: string): CompiledQuery {
  let parsed: Query;
  try {
    parsed = parseQuery(soql);
  } catch (err) {
    throw parseProblem(err);
  }
  for (const clause of Object.keys(parsed)) {
    if (!SUPPORTED_CLAUSES.has(clause)) throw SoqlProblem.unsupported(`the ${clause} clause`);
  }
  const object = objects.object(parsed.sObject ?? '');
  if (!object) throw SoqlProblem.invalidType(parsed.sObject ?? '');

  const { count, fields } = selectList(object, parsed);
  const orderBy = ([] as OrderByClause[]).concat(parsed.orderBy ?? []).map((o) => {
    if (!('field' in o)) throw SoqlProblem.unsupported('functions in ORDER BY');
    const field = fieldOf(object, o.field, 'ORDER BY');
    const descending = o.order === 'DESC';
    // Salesforce's default: nulls first when ascending, last when descending.
    return { field, descending, nullsFirst: o.nulls ? o.nulls === 'FIRST' : !descending };
  });
  const where = parsed.where ? compileWhere(object, parsed.where) : () => true;
  return {
    soql,
    object,
    count,
    fields,
    orderBy,
    where,
    filtered: parsed.where !== undefined,
    lowerBound: parsed.where ? lowerBound(object, parsed.where, where) : undefined,
    limit: parsed.limit,
    offset: parsed.offset,
  };
}

const NUMERIC = new Set(['datetime', 'currency', 'double', 'percent', 'int']);

/** "WHERE f >= x" or "WHERE f > x" alone, on a numeric field: the test of f's value it makes. */
function lowerBound(object: ObjectDef, where: WhereClause, predicate: Predicate): CompiledQuery['lowerBound'] {
  const c = where.left;
  if (('right' in where && where.right) || !c || !('field' in c) || !('operator' in c)) return undefined;
  if (c.openParen || c.closeParen || (c.operator !== '>=' && c.operator !== '>')) return undefined;
  const field = object.byName.get(String(c.field).toLowerCase());
  if (!field || !NUMERIC.has(field.type)) return undefined;
  return { field, test: (value) => predicate({ [field.name]: value === value ? value : null }) };
}

function selectList(object: ObjectDef, parsed: Query): { count: boolean; fields: FieldDef[] } {
  const items = parsed.fields ?? [];
  const isCount = (i: (typeof items)[number]) =>
    i.type === 'FieldFunctionExpression' && i.functionName.toUpperCase() === 'COUNT' && i.parameters.length === 0;
  if (items.some(isCount)) {
    if (items.length > 1) throw SoqlProblem.malformed('COUNT() and other fields cannot be selected together', 'COUNT');
    return { count: true, fields: [] };
  }
  const fields: FieldDef[] = [];
  for (const item of items) {
    if (item.type === 'FieldRelationship')
      throw SoqlProblem.unsupported(`relationship fields ('${item.rawValue ?? item.field}')`);
    if (item.type !== 'Field')
      throw SoqlProblem.unsupported(
        `${item.type === 'FieldFunctionExpression' ? `${item.functionName}()` : 'subqueries'} in SELECT`,
      );
    const field = fieldOf(object, item.field, 'SELECT');
    if (fields.includes(field)) throw SoqlProblem.malformed(`duplicate field selected: ${field.name}`, item.field);
    fields.push(field);
  }
  return { count: false, fields };
}

function fieldOf(object: ObjectDef, name: string, clause: 'SELECT' | 'ORDER BY'): FieldDef {
  if (name.includes('.')) throw SoqlProblem.unsupported(`relationship fields ('${name}')`);
  const field = object.byName.get(name.toLowerCase());
  if (!field) throw SoqlProblem.noSuchColumn(name, object.name, clause);
  return field;
}

function compareRows(query: CompiledQuery, a: Row, b: Row): number {
  for (const { field, descending, nullsFirst } of query.orderBy) {
    const va = comparable(field, a[field.name] ?? null);
    const vb = comparable(field, b[field.name] ?? null);
    if (va === vb) continue;
    if (va === null) return nullsFirst ? -1 : 1;
    if (vb === null) return nullsFirst ? 1 : -1;
    const d = compareValues(va, vb);
    if (d !== 0) return descending ? -d : d;
  }
  return 0;
}

/** The parser's complaint, reworded as Salesforce words it: "unexpected token: 'X'". */
function parseProblem(err: unknown): SoqlProblem {
  const text = err instanceof Error ? err.message : String(err);
  const found = /but found:? (?:--> )?'(.*?)'(?: <--)?\s*$/s.exec(text)?.[1];
  const token = found === undefined || found === '' ? '<EOF>' : found;
  return SoqlProblem.malformed(`unexpected token: '${token}'`, token === '<EOF>' ? undefined : token);
}
