// Reads and writes salesforce_connections. Tokens are encrypted with the row's identity as
// associated data, and decrypted only where a request is about to be sent.
import { and, eq, sql } from 'drizzle-orm';
import type { SecretBox } from '../platform/crypto';
import type { DbOrTx } from '../platform/db/client';
import { salesforceConnections, type SalesforceConnection } from '../platform/db/schema';

export const tokenAad = (connectionId: string, kind: 'refresh_token' | 'access_token') =>
  `salesforce_connections:${connectionId}:${kind}`;

export async function connectionOfWorkspace(db: DbOrTx, workspaceId: string): Promise<SalesforceConnection | null> {
  const [row] = await db.select().from(salesforceConnections).where(eq(salesforceConnections.workspaceId, workspaceId));
  return row ?? null;
}

export async function getConnection(db: DbOrTx, connectionId: string): Promise<SalesforceConnection | null> {
  const [row] = await db.select().from(salesforceConnections).where(eq(salesforceConnections.id, connectionId));
  return row ?? null;
}

export function decryptAccessToken(secrets: SecretBox, c: SalesforceConnection): string | null {
  return c.accessTokenEnc ? secrets.decrypt(c.accessTokenEnc, tokenAad(c.id, 'access_token')) : null;
}

export function decryptRefreshToken(secrets: SecretBox, c: SalesforceConnection): string | null {
  return c.refreshTokenEnc ? secrets.decrypt(c.refreshTokenEnc, tokenAad(c.id, 'refresh_token')) : null;
}

/** Marks a connected org as needing a new consent, with the reason (a disconnect stays a disconnect). */
export async function markNeedsReauth(db: DbOrTx, connectionId: string, reason: string): Promise<void> {
  await db
    .update(salesforceConnections)
    .set({ status: 'needs_reauth', lastError: reason, lastErrorAt: new Date(), updatedAt: new Date() })
    .where(and(eq(salesforceConnections.id, connectionId), eq(salesforceConnections.status, 'connected')));
}

export async function recordApiUsage(db: DbOrTx, connectionId: string, used: number, max: number): Promise<void> {
  await db
    .update(salesforceConnections)
    .set({ apiUsageUsed: used, apiUsageMax: max, apiUsageSeenAt: new Date() })
    .where(eq(salesforceConnections.id, connectionId));
}

export async function recordConnectionError(db: DbOrTx, connectionId: string, message: string | null): Promise<void> {
  await db
    .update(salesforceConnections)
    .set(message ? { lastError: message, lastErrorAt: new Date() } : { lastError: null })
    .where(eq(salesforceConnections.id, connectionId));
}

/** Connections whose schedule should run: connected ones. */
export async function connectedConnections(db: DbOrTx): Promise<SalesforceConnection[]> {
  return db
    .select()
    .from(salesforceConnections)
    .where(sql`${salesforceConnections.status} = 'connected'`);
}
