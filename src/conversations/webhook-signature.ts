// Signed chat webhooks (the Standard Webhooks scheme): an HMAC-SHA256 over
// "<webhook-id>.<webhook-timestamp>.<raw body>", refused when it matches no active secret of the
// workspace or when the timestamp is more than 5 minutes away from now (a replay or a wrong clock).
import { Webhook, WebhookVerificationError } from 'standardwebhooks';
import type { SecretBox } from '../platform/crypto';
import type { DbOrTx } from '../platform/db/client';
import { findWorkspaceBySlug } from '../workspaces/workspaces';
import { AppError } from '../platform/errors';
import { activeWebhookSecrets } from '../access/webhook-secrets';

export const WEBHOOK_TOLERANCE_SECONDS = 5 * 60;
const MAX_DELIVERY_ID = 255;

export interface WebhookHeaders {
  'webhook-id'?: string | undefined;
  'webhook-timestamp'?: string | undefined;
  'webhook-signature'?: string | undefined;
}

export interface VerifiedDelivery {
  workspaceId: string;
  deliveryId: string;
}

const WHY: Record<string, string> = {
  'Missing required headers':
    'send the webhook-id, webhook-timestamp and webhook-signature headers (Standard Webhooks)',
  'Invalid Signature Headers': 'webhook-timestamp must be the signing time in whole seconds since 1970',
  'Message timestamp too old': 'the signature is more than 5 minutes old: sign each delivery when you send it',
  'Message timestamp too new': 'the signature is dated more than 5 minutes ahead: check the sender clock',
  'No matching signature found': 'the signature matches no active webhook secret of this workspace',
};

/** The workspace and delivery a signed request comes from; unauthorized otherwise. */
export async function verifyChatWebhook(
  db: DbOrTx,
  box: SecretBox,
  workspaceSlug: string | undefined,
  headers: WebhookHeaders,
  rawBody: Buffer,
): Promise<VerifiedDelivery> {
  // One answer for an unknown workspace and a bad signature: the endpoint does not say which slugs exist.
  const refuse = (why: string) => new AppError('unauthorized', `webhook refused: ${why}`);
  const workspace = workspaceSlug ? await findWorkspaceBySlug(db, workspaceSlug) : null;
  if (!workspaceSlug) throw refuse('name the workspace: POST /webhooks/chat?workspace=<slug>');
  const secrets = workspace ? await activeWebhookSecrets(db, box, workspace.id) : [];
  if (!workspace || secrets.length === 0) throw refuse(WHY['No matching signature found']!);
  const deliveryId = headers['webhook-id'] ?? '';
  if (deliveryId.length > MAX_DELIVERY_ID) throw refuse(`webhook-id is longer than ${MAX_DELIVERY_ID} characters`);

  const plain = {
    'webhook-id': deliveryId,
    'webhook-timestamp': headers['webhook-timestamp'] ?? '',
    'webhook-signature': headers['webhook-signature'] ?? '',
  };
  let last: Error | null = null;
  for (const secret of secrets) {
    try {
      new Webhook(secret).verify(rawBody, plain, { jsonParse: false });
      return { workspaceId: workspace.id, deliveryId };
    } catch (err) {
      if (!(err instanceof WebhookVerificationError)) throw err;
      last = err;
    }
  }
  throw refuse(WHY[last?.message ?? ''] ?? last?.message ?? 'the signature does not verify');
}

/** The headers a sender puts on a delivery; the tests and docs/chat-api.md sign this way. */
export function signChatWebhook(secret: string, deliveryId: string, at: Date, body: string): WebhookHeaders {
  return {
    'webhook-id': deliveryId,
    'webhook-timestamp': String(Math.floor(at.getTime() / 1000)),
    'webhook-signature': new Webhook(secret).sign(deliveryId, at, body),
  };
}
