// A SOQL WHERE clause as a predicate over rows. The parser hands conditions over as a flat chain
// with parenthesis counts; this rebuilds the tree, and, as Salesforce does, refuses AND and OR
// mixed at one level without parentheses.
import type { Condition, ValueCondition, WhereClause } from '@jetstreamapp/soql-parser-js';
import { normalizeId } from './ids';
import type { FieldDef, ObjectDef } from './objects';
import { SoqlProblem } from './soql-problem';
import { isDate, parseInstant, type Row, type Value } from './values';

export type Predicate = (row: Row) => boolean;

type Token = '(' | ')' | 'AND' | 'OR' | 'NOT' | ValueCondition;

export function compileWhere(def: ObjectDef, where: WhereClause): Predicate {
  const tokens = flatten(where);
  let pos = 0;
  const peek = () => tokens[pos];

  const expression = (): Predicate => {
    const parts = [unary()];
    let joiner: 'AND' | 'OR' | undefined;
    for (let t = peek(); t === 'AND' || t === 'OR'; t = peek()) {
      if (joiner && t !== joiner) throw SoqlProblem.malformed(`unexpected token: '${t}'`, t);
      joiner = t;
      pos++;
      parts.push(unary());
    }
    if (parts.length === 1) return parts[0]!;
    return joiner === 'OR' ? (r) => parts.some((p) => p(r)) : (r) => parts.every((p) => p(r));
  };
  const unary = (): Predicate => {
    const t = tokens[pos++];
    if (t === 'NOT') {
      const inner = unary();
      return (r) => !inner(r);
    }
    if (t === '(') {
      const inner = expression();
      if (tokens[pos++] !== ')') throw SoqlProblem.malformed("unexpected token: '<EOF>'");
      return inner;
    }
    if (t === undefined || typeof t === 'string') throw SoqlProblem.malformed(`unexpected token: '${t ?? '<EOF>'}'`, t);
    return compileCondition(def, t);
  };

  const predicate = expression();
  if (pos !== tokens.length) throw SoqlProblem.malformed(`unexpected token: '${String(peek())}'`);
  return predicate;
}

function flatten(where: WhereClause): Token[] {
  const tokens: Token[] = [];
  for (let node: WhereClause | undefined = where; node;) {
    const left = node.left as Condition | null;
    if (left) {
      for (let i = 0; i < (left.openParen ?? 0); i++) tokens.push('(');
      if ('fn' in left) throw SoqlProblem.unsupported('functions in WHERE');
      if ('valueQuery' in left) throw SoqlProblem.unsupported('semi-join subqueries in WHERE');
      if ('field' in left) tokens.push(left as ValueCondition);
      for (let i = 0; i < ('closeParen' in left ? (left.closeParen ?? 0) : 0); i++) tokens.push(')');
    }
    if ('operator' in node && node.operator) tokens.push(node.operator);
    node = 'right' in node ? node.right : undefined;
  }
  return tokens;
}

function compileCondition(def: ObjectDef, c: ValueCondition): Predicate {
  if (c.field.includes('.')) throw SoqlProblem.unsupported(`relationship fields ('${c.field}')`);
  const field = def.byName.get(c.field.toLowerCase());
  if (!field) throw SoqlProblem.noSuchColumn(c.field, def.name, 'WHERE');
  const types = Array.isArray(c.literalType) ? c.literalType : [c.literalType];
  const raws = Array.isArray(c.value) ? c.value : [c.value];
  const literals = raws.map((raw, i) => literal(field, raw, types[i] ?? types[0], c.operator === 'LIKE'));
  const get = (r: Row) => comparable(field, r[field.name] ?? null);

  switch (c.operator) {
    case '=':
      return (r) => equals(get(r), literals[0]!);
    case '!=':
      return (r) => !equals(get(r), literals[0]!);
    case 'IN':
      return (r) => literals.some((l) => equals(get(r), l));
    case 'NOT IN':
      return (r) => !literals.some((l) => equals(get(r), l));
    case '<':
      return ordered(get, literals[0]!, (d) => d < 0);
    case '<=':
      return ordered(get, literals[0]!, (d) => d <= 0);
    case '>':
      return ordered(get, literals[0]!, (d) => d > 0);
    case '>=':
      return ordered(get, literals[0]!, (d) => d >= 0);
    case 'LIKE': {
      const pattern = likePattern(String(literals[0]));
      return (r) => {
        const v = get(r);
        return v !== null && pattern.test(String(v));
      };
    }
    default:
      throw SoqlProblem.unsupported(`the ${c.operator} operator`);
  }
}

