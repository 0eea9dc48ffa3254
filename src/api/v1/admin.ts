// Administration with an `admin` key: API keys, webhook secrets, workspace settings, teams.
import express, { Router } from 'express';
import { z } from 'zod';
import { createApiKey, listApiKeys, newApiKeyInput, revokeApiKey, type PublicApiKey } from '../../access/api-keys';
import { AppError } from '../../platform/errors';
import { deleteTeam, saveTeam, teamInput, teamView } from '../../workspaces/teams';
import {
  createdWebhookSecret,
  createWebhookSecret,
  listWebhookSecrets,
  revokeWebhookSecret,
  webhookSecretView,
} from '../../access/webhook-secrets';
import {
  changeWorkspaceSettings,
  workspaceOf,
  workspaceSettingsChange,
  workspaceView,
} from '../../workspaces/workspace-settings';
import { apiKeyScopes } from '../../platform/db/schema';
import { caller, requireScope } from '../auth';
import type { ApiDeps } from '../deps';
import { apiDocs, json, problems } from '../openapi/registry';
import { parseBody } from '../validate';

const apiKeyView = z
  .object({
    id: z.uuid(),
    name: z.string(),
    prefix: z.string().meta({ description: 'The visible start of the key, to recognise it.' }),
    scopes: z.array(z.enum(apiKeyScopes)),
    teams: z.array(z.string()).nullable().meta({ description: 'Teams the key may see; null: all.' }),
    createdAt: z.iso.datetime(),
    lastUsedAt: z.iso.datetime().nullable(),
    revokedAt: z.iso.datetime().nullable(),
  })
  .meta({ id: 'ApiKey' });
const createdApiKey = z
  .object({
    key: z.string().meta({ description: 'The whole key, shown this once: store it now.' }),
    apiKey: apiKeyView,
  })
  .meta({ id: 'CreatedApiKey' });
const idParam = z.object({ id: z.string() });

const toApiKeyView = (k: PublicApiKey): z.infer<typeof apiKeyView> => ({
  id: k.id,
  name: k.name,
  prefix: k.prefix,
  scopes: k.scopes,
  teams: k.teams,
  createdAt: k.createdAt.toISOString(),
  lastUsedAt: k.lastUsedAt?.toISOString() ?? null,
  revokedAt: k.revokedAt?.toISOString() ?? null,
});

const admin = { tags: ['Administration'], security: [{ apiKey: [] }] };
const body = (schema: z.ZodType) => ({ body: { required: true, content: { 'application/json': { schema } } } });
const deleted = { 204: { description: 'Done' } };

apiDocs.registerPath({
  ...admin,
  method: 'post',
  path: '/api/v1/admin/api-keys',
  summary: 'Create an API key (shown once)',
  request: body(newApiKeyInput),
  responses: { 201: json('The key', createdApiKey), ...problems(400, 401, 403, 415) },
});
apiDocs.registerPath({
  ...admin,
  method: 'get',
  path: '/api/v1/admin/api-keys',
  summary: 'List the API keys (never the keys themselves)',
  responses: { 200: json('Keys', z.object({ apiKeys: z.array(apiKeyView) })), ...problems(401, 403) },
});
apiDocs.registerPath({
  ...admin,
  method: 'delete',
  path: '/api/v1/admin/api-keys/{id}',
  summary: 'Revoke an API key',
  request: { params: idParam },
  responses: { ...deleted, ...problems(401, 403, 404) },
});
apiDocs.registerPath({
  ...admin,
  method: 'post',
  path: '/api/v1/admin/webhook-secrets',
  summary: 'Create a webhook signing secret (shown once)',
  responses: { 201: json('The secret', createdWebhookSecret), ...problems(401, 403) },
});
apiDocs.registerPath({
  ...admin,
  method: 'get',
  path: '/api/v1/admin/webhook-secrets',
  summary: 'List the webhook secrets (never the secrets themselves)',
  responses: { 200: json('Secrets', z.object({ webhookSecrets: z.array(webhookSecretView) })), ...problems(401, 403) },
});
apiDocs.registerPath({
  ...admin,
  method: 'delete',
  path: '/api/v1/admin/webhook-secrets/{id}',
  summary: 'Revoke a webhook secret',
  request: { params: idParam },
  responses: { ...deleted, ...problems(401, 403, 404) },
});
apiDocs.registerPath({
  ...admin,
  method: 'get',
  path: '/api/v1/workspace',
  summary: 'The workspace and its settings',
  responses: { 200: json('The workspace', workspaceView), ...problems(401, 403) },
});
apiDocs.registerPath({
  ...admin,
  method: 'patch',
  path: '/api/v1/workspace',
  summary: 'Change the time zone, reporting currency or attribution window',
  description: 'A new time zone or window recomputes the whole ledger in the background.',
  request: body(workspaceSettingsChange),
  responses: { 200: json('The workspace', workspaceView), ...problems(400, 401, 403, 415) },
});
apiDocs.registerPath({
  ...admin,
  method: 'post',
  path: '/api/v1/teams',
  summary: 'Add a team, or rename it',
  request: body(teamInput),
  responses: { 200: json('Renamed', teamView), 201: json('Added', teamView), ...problems(400, 401, 403, 415) },
});
apiDocs.registerPath({
  ...admin,
  method: 'delete',
  path: '/api/v1/teams/{id}',
  summary: 'Remove a team that has no conversations',
  request: { params: idParam },
  responses: { ...deleted, ...problems(401, 403, 404, 409) },
});

