// The lead funnel (GET /api/v1/funnel) and the Lead Status values it maps to stages.
import express, { Router } from 'express';
import { buildFunnel, funnelQuery, funnelView } from '../../reporting/funnel';
import { changeLeadStages, leadStages, leadStagesChange, leadStageView } from '../../reporting/lead-stages';
import { caller, requireScope } from '../auth';
import type { ApiDeps } from '../deps';
import { apiDocs, json, problems } from '../openapi/registry';
import { parseBody, parseQuery } from '../validate';

const security = [{ apiKey: [] }];

apiDocs.registerPath({
  method: 'get',
  path: '/api/v1/funnel',
  tags: ['Reports'],
  summary: 'Leads created, MQL, SQL, rejected and converted; acceptance rate and time; weekly cohorts',
  description:
    'For chat-sourced leads and for all leads created in the range, how far they got to date, by the stages their Lead ' +
    'Status values map to (GET /api/v1/funnel/stages). Needs dashboard:read. Definitions: docs/metrics.md.',
  security,
  request: { query: funnelQuery },
  responses: { 200: json('The funnel', funnelView), ...problems(400, 401, 403, 404, 429) },
});

apiDocs.registerPath({
  method: 'get',
  path: '/api/v1/funnel/stages',
  tags: ['Reports'],
  summary: 'Every Lead Status value and the funnel stage it counts as',
  security,
  responses: { 200: json('The mapping', leadStageView), ...problems(401, 403, 429) },
});

apiDocs.registerPath({
  method: 'put',
  path: '/api/v1/funnel/stages',
  tags: ['Administration'],
  summary: 'Choose the funnel stage of Lead Status values (null: back to the default)',
  description:
    'Defaults come from the org’s LeadStatus picklist: converted values are SQL, the default value is MQL, and names ' +
    'say the rest (docs/metrics.md). The funnel reads the new mapping at once. Needs an admin key.',
  security,
  request: { body: { required: true, content: { 'application/json': { schema: leadStagesChange } } } },
  responses: { 200: json('The mapping', leadStageView), ...problems(400, 401, 403, 415) },
});

export function funnelRoutes(deps: ApiDeps): Router {
  const router = Router();
  router.get('/funnel', requireScope('dashboard:read'), async (req, res) => {
    const { workspaceId, teams } = caller(req);
    res.json(await buildFunnel(deps.db, { workspaceId, teams }, parseQuery(funnelQuery, req)));
  });
  router.get('/funnel/stages', requireScope('dashboard:read'), async (req, res) => {
    res.json(await leadStages(deps.db, caller(req).workspaceId));
  });
  router.put('/funnel/stages', requireScope('admin'), express.json({ limit: '64kb' }), async (req, res) => {
    res.json(await changeLeadStages(deps.db, caller(req).workspaceId, parseBody(leadStagesChange, req)));
  });
  return router;
}
