// The demo workspace, connected and synced, open in a signed-in Chromium page: what the analytics
// pages' browser tests start from. The consent is given through the routes (the connect flow has a
// browser test of its own in web-app.test.ts), so each test file pays for one sync only.
import AxeBuilder from '@axe-core/playwright';
import type { Page } from 'playwright-core';
import type { TestDatabase } from '../support/database';
import { artifact } from './browser';
import { startDemoApp, waitFor, type DemoApp } from './demo-app';

export type DemoSession = Pick<DemoApp, 'url' | 'page' | 'story' | 'api' | 'close'>;

export async function openDemoSession(database: TestDatabase): Promise<DemoSession> {
  const app = await startDemoApp(database, { connect: false, acceptDownloads: true });
  const { page, url, api } = app;
  try {
    const start = await page.request.post(`${url}/api/v1/salesforce/authorize`, {
      headers: { 'x-requested-with': 'fetch' },
      data: { environment: 'production' },
    });
    if (start.status() !== 200) throw new Error(`authorize answered ${start.status()}`);
    const { authorizeUrl } = (await start.json()) as { authorizeUrl: string };
    await page.goto((await app.fake.approveAuthorization(authorizeUrl)).toString());
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
    await app.close();
    throw err;
  }
  return app;
}

export { waitFor };

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
