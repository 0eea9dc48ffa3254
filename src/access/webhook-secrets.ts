// Webhook signing secrets (Standard Webhooks: "whsec_" + base64 of 32 random bytes). Shown once,
// kept encrypted with the row's identity as associated data; several may be active while a
// sender rotates, and a signature from any active one is accepted.
import { randomBytes, randomUUID } from 'node:crypto';
import { and, desc, eq, isNull } from 'drizzle-orm';
import { z } from 'zod';
import type { SecretBox } from '../platform/crypto';
import type { DbOrTx } from '../platform/db/client';
import { webhookSecrets } from '../platform/db/schema';

export const webhookSecretView = z
  .object({ id: z.uuid(), createdAt: z.iso.datetime(), revokedAt: z.iso.datetime().nullable() })
  .meta({ id: 'WebhookSecret' });
export type WebhookSecretView = z.infer<typeof webhookSecretView>;

export const createdWebhookSecret = z
  .object({
    secret: z.string().meta({
      description: 'Shown this once: configure it in the chat product now.',
      example: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw',
    }),
    webhookSecret: webhookSecretView,
  })
  .meta({ id: 'CreatedWebhookSecret' });
export type CreatedWebhookSecret = z.infer<typeof createdWebhookSecret>;

const associatedData = (id: string) => `webhook_secrets:${id}`;
const view = (r: typeof webhookSecrets.$inferSelect): WebhookSecretView => ({
  id: r.id,
  createdAt: r.createdAt.toISOString(),
  revokedAt: r.revokedAt?.toISOString() ?? null,
});

export async function createWebhookSecret(
  db: DbOrTx,
  box: SecretBox,
  workspaceId: string,
): Promise<CreatedWebhookSecret> {
  const id = randomUUID();
  const secret = `whsec_${randomBytes(32).toString('base64')}`;
  const [row] = await db
    .insert(webhookSecrets)
    .values({ id, workspaceId, secretEnc: box.encrypt(secret, associatedData(id)) })
    .returning();
  return { secret, webhookSecret: view(row!) };
}

export async function listWebhookSecrets(db: DbOrTx, workspaceId: string): Promise<WebhookSecretView[]> {
  const rows = await db
    .select()
    .from(webhookSecrets)
    .where(eq(webhookSecrets.workspaceId, workspaceId))
    .orderBy(desc(webhookSecrets.createdAt));
  return rows.map(view);
}

/** False when this workspace has no such active secret. */
export async function revokeWebhookSecret(db: DbOrTx, workspaceId: string, id: string): Promise<boolean> {
  if (!z.uuid().safeParse(id).success) return false;
  const rows = await db
    .update(webhookSecrets)
    .set({ revokedAt: new Date() })
    .where(
      and(eq(webhookSecrets.id, id), eq(webhookSecrets.workspaceId, workspaceId), isNull(webhookSecrets.revokedAt)),
    )
    .returning({ id: webhookSecrets.id });
  return rows.length > 0;
}

/** The plaintext of every active secret, newest first. */
export async function activeWebhookSecrets(db: DbOrTx, box: SecretBox, workspaceId: string): Promise<string[]> {
  const rows = await db
    .select()
    .from(webhookSecrets)
    .where(and(eq(webhookSecrets.workspaceId, workspaceId), isNull(webhookSecrets.revokedAt)))
    .orderBy(desc(webhookSecrets.createdAt));
  return rows.map((r) => box.decrypt(r.secretEnc, associatedData(r.id)));
}
