// Chat ingestion, dashboard, ledger and leaderboard routes (see the chat issue).
import { Router } from 'express';
import type { ApiDeps } from '../deps';

/** Routes that authenticate by other means than an API key (signed webhooks). */
export function chatPublicRoutes(_deps: ApiDeps): Router {
  return Router();
}

/** Routes under /api/v1, after API-key authentication. */
export function chatApiRoutes(_deps: ApiDeps): Router {
  return Router();
}
