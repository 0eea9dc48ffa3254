// The demo workspace, connected and synced, open in a signed-in Chromium page: what the analytics
// pages' browser tests start from. The consent is given through the routes (the connect flow has a
// browser test of its own in web-app.test.ts), so each test file pays for one sync only.
import { rmSync } from 'node:fs';
import AxeBuilder from '@axe-core/playwright';
import type { Browser, Page } from 'playwright-core';
import { ensureDemoWorkspace } from '../../src/app/demo/demo-workspace';
import type { RunningService } from '../../src/app/service';
import type { TestDatabase } from '../support/database';
import type { RemoteFakeSalesforce } from '../support/fake-salesforce';
import { inProcessJobs } from '../support/queues';
import { appFor, startTestSalesforce } from '../support/salesforce';
import { startTestService, testConfig } from '../support/service';
import { artifact, buildWebApp, launchBrowser } from './browser';

export interface DemoSession {
  url: string;
  page: Page;
  story: { opportunityId: string };
  /** GET of the API with the page's session; expects 200. */
  api: <T>(path: string) => Promise<T>;
  close: () => Promise<void>;
}

export async function openDemoSession(database: TestDatabase): Promise<DemoSession> {
  const webDir = buildWebApp();
  const fake: RemoteFakeSalesforce = await startTestSalesforce();
  const story = (await fake.seedDemoOrg()).story;
  await ensureDemoWorkspace(database.db, await fake.demoChats());
  // The OAuth callback needs the service's own URL before it starts: bind, then restart there.
  const probe = await startTestService({ database, jobs: inProcessJobs() });
  await probe.close();
  const url = probe.url!;
  const config = testConfig({ PORT: new URL(url).port, PUBLIC_URL: url });
  const service: RunningService = await startTestService({
    database,
    jobs: inProcessJobs(),
    config,
    salesforce: appFor(fake, url, config),
    demoWorkspace: 'demo',
    webAppDir: webDir,
  });
  const browser: Browser = await launchBrowser();
  const context = await browser.newContext({
    viewport: { width: 1280, height: 900 },
    locale: 'en-US',
    timezoneId: 'UTC',
    acceptDownloads: true,
  });
  const page = await context.newPage();
  // A script error in the app fails nothing by itself: say it, so a test's timeout has its cause beside it.
  page.on('pageerror', (err) => process.stderr.write(`page error: ${err.message}\n`));
  const api = async <T>(path: string): Promise<T> => {
    const res = await page.request.get(`${url}${path}`);
    if (res.status() !== 200) throw new Error(`GET ${path} answered ${res.status()}: ${await res.text()}`);
    return (await res.json()) as T;
  };
  const close = async () => {
    await browser.close();
    await service.close();
    await fake.close();
    rmSync(webDir, { recursive: true, force: true });
  };
  try {
    await page.goto(url);
    await page.getByRole('button', { name: 'Explore the demo workspace' }).click();
    await page.getByRole('heading', { name: 'Revenue influence' }).waitFor();
    const start = await page.request.post(`${url}/api/v1/salesforce/authorize`, {
      headers: { 'x-requested-with': 'fetch' },
      data: { environment: 'production' },
    });
    if (start.status() !== 200) throw new Error(`authorize answered ${start.status()}`);
    const { authorizeUrl } = (await start.json()) as { authorizeUrl: string };
    await page.goto((await fake.approveAuthorization(authorizeUrl)).toString());
    await waitFor(
      async () => (await api<{ running: boolean }>('/api/v1/salesforce/connection')).running === false,
      'the first sync',
    );
    await waitFor(
      async () => (await api<{ total: number }>('/api/v1/opportunities')).total > 0,
      'the influenced opportunities',
    );
    await page.goto(`${url}/`);
    await page.getByRole('heading', { name: 'Revenue influence' }).waitFor();
  } catch (err) {
    await close();
    throw err;
  }
  return { url, page, story, api, close };
}

export async function waitFor(probe: () => Promise<boolean>, what: string, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await probe())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 300));
  }
}

/** axe on the page as it stands: serious and critical findings fail, named with their nodes. */
export async function expectNoSeriousAxeFindings(page: Page, include?: string): Promise<void> {
  const builder = new AxeBuilder({ page });
  if (include) builder.include(include);
  const { violations } = await builder.analyze();
  const serious = violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
  expect(serious).toEqual([]);
}

/**
 * The page at 1280 px and at 390 px, each screenshotted and checked by axe (only `include` where
 * the page is another's and holds only a part of ours), and never wider than the screen.
 */
export async function atBothWidths(
  page: Page,
  name: string,
  ready: () => Promise<void>,
  include?: string,
): Promise<void> {
  for (const [width, height, suffix] of [
    [1280, 900, ''],
    [390, 844, '-390px'],
  ] as const) {
    await page.setViewportSize({ width, height });
    await ready();
    // Inside page.evaluate the code runs in the browser: a string, as the tests' tsconfig has no DOM.
    const overflow = await page.evaluate<number>(
      include
        ? `Math.max(0, Math.ceil(document.querySelector(${JSON.stringify(include)}).getBoundingClientRect().right) - window.innerWidth)`
        : 'document.documentElement.scrollWidth - window.innerWidth',
    );
    expect({ width, overflow }).toEqual({ width, overflow: 0 });
    await page.screenshot({ path: artifact(`${name}${suffix}.png`), fullPage: true });
    await expectNoSeriousAxeFindings(page, include);
  }
  await page.setViewportSize({ width: 1280, height: 900 });
}
