// The workspace's Salesforce connection under /api/v1 (admin): status, the consent URL, sync
// settings, a sync now, and disconnect.
import express, { Router } from 'express';
import { z } from 'zod';
import { AppError } from '../../platform/errors';
import { runConnectionCheck } from '../../salesforce/check-run';
import { checkReportView } from '../../salesforce/connection-check';
import { changeSyncInterval, requestManualSync, requireConnection } from '../../salesforce/connection-actions';
import { syncSettings } from '../../salesforce/settings';
import { disconnectSalesforce } from '../../salesforce/disconnect';
import { connectionStatus } from '../../salesforce/status';
import { caller, requireScope } from '../auth';
import type { ApiDeps } from '../deps';
import { beginAuthorization, loginQuery, salesforceAppOf } from '../oauth/salesforce';
import { apiDocs, json, problems } from '../openapi/registry';
import { connectionStatusView } from '../../salesforce/status';
import { parseBody } from '../validate';

export const connectionPatch = z.object({ syncIntervalMinutes: z.number().int().min(5).max(1440) });

const tags = ['Salesforce'];
const security = [{ apiKey: [] }];

apiDocs.registerPath({
  method: 'post',
  path: '/api/v1/salesforce/authorize',
  tags,
  security,
  summary: 'The Salesforce consent URL, for clients that navigate themselves',
  request: { body: { content: { 'application/json': { schema: loginQuery } } } },
  responses: { 200: json('The URL to open', z.object({ authorizeUrl: z.string() })), ...problems(400, 401, 403) },
});
apiDocs.registerPath({
  method: 'post',
  path: '/api/v1/salesforce/check',
  tags,
  security,
  summary:
    'Check the connection: API access and version, read access and field-level security, history, API headroom, first backfill estimate',
  description:
    'Read-only: a few dozen API requests (a COUNT() and a describe per object). Each item says what a Salesforce admin should do about it.',
  responses: { 200: json('The check', checkReportView), ...problems(401, 403, 404, 409) },
});
apiDocs.registerPath({
  method: 'get',
  path: '/api/v1/salesforce/connection',
  tags,
  security,
  summary: 'The connection: org, status, each object\u2019s last run and checkpoint, API usage, last error',
  responses: { 200: json('The connection', connectionStatusView), ...problems(401, 403) },
});
apiDocs.registerPath({
  method: 'patch',
  path: '/api/v1/salesforce/connection',
  tags,
  security,
  summary: 'Change how often the org is synced',
  request: { body: { content: { 'application/json': { schema: connectionPatch } } } },
  responses: { 200: json('The connection', connectionStatusView), ...problems(400, 401, 403, 404) },
});
apiDocs.registerPath({
  method: 'delete',
  path: '/api/v1/salesforce/connection',
  tags,
  security,
  summary: 'Disconnect: revoke the token at Salesforce and delete it here; synced data and the ledger stay',
  responses: {
    200: json(
      'Disconnected',
      z.object({ disconnected: z.boolean(), revokedAtSalesforce: z.boolean(), revokeError: z.string().optional() }),
    ),
    ...problems(401, 403, 404),
  },
});
apiDocs.registerPath({
  method: 'post',
  path: '/api/v1/salesforce/sync',
  tags,
  security,
  summary: 'Sync the org now (never two runs of one org at once)',
  responses: {
    202: json('Queued', z.object({ status: z.literal('queued'), connectionId: z.string() })),
    ...problems(401, 403, 404, 409),
  },
});

export function salesforceRoutes(deps: ApiDeps): Router {
  const router = Router();
  const json = express.json({ limit: '16kb' });
  const admin = requireScope('admin');

  router.get('/salesforce/connection', admin, async (req, res) => {
    res.json(await connectionStatus(deps.db, caller(req).workspaceId));
  });

  router.post('/salesforce/authorize', admin, json, async (req, res) => {
    res.json({ authorizeUrl: await beginAuthorization(deps, req, res) });
  });

  router.patch('/salesforce/connection', admin, json, async (req, res) => {
    const { workspaceId } = caller(req);
    await changeSyncInterval(deps, workspaceId, parseBody(connectionPatch, req).syncIntervalMinutes);
    res.json(await connectionStatus(deps.db, workspaceId));
  });

  router.post('/salesforce/check', admin, async (req, res) => {
    const app = salesforceAppOf(deps);
    const c = await requireConnection(deps.db, caller(req).workspaceId);
    const report = await runConnectionCheck(
      { db: deps.db, secrets: deps.secrets, app, logger: req.log, settings: syncSettings(deps.config) },
      c.id,
    );
    res.json(report);
  });

  router.post('/salesforce/sync', admin, async (req, res) => {
    const c = await requestManualSync(deps, caller(req).workspaceId);
    res.status(202).json({ status: 'queued', connectionId: c.id });
  });

  router.delete('/salesforce/connection', admin, async (req, res) => {
    const app = salesforceAppOf(deps);
    const result = await disconnectSalesforce(
      { db: deps.db, secrets: deps.secrets, app, queue: deps.queue },
      caller(req).workspaceId,
    );
    if (!result.disconnected) throw new AppError('not_found', 'this workspace has no connected Salesforce org');
    res.json(result);
  });
  return router;
}
