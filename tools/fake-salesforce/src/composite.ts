// sObject Collections (/composite/sobjects), which jsforce uses for arrays: up to 200 records
// created, updated, deleted or retrieved in one call, each with its own result, or all-or-none.
import { Router, type Request, type Response } from 'express';
import { z } from 'zod';
import type { FakeContext } from './context';
import { RestError } from './errors';
import { normalizeId } from './ids';
import { recordJson } from './record-json';
import { applyWrite, objectNamed, prepareCreate, prepareDelete, prepareUpdate, type PreparedWrite } from './writes';

const MAX_RECORDS = 200;
const collection = z.object({
  allOrNone: z.boolean().optional().default(false),
  records: z.array(z.record(z.string(), z.unknown())),
});
type SaveResult = {
  id?: string;
  success: boolean;
  errors: Array<{ statusCode: string; message: string; fields: string[] }>;
};

export function compositeRouter(ctx: FakeContext): Router {
  const router = Router({ mergeParams: true });
  const { store } = ctx;

  const save = (
    res: Response,
    allOrNone: boolean,
    prepares: Array<() => PreparedWrite>,
    idOf: (i: number) => string | undefined,
  ) => {
    if (prepares.length > MAX_RECORDS) {
      throw new RestError(
        400,
        'EXCEEDED_ID_LIMIT',
        `record limit reached. cannot submit more than ${MAX_RECORDS} records into this call`,
      );
    }
    const prepared = prepares.map((prepare) => {
      try {
        return prepare();
      } catch (err) {
        if (err instanceof RestError) return err;
        throw err;
      }
    });
    const failed = prepared.some((p) => p instanceof RestError);
    const at = ctx.now();
    const results: SaveResult[] = prepared.map((p, i) => {
      const id = idOf(i);
      if (p instanceof RestError)
        return {
          ...(id ? { id } : {}),
          success: false,
          errors: [{ statusCode: p.errorCode, message: p.message, fields: p.fields ?? [] }],
        };
      if (allOrNone && failed) {
        return {
          ...(id ? { id } : {}),
          success: false,
          errors: [
            {
              statusCode: 'ALL_OR_NONE_OPERATION_ROLLED_BACK',
              message:
                'Record rolled back because not all records were valid and the request was using AllOrNone header',
              fields: [],
            },
          ],
        };
      }
      return { id: applyWrite(store, p, at), success: true, errors: [] };
    });
    res.json(results);
  };

  router.post('/composite/sobjects', (req, res) => {
    const body = parseCollection(req.body);
    save(
      res,
      body.allOrNone,
      body.records.map((r) => () => prepareCreate(store, typeOf(r), r)),
      () => undefined,
    );
  });

  router.patch('/composite/sobjects', (req, res) => {
    const body = parseCollection(req.body);
    const ids = body.records.map((r) => (typeof r.id === 'string' ? r.id : typeof r.Id === 'string' ? r.Id : ''));
    save(
      res,
      body.allOrNone,
      body.records.map((r, i) => () => {
        const { id: _id, Id: _Id, ...fields } = r;
        return prepareUpdate(store, typeOf(r), ids[i]!, fields);
      }),
      (i) => ids[i] || undefined,
    );
  });

  router.delete('/composite/sobjects', (req, res) => {
    const ids = String(req.query.ids ?? '')
      .split(',')
      .filter(Boolean);
    const allOrNone = req.query.allOrNone === 'true';
    save(
      res,
      allOrNone,
      ids.map((id) => () => {
        const def = store.objectOfId(normalizeId(id) ?? '');
        if (!def) throw new RestError(400, 'MALFORMED_ID', `malformed id ${id}`, []);
        return prepareDelete(store, def.name, id);
      }),
      (i) => ids[i],
    );
  });

  router.post('/composite/sobjects/:type', (req: Request<{ version: string; type: string }>, res) => {
    const def = objectNamed(store, req.params.type);
    const body = z.object({ ids: z.array(z.string()), fields: z.array(z.string()) }).safeParse(req.body);
    if (!body.success) throw new RestError(400, 'JSON_PARSER_ERROR', 'ids and fields are required');
    const fields = body.data.fields.map((n) => {
      const f = def.byName.get(n.toLowerCase());
      if (!f) throw new RestError(400, 'INVALID_FIELD', `No such column '${n}' on entity '${def.name}'`);
      return f;
    });
    res.json(
      body.data.ids.map((raw) => {
        const id = normalizeId(raw);
        const row = id ? store.get(def.name, id) : undefined;
        return row && row.IsDeleted !== true ? recordJson(def, fields, row, req.params.version) : null;
      }),
    );
  });

  return router;
}

function parseCollection(body: unknown) {
  const parsed = collection.safeParse(body);
  if (!parsed.success)
    throw new RestError(400, 'JSON_PARSER_ERROR', 'Expected a body of the form {"allOrNone": false, "records": [...]}');
  return parsed.data;
}

/** Each record names its type in attributes.type, as the collections API requires. */
function typeOf(record: Record<string, unknown>): string {
  const attributes = record.attributes as { type?: unknown } | undefined;
  if (typeof attributes?.type !== 'string') {
    throw new RestError(400, 'INVALID_TYPE', 'Must specify a type in attributes');
  }
  return attributes.type;
}
