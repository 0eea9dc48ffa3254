// Chat ingestion, dashboard, ledger and leaderboard routes. Each module registers its own paths
// in the OpenAPI document (src/api/openapi/registry.ts) next to the handlers.
import { Router } from 'express';
import type { ApiDeps } from '../deps';
import { adminRoutes } from './admin';
import { conversationRoutes } from './conversations';
import { serviceErrors } from '../chat-errors';
import { ledgerRoutes } from './ledger';
import { perKeyRateLimit } from '../rate-limit';
import { reportRoutes } from './reports';
import { webhookRoutes } from '../webhooks';

/** Routes that authenticate by other means than an API key (signed webhooks). */
export function chatPublicRoutes(deps: ApiDeps): Router {
  const router = Router();
  router.use(webhookRoutes(deps));
  router.use(serviceErrors);
  return router;
}

/**
 * Routes under /api/v1, after API-key authentication. The rate limit is the first thing here and
 * this router sees every /api/v1 request, so it counts the requests of a key to any /api/v1 route.
 */
export function chatApiRoutes(deps: ApiDeps): Router {
  const router = Router();
  router.use(perKeyRateLimit(deps));
  router.use(conversationRoutes(deps));
  router.use(reportRoutes(deps));
  router.use(ledgerRoutes(deps));
  router.use(adminRoutes(deps));
  router.use(serviceErrors);
  return router;
}