export function adminRoutes(deps: ApiDeps): Router {
  const router = Router();
  const jsonBody = express.json({ limit: deps.config.api.maxBodyBytes });
  const onlyAdmin = requireScope('admin');
  const notFound = (what: string, id: string) => new AppError('not_found', `no active ${what} ${id} in this workspace`);

  router.post('/admin/api-keys', onlyAdmin, jsonBody, async (req, res) => {
    const created = await createApiKey(deps.db, caller(req).workspaceId, parseBody(newApiKeyInput, req));
    res.status(201).json({ key: created.key, apiKey: toApiKeyView(created.apiKey) });
  });
  router.get('/admin/api-keys', onlyAdmin, async (req, res) => {
    res.json({ apiKeys: (await listApiKeys(deps.db, caller(req).workspaceId)).map(toApiKeyView) });
  });
  router.delete('/admin/api-keys/:id', onlyAdmin, async (req, res) => {
    const id = String(req.params.id);
    if (!(await revokeApiKey(deps.db, caller(req).workspaceId, id))) throw notFound('API key', id);
    res.status(204).end();
  });

  router.post('/admin/webhook-secrets', onlyAdmin, async (req, res) => {
    res.status(201).json(await createWebhookSecret(deps.db, deps.secrets, caller(req).workspaceId));
  });
  router.get('/admin/webhook-secrets', onlyAdmin, async (req, res) => {
    res.json({ webhookSecrets: await listWebhookSecrets(deps.db, caller(req).workspaceId) });
  });
  router.delete('/admin/webhook-secrets/:id', onlyAdmin, async (req, res) => {
    const id = String(req.params.id);
    if (!(await revokeWebhookSecret(deps.db, caller(req).workspaceId, id))) throw notFound('webhook secret', id);
    res.status(204).end();
  });

  router.get('/workspace', onlyAdmin, async (req, res) => {
    res.json(await workspaceOf(deps.db, caller(req).workspaceId));
  });
  router.patch('/workspace', onlyAdmin, jsonBody, async (req, res) => {
    res.json(
      await changeWorkspaceSettings(
        { ...deps, logger: req.log },
        caller(req).workspaceId,
        parseBody(workspaceSettingsChange, req),
      ),
    );
  });

  router.post('/teams', onlyAdmin, jsonBody, async (req, res) => {
    const { team, created } = await saveTeam(deps.db, caller(req).workspaceId, parseBody(teamInput, req));
    res.status(created ? 201 : 200).json(team);
  });
  router.delete('/teams/:id', onlyAdmin, async (req, res) => {
    await deleteTeam(deps.db, caller(req).workspaceId, String(req.params.id));
    res.status(204).end();
  });
  return router;
}
