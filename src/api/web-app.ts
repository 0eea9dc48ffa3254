// The web app (web/, built by Vite into web/dist): compressed, hashed assets cached for a year,
// index.html never cached, source maps never served (the build keeps them beside the files, for
// us), and every client route (/, /ledger, /salesforce, ...) answered with index.html.
// Without a build, / says how to make one instead of a bare 404.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import compression from 'compression';
import express, { Router, type Response } from 'express';
import { projectRoot } from '../platform/paths';

export const WEB_APP_DIR = path.join(projectRoot, 'web', 'dist');

/** Server paths that are never a page of the app: their 404s stay problem+json. */
const SERVER_PATHS = /^\/(api|oauth|auth|webhooks|healthz|readyz|docs|digest)(\/|$)/;

const MISSING_BUILD = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>The web app is not built</title>
<style>body{font:16px/1.5 system-ui,sans-serif;max-width:36rem;margin:12vh auto;padding:0 1rem;color:#1f2933}code{background:#eef1f5;padding:.1rem .35rem;border-radius:4px}</style>
</head><body><h1>The web app is not built yet</h1>
<p>Run <code>npm run build</code> (or <code>npm install</code>, which builds it), then reload this page.</p>
<p>The API is up: <a href="/docs">API docs</a> · <a href="/healthz">/healthz</a></p></body></html>`;

function sendIndex(res: Response, dir: string): void {
  // The Content-Security-Policy and the other security headers come from app.ts (security-headers.ts).
  res.set('cache-control', 'no-cache');
  const index = path.join(dir, 'index.html');
  if (!existsSync(index)) {
    res.status(503).type('html').send(MISSING_BUILD);
    return;
  }
  // Read on each request: a rebuild is served without a restart.
  res.type('html').send(readFileSync(index, 'utf8'));
}

export function webAppRoutes(dir: string = WEB_APP_DIR): Router {
  const router = Router();
  // gzip or brotli as the browser asks (the charts chunk: 544 KB raw, under 200 KB gzipped).
  router.use(compression());
  // Source maps stay private (security finding 15): the build makes none, and one left in an old build is not served.
  router.use((req, res, next) => (req.path.endsWith('.map') ? res.status(404).end() : next()));
  router.use('/assets', express.static(path.join(dir, 'assets'), { index: false, immutable: true, maxAge: '365d' }));
  router.use(
    express.static(dir, { index: false, maxAge: 0, setHeaders: (res) => res.setHeader('cache-control', 'no-cache') }),
  );
  router.use((req, res, next) => {
    if ((req.method !== 'GET' && req.method !== 'HEAD') || SERVER_PATHS.test(req.path) || path.extname(req.path) !== '')
      return next();
    // Only a browser navigation (it asks for text/html by name) gets the app; API clients keep problem+json 404s.
    if (!(req.headers.accept ?? '').includes('text/html')) return next();
    sendIndex(res, dir);
  });
  return router;
}
