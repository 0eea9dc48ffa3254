// The demo workspace in a real browser, ready to read: the service with the web app built from the
// current sources, the local Salesforce with the demo org, signed in, connected through the
// consent page and synced. Shared by the browser tests that start from a synced demo (the
// analytics pages' files connect through the routes instead: demo-session.ts).
import { rmSync } from 'node:fs';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { ensureDemoWorkspace } from '../../src/app/demo/demo-workspace';
import type { RunningService } from '../../src/app/service';
import type { TestDatabase } from '../support/database';
import { inProcessJobs } from '../support/queues';
import type { RemoteFakeSalesforce } from '../support/fake-salesforce';
import { appFor, startTestSalesforce } from '../support/salesforce';
import { startTestService, testConfig } from '../support/service';
import { artifact, buildWebApp, launchBrowser } from './browser';

export const DESKTOP = { width: 1280, height: 900 };
export const PHONE = { width: 390, height: 844 };

export interface DemoApp {
  url: string;
  page: Page;
  context: BrowserContext;
  fake: RemoteFakeSalesforce;
  story: { opportunityId: string };
  /** GET a JSON path with the page's session; fails the test on any status but 200. */
  api: <T>(path: string) => Promise<T>;
  shoot: (name: string, fullPage?: boolean) => Promise<void>;
  close: () => Promise<void>;
}

export async function startDemoApp(
  database: TestDatabase,
  opts: { connect?: boolean; acceptDownloads?: boolean } = {},
): Promise<DemoApp> {
  const webDir = buildWebApp();
  const fake = await startTestSalesforce();
  const { story } = await fake.seedDemoOrg();
  await ensureDemoWorkspace(database.db, await fake.demoChats());
  // The service must know its own URL for the OAuth callback before it starts: bind, then restart there.
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
    viewport: DESKTOP,
    locale: 'en-US',
    timezoneId: 'UTC',
    acceptDownloads: opts.acceptDownloads ?? false,
  });
  const page = await context.newPage();
  page.setDefaultTimeout(20_000);
  // A script error in the app fails nothing by itself: say it, so a test's timeout has its cause beside it.
  page.on('pageerror', (err) => process.stderr.write(`page error: ${err.message}\n`));
  const app: DemoApp = {
    url,
    page,
    context,
    fake,
    story,
    api: async <T>(path: string): Promise<T> => {
      const res = await page.request.get(`${url}${path}`);
      if (res.status() !== 200) throw new Error(`GET ${path} answered ${res.status()}: ${await res.text()}`);
      return (await res.json()) as T;
    },
    shoot: async (name, fullPage = true) => {
      await page.screenshot({ path: artifact(`${name}.png`), fullPage });
    },
    close: async () => {
      await browser.close();
      await service.close();
      await fake.close();
      rmSync(webDir, { recursive: true, force: true });
    },
  };
  try {
    await page.goto(url);
    await page.getByRole('button', { name: 'Explore the demo workspace' }).click();
    await page.getByRole('heading', { name: 'Revenue influence' }).waitFor();
    if (opts.connect !== false) await connectDemoOrg(app);
  } catch (err) {
    await app.close();
    throw err;
  }
  return app;
}

/** Connects the demo org through the consent page and waits for the first sync to end. */
export async function connectDemoOrg(app: DemoApp): Promise<void> {
  const { page, url } = app;
  await page.goto(`${url}/salesforce`);
  await page.getByRole('button', { name: 'Connect Salesforce' }).click();
  await page.getByRole('button', { name: 'Allow' }).click();
  await page.getByRole('heading', { name: 'Salesforce is connected' }).waitFor();
  await waitFor(async () => {
    const status = await app.api<{ running: boolean; runs: unknown[] }>('/api/v1/salesforce/connection');
    return !status.running && status.runs.length > 0;
  }, 'the first sync to end');
  // The recompute runs after the sync, in batches: wait until the ledger stops growing.
  let last = -1;
  await waitFor(async () => {
    const { totals } = await app.api<{ totals: { entries: number } }>('/api/v1/ledger?limit=1');
    const settled = totals.entries > 0 && totals.entries === last;
    last = totals.entries;
    return settled;
  }, 'the ledger to be booked');
}

export async function waitFor(probe: () => Promise<boolean>, what: string, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await probe())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 500));
  }
}

/** A day relative to today in UTC (the demo workspace's zone): -1 is yesterday. */
export function dayBefore(offset: number): string {
  return new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);
}

/** True when the page scrolls sideways: something is wider than the viewport. */
export function overflowsSideways(page: Page): Promise<boolean> {
  return page.evaluate<boolean>('document.documentElement.scrollWidth > document.documentElement.clientWidth + 1');
}
