// The web-server flow with PKCE: start (a one-time, expiring state bound to the workspace, and
// our own S256 verifier) and complete (exchange the code, check the hosts, store the tokens).
// A replayed or expired state, a denied consent or a Salesforce error stores nothing.
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { Connection } from 'jsforce';
import { and, eq, isNull, sql } from 'drizzle-orm';
import type { SecretBox } from '../platform/crypto';
import type { Db } from '../platform/db/client';
import {
  salesforceConnections,
  salesforceOauthFlows,
  workspaces,
  type SalesforceConnection,
} from '../platform/db/schema';
import { oauth2For, type SalesforceApp } from './app';
import { connectionOfWorkspace, tokenAad } from './connection-store';
import { isAppError } from '../platform/errors';
import { salesforceCode } from './errors';
import { assertSalesforceUrl, loginUrlFor, type LoginChoice } from './hosts';
import { codeChallenge, newCodeVerifier } from './pkce';
import { postTokenRequest, type TokenResponse } from './token-endpoint';
import { withTransaction } from '../platform/tx';

const FLOW_TTL_MS = 10 * 60_000;
export const SCOPES = 'api refresh_token';

export interface OAuthDeps {
  db: Db;
  secrets: SecretBox;
  app: SalesforceApp;
}

const sha256 = (value: string) => createHash('sha256').update(value).digest('hex');
const hashState = sha256;
const verifierAad = (stateHash: string) => `salesforce_oauth_flows:${stateHash}:verifier`;

/**
 * @param browserNonce set when a browser session starts the flow (kept in a cookie of that
 * browser): only that browser can then complete it. API-key and CLI flows have none.
 */
export async function startAuthorization(
  deps: OAuthDeps,
  workspaceId: string,
  choice: LoginChoice,
  returnTo: string | null = null,
  browserNonce: string | null = null,
): Promise<{ authorizeUrl: string; expiresAt: Date }> {
  const loginUrl =
    choice.environment === 'custom' ? loginUrlFor(choice, deps.app.hostPolicy) : deps.app.loginUrls[choice.environment];
  const state = randomBytes(32).toString('base64url');
  const verifier = newCodeVerifier();
  const stateHash = hashState(state);
  const expiresAt = new Date(Date.now() + FLOW_TTL_MS);
  await deps.db.insert(salesforceOauthFlows).values({
    stateHash,
    workspaceId,
    loginUrl,
    returnTo,
    expiresAt,
    verifierEnc: deps.secrets.encrypt(verifier, verifierAad(stateHash)),
    browserNonceHash: browserNonce ? sha256(browserNonce) : null,
  });
  const authorizeUrl = oauth2For(deps.app, loginUrl).getAuthorizationUrl({
    state,
    scope: SCOPES,
    code_challenge: codeChallenge(verifier),
    code_challenge_method: 'S256',
  });
  return { authorizeUrl, expiresAt };
}

export type CallbackOutcome =
  | { ok: true; connection: SalesforceConnection; workspaceId: string; returnTo: string | null }
  | { ok: false; title: string; detail: string; workspaceId: string | null; returnTo: string | null };

export interface CallbackQuery {
  state?: string;
  code?: string;
  error?: string;
  error_description?: string;
}

