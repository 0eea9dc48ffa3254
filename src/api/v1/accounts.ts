// The accounts that chatted (GET /api/v1/accounts) and one account's timeline
// (GET /api/v1/accounts/{accountId}).
import { Router } from 'express';
import {
  accountParams,
  accountTimeline,
  accountTimelineOf,
  accountTimelineQuery,
} from '../../reporting/account-timeline';
import { accountListQuery, accountPage, listAccounts } from '../../reporting/accounts';
import { caller, requireScope } from '../auth';
import type { ApiDeps } from '../deps';
import { apiDocs, json, problems } from '../openapi/registry';
import { parseParams, parseQuery } from '../validate';

const security = [{ apiKey: [] }];

apiDocs.registerPath({
  method: 'get',
  path: '/api/v1/accounts',
  tags: ['Reports'],
  summary: 'The Salesforce accounts that chatted in a range, with their chats, contacts, opportunities and influence',
  description:
    'Accounts with a conversation of the team set in the range, linked by email to one of their contacts (directly or ' +
    'through a lead converted into it, as attribution links chats). Needs dashboard:read; a key restricted to teams ' +
    'sees its teams’ chats. Definitions: docs/metrics.md.',
  security,
  request: { query: accountListQuery },
  responses: { 200: json('A page of accounts', accountPage), ...problems(400, 401, 403, 404, 429) },
});

apiDocs.registerPath({
  method: 'get',
  path: '/api/v1/accounts/{accountId}',
  tags: ['Reports'],
  summary: 'One account and its chats, contacts and opportunity changes on one timeline',
  description:
    'Every chat of the team set linked to the account, when each contact joined it and was first linked to a chat, ' +
    'and each opportunity’s creation, amount and stage changes and closing, in time order. Needs dashboard:read. ' +
    '404 for an account the workspace has never synced (or, for a key restricted to teams, one its teams never chatted with).',
  security,
  request: { params: accountParams, query: accountTimelineQuery },
  responses: { 200: json('The account’s timeline', accountTimeline), ...problems(400, 401, 403, 404, 429) },
});

export function accountRoutes(deps: ApiDeps): Router {
  const router = Router();
  const read = requireScope('dashboard:read');
  router.get('/accounts', read, async (req, res) => {
    const { workspaceId, teams } = caller(req);
    res.json(await listAccounts(deps.db, { workspaceId, teams }, parseQuery(accountListQuery, req)));
  });
  router.get('/accounts/:accountId', read, async (req, res) => {
    const { workspaceId, teams } = caller(req);
    const { accountId } = parseParams(accountParams, req);
    res.json(
      await accountTimelineOf(deps.db, { workspaceId, teams }, accountId, parseQuery(accountTimelineQuery, req)),
    );
  });
  return router;
}
