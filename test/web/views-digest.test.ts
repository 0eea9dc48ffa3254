// Saved views and the weekly digest in Chromium on the demo workspace: a view saved from the
// dashboard's filters, listed beside the demo's sample view, its digest opened from the list with
// every figure equal to the API's for last week, Settings saying how to configure email, and the
// pages at 1280 and 390 px with axe clean.
import { digestWeeks } from '../../src/digest/digest-week';
import type { DashboardView } from '../../src/reporting/dashboard';
import type { LeaderboardView } from '../../src/reporting/leaderboard';
import type { InfluencedOpportunityPage } from '../../src/reporting/influenced-opportunities';
import { useTestDatabase } from '../support/database';
import { describeWithChromium } from './browser';
import { atBothWidths, expectNoSeriousAxeFindings, openDemoSession, type DemoSession } from './demo-session';

const database = useTestDatabase();

describeWithChromium('saved views and the weekly digest', () => {
  let s: DemoSession;
  beforeAll(async () => {
    s = await openDemoSession(database);
  }, 240_000);
  afterAll(() => s?.close());

  it('saves the dashboard’s filters as a view and opens its digest with the API’s figures for last week', async () => {
    const { page, url } = s;
    await page.goto(`${url}/?range=7d`);
    await page.getByRole('heading', { name: 'Revenue influence' }).waitFor();
    // The dashboard's header keeps its new button on a phone without widening the page.
    await page.setViewportSize({ width: 390, height: 844 });
    expect(await page.evaluate<number>('document.documentElement.scrollWidth - window.innerWidth')).toBe(0);
    await page.setViewportSize({ width: 1280, height: 900 });
    await page.getByRole('button', { name: 'Save view' }).click();
    const dialog = page.getByRole('dialog', { name: 'Save these filters as a view' });
    await dialog.getByLabel('Name').fill('Browser <view>');
    await dialog.getByLabel('Credit model').selectOption('u_shaped');
    await dialog.getByRole('button', { name: 'Save view' }).click();
    await page.getByRole('heading', { name: 'Saved views' }).waitFor();

    const views = await s.api<{ views: { id: string; name: string; range: { preset: string }; model: string }[] }>(
      '/api/v1/views',
    );
    const saved = views.views.find((v) => v.name === 'Browser <view>')!;
    expect(saved).toMatchObject({ range: { preset: '7d' }, model: 'u_shaped' });
    expect(views.views.map((v) => v.name)).toContain('Every team, last 30 days');
    const cards = page.getByTestId('saved-view');
    await cards.filter({ hasText: 'Browser <view>' }).waitFor();
    await atBothWidths(page, 'views', () => cards.first().waitFor());

    await page.getByRole('link', { name: 'Open digest of Browser <view>' }).click();
    await page.waitForURL(`${url}/digest/${saved.id}`);
    await page.locator('[data-testid="digest-title"]').waitFor();
    expect(await page.locator('[data-testid="digest-title"]').textContent()).toBe('Browser <view>');

    const me = await s.api<{ workspace: { timeZone: string } }>('/auth/me');
    const { week, previous } = digestWeeks(me.workspace.timeZone, new Date());
    const totals = async (w: { from: string; to: string }) =>
      (await s.api<DashboardView>(`/api/v1/dashboard?from=${w.from}&to=${w.to}&granularity=week`)).totals;
    const shown = (attr: string) =>
      page.$$eval(
        `[data-${attr}]`,
        (tds, a) => tds.map((td) => [td.getAttribute(`data-${a}`), td.getAttribute('data-value')]),
        attr,
      );
    const asText = (t: DashboardView['totals']) =>
      Object.entries(t)
        .filter(([k]) => k !== 'targetAccounts')
        .map(([k, v]) => [k, String(v)]);
    expect(Object.fromEntries(await shown('figure'))).toEqual(Object.fromEntries(asText(await totals(week))));
    expect(Object.fromEntries(await shown('previous'))).toEqual(Object.fromEntries(asText(await totals(previous))));

    const range = `from=${week.from}&to=${week.to}`;
    const opportunities = await s.api<InfluencedOpportunityPage>(
      `/api/v1/opportunities?${range}&model=u_shaped&limit=5`,
    );
    expect(
      await page.$$eval('[data-opportunity]', (rows) => rows.map((r) => r.getAttribute('data-opportunity'))),
    ).toEqual(opportunities.items.map((o) => o.id));
    const leaderboard = await s.api<LeaderboardView>(`/api/v1/leaderboard?${range}&model=u_shaped`);
    expect(await page.$$eval('[data-agent]', (rows) => rows.map((r) => r.getAttribute('data-agent')))).toEqual(
      leaderboard.byAgent.slice(0, 5).map((a) => a.agentId),
    );
    await atBothWidths(page, 'digest', () => page.locator('[data-testid="digest-title"]').waitFor());

    await page.goto(`${url}/settings`);
    await page.getByTestId('digest-email').waitFor();
    expect(await page.getByTestId('digest-email').textContent()).toMatch(/No SMTP server is configured.*SMTP_URL/);
    await expectNoSeriousAxeFindings(page);
  }, 60_000);
});
