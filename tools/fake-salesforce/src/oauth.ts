// The OAuth 2.0 web server flow with PKCE, as Salesforce serves it on the login host: the
// consent page, the token endpoint (authorization_code and refresh_token), revoke, and identity.
import { createHmac, randomBytes } from 'node:crypto';
import express, { type Request, type Response, Router } from 'express';
import { z } from 'zod';
import { consentPage, errorPage } from './consent-page';
import type { FakeContext } from './context';
import { OAuthError } from './errors';
import { identity, identityUrl, userInfo } from './identity';
import type { IssuedTokens } from './tokens';

const KNOWN_SCOPES = new Set([
  'api',
  'refresh_token',
  'offline_access',
  'id',
  'profile',
  'email',
  'address',
  'phone',
  'openid',
  'full',
  'web',
  'chatter_api',
  'visualforce',
  'custom_permissions',
  'wave_api',
  'cdp_api',
]);
const DEFAULT_SCOPE = 'api refresh_token id';
const PENDING_TTL_MS = 15 * 60 * 1000;

const authorizeQuery = z.object({
  response_type: z.string().optional(),
  client_id: z.string().optional(),
  redirect_uri: z.string().optional(),
  state: z.string().optional(),
  scope: z.string().optional(),
  code_challenge: z.string().optional(),
  code_challenge_method: z.string().optional(),
  prompt: z.string().optional(),
  login_hint: z.string().optional(),
});
const tokenForm = z.object({
  grant_type: z.string().optional(),
  code: z.string().optional(),
  redirect_uri: z.string().optional(),
  client_id: z.string().optional(),
  client_secret: z.string().optional(),
  code_verifier: z.string().optional(),
  refresh_token: z.string().optional(),
});

type Pending = {
  clientId: string;
  redirectUri: string;
  state?: string;
  scope: string;
  codeChallenge: string | null;
  expiresAt: number;
};

export function oauthRouter(ctx: FakeContext): Router {
  const router = Router();
  const pending = new Map<string, Pending>();
  const form = express.urlencoded({ extended: false });

  router.get('/services/oauth2/authorize', (req, res) => {
    const q = authorizeQuery.parse(req.query);
    const problem = clientProblem(ctx, q.client_id, q.redirect_uri);
    if (problem) return showError(res, problem[0], problem[1]);
    const back = (error: string, description: string) =>
      redirect(res, q.redirect_uri!, { error, error_description: description, state: q.state });
    if (q.response_type !== 'code') return back('unsupported_response_type', 'response type not supported');
    const scope = (q.scope ?? DEFAULT_SCOPE).split(/[\s+]+/).filter(Boolean);
    if (scope.some((s) => !KNOWN_SCOPES.has(s))) return back('invalid_scope', 'the requested scope is not allowed');
    if (q.code_challenge_method && q.code_challenge_method !== 'S256')
      return back('invalid_request', 'invalid code challenge method');
    if (q.code_challenge !== undefined && !/^[A-Za-z0-9_-]{43}$/.test(q.code_challenge))
      return back('invalid_request', 'invalid code challenge');
    const requestId = randomBytes(18).toString('base64url');
    pending.set(requestId, {
      clientId: q.client_id!,
      redirectUri: q.redirect_uri!,
      state: q.state,
      scope: scope.join(' '),
      codeChallenge: q.code_challenge ?? null,
      expiresAt: ctx.now() + PENDING_TTL_MS,
    });
    const user = ctx.store.get('User', ctx.store.userId)!;
    res
      .type('html')
      .set('Cache-Control', 'no-store')
      .send(
        consentPage({
          requestId,
          orgName: ctx.options.orgName,
          orgId: ctx.store.orgId,
          username: String(user.Username),
          clientId: q.client_id!,
          redirectUri: q.redirect_uri!,
          scopes: scope,
        }),
      );
  });

  router.post('/services/oauth2/authorize', form, (req, res) => {
    const body = z.object({ request_id: z.string().optional(), decision: z.string().optional() }).parse(req.body ?? {});
    const request = pending.get(body.request_id ?? '');
    if (!request || request.expiresAt <= ctx.now())
      return showError(res, 'invalid_request', 'the authorization request expired; start again');
    pending.delete(body.request_id!);
    if (body.decision !== 'allow') {
      return redirect(res, request.redirectUri, {
        error: 'access_denied',
        error_description: 'end-user denied authorization',
        state: request.state,
      });
    }
    const code = ctx.tokens.issueCode({
      clientId: request.clientId,
      redirectUri: request.redirectUri,
      scope: request.scope,
      codeChallenge: request.codeChallenge,
    });
    redirect(res, request.redirectUri, { code, state: request.state });
  });

  /** Refresh tokens whose refresh is being processed (tokenRefreshMs): a second one meanwhile is refused. */
  const refreshing = new Set<string>();

  router.post('/services/oauth2/token', form, async (req, res) => {
    const f = tokenForm.parse(req.body ?? {});
    if (f.client_id !== ctx.options.clientId)
      throw new OAuthError(400, 'invalid_client_id', 'client identifier invalid');
    let issued: IssuedTokens;
    if (f.grant_type === 'authorization_code') {
      if (f.client_secret !== ctx.options.clientSecret)
        throw new OAuthError(400, 'invalid_client', 'invalid client credentials');
      issued = ctx.tokens.redeemCode(f.code ?? '', f.redirect_uri ?? '', f.client_id, f.code_verifier);
    } else if (f.grant_type === 'refresh_token') {
      if (f.client_secret !== undefined && f.client_secret !== ctx.options.clientSecret) {
        throw new OAuthError(400, 'invalid_client', 'invalid client credentials');
      }
      // A deactivated user's grants end: Salesforce answers the refresh "authentication failure"
      // (Nango, "Salesforce OAuth refresh token invalid_grant").
      if (!ctx.behaviour.userActive) throw new OAuthError(400, 'invalid_grant', 'authentication failure');
      const token = f.refresh_token ?? '';
      // "Simultaneous Token Requests Are Blocked During the Refresh Token Flow" (release notes).
      if (refreshing.has(token)) throw new OAuthError(400, 'invalid_grant', 'token request is already being processed');
      if (ctx.options.tokenRefreshMs > 0) {
        refreshing.add(token);
        try {
          await new Promise((r) => setTimeout(r, ctx.options.tokenRefreshMs));
        } finally {
          refreshing.delete(token);
        }
      }
      issued = ctx.tokens.refresh(token);
    } else if (f.grant_type === 'password') {
      // Orgs block the username-password flow by default; Salesforce then answers just this.
      throw new OAuthError(400, 'invalid_grant', 'authentication failure');
    } else {
      throw new OAuthError(400, 'unsupported_grant_type', 'grant type not supported');
    }
    res.set('Cache-Control', 'no-cache, no-store').json(tokenResponse(ctx, issued));
  });

  const revoke = (req: Request, res: Response) => {
    const token = z.object({ token: z.string().optional() }).parse({ ...req.query, ...(req.body ?? {}) }).token;
    if (!token || !ctx.tokens.revoke(token)) throw new OAuthError(400, 'invalid_token', 'invalid token');
    res.status(200).end();
  };
  router.post('/services/oauth2/revoke', form, revoke);
  router.get('/services/oauth2/revoke', revoke);

  router.get('/services/oauth2/userinfo', (req, res) => {
    if (!bearer(ctx, req, true)) return void res.status(403).type('text').send('Bad_OAuth_Token');
    res.json(userInfo(ctx.baseUrl(), ctx.store));
  });

  router.get('/id/:orgId/:userId', (req, res) => {
    if (!bearer(ctx, req, true)) return void res.status(403).type('text').send('Bad_OAuth_Token');
    const { orgId, userId } = req.params;
    const same = (a: string, b: string) => a.slice(0, 15) === b.slice(0, 15);
    if (!same(orgId, ctx.store.orgId) || !same(userId, ctx.store.userId))
      return void res.status(403).type('text').send('Bad_Id');
    const version = typeof req.query.version === 'string' ? req.query.version.replace(/^latest$/, '62.0') : undefined;
    res.json(identity(ctx.baseUrl(), ctx.store, version));
  });

  return router;
}

