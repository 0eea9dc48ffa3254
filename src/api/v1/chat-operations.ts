// GET /api/v1/chat-operations: is the chat team itself working?
import { Router } from 'express';
import { buildChatOperations, chatOperationsQuery, chatOperationsView } from '../../reporting/chat-operations';
import { caller, requireScope } from '../auth';
import type { ApiDeps } from '../deps';
import { apiDocs, json, problems } from '../openapi/registry';
import { parseQuery } from '../validate';

apiDocs.registerPath({
  method: 'get',
  path: '/api/v1/chat-operations',
  tags: ['Reports'],
  summary: 'Missed chats, wait, response and duration, messages, tags, channels, CSAT, NPS, resolution, busy hours',
  description:
    'Over the conversations that started in the range (days in the workspace zone), of the teams the key may see; ' +
    'totals and a series by day, week or month. Needs dashboard:read. Definitions: docs/metrics.md.',
  security: [{ apiKey: [] }],
  request: { query: chatOperationsQuery },
  responses: { 200: json('Chat operations', chatOperationsView), ...problems(400, 401, 403, 404, 429) },
});

export function chatOperationRoutes(deps: ApiDeps): Router {
  const router = Router();
  router.get('/chat-operations', requireScope('dashboard:read'), async (req, res) => {
    const { workspaceId, teams } = caller(req);
    res.json(await buildChatOperations(deps.db, { workspaceId, teams }, parseQuery(chatOperationsQuery, req)));
  });
  return router;
}
