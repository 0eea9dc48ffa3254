// The browser's way to connect the workspace's Salesforce org. Only a signed-in admin of the
// workspace, in the web app, starts a flow (POST /api/v1/salesforce/authorize, CSRF-protected and
// bound to that browser), and only a session of the same workspace in that browser completes it
// (the callback). GET /oauth/salesforce/authorize, the link the CLI prints, leads there through
// sign-in: an API key can no longer mint a consent link that anyone's browser completes.
import { randomBytes } from 'node:crypto';
import { Router, type Request, type Response } from 'express';
import { z } from 'zod';
import { AppError, isAppError, parseInput } from '../../platform/errors';
import type { SalesforceApp } from '../../salesforce/app';
import { loginChoice } from '../../salesforce/hosts';
import { completeAuthorization, startAuthorization } from '../../salesforce/oauth-flow';
import { requestSync, scheduleSync } from '../../salesforce/schedules';
import { resumeSession } from '../../access/sessions';
import { caller } from '../auth';
import { parseQuery } from '../validate';
import type { ApiDeps } from '../deps';
import { isSecure, readCookie, readSessionToken } from '../session/cookie';
import { resultPage } from './pages';
import { apiDocs, problems } from '../openapi/registry';

const tags = ['Salesforce'];
export const loginQuery = z.object({
  environment: z
    .enum(['production', 'sandbox', 'custom'])
    .optional()
    .meta({ description: 'Login host: login.salesforce.com, test.salesforce.com, or the My Domain in `domain`' }),
  domain: z.string().optional().meta({ example: 'acme.my.salesforce.com' }),
  returnTo: z
    .string()
    .optional()
    .meta({ description: 'A path of this site the callback page links back to', example: '/salesforce' }),
});

apiDocs.registerPath({
  method: 'get',
  path: '/oauth/salesforce/authorize',
  tags,
  summary: 'Lead a person to the web app\u2019s Salesforce page (through sign-in) to connect the org',
  description:
    'A link to hand out (the CLI prints it): it redirects to /salesforce with the login choice, where a signed-in admin of the workspace presses "Connect Salesforce". The flow itself is the web-server flow with PKCE (S256), prompt=consent, scopes api refresh_token id; its state is one-time, bound to the workspace, the browser and the admin, and expires in 10 minutes.',
  request: {
    query: loginQuery.extend({
      workspace: z.string().optional().meta({ description: 'The workspace slug the link is for' }),
    }),
  },
  responses: { 302: { description: 'To the web app\u2019s Salesforce page' }, ...problems(400) },
});
apiDocs.registerPath({
  method: 'get',
  path: '/oauth/salesforce/callback',
  tags,
  summary: 'Where Salesforce sends the admin back; stores the connection and starts the first sync',
  request: {
    query: z.object({
      code: z.string().optional(),
      state: z.string().optional(),
      error: z.string().optional(),
      error_description: z.string().optional(),
    }),
  },
  responses: {
    200: { description: 'Connected (an HTML page)', content: { 'text/html': { schema: z.string() } } },
    400: {
      description: 'Replayed or expired state, denied consent or a Salesforce error: nothing stored (an HTML page)',
      content: { 'text/html': { schema: z.string() } },
    },
  },
});

const authorizeQuery = z.object({
  environment: z.enum(['production', 'sandbox', 'custom']).default('production'),
  domain: z.string().optional(),
  // Letters, digits, / _ - only: nothing a browser could resolve to another site (//, /\, tabs).
  returnTo: z
    .string()
    .regex(/^\/[A-Za-z0-9/_-]*$/, 'expected a path on this site, such as /salesforce')
    .refine((p) => !p.startsWith('//'), 'expected a path on this site')
    .optional(),
});

const authorizeLinkQuery = z.object({
  environment: z.enum(['production', 'sandbox', 'custom']).default('production'),
  domain: z.string().max(253).optional(),
  workspace: z
    .string()
    .regex(/^[a-z0-9_-]+$/i)
    .optional(),
});

/** The web app's Salesforce page, preset to connect with this login choice (sign-in first when needed). */
export function connectPageUrl(
  base: string,
  q: { environment?: string; domain?: string | undefined; workspace?: string | undefined },
): string {
  const params = new URLSearchParams({ connect: q.environment ?? 'production' });
  if (q.domain) params.set('domain', q.domain);
  if (q.workspace) params.set('workspace', q.workspace);
  return `${base.replace(/\/$/, '')}/salesforce?${params}`;
}

/** " as Rita Ops (rita.ops@acme.example)", or less when the identity URL said less. */
function whoConnected(c: { username: string | null; userDisplayName: string | null }): string {
  if (c.userDisplayName && c.username) return ` as ${c.userDisplayName} (${c.username})`;
  const one = c.userDisplayName ?? c.username;
  return one ? ` as ${one}` : '';
}

/** Binds a flow a browser session starts to that browser (see startAuthorization). */
const FLOW_COOKIE = 'cra_sf_flow';
const FLOW_COOKIE_PATH = '/oauth/salesforce';

