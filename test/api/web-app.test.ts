// The built web app as express serves it: hashed assets cached for good, index.html never, client
// routes answered with the app, server paths left to their own 404s, and a hint when unbuilt.
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { RunningService } from '../../src/app/service';
import { useTestDatabase } from '../support/database';
import { inProcessJobs } from '../support/queues';
import { startTestService } from '../support/service';

const database = useTestDatabase();
const dir = mkdtempSync(path.join(os.tmpdir(), 'web-dist-'));
mkdirSync(path.join(dir, 'assets'));
writeFileSync(path.join(dir, 'index.html'), '<!doctype html><title>app</title><div id="app"></div>');
writeFileSync(path.join(dir, 'assets', 'index-abc123.js'), 'console.log(1)');
writeFileSync(path.join(dir, 'assets', 'charts-def456.js'), `export const data = [${'1234567890,'.repeat(2000)}];`);
writeFileSync(path.join(dir, 'assets', 'charts-def456.js.map'), '{"version":3}');
writeFileSync(path.join(dir, 'favicon.svg'), '<svg/>');
let service: RunningService;
let unbuilt: RunningService;

beforeAll(async () => {
  service = await startTestService({ database, jobs: inProcessJobs(), webAppDir: dir });
  unbuilt = await startTestService({ database, jobs: inProcessJobs(), webAppDir: path.join(dir, 'missing') });
});
afterAll(async () => {
  await service.close();
  await unbuilt.close();
});

describe('the web app', () => {
  it.each(['/', '/ledger', '/ledger/opportunities/0065g000000004EAAQ?x=1', '/settings'])(
    'answers %s with index.html, never cached',
    async (page) => {
      const res = await fetch(`${service.url}${page}`, { headers: { accept: 'text/html' } });
      expect(res.status).toBe(200);
      expect(res.headers.get('cache-control')).toBe('no-cache');
      expect(res.headers.get('content-security-policy')).toMatch(/default-src 'self'; script-src 'self'/);
      expect(await res.text()).toContain('<div id="app">');
    },
  );

  it('serves hashed assets with a year-long immutable cache', async () => {
    const res = await fetch(`${service.url}/assets/index-abc123.js`);
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    expect((await fetch(`${service.url}/favicon.svg`)).headers.get('cache-control')).toBe('no-cache');
  });

  it('compresses assets as the browser asks, brotli first', async () => {
    for (const [accept, encoding] of [
      ['br, gzip', 'br'],
      ['gzip', 'gzip'],
      ['identity', null],
    ] as const) {
      const res = await fetch(`${service.url}/assets/charts-def456.js`, { headers: { 'accept-encoding': accept } });
      expect({ accept, status: res.status, encoding: res.headers.get('content-encoding') }).toEqual({
        accept,
        status: 200,
        encoding,
      });
      expect((await res.text()).startsWith('export const data')).toBe(true);
    }
  });

  it('never serves a source map', async () => {
    expect((await fetch(`${service.url}/assets/charts-def456.js.map`)).status).toBe(404);
  });

  it.each([
    ['/api/v1/nothing-here', 401],
    ['/auth/nothing', 404],
    ['/oauth/nothing', 404],
    ['/webhooks/nothing', 404],
    ['/assets/missing.js', 404],
  ])('leaves %s to the API (problem+json %i), not the app', async (route, status) => {
    const res = await fetch(`${service.url}${route}`, { headers: { accept: 'text/html' } });
    expect(res.status).toBe(status);
    expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
  });

  it('leaves a request that does not ask for HTML to the API', async () => {
    const res = await fetch(`${service.url}/no-such-route`);
    expect(res.status).toBe(404);
    expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
  });

  it('says how to build it when web/dist is missing', async () => {
    const res = await fetch(`${unbuilt.url}/`, { headers: { accept: 'text/html' } });
    expect(res.status).toBe(503);
    expect(await res.text()).toContain('npm run build');
  });
});
