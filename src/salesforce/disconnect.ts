// Disconnect: revoke the token at Salesforce, delete the stored secrets, stop the schedule.
// Synced history and the ledger stay: they are the audit trail.
import { eq } from 'drizzle-orm';
import type { SecretBox } from '../platform/crypto';
import type { Db } from '../platform/db/client';
import { salesforceConnections } from '../platform/db/schema';
import type { JobQueue } from '../jobs/contract';
import type { SalesforceApp } from './app';
import { connectionOfWorkspace, decryptRefreshToken } from './connection-store';
import { unscheduleSync } from './schedules';
import { revokeToken } from './token-endpoint';

export interface DisconnectResult {
  disconnected: boolean;
  /** Whether Salesforce confirmed the revocation; if not, revoke the app's access in Salesforce Setup too. */
  revokedAtSalesforce: boolean;
  revokeError?: string;
}

export async function disconnectSalesforce(
  deps: { db: Db; secrets: SecretBox; app: SalesforceApp; queue: JobQueue },
  workspaceId: string,
): Promise<DisconnectResult> {
  const c = await connectionOfWorkspace(deps.db, workspaceId);
  if (!c || c.status === 'disconnected') return { disconnected: false, revokedAtSalesforce: false };
  let revokedAtSalesforce = false;
  let revokeError: string | undefined;
  const refreshToken = decryptRefreshToken(deps.secrets, c);
  if (refreshToken) {
    try {
      // Revoking the refresh token revokes every access token issued from it.
      await revokeToken(c.loginUrl, refreshToken, deps.app.requestTimeoutMs);
      revokedAtSalesforce = true;
    } catch (err) {
      revokeError = (err as Error).message;
    }
  }
  await deps.db
    .update(salesforceConnections)
    .set({
      status: 'disconnected',
      refreshTokenEnc: null,
      accessTokenEnc: null,
      updatedAt: new Date(),
      tokenVersion: c.tokenVersion + 1,
    })
    .where(eq(salesforceConnections.id, c.id));
  await unscheduleSync(deps.queue, c.id);
  return { disconnected: true, revokedAtSalesforce, ...(revokeError ? { revokeError } : {}) };
}