export async function completeAuthorization(
  deps: OAuthDeps,
  q: CallbackQuery,
  browserNonce: string | null = null,
): Promise<CallbackOutcome> {
  const fail = (
    title: string,
    detail: string,
    flow?: { workspaceId: string; returnTo: string | null },
  ): CallbackOutcome => ({
    ok: false,
    title,
    detail,
    workspaceId: flow?.workspaceId ?? null,
    returnTo: flow?.returnTo ?? null,
  });
  if (!q.state)
    return fail(
      'This page needs a sign-in in progress',
      'The link has no state parameter. Start again from "Connect Salesforce".',
    );

  // One-time: the first request to claim the state wins; a replay finds it used.
  const [flow] = await deps.db
    .update(salesforceOauthFlows)
    .set({ usedAt: new Date() })
    .where(and(eq(salesforceOauthFlows.stateHash, hashState(q.state)), isNull(salesforceOauthFlows.usedAt)))
    .returning();
  if (!flow)
    return fail(
      'This sign-in link was already used',
      'Each Salesforce sign-in link works once. Start again from "Connect Salesforce".',
    );
  if (flow.expiresAt.getTime() < Date.now()) {
    return fail(
      'This sign-in took too long',
      'The sign-in expired after 10 minutes. Start again from "Connect Salesforce".',
      flow,
    );
  }
  if (flow.browserNonceHash && (!browserNonce || sha256(browserNonce) !== flow.browserNonceHash)) {
    return fail(
      'This sign-in was started in another browser',
      'For safety, a Salesforce connection started from the web app must be finished in the same browser. Start again from "Connect Salesforce" here.',
      flow,
    );
  }
  if (q.error) {
    const detail =
      q.error === 'access_denied'
        ? 'Access was not allowed in Salesforce, so nothing was connected. Try again and choose "Allow" to connect the org.'
        : `Salesforce reported "${q.error}"${q.error_description ? `: ${q.error_description}` : ''}. Nothing was connected.`;
    return fail(
      q.error === 'access_denied' ? 'Salesforce access was not allowed' : 'Salesforce could not connect the org',
      detail,
      flow,
    );
  }
  if (!q.code)
    return fail(
      'Salesforce sent no authorization code',
      'Nothing was connected. Start again from "Connect Salesforce".',
      flow,
    );

  const verifier = deps.secrets.decrypt(flow.verifierEnc, verifierAad(flow.stateHash));
  let token: TokenResponse;
  try {
    token = await postTokenRequest(
      flow.loginUrl,
      {
        grant_type: 'authorization_code',
        code: q.code,
        code_verifier: verifier,
        client_id: deps.app.clientId,
        client_secret: deps.app.clientSecret,
        redirect_uri: deps.app.redirectUri,
      },
      deps.app.requestTimeoutMs,
    );
  } catch (err) {
    return fail(
      'Salesforce refused the sign-in',
      `Salesforce answered "${salesforceCode(err)}": ${(err as Error).message}. Nothing was connected; start again.`,
      flow,
    );
  }
  if (!token.access_token || !token.refresh_token || !token.instance_url || !token.id) {
    return fail(
      'Salesforce did not grant offline access',
      'The token response has no refresh token. Give the connected app the "refresh_token, offline_access" scope, then connect again.',
      flow,
    );
  }
  let instanceUrl: string;
  let identity: { orgId: string; userId: string };
  try {
    instanceUrl = assertSalesforceUrl(token.instance_url, deps.app.hostPolicy);
    assertSalesforceUrl(token.id, deps.app.hostPolicy);
    identity = parseIdentityUrl(token.id);
  } catch (err) {
    const detail = isAppError(err, 'salesforce_untrusted_host')
      ? `${err.message}, so no credentials were stored.`
      : (err as Error).message;
    return fail('Salesforce answered with an unexpected address', detail, flow);
  }

  const otherOrg = (existing: SalesforceConnection | null) =>
    existing && existing.orgId !== identity.orgId
      ? fail(
          'This is another Salesforce org',
          `This workspace's data comes from org ${existing.orgId}; you signed in to org ${identity.orgId}. Sign in to the same org, or use a new workspace for another org.`,
          flow,
        )
      : null;
  const refused = otherOrg(await connectionOfWorkspace(deps.db, flow.workspaceId));
  if (refused) return refused;
  const username = await fetchUsername(deps.app, instanceUrl, token.access_token).catch(() => null);
  const accessToken = token.access_token;
  const refreshToken = token.refresh_token;
  // One connection write per workspace at a time: the tokens are encrypted for the row's real id.
  return withTransaction(deps.db, async (tx) => {
    await tx.select({ id: workspaces.id }).from(workspaces).where(eq(workspaces.id, flow.workspaceId)).for('update');
    const existing = await connectionOfWorkspace(tx, flow.workspaceId);
    const refusedNow = otherOrg(existing); // again: another admin may have connected meanwhile
    if (refusedNow) return refusedNow;
    const id = existing?.id ?? randomUUID();
    const values = {
      status: 'connected' as const,
      loginUrl: flow.loginUrl,
      instanceUrl,
      orgId: identity.orgId,
      userId: identity.userId,
      username,
      refreshTokenEnc: deps.secrets.encrypt(refreshToken, tokenAad(id, 'refresh_token')),
      accessTokenEnc: deps.secrets.encrypt(accessToken, tokenAad(id, 'access_token')),
      lastError: null,
      lastErrorAt: null,
      updatedAt: new Date(),
    };
    const [connection] = await tx
      .insert(salesforceConnections)
      .values({ id, workspaceId: flow.workspaceId, connectedAt: new Date(), ...values })
      .onConflictDoUpdate({
        target: salesforceConnections.workspaceId,
        set: { ...values, tokenVersion: sql`${salesforceConnections.tokenVersion} + 1` },
      })
      .returning();
    const outcome: CallbackOutcome = {
      ok: true,
      connection: connection!,
      workspaceId: flow.workspaceId,
      returnTo: flow.returnTo,
    };
    return outcome;
  });
}

/** https://login.salesforce.com/id/00D.../005... -> org and user ids. */
function parseIdentityUrl(id: string): { orgId: string; userId: string } {
  const m = /\/id\/(00D[A-Za-z0-9]{12,15})\/(005[A-Za-z0-9]{12,15})\/?$/.exec(new URL(id).pathname);
  if (!m) throw new Error(`Salesforce's identity URL ${id} does not name an org and a user`);
  return { orgId: m[1]!, userId: m[2]! };
}

async function fetchUsername(app: SalesforceApp, instanceUrl: string, accessToken: string): Promise<string | null> {
  const conn = new Connection({ instanceUrl, accessToken, version: app.apiVersion });
  const info = await conn.request<{ preferred_username?: string; email?: string }>(
    { method: 'GET', url: `${instanceUrl}/services/oauth2/userinfo` },
    { retry: { maxRetries: 0 }, timeout: app.requestTimeoutMs } as never,
  );
  return info.preferred_username ?? info.email ?? null;
}

/** Flows nobody completed: their state expired ten minutes after it was made. */
export async function pruneExpiredOAuthFlows(db: Db): Promise<void> {
  await db.execute(sql`delete from salesforce_oauth_flows where expires_at < now() - interval '1 day'`);
}
