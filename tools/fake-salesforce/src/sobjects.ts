// The sObject resources: describe, create (201 {id, success, errors}), retrieve, update (204),
// delete (204, a soft delete), and the replication resources getDeleted / getUpdated.
import { Router, type Request } from 'express';
import type { FakeContext } from './context';
import { describeGlobal, describeObject, objectSummary } from './describe';
import { noSuchColumnOnWrite } from './errors';
import type { FieldDef } from './objects';
import { recordJson } from './record-json';
import { getDeleted, getUpdated } from './replication';
import { applyWrite, liveRecord, objectNamed, prepareCreate, prepareDelete, prepareUpdate } from './writes';

type Params = { version: string; type: string; id: string };

export function sobjectsRouter(ctx: FakeContext): Router {
  const router = Router({ mergeParams: true });
  const { store } = ctx;

  router.get('/sobjects', (req: Request<Params>, res) => void res.json(describeGlobal(store, req.params.version)));

  router.get('/sobjects/:type', (req: Request<Params>, res) => {
    const def = objectNamed(store, req.params.type);
    res.json({ objectDescribe: objectSummary(def), recentItems: [] });
  });

  router.get('/sobjects/:type/describe', (req: Request<Params>, res) => {
    const def = objectNamed(store, req.params.type);
    res.json(describeObject(store, store.visibleObject(def.name)!, req.params.version));
  });

  router.get('/sobjects/:type/deleted', (req: Request<Params>, res) => {
    res.json(
      getDeleted(store, objectNamed(store, req.params.type), req.query, ctx.now(), ctx.options.getDeletedIdLimit),
    );
  });

  router.get('/sobjects/:type/updated', (req: Request<Params>, res) => {
    res.json(getUpdated(store, objectNamed(store, req.params.type), req.query, ctx.now()));
  });

  router.post('/sobjects/:type', (req: Request<Params>, res) => {
    const id = applyWrite(store, prepareCreate(store, req.params.type, req.body), ctx.now());
    res.status(201).json({ id, success: true, errors: [] });
  });

  router.get('/sobjects/:type/:id', (req: Request<Params>, res) => {
    const def = objectNamed(store, req.params.type);
    const row = liveRecord(store, def, req.params.id);
    const wanted = typeof req.query.fields === 'string' ? req.query.fields.split(',').map((f) => f.trim()) : null;
    const fields: FieldDef[] = wanted
      ? wanted.map((name) => {
          const f = def.byName.get(name.toLowerCase());
          if (!f) throw noSuchColumnOnWrite(name, def.name);
          return f;
        })
      : def.fields;
    res.json(recordJson(def, fields, row, req.params.version));
  });

  router.patch('/sobjects/:type/:id', (req: Request<Params>, res) => {
    applyWrite(store, prepareUpdate(store, req.params.type, req.params.id, req.body), ctx.now());
    res.status(204).end();
  });

  router.delete('/sobjects/:type/:id', (req: Request<Params>, res) => {
    applyWrite(store, prepareDelete(store, req.params.type, req.params.id), ctx.now());
    res.status(204).end();
  });

  return router;
}
