// GET /digest/{view}: a saved view's weekly digest, the same HTML its email carries, for a user
// signed in to the view's workspace. Without a session, the sign-in page, which comes back here.
// A failure is an HTML page too (a person reads it, not a client).
import { Router, type RequestHandler, type Response } from 'express';
import { resumeSession } from '../access/sessions';
import { buildDigest } from '../digest/digest-report';
import { renderDigest, escapeHtml } from '../digest/render-digest';
import { getSavedView, viewIdParam } from '../digest/saved-views';
import { AppError, parseInput } from '../platform/errors';
import type { ApiDeps } from './deps';
import { perCallerRateLimit } from './rate-limits';
import { readSessionToken } from './session/cookie';

export function digestPageRoutes(deps: ApiDeps): Router {
  const router = Router();
  const signedIn: RequestHandler = async (req, res, next) => {
    try {
      const token = readSessionToken(req);
      const session = token ? await resumeSession(deps.db, token) : null;
      if (!session) return res.redirect(303, `/sign-in?next=${encodeURIComponent(req.originalUrl)}`);
      req.auth = {
        workspaceId: session.user.workspaceId,
        principal: { kind: 'user', id: session.user.id },
        scopes: ['admin'],
        teams: null,
      };
      next();
    } catch (err) {
      next(err);
    }
  };
  // A digest runs several reports: it counts against the user's limit, as their API calls do.
  router.get('/digest/:id', signedIn, perCallerRateLimit(deps), async (req, res, next) => {
    try {
      const { id } = parseInput(viewIdParam, req.params, '(path)');
      const view = await getSavedView(deps.db, { workspaceId: req.auth!.workspaceId, teams: null }, id);
      // Links stay relative on the page: it is served from the web app's own origin.
      const digest = renderDigest(await buildDigest(deps.db, view, new Date()), { baseUrl: '' });
      res.set('cache-control', 'no-store').type('html').send(digest.html);
    } catch (err) {
      if (err instanceof AppError && err.status < 500) return sendErrorPage(res, err);
      next(err);
    }
  });
  return router;
}

function sendErrorPage(res: Response, err: AppError): void {
  res
    .status(err.status)
    .set('cache-control', 'no-store')
    .type('html')
    .send(
      `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">` +
        `<title>No digest</title></head><body style="font-family:system-ui,sans-serif;max-width:36rem;margin:12vh auto;padding:0 1rem;color:#1f2933">` +
        `<main><h1>No digest to show</h1><p>${escapeHtml(err.message)}</p><p><a href="/" style="color:#1a4fa0">Back to the dashboard</a></p></main></body></html>`,
    );
}
