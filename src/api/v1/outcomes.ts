// Deal outcomes and the value of a chat visitor: GET /api/v1/outcomes and /api/v1/conversion.
import { Router } from 'express';
import { buildConversion, conversionQuery, conversionView } from '../../reporting/conversion';
import { buildOutcomes, outcomesQuery, outcomesView } from '../../reporting/outcomes';
import { caller, requireScope } from '../auth';
import type { ApiDeps } from '../deps';
import { apiDocs, json, problems } from '../openapi/registry';
import { parseQuery } from '../validate';

const security = [{ apiKey: [] }];

apiDocs.registerPath({
  method: 'get',
  path: '/api/v1/outcomes',
  tags: ['Reports'],
  summary: 'Open pipeline and deal outcomes, influenced by chat and not (the baseline)',
  description:
    'Open pipeline at the end of the range (a stock); opportunities created, won and lost in the range; win rate, average ' +
    'deal size and days to close, for the opportunities chat of the team set influenced and for the others. States as ' +
    'they stood at the end of the range. Needs dashboard:read. Definitions: docs/metrics.md.',
  security,
  request: { query: outcomesQuery },
  responses: { 200: json('Outcomes', outcomesView), ...problems(400, 401, 403, 404, 429) },
});

apiDocs.registerPath({
  method: 'get',
  path: '/api/v1/conversion',
  tags: ['Reports'],
  summary: 'Chat visitors, what they converted to, the value of a visitor, and the lift with 95% intervals',
  description:
    'Unique visitors of the range and their deals to date; value per visitor = conversion rate × average won amount; ' +
    'the win-rate and deal-size lift of influenced over other deals closed in the range, with confidence intervals and ' +
    'sample sizes. Needs dashboard:read. Definitions: docs/metrics.md.',
  security,
  request: { query: conversionQuery },
  responses: { 200: json('Conversion', conversionView), ...problems(400, 401, 403, 404, 429) },
});

export function outcomeRoutes(deps: ApiDeps): Router {
  const router = Router();
  const read = requireScope('dashboard:read');
  router.get('/outcomes', read, async (req, res) => {
    const { workspaceId, teams } = caller(req);
    res.json(await buildOutcomes(deps.db, { workspaceId, teams }, parseQuery(outcomesQuery, req)));
  });
  router.get('/conversion', read, async (req, res) => {
    const { workspaceId, teams } = caller(req);
    res.json(await buildConversion(deps.db, { workspaceId, teams }, parseQuery(conversionQuery, req)));
  });
  return router;
}
