// POST /webhooks/chat?workspace=<slug>: the conversation batch pushed by the chat product,
// authenticated by its Standard Webhooks signature (not an API key) and deduplicated by webhook-id.
import express, { Router, type Request, type RequestHandler } from 'express';
import { z } from 'zod';
import { conversationBatch } from '../conversations/conversation-input';
import { ingestResult, ingestWebhookDelivery } from '../conversations/ingest-conversations';
import { checkWebhookEnvelope, verifyChatWebhook } from '../conversations/webhook-signature';
import { AppError } from '../platform/errors';
import type { ApiDeps } from './deps';
import { webhookRefusalLimit, webhookWorkspaceLimit } from './rate-limits';
import { apiDocs, json, problems } from './openapi/registry';
import { parseJson } from './validate';

apiDocs.registerPath({
  method: 'post',
  path: '/webhooks/chat',
  tags: ['Ingestion'],
  summary: 'Receive a signed webhook with a batch of conversations',
  description:
    'The body is the same as POST /api/v1/conversations. Signed with a webhook secret of the workspace ' +
    '(Standard Webhooks: HMAC-SHA256 of "<webhook-id>.<webhook-timestamp>.<body>"); refused when the signature ' +
    'matches no active secret or is more than 5 minutes old; an unknown workspace gets the same 401. A delivery id ' +
    'already processed answers 200 with `duplicate: true` and writes nothing. The body may be at most ' +
    'WEBHOOK_MAX_BODY_BYTES (default 256 KiB); deliveries are rate-limited per workspace, refusals per client address.',
  request: {
    query: z.object({ workspace: z.string().meta({ description: 'The workspace slug.' }) }),
    headers: z.object({
      'webhook-id': z.string().meta({ description: 'Unique per delivery; the same on retries.' }),
      'webhook-timestamp': z.string().meta({ description: 'Seconds since 1970 when signed.' }),
      'webhook-signature': z.string().meta({ description: '"v1,<base64 HMAC>", several separated by spaces.' }),
    }),
    body: { required: true, content: { 'application/json': { schema: conversationBatch } } },
  },
  responses: { 200: json('The batch is committed (or was already)', ingestResult), ...problems(400, 401, 413, 429) },
});

const header = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v);
const headersOf = (req: Request) => ({
  'webhook-id': header(req.headers['webhook-id']),
  'webhook-timestamp': header(req.headers['webhook-timestamp']),
  'webhook-signature': header(req.headers['webhook-signature']),
});
const slugOf = (req: Request) => (typeof req.query.workspace === 'string' ? req.query.workspace : undefined);

/**
 * Refuses before the body is read what no body can make right: no workspace, headers missing, a
 * stale timestamp, a declared length over the limit (the body parser would drain it first).
 */
const envelopeFirst =
  (maxBodyBytes: number): RequestHandler =>
  (req, _res, next) => {
    try {
      checkWebhookEnvelope(slugOf(req), headersOf(req));
      if (Number(req.headers['content-length'] ?? 0) > maxBodyBytes)
        throw new AppError(
          'payload_too_large',
          `a webhook body may be at most ${maxBodyBytes} bytes: send smaller batches`,
        );
      next();
    } catch (err) {
      next(err);
    }
  };

export function webhookRoutes(deps: ApiDeps): Router {
  const router = Router();
  router.post(
    '/webhooks/chat',
    webhookRefusalLimit(deps),
    envelopeFirst(deps.config.webhooks.maxBodyBytes),
    webhookWorkspaceLimit(deps),
    // The raw bytes: the signature covers the body exactly as sent. A smaller limit than the API's:
    // an unauthenticated body is read whole before its signature can be checked.
    express.raw({ type: () => true, limit: deps.config.webhooks.maxBodyBytes }),
    async (req, res) => {
      const raw = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
      const delivery = await verifyChatWebhook(deps.db, deps.secrets, slugOf(req), headersOf(req), raw);
      const batch = parseJson(conversationBatch, raw.toString('utf8'));
      const outcome = await ingestWebhookDelivery(
        { ...deps, logger: req.log },
        delivery.workspaceId,
        delivery.deliveryId,
        batch,
      );
      req.log.info(
        { workspaceId: delivery.workspaceId, deliveryId: delivery.deliveryId, ...outcome },
        'chat webhook processed',
      );
      res.json(outcome);
    },
  );
  return router;
}
