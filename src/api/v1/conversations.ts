// POST /api/v1/conversations: a batch of conversations, upserted by the chat product's id.
import express, { Router } from 'express';
import { conversationBatch } from '../../conversations/conversation-input';
import { ingestConversations, ingestResult } from '../../conversations/ingest-conversations';
import { caller, requireScope } from '../auth';
import type { ApiDeps } from '../deps';
import { apiDocs, json, problems } from '../openapi/registry';
import { parseBody } from '../validate';

apiDocs.registerPath({
  method: 'post',
  path: '/api/v1/conversations',
  tags: ['Ingestion'],
  summary: 'Send a batch of conversations (up to 1,000)',
  description:
    'Upserts each conversation by its id: sending the same batch again changes nothing. The whole batch is ' +
    'committed in one transaction, or nothing of it when any field is bad. Needs the conversations:write scope; a key ' +
    'restricted to teams may only write (and never move) conversations of those teams.',
  security: [{ apiKey: [] }],
  request: { body: { required: true, content: { 'application/json': { schema: conversationBatch } } } },
  responses: { 200: json('The batch is committed', ingestResult), ...problems(400, 401, 403, 413, 415, 429) },
});

export function conversationRoutes(deps: ApiDeps): Router {
  const router = Router();
  router.post(
    '/conversations',
    requireScope('conversations:write'),
    express.json({ limit: deps.config.api.maxBodyBytes }),
    async (req, res) => {
      const batch = parseBody(conversationBatch, req);
      const { workspaceId, teams } = caller(req);
      const outcome = await ingestConversations({ ...deps, logger: req.log }, workspaceId, batch, teams);
      req.log.info({ workspaceId, ...outcome }, 'conversations ingested');
      res.json(outcome);
    },
  );
  return router;
}
