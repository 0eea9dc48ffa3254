// Agents and their names: listed for report readers, named by admins.
import express, { Router } from 'express';
import { z } from 'zod';
import { agentIdParam, agentNameInput, agentView, listAgents, nameAgent } from '../../workspaces/agents';
import { caller, requireScope } from '../auth';
import type { ApiDeps } from '../deps';
import { apiDocs, json, problems } from '../openapi/registry';
import { parseBody, parseParams } from '../validate';

const security = [{ apiKey: [] }];

apiDocs.registerPath({
  method: 'get',
  path: '/api/v1/agents',
  tags: ['Reports'],
  summary: 'The agents of the teams the key may see, with their names',
  description:
    'Every agent id seen in a conversation of those teams (an unrestricted key also sees agents named before their first chat). Needs dashboard:read.',
  security,
  responses: { 200: json('Agents', z.object({ agents: z.array(agentView) })), ...problems(401, 403, 429) },
});

apiDocs.registerPath({
  method: 'put',
  path: '/api/v1/agents/{id}',
  tags: ['Administration'],
  summary: 'Name an agent',
  description:
    'Reports show this name wherever they show the agent. A name set here is kept: the agentName the chat product sends ' +
    'with conversations only names agents an admin has not named. Needs an admin key.',
  security,
  request: {
    params: agentIdParam,
    body: { required: true, content: { 'application/json': { schema: agentNameInput } } },
  },
  responses: { 200: json('Renamed', agentView), 201: json('Named', agentView), ...problems(400, 401, 403, 415) },
});

export function agentRoutes(deps: ApiDeps): Router {
  const router = Router();
  router.get('/agents', requireScope('dashboard:read'), async (req, res) => {
    const { workspaceId, teams } = caller(req);
    res.json({ agents: await listAgents(deps.db, workspaceId, teams) });
  });
  router.put('/agents/:id', requireScope('admin'), express.json({ limit: '16kb' }), async (req, res) => {
    const { id } = parseParams(agentIdParam, req);
    const { agent, created } = await nameAgent(deps.db, caller(req).workspaceId, id, parseBody(agentNameInput, req));
    res.status(created ? 201 : 200).json(agent);
  });
  return router;
}
