// The OpenAPI 3.1 document (generated from the zod schemas, see registry.ts) at
// /api/v1/openapi.json, and readable docs at /docs: Swagger UI served from the installed
// swagger-ui-dist package, so the docs work offline (no CDN).
import path from 'node:path';
import express, { Router } from 'express';
import type { ApiDeps } from '../deps';
import { openApiDocument } from './registry';

const SWAGGER_UI = path.dirname(require.resolve('swagger-ui-dist/package.json'));
export const OPENAPI_PATH = '/api/v1/openapi.json';

const page = `<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <title>Chat revenue attribution API</title>
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <link rel="stylesheet" href="/docs/assets/swagger-ui.css">
</head>
<body>
  <div id="swagger-ui"></div>
  <script src="/docs/assets/swagger-ui-bundle.js"></script>
  <script src="/docs/init.js"></script>
</body>
</html>
`;

// A file of its own rather than an inline script, so a strict Content-Security-Policy can allow it.
const init = `window.ui = SwaggerUIBundle({ url: ${JSON.stringify(OPENAPI_PATH)}, dom_id: '#swagger-ui', deepLinking: true, persistAuthorization: true });\n`;

export function docsRoutes(deps: ApiDeps): Router {
  const router = Router();
  router.get(OPENAPI_PATH, (_req, res) => {
    res.json(openApiDocument(deps.config.publicUrl));
  });
  router.get('/docs', (_req, res) => {
    res.type('html').send(page);
  });
  router.get('/docs/init.js', (_req, res) => {
    res.type('application/javascript').send(init);
  });
  router.use('/docs/assets', express.static(SWAGGER_UI, { index: false, fallthrough: true, maxAge: '1d' }));
  return router;
}
