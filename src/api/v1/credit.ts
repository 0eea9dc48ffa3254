// GET /api/v1/credit: who earned the range's influence, under a credit model.
import { Router } from 'express';
import { buildCredit, creditQuery, creditView } from '../../reporting/credit';
import { caller, requireScope } from '../auth';
import type { ApiDeps } from '../deps';
import { apiDocs, json, problems } from '../openapi/registry';
import { parseQuery } from '../validate';

apiDocs.registerPath({
  method: 'get',
  path: '/api/v1/credit',
  tags: ['Reports'],
  summary: 'Credit of Pipeline and Closed-Won Influenced by team, agent, conversation or opportunity',
  description:
    'Each daily delta of the range (for the team set) is split among the conversations of those teams that had touched ' +
    'the opportunity by the end of that day, in exact cents (ATTRIBUTION.md, "Credit models"). Rows add up to the ' +
    'totals, and the totals equal GET /api/v1/dashboard for the same range and teams. Needs dashboard:read.',
  security: [{ apiKey: [] }],
  request: { query: creditQuery },
  responses: { 200: json('Credit', creditView), ...problems(400, 401, 403, 404, 429) },
});

export function creditRoutes(deps: ApiDeps): Router {
  const router = Router();
  router.get('/credit', requireScope('dashboard:read'), async (req, res) => {
    const { workspaceId, teams } = caller(req);
    res.json(await buildCredit(deps.db, { workspaceId, teams }, parseQuery(creditQuery, req)));
  });
  return router;
}
