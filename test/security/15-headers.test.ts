// Finding 15 of the attack round: "Headers. CSP and frame-ancestors on every HTML answer: the OAuth
// callback pages and /docs included. No public source maps. Strict-Transport-Security when behind
// https."
// One middleware (api/security-headers.ts) sets the policy on every answer; HSTS follows req.secure,
// which believes X-Forwarded-Proto only from a proxy TRUST_PROXY names. The web build makes no
// source maps (web/vite.config.mts), and a map left in an old build is not served. The server's own
// maps (dist/, for stack traces) are never served: nothing maps dist/ to a URL.
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { RunningService } from '../../src/app/service';
import { projectRoot } from '../../src/platform/paths';
import { useTestDatabase } from '../support/database';
import { inProcessJobs } from '../support/queues';
import { startTestService, testConfig } from '../support/service';

const database = useTestDatabase();
const dir = mkdtempSync(path.join(os.tmpdir(), 'web-dist-'));
mkdirSync(path.join(dir, 'assets'));
writeFileSync(path.join(dir, 'index.html'), '<!doctype html><title>app</title><div id="app"></div>');
writeFileSync(path.join(dir, 'assets', 'index-abc123.js'), 'console.log(1)\n//# sourceMappingURL=index-abc123.js.map');
writeFileSync(path.join(dir, 'assets', 'index-abc123.js.map'), '{"version":3,"sources":["../src/secret.ts"]}');
let service: RunningService;
let proxied: RunningService;

beforeAll(async () => {
  service = await startTestService({ database, jobs: inProcessJobs(), webAppDir: dir });
  proxied = await startTestService({
    database,
    jobs: inProcessJobs(),
    webAppDir: dir,
    config: testConfig({ TRUST_PROXY: 'loopback' }),
  });
});
afterAll(async () => {
  await service.close();
  await proxied.close();
});

const html = { accept: 'text/html' };

describe('finding 15: security headers', () => {
  it.each([
    ['the web app', '/'],
    ['a client route', '/ledger'],
    ['the API docs', '/docs'],
    ['the OAuth callback page', '/oauth/salesforce/callback?state=forged&code=x'],
    ['the OAuth callback page of a denied consent', '/oauth/salesforce/callback?error=access_denied'],
    ['a problem+json 404', '/api/v1/nothing-here'],
  ])('sends a CSP with frame-ancestors on %s', async (_what, page) => {
    const res = await fetch(`${service.url}${page}`, { headers: html });
    await res.arrayBuffer();
    expect(res.headers.get('content-security-policy')).toMatch(/frame-ancestors 'none'/);
    expect(res.headers.get('content-security-policy')).toMatch(/script-src 'self'(;|$)/);
    expect(res.headers.get('x-frame-options')).toBe('DENY');
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
  });

  it('sends the OAuth callback page as HTML under the policy', async () => {
    const res = await fetch(`${service.url}/oauth/salesforce/callback?state=forged&code=x`);
    expect(res.headers.get('content-type')).toMatch(/^text\/html/);
    expect(res.headers.get('content-security-policy')).toMatch(/frame-ancestors 'none'/);
  });

  it('serves no source map, even one left in the build', async () => {
    expect((await fetch(`${service.url}/assets/index-abc123.js`)).status).toBe(200);
    const map = await fetch(`${service.url}/assets/index-abc123.js.map`);
    expect(map.status).toBe(404);
    expect(await map.text()).not.toContain('secret.ts');
    expect(readFileSync(path.join(projectRoot, 'web', 'vite.config.mts'), 'utf8')).toMatch(/sourcemap: false/);
  });

  it('sends Strict-Transport-Security over https behind a trusted proxy, never over http', async () => {
    const https = { 'x-forwarded-proto': 'https' };
    const behind = await fetch(`${proxied.url}/healthz`, { headers: https });
    expect(behind.headers.get('strict-transport-security')).toBe('max-age=31536000; includeSubDomains');
    expect(
      (await fetch(`${proxied.url}/`, { headers: { ...html, ...https } })).headers.get('strict-transport-security'),
    ).toMatch(/max-age=31536000/);
    expect((await fetch(`${proxied.url}/healthz`)).headers.get('strict-transport-security')).toBeNull();
    // Without TRUST_PROXY, anyone could claim https: the header is not believed.
    expect(
      (await fetch(`${service.url}/healthz`, { headers: https })).headers.get('strict-transport-security'),
    ).toBeNull();
  });
});
