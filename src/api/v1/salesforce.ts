// Salesforce connection and sync routes: the OAuth redirect endpoints, and the admin API.
import { randomBytes } from 'node:crypto';
import express, { Router, type Request, type Response } from 'express';
import { z } from 'zod';
import { completeAuthorization, startAuthorization } from '../../salesforce/oauth-flow';
import { connectionOfWorkspace } from '../../salesforce/connection-store';
import { disconnectSalesforce } from '../../salesforce/disconnect';
import { loginChoice, UntrustedHostError } from '../../salesforce/hosts';
import { requestSync, scheduleSync } from '../../salesforce/schedules';
import { connectionStatus } from '../../salesforce/status';
import type { SalesforceApp } from '../../salesforce/app';
import { salesforceConnections } from '../../platform/db/schema/index';
import { eq } from 'drizzle-orm';
import { authenticate, caller, requireScope } from '../auth';
import type { ApiDeps } from '../deps';
import { HttpProblem } from '../problem';
import './salesforce-docs';
import { resultPage } from '../oauth/pages';
import { isSecure, readCookie } from '../session/cookie';

const authorizeQuery = z.object({
  environment: z.enum(['production', 'sandbox', 'custom']).default('production'),
  domain: z.string().optional(),
  // Letters, digits, / _ - only: nothing a browser could resolve to another site (//, /\, tabs).
  returnTo: z.string().regex(/^\/[A-Za-z0-9/_-]*$/, 'expected a path on this site, such as /salesforce').refine((p) => !p.startsWith('//'), 'expected a path on this site').optional(),
});

/** Binds a flow a browser session starts to that browser (see startAuthorization). */
const FLOW_COOKIE = 'cra_sf_flow';
const FLOW_COOKIE_PATH = '/oauth/salesforce';

function appOrProblem(deps: ApiDeps): SalesforceApp {
  if (!deps.salesforce) {
    throw new HttpProblem({
      title: 'Salesforce is not configured', status: 503,
      detail: 'Set SALESFORCE_CLIENT_ID and SALESFORCE_CLIENT_SECRET (see the README: "Connect a real Salesforce org").',
    });
  }
  return deps.salesforce;
}

async function beginAuthorization(deps: ApiDeps, req: Request, res: Response): Promise<string> {
  const app = appOrProblem(deps);
  const parsed = authorizeQuery.safeParse(req.method === 'GET' ? req.query : req.body ?? {});
  if (!parsed.success) {
    throw new HttpProblem({
      title: 'Bad Request', status: 400, detail: 'the login choice is invalid',
      errors: parsed.error.issues.map((i) => ({ field: i.path.join('.'), message: i.message })),
    });
  }
  const choice = loginChoice.safeParse({ environment: parsed.data.environment, domain: parsed.data.domain });
  if (!choice.success) throw new HttpProblem({ title: 'Bad Request', status: 400, detail: 'a custom login needs domain=<your My Domain>' });
  let nonce: string | null = null;
  if (caller(req).principal.kind === 'user') {
    nonce = randomBytes(24).toString('base64url');
    res.cookie(FLOW_COOKIE, nonce, { httpOnly: true, sameSite: 'lax', path: FLOW_COOKIE_PATH, secure: isSecure(deps.config.publicUrl), maxAge: 10 * 60_000 });
  }
  try {
    const { authorizeUrl } = await startAuthorization(
      { db: deps.db, secrets: deps.secrets, app }, caller(req).workspaceId, choice.data, parsed.data.returnTo ?? null, nonce,
    );
    return authorizeUrl;
  } catch (err) {
    if (err instanceof UntrustedHostError) throw new HttpProblem({ title: 'Bad Request', status: 400, detail: `${err.message}: give your My Domain, e.g. acme.my.salesforce.com` });
    throw err;
  }
}

