// Access-token refresh with our own function: jsforce's drops the rotated refresh token, and
// Salesforce revokes the connection when an old one is reused. One refresh per connection runs
// at a time across every worker (a transaction-scoped advisory lock, not a row lock: status and
// usage updates go on meanwhile); the rotated token is stored in the same transaction, and the
// request has a timeout. Only a terminal grant error (expired or revoked token, inactive user or
// org) marks the connection needs_reauth; a passing failure (5xx, an HTML page, a timeout, a
// concurrent refresh) is retried with backoff, and the connection stays connected.
import { eq } from 'drizzle-orm';
import type { SecretBox } from '../platform/crypto';
import type { Db } from '../platform/db/client';
import { salesforceConnections } from '../platform/db/schema';
import type { SalesforceApp } from './app';
import { decryptAccessToken, decryptRefreshToken, getConnection, markNeedsReauth, tokenAad } from './connection-store';
import { isAppError } from '../platform/errors';
import type { Logger } from '../platform/logger';
import { retry } from '../platform/retry';
import { isTerminalGrantError, reauthorizationRequired } from './errors';
import { assertSalesforceUrl } from './hosts';
import { postTokenRequest, type TokenResponse } from './token-endpoint';
import { lockForTransaction } from '../platform/locks';
import { withTransaction } from '../platform/tx';

export interface TokenDeps {
  db: Db;
  secrets: SecretBox;
  app: SalesforceApp;
  logger?: Logger;
  sleep?: (ms: number) => Promise<void>;
}

/** Tries of a refresh that fails for a passing reason, and the first backoff (doubling, with jitter). */
const REFRESH_ATTEMPTS = 4;
const REFRESH_BACKOFF_MS = 1_000;

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
  return retry(() => refreshOnce(deps, connectionId, staleVersion), {
    attempts: REFRESH_ATTEMPTS,
    baseMs: REFRESH_BACKOFF_MS,
    retryable: (err) => isAppError(err, 'salesforce_token_unavailable'),
    ...(deps.sleep ? { sleep: deps.sleep } : {}),
    onRetry: (err, attempt, delayMs) =>
      deps.logger?.warn(
        { connectionId, attempt, delayMs, detail: isAppError(err) ? err.details.detail : undefined },
        'Salesforce token refresh failed for a passing reason; retrying',
      ),
  });
}

async function refreshOnce(deps: TokenDeps, connectionId: string, staleVersion: number): Promise<AccessToken> {
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
        if (isTerminalGrantError(err)) {
          reauthReason = `${String((err as { details: { error: string } }).details.error)}: ${(err as Error).message}`;
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