export function salesforceAppOf(deps: ApiDeps): SalesforceApp {
  if (!deps.salesforce) {
    throw new AppError(
      'unavailable',
      'Salesforce is not configured: set SALESFORCE_CLIENT_ID and SALESFORCE_CLIENT_SECRET (see the README: "Connect a real Salesforce org").',
    );
  }
  return deps.salesforce;
}

/** Starts a flow for the caller's workspace; the URL of Salesforce's consent page. */
export async function beginAuthorization(deps: ApiDeps, req: Request, res: Response): Promise<string> {
  const app = salesforceAppOf(deps);
  const query = parseInput(authorizeQuery, req.method === 'GET' ? req.query : (req.body ?? {}), '(query)');
  const choice = loginChoice.safeParse({ environment: query.environment, domain: query.domain });
  if (!choice.success)
    throw new AppError('invalid_input', 'a custom login needs domain=<your My Domain>', {
      fields: [{ field: 'domain', message: 'required with environment=custom' }],
    });
  const who = caller(req);
  if (who.principal.kind !== 'user') {
    throw new AppError(
      'forbidden',
      `a Salesforce org is connected by a signed-in admin of the workspace in the web app, not with an API key: open ${connectPageUrl(deps.config.publicUrl, query)}`,
    );
  }
  const nonce = randomBytes(24).toString('base64url');
  res.cookie(FLOW_COOKIE, nonce, {
    httpOnly: true,
    sameSite: 'lax',
    path: FLOW_COOKIE_PATH,
    secure: isSecure(deps.config.publicUrl),
    maxAge: 10 * 60_000,
  });
  try {
    const { authorizeUrl } = await startAuthorization(
      { db: deps.db, secrets: deps.secrets, app },
      { workspaceId: who.workspaceId, userId: who.principal.id, browserNonce: nonce },
      choice.data,
      query.returnTo ?? null,
    );
    return authorizeUrl;
  } catch (err) {
    if (isAppError(err, 'salesforce_untrusted_host'))
      throw new AppError('invalid_input', `${err.message}: give your My Domain, e.g. acme.my.salesforce.com`);
    throw err;
  }
}

/** Outside /api/v1: the browser's way in (redirect to Salesforce) and back (the callback). */
export function salesforceOAuthRoutes(deps: ApiDeps): Router {
  const router = Router();
  // Starts nothing: a GET any site could link to only leads to the Salesforce page, where the
  // signed-in admin presses the button (a CSRF-protected POST).
  router.get('/oauth/salesforce/authorize', (req, res) => {
    const q = parseQuery(authorizeLinkQuery, req);
    res.redirect(302, connectPageUrl('', q));
  });
  router.get('/oauth/salesforce/callback', async (req, res) => {
    const q = parseQuery(z.record(z.string(), z.unknown()), req);
    const str = (v: unknown) => (typeof v === 'string' ? v : undefined);
    const app = deps.salesforce;
    const nonce = readCookie(req, FLOW_COOKIE);
    const token = readSessionToken(req);
    const signedIn = token ? await resumeSession(deps.db, token) : null;
    if (nonce)
      res.clearCookie(FLOW_COOKIE, {
        httpOnly: true,
        sameSite: 'lax',
        path: FLOW_COOKIE_PATH,
        secure: isSecure(deps.config.publicUrl),
      });
    const outcome = app
      ? await completeAuthorization(
          { db: deps.db, secrets: deps.secrets, app },
          {
            state: str(q.state),
            code: str(q.code),
            error: str(q.error),
            error_description: str(q.error_description),
          },
          {
            nonce,
            session: signedIn ? { userId: signedIn.user.id, workspaceId: signedIn.user.workspaceId } : null,
          },
        )
      : {
          ok: false as const,
          title: 'Salesforce is not configured',
          detail: 'Set SALESFORCE_CLIENT_ID and SALESFORCE_CLIENT_SECRET.',
          workspaceId: null,
          returnTo: null,
        };
    const back = outcome.returnTo ?? '/';
    if (!outcome.ok) {
      req.log.warn({ title: outcome.title, workspaceId: outcome.workspaceId }, 'Salesforce connection not completed');
      res
        .status(400)
        .type('html')
        .send(
          resultPage({ ok: false, title: outcome.title, detail: outcome.detail, next: { href: back, label: 'Back' } }),
        );
      return;
    }
    // The org is connected whatever happens next: a queue that is down only delays the first sync.
    let started = true;
    try {
      await scheduleSync(deps.queue, outcome.connection);
      await requestSync(deps.queue, outcome.connection.id, 'connect');
    } catch (err) {
      started = false;
      req.log.warn({ err: { message: (err as Error).message } }, 'connected, but the first sync could not be queued');
    }
    req.log.info({ workspaceId: outcome.workspaceId, orgId: outcome.connection.orgId }, 'Salesforce org connected');
    res.type('html').send(
      resultPage({
        ok: true,
        title: 'Salesforce is connected',
        detail:
          `Org ${outcome.connection.orgId}${whoConnected(outcome.connection)}. ` +
          (started
            ? 'The first sync has started; its progress shows on the Salesforce page.'
            : 'The first sync could not be queued just now (the job queue is unreachable); use "Sync now" on the Salesforce page once it is back.'),
        next: { href: back, label: 'Continue' },
      }),
    );
  });
  return router;
}