/**
 * The access token of a request (Authorization: Bearer, or oauth_token as jsforce's identity() sends)
 * when live; for the identity service, also granted one of the scopes that open it ("Identity URLs":
 * id, or profile, email, address, phone, openid, full).
 */
function bearer(ctx: FakeContext, req: Request, identity = false): boolean {
  const header = /^(?:Bearer|OAuth) (.+)$/i.exec(req.get('authorization') ?? '')?.[1];
  const token = header ?? (typeof req.query.oauth_token === 'string' ? req.query.oauth_token : undefined);
  const access = token ? ctx.tokens.checkAccess(token) : null;
  if (!access) return false;
  return !identity || access.scope.split(' ').some((s) => IDENTITY_SCOPES.has(s));
}

const IDENTITY_SCOPES = new Set(['id', 'profile', 'email', 'address', 'phone', 'openid', 'full']);

/** Unknown client or a redirect URI not configured: [error, description] for the error page. */
function clientProblem(ctx: FakeContext, clientId?: string, redirectUri?: string): [string, string] | null {
  if (clientId !== ctx.options.clientId) return ['invalid_client_id', 'client identifier invalid'];
  const allowed = ctx.options.redirectUris;
  const valid =
    redirectUri !== undefined && (allowed ? allowed.includes(redirectUri) : /^https?:\/\/[^\s]+$/.test(redirectUri));
  return valid ? null : ['redirect_uri_mismatch', 'redirect_uri must match configuration'];
}

/** Like Salesforce, an error page of its own, never a redirect to a client it cannot trust. */
function showError(res: Response, error: string, description: string): void {
  res.status(400).type('html').set('Cache-Control', 'no-store').send(errorPage(error, description));
}

function redirect(res: Response, to: string, params: Record<string, string | undefined>): void {
  const url = new URL(to);
  for (const [k, v] of Object.entries(params)) if (v !== undefined) url.searchParams.set(k, v);
  res.redirect(302, url.toString());
}

function tokenResponse(ctx: FakeContext, t: IssuedTokens) {
  const id = identityUrl(ctx.baseUrl(), ctx.store);
  const issuedAt = String(t.issuedAt);
  // Salesforce signs id + issued_at with the consumer secret so the client can check both.
  const signature = createHmac('sha256', ctx.options.clientSecret)
    .update(id + issuedAt)
    .digest('base64');
  return {
    access_token: t.accessToken,
    ...(t.refreshToken ? { refresh_token: t.refreshToken } : {}),
    signature,
    scope: t.scope,
    instance_url: ctx.baseUrl(),
    id,
    token_type: 'Bearer',
    issued_at: issuedAt,
  };
}
