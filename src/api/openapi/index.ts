// The OpenAPI 3.1 document (generated from the zod schemas) and readable docs: see the chat issue.
import { Router } from 'express';
import type { ApiDeps } from '../deps';

export function docsRoutes(_deps: ApiDeps): Router {
  return Router();
}
