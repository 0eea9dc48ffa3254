// Signed chat webhooks (the Standard Webhooks scheme, https://www.standardwebhooks.com): an
// HMAC-SHA256 over "<webhook-id>.<webhook-timestamp>.<raw body>", refused when it matches no active
// secret of the workspace or when the timestamp is more than 5 minutes away from now (a replay or a
// wrong clock). HMAC by node:crypto (OpenSSL), not pure JS: a refused body costs microseconds.
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { SecretBox } from '../platform/crypto';
import type { DbOrTx } from '../platform/db/client';
import { findWorkspaceBySlug } from '../workspaces/workspaces';
import { AppError } from '../platform/errors';
import { activeWebhookSecrets } from '../access/webhook-secrets';

export const WEBHOOK_TOLERANCE_SECONDS = 5 * 60;
const MAX_DELIVERY_ID = 255;
const SECRET_PREFIX = 'whsec_';
/** No workspace has this id: an unknown slug reads the secrets of nobody, as a known one reads its own. */
const NOBODY = '00000000-0000-0000-0000-000000000000';
/** Verified when a slug has no secret, so it costs what a bad signature costs. */
const DECOY_KEY = randomBytes(32);

export interface WebhookHeaders {
  'webhook-id'?: string | undefined;
  'webhook-timestamp'?: string | undefined;
  'webhook-signature'?: string | undefined;
}

export interface VerifiedDelivery {
  workspaceId: string;
  deliveryId: string;
}

const refuse = (why: string) => new AppError('unauthorized', `webhook refused: ${why}`);
/** One answer for an unknown workspace and a bad signature: the endpoint does not say which slugs exist. */
export const NO_MATCHING_SIGNATURE = 'the signature matches no active webhook secret of this workspace';

/**
 * What can be checked before the body is read: the workspace named, the three headers present, the
 * id not too long, the timestamp within 5 minutes. Nothing here depends on whether the slug exists.
 */
export function checkWebhookEnvelope(
  workspaceSlug: string | undefined,
  headers: WebhookHeaders,
  now = Date.now(),
): { slug: string; deliveryId: string; timestamp: string; signatures: string } {
  if (!workspaceSlug) throw refuse('name the workspace: POST /webhooks/chat?workspace=<slug>');
  const { 'webhook-id': id, 'webhook-timestamp': timestamp, 'webhook-signature': signatures } = headers;
  if (!id || !timestamp || !signatures)
    throw refuse('send the webhook-id, webhook-timestamp and webhook-signature headers (Standard Webhooks)');
  if (id.length > MAX_DELIVERY_ID) throw refuse(`webhook-id is longer than ${MAX_DELIVERY_ID} characters`);
  if (!/^\d{1,12}$/.test(timestamp))
    throw refuse('webhook-timestamp must be the signing time in whole seconds since 1970');
  const age = Math.floor(now / 1000) - Number(timestamp);
  if (age > WEBHOOK_TOLERANCE_SECONDS)
    throw refuse('the signature is more than 5 minutes old: sign each delivery when you send it');
  if (age < -WEBHOOK_TOLERANCE_SECONDS)
    throw refuse('the signature is dated more than 5 minutes ahead: check the sender clock');
  return { slug: workspaceSlug, deliveryId: id, timestamp, signatures };
}

const keyOf = (secret: string) =>
  Buffer.from(secret.startsWith(SECRET_PREFIX) ? secret.slice(SECRET_PREFIX.length) : secret, 'base64');

function hmac(key: Buffer, deliveryId: string, timestamp: string, body: Buffer): Buffer {
  return createHmac('sha256', key).update(`${deliveryId}.${timestamp}.`).update(body).digest();
}

/** The "v1," signatures of the header (space-separated), decoded; others are ignored. */
function v1Signatures(header: string): Buffer[] {
  return header
    .split(' ')
    .filter((s) => s.startsWith('v1,'))
    .map((s) => Buffer.from(s.slice(3), 'base64'));
}

/** The workspace and delivery a signed request comes from; unauthorized otherwise. */
export async function verifyChatWebhook(
  db: DbOrTx,
  box: SecretBox,
  workspaceSlug: string | undefined,
  headers: WebhookHeaders,
  rawBody: Buffer,
  now = Date.now(),
): Promise<VerifiedDelivery> {
  const envelope = checkWebhookEnvelope(workspaceSlug, headers, now);
  const workspace = await findWorkspaceBySlug(db, envelope.slug);
  const secrets = await activeWebhookSecrets(db, box, workspace?.id ?? NOBODY);
  const keys = secrets.length > 0 ? secrets.map(keyOf) : [DECOY_KEY];
  const given = v1Signatures(envelope.signatures);
  let matched = false;
  for (const key of keys) {
    const expected = hmac(key, envelope.deliveryId, envelope.timestamp, rawBody);
    // Every signature against every key, no early exit: the time says nothing about which matched.
    for (const sig of given) if (sig.length === expected.length && timingSafeEqual(sig, expected)) matched = true;
  }
  if (!workspace || secrets.length === 0 || !matched) throw refuse(NO_MATCHING_SIGNATURE);
  return { workspaceId: workspace.id, deliveryId: envelope.deliveryId };
}

/** The headers a sender puts on a delivery; the tests and docs/chat-api.md sign this way. */
export function signChatWebhook(secret: string, deliveryId: string, at: Date, body: string): WebhookHeaders {
  const timestamp = String(Math.floor(at.getTime() / 1000));
  const signature = hmac(keyOf(secret), deliveryId, timestamp, Buffer.from(body, 'utf8')).toString('base64');
  return { 'webhook-id': deliveryId, 'webhook-timestamp': timestamp, 'webhook-signature': `v1,${signature}` };
}
