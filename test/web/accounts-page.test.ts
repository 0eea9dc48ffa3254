// The accounts page and an account's timeline in Chromium on the demo workspace: every figure the
// list shows is GET /api/v1/accounts's, the name filter narrows it, and Acme's timeline (the seed
// story) shows Dana Reyes, her chat and the $100k → $120k → $150k opportunity; both pages hold at
// 1280 and 390 px with axe clean.
import type { AccountTimeline } from '../../src/reporting/account-timeline';
import type { AccountPage } from '../../src/reporting/accounts';
import { useTestDatabase } from '../support/database';
import { describeWithChromium } from './browser';
import { atBothWidths, openDemoSession, type DemoSession } from './demo-session';

const database = useTestDatabase();

describeWithChromium('the accounts page', () => {
  let s: DemoSession;
  beforeAll(async () => {
    s = await openDemoSession(database);
  }, 240_000);
  afterAll(() => s?.close());

  const rows = () => s.page.locator('tr[data-account]');
  /** What the list shows, read from its cells: id, name, and the raw value of each figure. */
  const shown = () =>
    s.page.$$eval('tr[data-account]', (trs) =>
      trs.map((tr) => ({
        id: tr.getAttribute('data-account'),
        name: tr.querySelector('th a')?.textContent,
        target: tr.querySelector('th .pill') !== null,
        figures: Object.fromEntries(
          [...tr.querySelectorAll('[data-field]')].map((el) => [
            el.getAttribute('data-field'),
            el.getAttribute('data-value'),
          ]),
        ),
      })),
    );

  it('is in the navigation and lists the accounts that chatted with the figures of GET /api/v1/accounts', async () => {
    await s.page.getByRole('link', { name: 'Accounts', exact: true }).click();
    await s.page.getByRole('heading', { name: 'Accounts', exact: true }).waitFor();
    await rows().first().waitFor();
    expect(await s.page.getByRole('link', { name: 'Accounts', exact: true }).getAttribute('aria-current')).toBe('page');
    const list = await s.api<AccountPage>('/api/v1/accounts?limit=500');
    expect(list.total).toBe(list.items.length);
    expect(await shown()).toEqual(
      list.items.map((a) => ({
        id: a.id,
        name: a.name ?? a.id,
        target: a.targetAccount,
        figures: {
          chats: String(a.chats),
          contacts: String(a.contacts),
          chattedContacts: String(a.chattedContacts),
          opportunities: String(a.opportunities),
          openInfluencedPipeline: a.openInfluencedPipeline,
          closedWonInfluenced: a.closedWonInfluenced,
          lastChatAt: a.lastChatAt,
        },
      })),
    );
    // Names, not ids: the id is on hover, and the Salesforce link opens the account.
    const acme = list.items.find((a) => a.name === 'Acme')!;
    expect(acme).toMatchObject({ chats: 1, contacts: 3, opportunities: 1, closedWonInfluenced: '150000.00' });
    const row = s.page.locator(`tr[data-account="${acme.id}"]`);
    expect(await row.getByRole('link', { name: 'Acme', exact: true }).getAttribute('title')).toContain(acme.id);
    expect(await row.getByRole('link', { name: /Open Acme in Salesforce/ }).getAttribute('href')).toBe(
      acme.salesforceUrl,
    );
    expect(acme.salesforceUrl).toMatch(new RegExp(`/lightning/r/Account/${acme.id}/view$`));
    await atBothWidths(s.page, 'accounts', () => rows().first().waitFor());

    await s.page.getByLabel('Find').fill('acme');
    await s.page.waitForFunction(`document.querySelectorAll('tr[data-account]').length === 1`);
    expect((await shown()).map((a) => a.name)).toEqual(['Acme']);
  }, 90_000);

  it('opens Acme’s timeline: Dana Reyes, her chat, and the $100k → $120k → $150k opportunity', async () => {
    await s.page.getByRole('link', { name: 'Acme', exact: true }).click();
    await s.page.getByRole('heading', { name: 'Acme', exact: true }).waitFor();
    const events = s.page.locator('li[data-kind]');
    await events.first().waitFor();
    const id = new URL(s.page.url()).pathname.split('/').at(-1)!;
    const timeline = await s.api<AccountTimeline>(`/api/v1/accounts/${id}`);
    expect(await events.evaluateAll((lis) => lis.map((li) => li.getAttribute('data-kind')))).toEqual(
      timeline.timeline.map((e) => e.kind),
    );
    const texts = await events.allTextContents();
    const kindOf = (kind: string) => texts.filter((_, i) => timeline.timeline[i]!.kind === kind);
    expect(kindOf('contact_added').some((t) => t.includes('Dana Reyes joined the account'))).toBe(true);
    expect(kindOf('chat')).toEqual([expect.stringContaining('Chat with Dana Reyes')]);
    expect(kindOf('contact_linked')).toEqual([expect.stringContaining('Dana Reyes linked to a chat')]);
    expect(kindOf('opportunity_created')).toEqual([
      expect.stringMatching(/Acme — Platform expansion created at \$100,000/),
    ]);
    expect(kindOf('amount_changed')).toEqual([
      expect.stringContaining('$100,000 → $120,000'),
      expect.stringContaining('$120,000 → $150,000'),
    ]);
    expect(kindOf('opportunity_closed')).toEqual([expect.stringContaining('closed won at $150,000')]);
    expect(await s.page.locator('[data-stat="chats"]').textContent()).toBe(String(timeline.chats));
    await atBothWidths(s.page, 'account-timeline', () => events.first().waitFor());
  }, 90_000);
});
