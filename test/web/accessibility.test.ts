// axe on every page of the web app, signed out and signed in, at desktop and phone width: zero
// serious or critical findings (test/web/axe.ts).
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { useTestDatabase } from '../support/database';
import { expectNoSeriousAxeFindings } from './axe';
import { describeWithChromium } from './browser';
import { DESKTOP, PHONE, startDemoApp, type DemoApp } from './demo-app';

const database = useTestDatabase();

/** Pages of the navigation whose axe check (atBothWidths) lives in their own browser test file. */
const CHECKED_ELSEWHERE: Record<string, string> = {
  '/opportunities': 'opportunities-page.test.ts',
  '/funnel': 'analytics-pages.test.ts',
  '/chat-operations': 'analytics-pages.test.ts',
  '/accounts': 'accounts-page.test.ts',
  '/views': 'views-digest.test.ts',
};

it('axe-checks every page of the navigation, here or in its own file', () => {
  const web = path.join(__dirname, '..', '..', 'web', 'src', 'components', 'layout.tsx');
  const nav = [...readFileSync(web, 'utf8').matchAll(/\{ href: '([^']+)', label: '/g)].map((m) => m[1]!);
  expect(nav.length).toBeGreaterThan(5);
  const here = readFileSync(__filename, 'utf8');
  const uncovered = nav.filter((href) => {
    if (here.includes(`['${href}', `) || here.includes(`['${href}?`)) return false;
    const file = CHECKED_ELSEWHERE[href];
    if (!file) return true;
    const source = readFileSync(path.join(__dirname, file), 'utf8');
    // That file runs atBothWidths (a screenshot and axe at 1280 and 390 px) under the page's name.
    return !new RegExp(`atBothWidths\\([\\w.]+, '${href.slice(1)}'`).test(source);
  });
  expect(uncovered).toEqual([]);
});

describeWithChromium('accessibility (axe, serious and critical)', () => {
  let app: DemoApp;
  beforeAll(async () => {
    app = await startDemoApp(database);
  }, 90_000);
  afterAll(() => app?.close());

  const pages: [string, string][] = [
    ['/', '.chart svg'],
    ['/?granularity=month', '.chart svg'],
    ['/ledger', 'table.ledger-table tbody tr'],
    ['/leaderboard', 'table.leaderboard tbody tr'],
    ['/salesforce', 'tr[data-object="Opportunity"]'],
    ['/settings', '#ws-zone'],
  ];

  for (const viewport of [DESKTOP, PHONE]) {
    for (const [path, ready] of pages) {
      it(`${path} at ${viewport.width} px`, async () => {
        const { page, url } = app;
        await page.setViewportSize(viewport);
        await page.goto(`${url}${path}`);
        await page.locator(ready).first().waitFor();
        await expectNoSeriousAxeFindings(page, `${path} at ${viewport.width} px`);
      });
    }
  }

  // /docs is our own server-rendered reference (Swagger UI's markup failed axe: issue 13, item 6).
  for (const viewport of [DESKTOP, PHONE]) {
    it(`/docs at ${viewport.width} px`, async () => {
      const { page, url } = app;
      await page.setViewportSize(viewport);
      await page.goto(`${url}/docs`);
      await page.getByRole('heading', { name: 'API reference', level: 1 }).waitFor();
      await expectNoSeriousAxeFindings(page, `/docs at ${viewport.width} px`);
      // Every operation and schema on one page: axe reads a few thousand table cells.
    }, 90_000);
  }

  it('the story of an opportunity', async () => {
    await app.page.goto(`${app.url}/ledger/opportunities/${app.story.opportunityId}`);
    await app.page.locator('.timeline-item').first().waitFor();
    await expectNoSeriousAxeFindings(app.page, 'story');
  });

  it('the sign-in page', async () => {
    const context = await app.context.browser()!.newContext({ viewport: DESKTOP });
    try {
      const page = await context.newPage();
      await page.goto(app.url);
      await page.getByRole('heading', { name: 'Sign in' }).waitFor();
      await expectNoSeriousAxeFindings(page, 'sign-in');
    } finally {
      await context.close();
    }
  });
});
