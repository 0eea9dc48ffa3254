// Access-token refresh with our own function: jsforce's drops the rotated refresh token, and
// Salesforce revokes the connection when an old one is reused. One refresh per connection runs
// at a time across every worker (a transaction-scoped advisory lock, not a row lock: status and
// usage updates go on meanwhile); the rotated token is stored in the same transaction, and the
// request has a timeout. invalid_grant marks the connection needs_reauth.
import { eq } from 'drizzle-orm';
import type { SecretBox } from '../platform/crypto';
import type { Db } from '../platform/db/client';
import { salesforceConnections } from '../platform/db/schema';
import type { SalesforceApp } from './app';
import { decryptAccessToken, decryptRefreshToken, getConnection, markNeedsReauth, tokenAad } from './connection-store';
import { isAppError } from '../platform/errors';
import { reauthorizationRequired } from './errors';
import { assertSalesforceUrl } from './hosts';
import { postTokenRequest, type TokenResponse } from './token-endpoint';
import { lockForTransaction } from '../platform/locks';
import { withTransaction } from '../platform/tx';

export interface TokenDeps {
  db: Db;
  secrets: SecretBox;
  app: SalesforceApp;
}

export interface AccessToken {
  accessToken: string;
  instanceUrl: string;
  tokenVersion: number;
}

/**
 * A fresh access token. If another worker refreshed since `staleVersion` was read, its token is
 * returned without a second refresh.
 */
export async function refreshAccessToken(
  deps: TokenDeps,
  connectionId: string,
  staleVersion: number,
): Promise<AccessToken> {
  let reauthReason: string | null = null;
  const result = await withTransaction(
    deps.db,
    async (tx) => {
      await lockForTransaction(tx, `salesforce-refresh:${connectionId}`);
      const [c] = await tx.select().from(salesforceConnections).where(eq(salesforceConnections.id, connectionId));
      if (!c) throw reauthorizationRequired('the connection no longer exists');
      if (c.status !== 'connected') throw reauthorizationRequired(`the connection is ${c.status.replace('_', ' ')}`);
      if (c.tokenVersion !== staleVersion && c.accessTokenEnc) {
        return {
          accessToken: decryptAccessToken(deps.secrets, c)!,
          instanceUrl: c.instanceUrl,
          tokenVersion: c.tokenVersion,
        };
      }
      const refreshToken = decryptRefreshToken(deps.secrets, c);
      if (!refreshToken) throw reauthorizationRequired('no refresh token is stored');

      let response: TokenResponse;
      try {
        response = await postTokenRequest(
          c.loginUrl,
          {
            grant_type: 'refresh_token',
            refresh_token: refreshToken,
            client_id: deps.app.clientId,
            client_secret: deps.app.clientSecret,
          },
          deps.app.requestTimeoutMs,
        );
      } catch (err) {
        if (isAppError(err, 'salesforce_oauth') && err.details.error === 'invalid_grant') {
          reauthReason = `invalid_grant: ${err.message}`;
          return null;
        }
        throw err;
      }
      if (!response.access_token) throw new Error('Salesforce answered the refresh without an access token');
      const instanceUrl = response.instance_url
        ? assertSalesforceUrl(response.instance_url, deps.app.hostPolicy)
        : c.instanceUrl;
      const tokenVersion = c.tokenVersion + 1;
      await tx
        .update(salesforceConnections)
        .set({
          accessTokenEnc: deps.secrets.encrypt(response.access_token, tokenAad(c.id, 'access_token')),
          // Rotation: when Salesforce sends a new refresh token, the old one is dead from now on.
          ...(response.refresh_token
            ? { refreshTokenEnc: deps.secrets.encrypt(response.refresh_token, tokenAad(c.id, 'refresh_token')) }
            : {}),
          instanceUrl,
          tokenVersion,
          updatedAt: new Date(),
        })
        .where(eq(salesforceConnections.id, c.id));
      return { accessToken: response.access_token, instanceUrl, tokenVersion };
    },
    { attempts: 1 },
  ); // never twice: a rerun would send a refresh token Salesforce may have rotated already
  if (reauthReason) {
    const error = reauthorizationRequired(reauthReason);
    await markNeedsReauth(deps.db, connectionId, error.message);
    throw error;
  }
  return result!;
}

/** The stored access token, refreshing first when none is stored. */
export async function currentAccessToken(deps: TokenDeps, connectionId: string): Promise<AccessToken> {
  const c = await getConnection(deps.db, connectionId);
  if (!c) throw reauthorizationRequired('the connection no longer exists');
  if (c.status !== 'connected') throw reauthorizationRequired(`the connection is ${c.status.replace('_', ' ')}`);
  const accessToken = decryptAccessToken(deps.secrets, c);
  if (accessToken) return { accessToken, instanceUrl: c.instanceUrl, tokenVersion: c.tokenVersion };
  return refreshAccessToken(deps, connectionId, c.tokenVersion);
}