function ordered(get: (r: Row) => Value, lit: Value, test: (d: number) => boolean): Predicate {
  return (r) => {
    const v = get(r);
    return v !== null && lit !== null && test(compareValues(v, lit));
  };
}

const equals = (a: Value, b: Value) => a === b;

export function compareValues(a: Value, b: Value): number {
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  if (typeof a === 'boolean' && typeof b === 'boolean') return Number(a) - Number(b);
  return String(a) < String(b) ? -1 : String(a) > String(b) ? 1 : 0;
}

/** Row values in the form literals are compared with: text ignores case, as SOQL does. */
export function comparable(field: FieldDef, v: Value): Value {
  if (v === null) return null;
  return typeof v === 'string' && field.type !== 'date' ? v.toLowerCase() : v;
}

const TYPE_NAME: Record<FieldDef['type'], string> = {
  id: 'id',
  reference: 'reference',
  string: 'string',
  email: 'email',
  picklist: 'picklist',
  boolean: 'boolean',
  currency: 'currency',
  double: 'double',
  percent: 'percent',
  int: 'int',
  date: 'date',
  datetime: 'dateTime',
};

function literal(field: FieldDef, raw: string, type: string | undefined, like: boolean): Value {
  if (type === 'NULL') return null;
  const wrongType = () =>
    SoqlProblem.invalidField(
      `value of filter criterion for field '${field.name}' must be of type ${TYPE_NAME[field.type]} and should not be enclosed in quotes`,
      raw,
    );
  switch (field.type) {
    case 'boolean':
      if (type !== 'BOOLEAN') throw wrongType();
      return raw.toUpperCase() === 'TRUE';
    case 'currency':
    case 'double':
    case 'percent':
    case 'int':
      if (type !== 'INTEGER' && type !== 'DECIMAL') throw wrongType();
      return Number(raw);
    case 'date':
      if (type !== 'DATE' || !isDate(raw))
        throw type === 'DATE_LITERAL' || type === 'DATE_N_LITERAL'
          ? SoqlProblem.unsupported('date literals such as TODAY')
          : wrongType();
      return raw;
    case 'datetime': {
      if (type === 'DATE_LITERAL' || type === 'DATE_N_LITERAL')
        throw SoqlProblem.unsupported('date literals such as TODAY');
      const ms = type === 'DATETIME' ? parseInstant(raw) : null;
      if (ms === null) throw wrongType();
      return ms;
    }
    default: {
      if (type !== 'STRING')
        throw SoqlProblem.invalidField(
          `value of filter criterion for field '${field.name}' must be of type ${TYPE_NAME[field.type]} and should be enclosed in quotes`,
          raw,
        );
      const text = unquote(raw, like);
      // A 15-character id literal matches the 18-character id Salesforce stores.
      if (field.type === 'id' || field.type === 'reference') return (normalizeId(text) ?? text).toLowerCase();
      return text.toLowerCase();
    }
  }
}

/** The text of a quoted SOQL string, escapes resolved; a LIKE pattern keeps \\% and \\_ for likePattern. */
function unquote(raw: string, like: boolean): string {
  return raw.slice(1, -1).replace(/\\(.)/g, (_, ch: string) => {
    const map: Record<string, string> = { n: '\n', t: '\t', r: '\r', b: '\b', f: '\f' };
    if (ch === '%' || ch === '_') return like ? `\\${ch}` : ch;
    return like && ch === '\\' ? '\\\\' : (map[ch] ?? ch);
  });
}

/** % is any run, _ any one character, \% and \_ themselves; case is ignored. */
function likePattern(pattern: string): RegExp {
  let source = '';
  for (let i = 0; i < pattern.length; i++) {
    const ch = pattern[i]!;
    if (ch === '\\' && i + 1 < pattern.length) source += escapeRegex(pattern[++i]!);
    else if (ch === '%') source += '.*';
    else if (ch === '_') source += '.';
    else source += escapeRegex(ch);
  }
  return new RegExp(`^${source}$`, 'is');
}

function escapeRegex(ch: string): string {
  return ch.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}
