// Saved views: named report filters (range, teams, credit model) and their weekly digest's recipients.
import express, { Router } from 'express';
import { z } from 'zod';
import {
  createSavedView,
  deleteSavedView,
  listSavedViews,
  savedViewInput,
  savedViewPatch,
  savedViewView,
  updateSavedView,
  viewIdParam,
  viewOf,
  getSavedView,
} from '../../digest/saved-views';
import { caller, requireScope } from '../auth';
import type { ApiDeps } from '../deps';
import { apiDocs, json, problems } from '../openapi/registry';
import { parseBody, parseParams } from '../validate';

const security = [{ apiKey: [] }];
const tags = ['Saved views'];

apiDocs.registerPath({
  method: 'get',
  path: '/api/v1/views',
  tags,
  summary: 'The saved views of the workspace',
  description:
    'Sorted by name. A key restricted to teams sees only the views within its teams. Needs dashboard:read. ' +
    'Each view’s weekly digest is the HTML page at digestUrl (for a signed-in user).',
  security,
  responses: {
    200: json(
      'Saved views',
      z.object({
        views: z.array(savedViewView),
        email: z.object({
          configured: z.boolean().meta({
            description:
              'Whether this service sends digests by email (SMTP_URL is set). Without it, digests are only shown.',
          }),
        }),
      }),
    ),
    ...problems(401, 403, 429),
  },
});
apiDocs.registerPath({
  method: 'get',
  path: '/api/v1/views/{id}',
  tags,
  summary: 'One saved view',
  description: 'Needs dashboard:read.',
  security,
  request: { params: viewIdParam },
  responses: { 200: json('The view', savedViewView), ...problems(400, 401, 403, 404, 429) },
});
apiDocs.registerPath({
  method: 'post',
  path: '/api/v1/views',
  tags,
  summary: 'Save a view',
  description:
    'Names are unique in the workspace (409 otherwise). digestRecipients receive its weekly digest on Mondays at ' +
    '08:00 in the workspace time zone, where SMTP is configured. Needs an admin key (or a signed-in user).',
  security,
  request: { body: { required: true, content: { 'application/json': { schema: savedViewInput } } } },
  responses: { 201: json('Saved', savedViewView), ...problems(400, 401, 403, 409, 415, 429) },
});
apiDocs.registerPath({
  method: 'patch',
  path: '/api/v1/views/{id}',
  tags,
  summary: 'Change a saved view',
  description: 'Only the fields sent change. Needs an admin key (or a signed-in user).',
  security,
  request: {
    params: viewIdParam,
    body: { required: true, content: { 'application/json': { schema: savedViewPatch } } },
  },
  responses: { 200: json('Changed', savedViewView), ...problems(400, 401, 403, 404, 409, 415, 429) },
});
apiDocs.registerPath({
  method: 'delete',
  path: '/api/v1/views/{id}',
  tags,
  summary: 'Delete a saved view',
  description: 'Its digest is no longer sent. Needs an admin key (or a signed-in user).',
  security,
  request: { params: viewIdParam },
  responses: { 204: { description: 'Deleted' }, ...problems(400, 401, 403, 404, 429) },
});

export function viewRoutes(deps: ApiDeps): Router {
  const router = Router();
  const body = express.json({ limit: '32kb' });
  router.get('/views', requireScope('dashboard:read'), async (req, res) => {
    res.json({
      views: await listSavedViews(deps.db, caller(req)),
      email: { configured: deps.config.digest.smtpUrl !== null },
    });
  });
  router.get('/views/:id', requireScope('dashboard:read'), async (req, res) => {
    const { id } = parseParams(viewIdParam, req);
    res.json(viewOf(await getSavedView(deps.db, caller(req), id)));
  });
  router.post('/views', requireScope('admin'), body, async (req, res) => {
    res.status(201).json(await createSavedView(deps.db, caller(req), parseBody(savedViewInput, req)));
  });
  router.patch('/views/:id', requireScope('admin'), body, async (req, res) => {
    const { id } = parseParams(viewIdParam, req);
    res.json(await updateSavedView(deps.db, caller(req), id, parseBody(savedViewPatch, req)));
  });
  router.delete('/views/:id', requireScope('admin'), async (req, res) => {
    const { id } = parseParams(viewIdParam, req);
    await deleteSavedView(deps.db, caller(req), id);
    res.status(204).end();
  });
  return router;
}
