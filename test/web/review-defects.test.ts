// The defects a RevOps review of the web app found (issue 13), each proved in a real headless
// Chromium on the synced demo workspace, at desktop and phone width where layout matters.
// Screenshots go to test/artifacts/web/ (ignored by git).
import { useTestDatabase } from '../support/database';
import { describeWithChromium } from './browser';
import { DESKTOP, overflowsSideways, PHONE, startDemoApp, type DemoApp } from './demo-app';

const database = useTestDatabase();

type Point = { from: string; to: string; pipelineInfluenced: string; closedWonInfluenced: string };
type DashboardBody = { series: Point[]; totals: Point };
type LedgerBody = {
  entries: { seq: number; countedDay: string }[];
  totals: { entries: number; pipeline: string; closedWon: string };
};

describeWithChromium('the web app after the review', () => {
  let app: DemoApp;

  beforeAll(async () => {
    app = await startDemoApp(database);
  }, 90_000);
  afterAll(() => app?.close());

  afterEach(async () => {
    await app.page.setViewportSize(DESKTOP);
  });

  describe('1. drill-downs keep the teams and the measure', () => {
    it('opens a team-filtered period of pipeline as the same team set, and its sum ties out', async () => {
      const { page, url } = app;
      await page.goto(`${url}/?teams=support`);
      const table = page.getByRole('region', { name: 'Totals by day' });
      // The 7th cell of a row is its pipeline change; a non-zero one is a link.
      const link = table.locator('tbody tr td:nth-child(7) a').first();
      await link.waitFor();
      const href = new URL((await link.getAttribute('href'))!, url);
      expect(href.pathname).toBe('/ledger');
      expect(href.searchParams.get('teams')).toBe('support');
      expect(href.searchParams.get('measure')).toBe('pipeline');
      const from = href.searchParams.get('from')!;
      expect(href.searchParams.get('to')).toBe(from);
      const dashboard = await app.api<DashboardBody>(
        `/api/v1/dashboard?from=${from}&to=${from}&teams=support&granularity=day`,
      );
      await link.click();
      await page.waitForURL(/\/ledger\?/);
      const shown = page.locator('[data-total="pipeline"]');
      await shown.waitFor();
      expect(await shown.getAttribute('data-value')).toBe(dashboard.series[0]!.pipelineInfluenced);
      expect(await page.locator('[data-total="closedWon"]').count()).toBe(0);
      const ledger = await app.api<LedgerBody>(`/api/v1/ledger${href.search}`);
      expect(ledger.totals.pipeline).toBe(dashboard.series[0]!.pipelineInfluenced);
      expect(await page.locator('table.ledger-table tbody tr').count()).toBe(ledger.entries.length);
      expect(await page.locator('#f-measure').inputValue()).toBe('pipeline');
      expect(await page.locator('.filters .team-filter summary').textContent()).toMatch(/^Teams: Customer Success/);
      await page.getByText(/· team Customer Success ·/).waitFor();
      await app.shoot('ledger-drill-down');
    }, 30_000);

    it('opens a closed-won bar of the chart as closed-won only', async () => {
      const { page, url } = app;
      await page.goto(`${url}/?teams=sales`);
      await page.locator('.chart svg').nth(1).waitFor();
      const dashboard = await app.api<DashboardBody>('/api/v1/dashboard?teams=sales');
      expect(BigInt(dashboard.totals.closedWonInfluenced.replace('.', ''))).toBeGreaterThan(0n);
      // Every link of the closed-won column carries the measure and the teams.
      const hrefs = await page
        .getByRole('region', { name: 'Totals by day' })
        .locator('tbody tr td:nth-child(8) a')
        .evaluateAll((as) => as.map((a) => a.getAttribute('href')));
      expect(hrefs.length).toBeGreaterThan(0);
      for (const h of hrefs)
        expect(h).toMatch(/^\/ledger\?from=\d{4}-\d\d-\d\d&to=\d{4}-\d\d-\d\d&teams=sales&measure=closed_won$/);
    });

    it('filters the ledger by team and measure by hand, and the phone layout keeps the form inside its card', async () => {
      const { page, url } = app;
      await page.goto(`${url}/ledger`);
      await page.locator('[data-total="pipeline"]').waitFor();
      await page.locator('#f-measure').selectOption('closed_won');
      await page.getByRole('button', { name: 'Apply' }).click();
      await page.waitForURL(/measure=closed_won/);
      await page.locator('[data-total="closedWon"]').waitFor();
      const api = await app.api<LedgerBody>('/api/v1/ledger?measure=closed_won');
      expect(await page.locator('[data-total="closedWon"]').getAttribute('data-value')).toBe(api.totals.closedWon);
      await page.setViewportSize(PHONE);
      await page.getByRole('button', { name: 'Clear' }).waitFor();
      expect(await overflowsSideways(page)).toBe(false);
      const card = await page
        .locator('form.filters')
        .evaluate((f) => f.closest('.card')!.getBoundingClientRect().right);
      const clear = await page.getByRole('button', { name: 'Clear' }).evaluate((b) => b.getBoundingClientRect().right);
      expect(clear).toBeLessThanOrEqual(card);
      await app.shoot('ledger-filters-390px');
    });
  });

  describe('4. the story', () => {
    it('lists each cause once, and writes every date one way, in the workspace zone', async () => {
      const { page, url, story } = app;
      await page.goto(`${url}/ledger/opportunities/${story.opportunityId}`);
      await page.locator('.timeline-item').first().waitFor();
      const items = await page.locator('.timeline-item').evaluateAll((lis) =>
        lis.map((li) => ({
          head: li.querySelector('.timeline-head')!.textContent,
          causes: [...li.querySelectorAll('.cause')].map((c) => c.textContent!),
          opportunityCauses: li.querySelectorAll('.cause-opportunity').length,
        })),
      );
      expect(items).toHaveLength(4);
      for (const item of items) {
        // A cause's state ("at $150,000, Closed Won") appears once, even when two sources report it.
        const states = item.causes.map((c) => c.split(' · ')[0]);
        expect(new Set(states).size).toBe(states.length);
        expect(item.opportunityCauses).toBeLessThanOrEqual(1);
      }
      const closed = items.find((i) => /Closed-won/.test(i.head!))!;
      expect(closed.causes.filter((c) => c.startsWith('Opportunity at $150,000, Closed Won'))).toHaveLength(1);
      // No ISO day or other format in the text a person reads: "Mar 3, 2026" and "Mar 3, 2026, 4:05 PM".
      const text = await page.locator('main').innerText();
      expect(text).not.toMatch(/\d{4}-\d\d-\d\d/);
      expect(text).not.toMatch(/\d{1,2}\/\d{1,2}\/\d{2,4}/);
      expect(text).toMatch(/so on [A-Z][a-z]{2} \d{1,2}, \d{4}\./);
      await app.shoot('story-causes');
    });
  });

  describe('7. small things', () => {
    type Status = { objects: { object: string; checkpoint: string | null; lastRun: { startedAt: string } }[] };

    it('says up to when each object is complete after a sync, and leads on to the dashboard', async () => {
      const { page, url } = app;
      await page.goto(`${url}/salesforce`);
      const cell = page.locator('tr[data-object="Contact"] td[data-complete-up-to]');
      await cell.waitFor();
      const status = await app.api<Status>('/api/v1/salesforce/connection');
      const contact = status.objects.find((o) => o.object === 'Contact')!;
      const when = (iso: string) =>
        new Intl.DateTimeFormat('en-US', { dateStyle: 'medium', timeStyle: 'short', timeZone: 'UTC' }).format(
          new Date(iso),
        );
      // The headline is the start of the last successful run, not the newest change Salesforce had.
      const text = await cell.innerText();
      expect(text.split('\n')[0]).toBe(when(contact.lastRun.startedAt));
      expect(text).toContain(`latest change in Salesforce ${when(contact.checkpoint!)}`);
      await app.shoot('salesforce-after-sync');
      await page.getByRole('link', { name: 'Open the dashboard' }).click();
      await page.getByRole('heading', { name: 'Revenue influence' }).waitFor();
    });

    it('highlights Dashboard in the navigation on /dashboard', async () => {
      const { page, url } = app;
      await page.goto(`${url}/dashboard`);
      await page.getByRole('heading', { name: 'Revenue influence' }).waitFor();
      expect(await page.locator('nav a[aria-current="page"]').allInnerTexts()).toEqual(['Dashboard']);
    });

    it('offers "Remove" only for a team without conversations', async () => {
      const { page, url } = app;
      await page.goto(`${url}/settings`);
      await page.locator('#team-sales').waitFor();
      expect(await page.getByRole('button', { name: /^Remove team/ }).count()).toBe(0);
      await page.locator('#new-team-id').fill('partners');
      await page.locator('#new-team-name').fill('Partners');
      await page.getByRole('button', { name: 'Add team' }).click();
      await page.getByRole('button', { name: 'Remove team Partners' }).click();
      await page.getByRole('button', { name: 'Remove team', exact: true }).click();
      await page.locator('#team-partners').waitFor({ state: 'detached' });
    });

    it('shows every placeholder whole, at 1280 and 390 px', async () => {
      const { page, url } = app;
      for (const viewport of [DESKTOP, PHONE]) {
        await page.setViewportSize(viewport);
        for (const path of ['/ledger', '/settings']) {
          await page.goto(`${url}${path}`);
          await page.locator('input[placeholder]').first().waitFor();
          if (path === '/settings') await page.getByText('New API key', { exact: true }).click();
          expect({ path, viewport, cut: await cutPlaceholders(page) }).toEqual({ path, viewport, cut: [] });
        }
      }
      await app.shoot('settings-390px');
    });

    it('keeps the ledger\'s "Clear" button inside its card at 1280 px', async () => {
      const { page, url } = app;
      await page.goto(`${url}/ledger?measure=pipeline`);
      const clear = page.getByRole('button', { name: 'Clear' });
      await clear.waitFor();
      const card = await page
        .locator('form.filters')
        .evaluate((f) => f.closest('.card')!.getBoundingClientRect().right);
      expect((await clear.boundingBox())!.x + (await clear.boundingBox())!.width).toBeLessThanOrEqual(card);
    });

    it('serves favicon.ico', async () => {
      const res = await app.page.request.get(`${app.url}/favicon.ico`);
      expect(res.status()).toBe(200);
      expect(res.headers()['content-type']).toMatch(/^image\/(x-icon|vnd\.microsoft\.icon)/);
      expect((await res.body()).subarray(0, 4)).toEqual(Buffer.from([0, 0, 1, 0]));
    });
  });

  describe('5. tables at 390 px', () => {
    for (const { path, region, amounts } of [
      { path: '/ledger', region: 'Ledger entries', amounts: 'td[data-label="Amount"]' },
      {
        path: '/leaderboard',
        region: 'Leaderboard by agents',
        amounts: 'td[data-label="Pipeline influenced"], td[data-label="Closed-won"]',
      },
    ]) {
      it(`shows ${path} as cards with every amount in view, and as a table at 1280 px`, async () => {
        const { page, url } = app;
        await page.setViewportSize(PHONE);
        await page.goto(`${url}${path}`);
        const box = page.getByRole('region', { name: region });
        await box.locator('tbody tr').first().waitFor();
        expect(await overflowsSideways(page)).toBe(false);
        expect(await box.evaluate((el) => el.scrollWidth <= el.clientWidth + 1)).toBe(true);
        const cells = await box.locator(amounts).evaluateAll((tds) =>
          tds.map((td) => {
            const r = td.getBoundingClientRect();
            return { left: r.left, right: r.right, text: td.textContent };
          }),
        );
        expect(cells.length).toBeGreaterThan(0);
        for (const c of cells) {
          expect(c.left).toBeGreaterThanOrEqual(0);
          expect(c.right).toBeLessThanOrEqual(PHONE.width);
          expect(c.text).toMatch(/\$/);
        }
        await app.shoot(`${path.slice(1)}-390px`);
        await page.setViewportSize(DESKTOP);
        expect(await box.locator('thead').isVisible()).toBe(true);
      });
    }
  });

  describe('3. charts', () => {
    it('draws the monthly view of 30 days whole: markers, partial months, the running total on its own axis, a sentence', async () => {
      const { page, url } = app;
      await page.goto(`${url}/?granularity=month`);
      const charts = page.locator('.chart');
      await charts.nth(2).locator('svg').waitFor();
      const d = await app.api<DashboardBody & { granularity: string }>(
        `/api/v1/dashboard?${new URL(page.url()).searchParams}&${new URLSearchParams(await rangeOf(page))}`,
      );
      expect(d.series.length).toBeGreaterThanOrEqual(2);
      // Leads: a marker per month (a path filled in the line's colour), so a lone point still shows.
      const leadMarkers = await charts.nth(2).locator('svg path[fill="#CC79A7" i]').count();
      expect(leadMarkers).toBeGreaterThanOrEqual(d.series.length);
      // Thirty days end yesterday and start mid-month: both months at the edges are partial.
      const axisText = await charts.nth(0).locator('svg text').allTextContents();
      expect(axisText.filter((t) => t.includes('(partial)')).length).toBeGreaterThanOrEqual(1);
      expect(await page.locator('.table-wrap th[scope="row"]').first().textContent()).toContain('(partial)');
      // The running total has an axis of its own (its labels in the line's orange), so bars keep their height.
      expect(await charts.nth(0).locator('svg text[fill="#E69F00" i]').count()).toBeGreaterThan(0);
      const tallest = await charts
        .nth(0)
        .locator('svg path[fill="#0072B2" i]')
        .evaluateAll((ps) => Math.max(0, ...ps.map((p) => p.getBoundingClientRect().height)));
      expect(tallest).toBeGreaterThan(40);
      const sentence = await charts.nth(0).getAttribute('aria-label');
      expect(sentence).toMatch(
        /^Pipeline Influenced from [A-Z][a-z]{2} \d{1,2}, \d{4} to [A-Z][a-z]{2} \d{1,2}, \d{4}, by month: \$[\d,]+ in total, changing in \d of \d months/,
      );
      expect(await charts.nth(2).getAttribute('aria-label')).toMatch(
        /^Leads from .*: [\d,]+ leads and [\d,]+ meetings booked/,
      );
      await app.shoot('dashboard-monthly');
      await page.setViewportSize(PHONE);
      await app.shoot('dashboard-monthly-390px');
    });

    it('takes "Month to date" on the 1st as last month, and says so', async () => {
      const context = await app.context.browser()!.newContext({
        viewport: DESKTOP,
        locale: 'en-US',
        timezoneId: 'UTC',
        storageState: await app.context.storageState(),
      });
      try {
        await context.clock.setFixedTime(new Date('2026-11-01T12:00:00Z'));
        const page = await context.newPage();
        const asked = page.waitForRequest(
          (r) => r.url().includes('/api/v1/dashboard') && r.url().includes('granularity'),
        );
        await page.goto(`${app.url}/?range=mtd`);
        const q = new URL((await asked).url()).searchParams;
        expect([q.get('from'), q.get('to')]).toEqual(['2026-10-01', '2026-10-31']);
        await page.getByTestId('mtd-note').waitFor();
      } finally {
        await context.close();
      }
    });
  });

  describe('8. delivery', () => {
    it('loads the charts module only after the KPIs, compressed, cached for good, without source maps', async () => {
      const { page, url } = app;
      const events: { what: string; url: string; at: number }[] = [];
      const onRequest = (r: { url: () => string }) => events.push({ what: 'request', url: r.url(), at: Date.now() });
      const onResponse = (r: { url: () => string }) => events.push({ what: 'response', url: r.url(), at: Date.now() });
      page.on('request', onRequest);
      page.on('response', onResponse);
      try {
        await page.goto(`${url}/ledger`);
        await page.locator('table.ledger-table tbody tr').first().waitFor();
        expect(events.filter((e) => /\/assets\/charts-/.test(e.url))).toEqual([]);
        await page.getByRole('link', { name: 'Dashboard', exact: true }).click();
        await page.locator('.chart svg').first().waitFor();
      } finally {
        page.off('request', onRequest);
        page.off('response', onResponse);
      }
      const kpis = events.find(
        (e) => e.what === 'response' && /\/api\/v1\/dashboard\?from=[^&]+&to=[^&]+$/.test(e.url),
      );
      const chunk = events.find((e) => e.what === 'request' && /\/assets\/charts-[\w-]+\.js$/.test(e.url));
      expect(kpis).toBeDefined();
      expect(chunk).toBeDefined();
      expect(chunk!.at).toBeGreaterThanOrEqual(kpis!.at);
      const asset = new URL(chunk!.url).pathname;
      for (const encoding of ['br', 'gzip', 'identity']) {
        const res = await page.request.get(`${url}${asset}`, { headers: { 'accept-encoding': encoding } });
        expect(res.status()).toBe(200);
        expect(res.headers()['cache-control']).toBe('public, max-age=31536000, immutable');
        expect(res.headers()['content-encoding'] ?? 'identity').toBe(encoding);
        expect((await res.body()).toString('latin1')).not.toContain('sourceMappingURL');
      }
      expect((await page.request.get(`${url}${asset}.map`)).status()).toBe(404);
    });
  });
});

/** The range the dashboard asked the API for, from its own request. */
async function rangeOf(page: DemoApp['page']): Promise<Record<string, string>> {
  const [from, to] = await page.evaluate<string[]>(
    `performance.getEntriesByType('resource').map((e) => e.name).filter((n) => n.includes('granularity=')).map((n) => [new URL(n).searchParams.get('from'), new URL(n).searchParams.get('to')]).at(-1)`,
  );
  return { from: from!, to: to! };
}

/** Inputs whose placeholder text is wider than the room inside them. */
function cutPlaceholders(page: DemoApp['page']): Promise<string[]> {
  return page.evaluate<string[]>(`(() => {
    const ctx = document.createElement('canvas').getContext('2d');
    return [...document.querySelectorAll('input[placeholder]')]
      .filter((el) => el.offsetParent !== null && el.value === '')
      .filter((el) => {
        const s = getComputedStyle(el);
        ctx.font = s.font;
        const room = el.clientWidth - parseFloat(s.paddingLeft) - parseFloat(s.paddingRight);
        return ctx.measureText(el.placeholder).width > room + 0.5;
      })
      .map((el) => el.id || el.placeholder);
  })()`);
}
