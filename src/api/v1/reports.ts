// The dashboard and the leaderboard: chat metrics and influence, limited to the teams the key may see.
import { Router } from 'express';
import { buildDashboard, dashboardQuery, dashboardView } from '../../reporting/dashboard';
import { buildLeaderboard, leaderboardQuery, leaderboardView } from '../../reporting/leaderboard';
import { listTeams, teamView } from '../../workspaces/teams';
import { z } from 'zod';
import { caller, requireScope } from '../auth';
import type { ApiDeps } from '../deps';
import { apiDocs, json, problems } from '../openapi/registry';
import { parseQuery } from '../validate';

const security = [{ apiKey: [] }];

apiDocs.registerPath({
  method: 'get',
  path: '/api/v1/dashboard',
  tags: ['Reports'],
  summary: 'Chat metrics, Pipeline Influenced and Closed-Won Influenced: totals and a series',
  description:
    'Days are calendar days in the workspace time zone. Default: the 30 complete days up to yesterday, every team ' +
    'the key may see. A team set counts each opportunity once, however many of its teams touched it. Needs dashboard:read.',
  security,
  request: { query: dashboardQuery },
  responses: { 200: json('The dashboard', dashboardView), ...problems(400, 401, 403, 404, 429) },
});

apiDocs.registerPath({
  method: 'get',
  path: '/api/v1/leaderboard',
  tags: ['Reports'],
  summary:
    'Per agent and per team: conversations, qualified chats, meetings, and the influence of the opportunities they touched',
  description: 'Rows are not additive: an opportunity touched by two agents counts in both rows. Needs dashboard:read.',
  security,
  request: { query: leaderboardQuery },
  responses: { 200: json('The leaderboard', leaderboardView), ...problems(400, 401, 403, 404, 429) },
});

apiDocs.registerPath({
  method: 'get',
  path: '/api/v1/teams',
  tags: ['Reports'],
  summary: 'The teams the key may see',
  security,
  responses: { 200: json('Teams', z.object({ teams: z.array(teamView) })), ...problems(401, 403, 429) },
});

export function reportRoutes(deps: ApiDeps): Router {
  const router = Router();
  router.get('/dashboard', requireScope('dashboard:read'), async (req, res) => {
    const { workspaceId, teams } = caller(req);
    res.json(await buildDashboard(deps.db, { workspaceId, teams }, parseQuery(dashboardQuery, req)));
  });
  router.get('/leaderboard', requireScope('dashboard:read'), async (req, res) => {
    const { workspaceId, teams } = caller(req);
    res.json(await buildLeaderboard(deps.db, { workspaceId, teams }, parseQuery(leaderboardQuery, req)));
  });
  router.get('/teams', requireScope('dashboard:read'), async (req, res) => {
    const { workspaceId, teams } = caller(req);
    res.json({ teams: await listTeams(deps.db, workspaceId, teams) });
  });
  return router;
}
