// Every route under /api/v1, grouped by resource. Authentication and the rate limit are mounted
// in front of this router (app.ts). Each module registers its own paths in the OpenAPI document.
import { Router } from 'express';
import type { ApiDeps } from '../deps';
import { accountRoutes } from './accounts';
import { adminRoutes } from './admin';
import { agentRoutes } from './agents';
import { chatOperationRoutes } from './chat-operations';
import { conversationRoutes } from './conversations';
import { creditRoutes } from './credit';
import { funnelRoutes } from './funnel';
import { ledgerRoutes } from './ledger';
import { opportunityRoutes } from './opportunities';
import { outcomeRoutes } from './outcomes';
import { reportRoutes } from './reports';
import { salesforceRoutes } from './salesforce';
import { viewRoutes } from './views';
import { userRoutes } from './users';

export function v1Routes(deps: ApiDeps): Router {
  const router = Router();
  router.use(conversationRoutes(deps));
  router.use(reportRoutes(deps));
  router.use(creditRoutes(deps));
  router.use(outcomeRoutes(deps));
  router.use(funnelRoutes(deps));
  router.use(chatOperationRoutes(deps));
  router.use(opportunityRoutes(deps));
  router.use(accountRoutes(deps));
  router.use(ledgerRoutes(deps));
  router.use(adminRoutes(deps));
  router.use(userRoutes(deps));
  router.use(agentRoutes(deps));
  router.use(salesforceRoutes(deps));
  router.use(viewRoutes(deps));
  return router;
}
