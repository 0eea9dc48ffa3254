// The influenced opportunities of a range, by name: paged JSON, or the whole list as CSV.
import { Router } from 'express';
import {
  influencedOpportunityCsvRecords,
  influencedOpportunityPage,
  listInfluencedOpportunities,
  OPPORTUNITY_CSV_COLUMNS,
  opportunityFilters,
  opportunityListQuery,
} from '../../reporting/influenced-opportunities';
import { caller, requireScope } from '../auth';
import type { ApiDeps } from '../deps';
import { sendCsv } from '../exports';

/** Rows formatted at a time: one string each, not a stream hop per row. */
const CSV_BATCH = 500;
import { apiDocs, json, problems } from '../openapi/registry';
import { parseQuery } from '../validate';

const security = [{ apiKey: [] }];
const which =
  'Opportunities whose influence (for the team set) started by the end of the range and that either started in it or ' +
  'changed Pipeline or Closed-Won Influenced in it. Needs dashboard:read; a key restricted to teams sees what its teams influenced.';

apiDocs.registerPath({
  method: 'get',
  path: '/api/v1/opportunities',
  tags: ['Reports'],
  summary: 'The influenced opportunities of a range, by name, with their influence and credit',
  description: which,
  security,
  request: { query: opportunityListQuery },
  responses: { 200: json('A page of opportunities', influencedOpportunityPage), ...problems(400, 401, 403, 404, 429) },
});

apiDocs.registerPath({
  method: 'get',
  path: '/api/v1/opportunities.csv',
  tags: ['Reports'],
  summary: 'The same list as one CSV file, in the same order',
  description:
    `${which} Columns: ${OPPORTUNITY_CSV_COLUMNS.join(', ')}. Cells a spreadsheet would run as a formula are ` +
    "prefixed with a quote (OWASP's CSV Injection advice).",
  security,
  request: { query: opportunityFilters },
  responses: {
    200: { description: 'CSV with a header row', content: { 'text/csv': { schema: { type: 'string' } } } },
    ...problems(400, 401, 403, 404, 429, 503),
  },
});

export function opportunityRoutes(deps: ApiDeps): Router {
  const router = Router();
  const read = requireScope('dashboard:read');
  router.get('/opportunities', read, async (req, res) => {
    const { workspaceId, teams } = caller(req);
    res.json(await listInfluencedOpportunities(deps.db, { workspaceId, teams }, parseQuery(opportunityListQuery, req)));
  });
  router.get('/opportunities.csv', read, async (req, res) => {
    const { workspaceId, teams } = caller(req);
    const filters = parseQuery(opportunityFilters, req);
    const release = deps.exports.acquire(workspaceId);
    try {
      const rows = await influencedOpportunityCsvRecords(deps.db, { workspaceId, teams }, filters);
      async function* records() {
        for (let i = 0; i < rows.length; i += CSV_BATCH) yield rows.slice(i, i + CSV_BATCH);
      }
      await sendCsv(
        req,
        res,
        { name: 'opportunities.csv', columns: OPPORTUNITY_CSV_COLUMNS, records: records() },
        deps.config.exports,
        release,
      );
    } finally {
      release();
    }
  });
  return router;
}
