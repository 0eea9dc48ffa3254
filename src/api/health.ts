// Liveness (the process answers) and readiness (database and queue reachable; where this process
// runs the worker, its job schedulers present).
import { Router } from 'express';
import { sql } from 'drizzle-orm';
import type { Db } from '../platform/db/client';
import type { JobQueue } from '../jobs/contract';

const within = <T>(ms: number, p: Promise<T>, fallback: T) =>
  Promise.race([p, new Promise<T>((r) => setTimeout(() => r(fallback), ms).unref())]);

export function healthRoutes(deps: { db: Db; queue: JobQueue; missingSchedules?: () => Promise<string[]> }): Router {
  const router = Router();
  router.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  router.get('/readyz', async (_req, res) => {
    const [database, queue, missing] = await Promise.all([
      within(
        2000,
        deps.db.execute(sql`select 1`).then(
          () => true,
          () => false,
        ),
        false,
      ),
      within(2000, deps.queue.isReady(), false),
      deps.missingSchedules
        ? within(
            2000,
            deps.missingSchedules().catch(() => null),
            null,
          )
        : Promise.resolve(undefined),
    ]);
    const schedulesOk = missing === undefined || (missing !== null && missing.length === 0);
    const ready = database && queue && schedulesOk;
    res.status(ready ? 200 : 503).json({
      status: ready ? 'ready' : 'not ready',
      checks: {
        database: database ? 'up' : 'down',
        queue: queue ? `up (${deps.queue.transport})` : `down (${deps.queue.transport})`,
        ...(missing === undefined
          ? {}
          : {
              schedules: missing === null ? 'unknown' : missing.length === 0 ? 'ok' : `missing (${missing.length})`,
            }),
      },
    });
  });
  return router;
}
