// The Query and QueryAll resources: SOQL over the org, a page at a time. The result is snapshotted
// when the query runs; nextRecordsUrl ("…/query/01g…-2000") walks that snapshot, as a query locator does.
// A result of more than LAZY_ABOVE rows keeps which rows matched, in order, and reads their values
// page by page (an org of millions of records would not fit twice in memory): the rows are fixed
// at query time, their values are those of when the page is read.
import { Router, type Request, type Response } from 'express';
import type { FieldDef } from './objects';
import { javaDouble } from './values';
import type { FakeContext } from './context';
import { RestError } from './errors';
import { randomId } from './ids';
import { recordJson } from './record-json';
import { compileSoql, selectSlots, visible, type CompiledQuery } from './soql';
import type { Table } from './table';

const LOCATOR_IDLE_MS = 15 * 60 * 1000; // Salesforce drops a locator after 15 minutes unused
export const LAZY_ABOVE = 10_000;
type Cursor = {
  /** The records as of the query, or how to read them (slots in result order) when the result is large. */
  records: Array<Record<string, unknown>> | { table: Table; slots: number[]; query: CompiledQuery; version: string };
  pageSize: number;
  lastUsed: number;
};

export function queryRouter(ctx: FakeContext): Router {
  const router = Router({ mergeParams: true });
  const cursors = new Map<string, Cursor>();

  const page = (version: string, id: string, cursor: Cursor, offset: number) => {
    cursor.lastUsed = ctx.now();
    const all = cursor.records;
    const records = Array.isArray(all)
      ? all.slice(offset, offset + cursor.pageSize)
      : all.slots
          .slice(offset, offset + cursor.pageSize)
          .map((s) => json(all.query, all.table.read(s, all.query.fields), all.version));
    const total = Array.isArray(all) ? all.length : all.slots.length;
    const next = offset + records.length;
    const done = next >= total;
    if (done) cursors.delete(id);
    return {
      totalSize: total,
      done,
      ...(done ? {} : { nextRecordsUrl: `/services/data/${version}/query/${id}-${next}` }),
      records,
    };
  };

  const run = (includeDeleted: boolean) => (req: Request<{ version: string }>, res: import('express').Response) => {
    const soql = typeof req.query.q === 'string' ? req.query.q : '';
    if (soql.trim() === '') throw new RestError(400, 'MALFORMED_QUERY', 'A query string has to be specified');
    const query = compileSoql(visible(ctx), soql);
    if (query instanceof RestError) throw query;
    const table = ctx.store.table(query.object.name);
    if (query.count && !query.filtered && query.offset === undefined && query.limit === undefined)
      return void res.json({ totalSize: table.count(includeDeleted), done: true, records: [] });
    const slots = selectSlots(query, table, includeDeleted);
    if (query.count) return void res.json({ totalSize: slots.length, done: true, records: [] });
    const version = req.params.version;
    const records =
      slots.length > LAZY_ABOVE
        ? { table, slots, query, version }
        : slots.map((s) => json(query, table.read(s), version));
    const id = randomId('01g');
    const cursor: Cursor = { records, pageSize: batchSize(req) ?? ctx.options.pageSize, lastUsed: ctx.now() };
    cursors.set(id, cursor);
    sendSalesforceJson(res, page(version, id, cursor, 0));
  };

  const more = (req: Request<{ version: string; locator: string }>, res: import('express').Response) => {
    const m = /^(01g[A-Za-z0-9]{15})-(\d+)$/.exec(req.params.locator);
    const cursor = m && cursors.get(m[1]!);
    if (!m || !cursor || cursor.lastUsed + LOCATOR_IDLE_MS <= ctx.now()) {
      throw new RestError(400, 'INVALID_QUERY_LOCATOR', 'invalid query locator');
    }
    sendSalesforceJson(res, page(req.params.version, m[1]!, cursor, Number(m[2])));
  };

  router.get('/query', run(false));
  router.get('/queryAll', run(true));
  router.get('/query/:locator', more);
  router.get('/queryAll/:locator', more);
  return router;
}

function json(query: CompiledQuery, row: import('./values').Row, version: string): Record<string, unknown> {
  return withJavaDoubles(recordJson(query.object, query.fields, row, version), query.fields);
}

/** Sforce-Query-Options: batchSize=N, honoured between 200 and 2000 as Salesforce does. */
function batchSize(req: Request): number | undefined {
  const m = /batchSize\s*=\s*(\d+)/i.exec(req.get('sforce-query-options') ?? '');
  if (!m) return undefined;
  return Math.min(2000, Math.max(200, Number(m[1])));
}

/**
 * The REST API prints currency, double and percent values as Java doubles too: 1.25E7 from 10^7 on
 * ("this is how the Salesforce SOQL query API works", Help 000385889 via IlluminatedCloud#3004).
 */
const DOUBLE = '\u0001double:';
function withJavaDoubles(record: Record<string, unknown>, fields: FieldDef[]): Record<string, unknown> {
  for (const f of fields) {
    const v = record[f.name];
    if (typeof v === 'number' && (f.type === 'currency' || f.type === 'double' || f.type === 'percent'))
      record[f.name] = `${DOUBLE}${javaDouble(v)}`;
  }
  return record;
}

function sendSalesforceJson(res: Response, body: unknown): void {
  res.type('application/json').send(JSON.stringify(body).replace(/"\\u0001double:([^"]+)"/g, '$1'));
}
