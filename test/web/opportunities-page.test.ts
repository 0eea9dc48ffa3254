// The influenced opportunities page in Chromium on the demo workspace: every figure it shows is the
// API's, sorting and the credit model go through the API, the search finds by name, id and account,
// the CSV link exports the same list, and the page holds at 1280 and 390 px with axe clean.
import { readFileSync } from 'node:fs';
import type { InfluencedOpportunityPage } from '../../src/reporting/influenced-opportunities';
import { useTestDatabase } from '../support/database';
import { describeWithChromium } from './browser';
import { atBothWidths, openDemoSession, waitFor, type DemoSession } from './demo-session';

const database = useTestDatabase();

describeWithChromium('the influenced opportunities page', () => {
  let s: DemoSession;
  beforeAll(async () => {
    s = await openDemoSession(database);
  }, 240_000);
  afterAll(() => s?.close());

  const rows = () => s.page.locator('tr[data-opportunity]');
  /** What the page shows, read from its cells: id → the raw value of each figure. */
  const shown = () =>
    s.page.$$eval('tr[data-opportunity]', (trs) =>
      trs.map((tr) => ({
        id: tr.getAttribute('data-opportunity'),
        name: tr.querySelector('th a')?.textContent,
        figures: Object.fromEntries(
          [...tr.querySelectorAll('[data-field]')].map((td) => [
            td.getAttribute('data-field'),
            td.getAttribute('data-value'),
          ]),
        ),
        credit: [...tr.querySelectorAll('[data-credit]')].map((li) => [
          li.getAttribute('data-credit'),
          li.getAttribute('data-pipeline'),
          li.getAttribute('data-closed-won'),
        ]),
      })),
    );
  const expected = (list: InfluencedOpportunityPage) =>
    list.items.map((o) => ({
      id: o.id,
      name: o.name ?? o.id,
      figures: {
        amount: o.amount ?? '',
        closeDate: o.closeDate ?? '',
        firstChat: o.firstChat.startedAt,
        chats: String(o.chats),
        pipelineInfluenced: o.pipelineInfluenced,
        closedWonInfluenced: o.closedWonInfluenced,
      },
      credit: o.credit.map((c) => [c.conversationId, c.pipeline, c.closedWon]),
    }));

  it('is in the navigation and lists every opportunity with the figures of GET /api/v1/opportunities', async () => {
    await s.page.getByRole('link', { name: 'Opportunities', exact: true }).click();
    await s.page.getByRole('heading', { name: 'Influenced opportunities' }).waitFor();
    await rows().first().waitFor();
    const list = await s.api<InfluencedOpportunityPage>('/api/v1/opportunities?limit=500');
    expect(list.total).toBe(list.items.length);
    expect(await shown()).toEqual(expected(list));
    expect(await s.page.getByRole('link', { name: 'Opportunities', exact: true }).getAttribute('aria-current')).toBe(
      'page',
    );
    // The seed story's opportunity, by name, with its account, owner and a link into Salesforce.
    const seed = list.items.find((o) => o.id === s.story.opportunityId)!;
    const row = s.page.locator(`tr[data-opportunity="${seed.id}"]`);
    await row.getByRole('link', { name: 'Acme — Platform expansion', exact: true }).waitFor();
    expect(await row.getByRole('link', { name: /Open in Salesforce/ }).getAttribute('href')).toBe(seed.salesforceUrl);
    expect(seed.salesforceUrl).toMatch(new RegExp(`/lightning/r/Opportunity/${seed.id}/view$`));
    expect(await row.locator('td[data-label="Account"]').textContent()).toBe(seed.account?.name);
    // The sums are the listed rows' own.
    const cents = (v: string) => BigInt(v.replace('.', ''));
    const sum = list.items.reduce((t, o) => t + cents(o.pipelineInfluenced), 0n);
    expect(await s.page.locator('[data-sum="pipelineInfluenced"]').textContent()).toBe(
      new Intl.NumberFormat('en-US', {
        style: 'currency',
        currency: list.currency,
        maximumFractionDigits: 2,
        minimumFractionDigits: 0,
      }).format(Number(sum) / 100),
    );
  }, 30_000);

  it('sorts by a column through the API and shows credit under the model picked', async () => {
    await s.page.getByRole('button', { name: /^Amount/ }).click();
    await s.page.waitForURL(/sort=amount/);
    await s.page.locator('th[aria-sort="descending"]', { hasText: 'Amount' }).waitFor();
    await s.page.getByLabel('Credit model').selectOption('first');
    await s.page.waitForURL(/model=first/);
    const list = await s.api<InfluencedOpportunityPage>('/api/v1/opportunities?limit=500&sort=amount&model=first');
    const ids = JSON.stringify(list.items.map((o) => o.id));
    await waitFor(async () => JSON.stringify((await shown()).map((r) => r.id)) === ids, 'the list sorted by amount');
    expect(await shown()).toEqual(expected(list));
    // Under first touch each opportunity's whole influence goes to one chat.
    for (const o of list.items.filter((i) => i.pipelineInfluenced !== '0.00')) expect(o.credit).toHaveLength(1);
  }, 30_000);

  it('finds an opportunity by name, by its 15- and 18-character id, and by account', async () => {
    const search = s.page.getByLabel('Find');
    const id = s.story.opportunityId;
    for (const q of ['platform expansion', id, id.slice(0, 15), 'Acme']) {
      await search.fill(q);
      await waitFor(async () => (await shown()).some((r) => r.id === id), `the seed opportunity found by "${q}"`);
    }
    await search.fill(id);
    await waitFor(async () => (await shown()).length === 1, 'one opportunity');
    await search.fill('no such opportunity');
    await s.page.getByText('No opportunity matches').waitFor();
    await search.fill('');
  }, 30_000);

  it('exports the same list as CSV', async () => {
    const [download] = await Promise.all([
      s.page.waitForEvent('download'),
      s.page.getByRole('link', { name: 'Export CSV' }).click(),
    ]);
    expect(download.suggestedFilename()).toBe('opportunities.csv');
    const csv = readFileSync((await download.path())!, 'utf8')
      .trim()
      .split('\n');
    const list = await s.api<InfluencedOpportunityPage>('/api/v1/opportunities?limit=500&sort=amount&model=first');
    expect(csv).toHaveLength(list.total + 1);
    expect(csv[0]).toMatch(/^opportunity_id,/);
    expect(csv.slice(1).map((l) => l.split(',')[0])).toEqual(list.items.map((o) => o.id));
  });

  it('holds at 1280 and 390 px with no serious axe finding', async () => {
    await atBothWidths(s.page, 'opportunities', () => rows().first().waitFor());
    // On a phone the columns have no headers: the order is picked from a select instead.
    await s.page.setViewportSize({ width: 390, height: 844 });
    await s.page.getByLabel('Sort by').waitFor();
    await s.page.setViewportSize({ width: 1280, height: 900 });
  }, 120_000);
});
