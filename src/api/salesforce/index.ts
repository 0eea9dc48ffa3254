// Salesforce connection and sync routes (see the Salesforce issue).
import { Router } from 'express';
import type { ApiDeps } from '../deps';

/** Routes outside /api/v1 (the OAuth redirect endpoints). */
export function salesforcePublicRoutes(_deps: ApiDeps): Router {
  return Router();
}

/** Routes under /api/v1, after authentication. */
export function salesforceApiRoutes(_deps: ApiDeps): Router {
  return Router();
}
