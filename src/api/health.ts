// Liveness (the process answers) and readiness (database and queue reachable).
import { Router } from 'express';
import { sql } from 'drizzle-orm';
import type { Db } from '../platform/db/client';
import type { JobQueue } from '../jobs/contract';

const within = <T>(ms: number, p: Promise<T>, fallback: T) =>
  Promise.race([p, new Promise<T>((r) => setTimeout(() => r(fallback), ms).unref())]);

export function healthRoutes(deps: { db: Db; queue: JobQueue }): Router {
  const router = Router();
  router.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  router.get('/readyz', async (_req, res) => {
    const [database, queue] = await Promise.all([
      within(
        2000,
        deps.db.execute(sql`select 1`).then(
          () => true,
          () => false,
        ),
        false,
      ),
      within(2000, deps.queue.isReady(), false),
    ]);
    const ready = database && queue;
    res.status(ready ? 200 : 503).json({
      status: ready ? 'ready' : 'not ready',
      checks: {
        database: database ? 'up' : 'down',
        queue: queue ? `up (${deps.queue.transport})` : `down (${deps.queue.transport})`,
      },
    });
  });
  return router;
}
