// The web-server flow with PKCE: start (a one-time, expiring state bound to the workspace, the
// browser and the signed-in admin who started it, and our own S256 verifier) and complete
// (exchange the code, check the hosts, store the tokens). Every connection is completed by a
// signed-in web session of that workspace in the browser that started it; an org belongs to one
// workspace. A replayed or expired state, a denied consent or a Salesforce error stores nothing.
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { and, eq, isNull, ne, sql } from 'drizzle-orm';
import type { SecretBox } from '../platform/crypto';
import type { Db, DbOrTx } from '../platform/db/client';
import { pgError } from '../platform/db/sql';
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
/** api: REST and Bulk; refresh_token: offline access; id: the identity URL, for the user's name. */
export const SCOPES = 'api refresh_token id';

export interface OAuthDeps {
  db: Db;
  secrets: SecretBox;
  app: SalesforceApp;
}

const sha256 = (value: string) => createHash('sha256').update(value).digest('hex');
const hashState = sha256;
const verifierAad = (stateHash: string) => `salesforce_oauth_flows:${stateHash}:verifier`;

/** Who starts a flow: a signed-in admin of the workspace, in a browser holding `browserNonce` in a cookie. */
export interface FlowStarter {
  workspaceId: string;
  userId: string;
  browserNonce: string;
}

/** The signed-in web session at the callback, if any. */
export interface CallbackSession {
  userId: string;
  workspaceId: string;
}

export async function startAuthorization(
  deps: OAuthDeps,
  starter: FlowStarter,
  choice: LoginChoice,
  returnTo: string | null = null,
): Promise<{ authorizeUrl: string; expiresAt: Date }> {
  const { workspaceId } = starter;
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
    browserNonceHash: sha256(starter.browserNonce),
    startedByUserId: starter.userId,
  });
  const authorizeUrl = oauth2For(deps.app, loginUrl).getAuthorizationUrl({
    state,
    scope: SCOPES,
    code_challenge: codeChallenge(verifier),
    code_challenge_method: 'S256',
    // The consent page every time: the admin sees which org and user they grant, never a silent reuse.
    prompt: 'consent',
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
  browser: { nonce: string | null; session: CallbackSession | null },
): Promise<CallbackOutcome> {
  const browserNonce = browser.nonce;
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
  if (!flow.browserNonceHash || !browserNonce || sha256(browserNonce) !== flow.browserNonceHash) {
    return fail(
      'This sign-in was started in another browser',
      'For safety, a Salesforce connection started from the web app must be finished in the same browser. Start again from "Connect Salesforce" here.',
      flow,
    );
  }
  if (!browser.session || browser.session.workspaceId !== flow.workspaceId) {
    return fail(
      browser.session ? 'You are signed in to another workspace' : 'Sign in to finish connecting Salesforce',
      'A Salesforce org is connected by a signed-in admin of the workspace it is for, in the browser that started it. Sign in to that workspace, then start again from "Connect Salesforce" on its Salesforce page.',
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
    if (isAppError(err, 'salesforce_token_unavailable'))
      return fail(
        'Salesforce did not answer',
        `${err.message.replace(/ The org stays connected.*$/, '')} Nothing was connected; start again in a few minutes.`,
        flow,
      );
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
          `This workspace's data comes from org ${existing.orgId}; you signed in to org ${identity.orgId}. Sign in to the same org, or use a new workspace for another org.` +
            (existing.loginUrl === deps.app.loginUrls.sandbox || flow.loginUrl === deps.app.loginUrls.sandbox
              ? ' A sandbox refresh gives the sandbox a new org id and new data: connect the refreshed sandbox to a new workspace.'
              : ''),
          flow,
        )
      : null;
  const takenElsewhere = fail(
    'This Salesforce org is connected to another workspace',
    `Org ${identity.orgId} already feeds another workspace, and an org belongs to one workspace. Disconnect it there first (its Salesforce page, "Disconnect"), or use that workspace.`,
    flow,
  );
  const refused = otherOrg(await connectionOfWorkspace(deps.db, flow.workspaceId));
  if (refused) return refused;
  if (await orgConnectedElsewhere(deps.db, identity.orgId, flow.workspaceId)) return takenElsewhere;
  const who = await fetchIdentity(deps.app, token.id, token.access_token);
  const accessToken = token.access_token;
  const refreshToken = token.refresh_token;
  // One connection write per workspace at a time: the tokens are encrypted for the row's real id.
  // FOR NO KEY UPDATE leaves the foreign-key locks of the workspace's other writers free.
  return withTransaction(deps.db, async (tx): Promise<CallbackOutcome> => {
    await tx
      .select({ id: workspaces.id })
      .from(workspaces)
      .where(eq(workspaces.id, flow.workspaceId))
      .for('no key update');
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
      username: who?.username ?? null,
      userDisplayName: who?.displayName ?? null,
      refreshTokenEnc: deps.secrets.encrypt(refreshToken, tokenAad(id, 'refresh_token')),
      accessTokenEnc: deps.secrets.encrypt(accessToken, tokenAad(id, 'access_token')),
      lastError: null,
      lastErrorAt: null,
      updatedAt: new Date(),
    };
    if (await orgConnectedElsewhere(tx, identity.orgId, flow.workspaceId)) return takenElsewhere;
    let connection: SalesforceConnection | undefined;
    try {
      // A savepoint: a race lost on the org's unique index leaves the transaction usable.
      [connection] = await tx.transaction((sp) =>
        sp
          .insert(salesforceConnections)
          .values({ id, workspaceId: flow.workspaceId, connectedAt: new Date(), ...values })
          .onConflictDoUpdate({
            target: salesforceConnections.workspaceId,
            set: { ...values, tokenVersion: sql`${salesforceConnections.tokenVersion} + 1` },
          })
          .returning(),
      );
    } catch (err) {
      if (pgError(err)?.constraint_name === 'salesforce_connections_live_org') return takenElsewhere;
      throw err;
    }
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

/** Whether another workspace holds a live connection (connected or needing reauth) to this org. */
async function orgConnectedElsewhere(db: DbOrTx, orgId: string, workspaceId: string): Promise<boolean> {
  const [row] = await db
    .select({ id: salesforceConnections.id })
    .from(salesforceConnections)
    .where(
      and(
        eq(salesforceConnections.orgId, orgId),
        ne(salesforceConnections.workspaceId, workspaceId),
        ne(salesforceConnections.status, 'disconnected'),
      ),
    );
  return row !== undefined;
}

/**
 * The connected user's username and name from the identity URL (the token response's `id`),
 * which Salesforce serves to tokens granted the id scope. Without it (an app whose admin removed
 * the scope) the connection is made all the same, without the name.
 */
async function fetchIdentity(
  app: SalesforceApp,
  identityUrl: string,
  accessToken: string,
): Promise<{ username: string | null; displayName: string | null } | null> {
  try {
    const res = await fetch(identityUrl, {
      headers: { authorization: `Bearer ${accessToken}`, accept: 'application/json' },
      signal: AbortSignal.timeout(app.requestTimeoutMs),
    });
    if (!res.ok) return null;
    const body = (await res.json()) as { username?: string; display_name?: string; email?: string };
    return { username: body.username ?? body.email ?? null, displayName: body.display_name ?? null };
  } catch {
    return null;
  }
}

/** Flows nobody completed: their state expired ten minutes after it was made. */
export async function pruneExpiredOAuthFlows(db: Db): Promise<void> {
  await db.execute(sql`delete from salesforce_oauth_flows where expires_at < now() - interval '1 day'`);
}
