// The OpenAPI 3.1 document (generated from the zod schemas, see registry.ts) at
// /api/v1/openapi.json, and the readable reference at /docs: HTML rendered on the server from that
// same document (reference-page.ts), with no script and no CDN. It replaced Swagger UI, whose own
// markup failed axe (an unlabelled servers select, 49 contrast failures, 25 nested controls).
import { Router } from 'express';
import type { ApiDeps } from '../deps';
import { openApiDocument } from './registry';
import { REFERENCE_CSS, renderReference, type ReferenceDocument } from './reference-page';

export const OPENAPI_PATH = '/api/v1/openapi.json';

export function docsRoutes(deps: ApiDeps): Router {
  const router = Router();
  // The document cannot change while the service runs: rendered once, on first use.
  let page: string | undefined;
  router.get(OPENAPI_PATH, (_req, res) => {
    res.json(openApiDocument(deps.config.publicUrl));
  });
  router.get('/docs', (_req, res) => {
    page ??= renderReference(openApiDocument(deps.config.publicUrl) as unknown as ReferenceDocument, OPENAPI_PATH);
    res.type('html').send(page);
  });
  router.get('/docs/reference.css', (_req, res) => {
    res.type('text/css').set('cache-control', 'public, max-age=3600').send(REFERENCE_CSS);
  });
  return router;
}
