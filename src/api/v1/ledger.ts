// The finance views: the ledger (paged), the ledger as CSV (streamed), the story of one
// opportunity. Workspace-wide, so a key restricted to teams may not read them.
import { Router, type RequestHandler } from 'express';
import { z } from 'zod';
import { LEDGER_CSV_COLUMNS, ledgerCsvRecords } from '../../ledger/read/ledger-csv';
import {
  ledgerFilters,
  ledgerPage,
  ledgerQuery,
  listLedgerEntries,
  type LedgerFilters,
} from '../../ledger/read/ledger-entries';
import { opportunityStory, opportunityStoryOf } from '../../ledger/read/opportunity-story';
import { parseTeamList, resolveTeamFilter } from '../../reporting/team-scope';
import type { DbOrTx } from '../../platform/db/client';
import { caller, requireScope, requireWorkspaceWide } from '../auth';
import type { ApiDeps } from '../deps';
import { sendCsv } from '../exports';
import { apiDocs, json, problems } from '../openapi/registry';
import { parseParams, parseQuery } from '../validate';

const security = [{ apiKey: [] }];
const opportunityParams = z.object({
  id: z.string().min(1).max(40).meta({ description: 'The Salesforce opportunity id.' }),
});
const needs = 'Needs ledger:read and a key without a team restriction.';

apiDocs.registerPath({
  method: 'get',
  path: '/api/v1/ledger',
  tags: ['Ledger'],
  summary: 'Ledger entries in chain order, keyset-paginated',
  description: `With asOf, the ledger as it was recorded at that instant. ${needs}`,
  security,
  request: { query: ledgerQuery },
  responses: { 200: json('A page of entries', ledgerPage), ...problems(400, 401, 403, 404, 429) },
});

apiDocs.registerPath({
  method: 'get',
  path: '/api/v1/ledger.csv',
  tags: ['Ledger'],
  summary: 'The same entries as one streamed CSV file',
  description: `Columns: ${LEDGER_CSV_COLUMNS.join(', ')}. Causes are space-separated ids. ${needs}`,
  security,
  request: { query: ledgerFilters },
  responses: {
    200: { description: 'CSV with a header row', content: { 'text/csv': { schema: { type: 'string' } } } },
    ...problems(400, 401, 403, 404, 429),
  },
});

apiDocs.registerPath({
  method: 'get',
  path: '/api/v1/opportunities/{id}/attribution',
  tags: ['Ledger'],
  summary: 'The story of one opportunity: versions, contacts, chats, influence start and ledger entries',
  description: needs,
  security,
  request: { params: opportunityParams },
  responses: { 200: json('The story', opportunityStory), ...problems(401, 403, 404, 429) },
});

export function ledgerRoutes(deps: ApiDeps): Router {
  const router = Router();
  const finance: RequestHandler[] = [requireScope('ledger:read'), requireWorkspaceWide];

  router.get('/ledger', ...finance, async (req, res) => {
    const { workspaceId } = caller(req);
    const q = parseQuery(ledgerQuery, req);
    res.json(await listLedgerEntries(deps.db, workspaceId, { ...q, teams: await teamsOf(deps.db, workspaceId, q) }));
  });

  router.get('/ledger.csv', ...finance, async (req, res) => {
    const { workspaceId } = caller(req);
    const q = parseQuery(ledgerFilters, req);
    const filters = { ...q, teams: await teamsOf(deps.db, workspaceId, q) };
    const release = deps.exports.acquire(workspaceId);
    try {
      const records = await ledgerCsvRecords(deps.db, deps.exports.sql, workspaceId, filters);
      await sendCsv(
        req,
        res,
        { name: 'ledger.csv', columns: LEDGER_CSV_COLUMNS, records },
        deps.config.exports,
        release,
      );
    } finally {
      release();
    }
  });

  router.get('/opportunities/:id/attribution', ...finance, async (req, res) => {
    const { id } = parseParams(opportunityParams, req);
    res.json(await opportunityStoryOf(deps.db, caller(req).workspaceId, id));
  });
  return router;
}

/** The ledger is workspace-wide (no team-restricted key reads it): any team the workspace has. */
const teamsOf = (db: DbOrTx, workspaceId: string, q: Pick<LedgerFilters, 'teams'>) =>
  resolveTeamFilter(db, workspaceId, null, parseTeamList(q.teams));