/** Outside /api/v1: the browser's way in (redirect to Salesforce) and back (the callback). */
export function salesforcePublicRoutes(deps: ApiDeps): Router {
  const router = Router();
  // API keys only: a cookie would let any site start a flow with one link. The web app starts it
  // with POST /api/v1/salesforce/authorize (CSRF-protected), then navigates.
  router.get('/oauth/salesforce/authorize', authenticate(deps.db), requireScope('admin'), async (req, res) => {
    res.redirect(302, await beginAuthorization(deps, req, res));
  });
  router.get('/oauth/salesforce/callback', async (req, res) => {
    const q = z.record(z.string(), z.unknown()).parse(req.query);
    const str = (v: unknown) => (typeof v === 'string' ? v : undefined);
    const app = deps.salesforce;
    const nonce = readCookie(req, FLOW_COOKIE);
    if (nonce) res.clearCookie(FLOW_COOKIE, { httpOnly: true, sameSite: 'lax', path: FLOW_COOKIE_PATH, secure: isSecure(deps.config.publicUrl) });
    const outcome = app
      ? await completeAuthorization({ db: deps.db, secrets: deps.secrets, app }, {
          state: str(q.state), code: str(q.code), error: str(q.error), error_description: str(q.error_description),
        }, nonce)
      : { ok: false as const, title: 'Salesforce is not configured', detail: 'Set SALESFORCE_CLIENT_ID and SALESFORCE_CLIENT_SECRET.', workspaceId: null, returnTo: null };
    const back = outcome.returnTo ?? '/';
    if (!outcome.ok) {
      req.log.warn({ title: outcome.title, workspaceId: outcome.workspaceId }, 'Salesforce connection not completed');
      res.status(400).type('html').send(resultPage({ ok: false, title: outcome.title, detail: outcome.detail, next: { href: back, label: 'Back' } }));
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
    res.type('html').send(resultPage({
      ok: true,
      title: 'Salesforce is connected',
      detail: `Org ${outcome.connection.orgId}${outcome.connection.username ? ` as ${outcome.connection.username}` : ''}. ` +
        (started
          ? 'The first sync has started; its progress shows on the Salesforce page.'
          : 'The first sync could not be queued just now (the job queue is unreachable); use "Sync now" on the Salesforce page once it is back.'),
      next: { href: back, label: 'Continue' },
    }));
  });
  return router;
}

const connectionPatch = z.object({ syncIntervalMinutes: z.number().int().min(5).max(1440) });

/** Under /api/v1 (already authenticated): status, settings, manual sync, disconnect. */
export function salesforceApiRoutes(deps: ApiDeps): Router {
  const router = Router();
  const json = express.json({ limit: '16kb' });

  router.get('/salesforce/connection', requireScope('admin'), async (req, res) => {
    res.json(await connectionStatus(deps.db, caller(req).workspaceId));
  });

  router.post('/salesforce/authorize', requireScope('admin'), json, async (req, res) => {
    res.json({ authorizeUrl: await beginAuthorization(deps, req, res) });
  });

  router.patch('/salesforce/connection', requireScope('admin'), json, async (req, res) => {
    const parsed = connectionPatch.safeParse(req.body);
    if (!parsed.success) {
      throw new HttpProblem({
        title: 'Bad Request', status: 400, detail: 'invalid connection settings',
        errors: parsed.error.issues.map((i) => ({ field: i.path.join('.') || '(body)', message: i.message })),
      });
    }
    const c = await connectionOrProblem(deps, req);
    const [updated] = await deps.db.update(salesforceConnections).set(parsed.data).where(eq(salesforceConnections.id, c.id)).returning();
    if (updated!.status === 'connected') await scheduleSync(deps.queue, updated!);
    res.json(await connectionStatus(deps.db, c.workspaceId));
  });

  router.post('/salesforce/sync', requireScope('admin'), async (req, res) => {
    const c = await connectionOrProblem(deps, req);
    if (c.status !== 'connected') {
      throw new HttpProblem({ title: 'Conflict', status: 409, detail: `the connection is ${c.status.replace('_', ' ')}: reconnect the org first` });
    }
    await requestSync(deps.queue, c.id, 'manual');
    res.status(202).json({ status: 'queued', connectionId: c.id });
  });

  router.delete('/salesforce/connection', requireScope('admin'), async (req, res) => {
    const app = appOrProblem(deps);
    const result = await disconnectSalesforce({ db: deps.db, secrets: deps.secrets, app, queue: deps.queue }, caller(req).workspaceId);
    if (!result.disconnected) throw new HttpProblem({ title: 'Not Found', status: 404, detail: 'this workspace has no connected Salesforce org' });
    res.json(result);
  });
  return router;
}

async function connectionOrProblem(deps: ApiDeps, req: Request) {
  const c = await connectionOfWorkspace(deps.db, caller(req).workspaceId);
  if (!c) throw new HttpProblem({ title: 'Not Found', status: 404, detail: 'this workspace has no Salesforce connection yet' });
  return c;
}
