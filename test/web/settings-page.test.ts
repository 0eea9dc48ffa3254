// Settings and the leftovers of issue 13, in a real headless Chromium on the synced demo workspace:
// webhook secrets, passwords, the users list, names in the ledger, the leaderboard's range filter,
// main-thread stalls on the dashboard. One demo session for the whole file.
import { readFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import path from 'node:path';
import { eq } from 'drizzle-orm';
import { createUser } from '../../src/access/users';
import { workspaces } from '../../src/platform/db/schema';
import { useTestDatabase } from '../support/database';
import { artifact, describeWithChromium } from './browser';
import { atBothWidths, openDemoSession, type DemoSession } from './demo-session';

const database = useTestDatabase();

type SecretList = { webhookSecrets: { id: string; createdAt: string; revokedAt: string | null }[] };

describeWithChromium('settings and leftovers', () => {
  let s: DemoSession;
  beforeAll(async () => {
    s = await openDemoSession(database);
    // A step that hangs names itself well before the test's own timeout.
    s.page.setDefaultTimeout(20_000);
  }, 120_000);
  afterAll(() => s?.close());

  it('creates a webhook secret shown once, rotates it with an overlap, and revokes the older one', async () => {
    const { page, url } = s;
    await page.goto(`${url}/settings`);
    const card = page.locator('#settings-webhooks-title').locator('xpath=ancestor::section');
    await card.getByText('No webhook secrets yet').waitFor();
    await card.getByRole('button', { name: 'New webhook secret' }).click();
    const shown = page.getByTestId('new-webhook-secret').filter({ hasText: /^whsec_/ });
    await shown.waitFor();
    const first = (await shown.textContent())!;
    expect(first).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    await page.getByRole('button', { name: 'I have stored it' }).click();
    await card.locator('tbody tr').first().waitFor();

    await card.getByRole('button', { name: 'Rotate secret' }).click();
    await shown.waitFor();
    const second = (await shown.textContent())!;
    expect(second).not.toBe(first);
    await page.getByText('The older secret stays active').waitFor();
    await page.getByRole('button', { name: 'I have stored it' }).click();
    await card.locator('tbody tr').nth(1).waitFor();
    // Listed, both active, and the list never carries a secret.
    const listed = await s.api<SecretList>('/api/v1/admin/webhook-secrets');
    expect(listed.webhookSecrets.map((w) => w.revokedAt)).toEqual([null, null]);
    expect(JSON.stringify(listed)).not.toContain('whsec_');
    expect(await page.content()).not.toContain(first);

    const older = listed.webhookSecrets[1]!;
    await card.getByRole('button', { name: `Revoke webhook secret ${older.id.slice(0, 8)}` }).click();
    await page.getByRole('button', { name: 'Revoke secret' }).click();
    await card.locator(`tr[data-secret="${older.id}"].revoked`).waitFor();
    const after = await s.api<SecretList>('/api/v1/admin/webhook-secrets');
    expect(after.webhookSecrets.find((w) => w.id === older.id)!.revokedAt).not.toBeNull();
    expect(after.webhookSecrets.filter((w) => !w.revokedAt)).toHaveLength(1);
    await atBothWidths(page, 'settings-webhooks', () => card.locator('tbody tr').first().waitFor());
  }, 90_000);

  it('resets another user’s password from the users list; they choose their own at the next sign-in', async () => {
    const { page, url } = s;
    const [demo] = await database.db.select().from(workspaces).where(eq(workspaces.slug, 'demo'));
    await createUser(database.db, demo!.id, { email: 'lee@example.com', name: 'Lee', password: 'lee-first-password' });
    await page.goto(`${url}/settings`);
    const users = page.getByRole('region', { name: 'Users' });
    // The signed-in visitor is listed as "You", with no reset of its own.
    await users.getByText('You', { exact: true }).waitFor();
    expect(await users.locator('tr[data-user="demo@demo.example"] button').count()).toBe(0);
    await users.getByRole('button', { name: 'Reset the password of lee@example.com' }).click();
    await page.getByRole('button', { name: 'Reset password', exact: true }).click();
    const shown = page.getByTestId('temporary-password').filter({ hasText: /^[A-Za-z0-9_-]{24}$/ });
    await shown.waitFor();
    const temporary = (await shown.textContent())!;
    await page.getByRole('button', { name: 'I have stored it' }).click();
    await users.getByText('Temporary password: not replaced yet').waitFor();
    // The settings page as a whole, this card included, is axe-checked at both widths in the test above.
    await s.page.screenshot({ path: artifact('settings-users.png'), fullPage: true });

    const context = await page
      .context()
      .browser()!
      .newContext({ viewport: { width: 1280, height: 900 } });
    try {
      const lee = await context.newPage();
      await lee.goto(url);
      await lee.getByLabel('Email').fill('lee@example.com');
      await lee.getByLabel('Password', { exact: true }).fill(temporary);
      await lee.getByRole('button', { name: 'Sign in', exact: true }).click();
      await lee.getByRole('heading', { name: 'Choose a new password' }).waitFor();
      await atBothWidths(lee, 'new-password', () => lee.locator('#pw-new').waitFor());
      await lee.getByLabel('Temporary password').fill(temporary);
      await lee.getByLabel('New password', { exact: true }).fill('lee-chosen-password');
      await lee.getByLabel('New password again').fill('lee-chosen-password');
      await lee.getByRole('button', { name: 'Set password' }).click();
      await lee.getByRole('heading', { name: 'Revenue influence' }).waitFor();
      // Lee's own password change, from Settings: the current one is required.
      await lee.goto(`${url}/settings`);
      await lee.getByLabel('Current password').fill('wrong-password-here');
      await lee.getByLabel('New password', { exact: true }).fill('lee-third-password');
      await lee.getByLabel('New password again').fill('lee-third-password');
      await lee.getByRole('button', { name: 'Change password' }).click();
      await lee.getByText('The current password is not right').waitFor();
      await lee.getByLabel('Current password').fill('lee-chosen-password');
      await lee.getByRole('button', { name: 'Change password' }).click();
      await lee.getByText('Password changed. Your other sessions have ended.').waitFor();
    } finally {
      await context.close();
    }
  }, 150_000);

  it('names opportunities in the ledger, the id on hover and a copy button away', async () => {
    const { page, url } = s;
    await page.goto(`${url}/ledger`);
    const link = page.locator(`a[data-opportunity="${s.story.opportunityId}"]`).first();
    await link.waitFor();
    expect(await link.textContent()).toBe('Acme — Platform expansion');
    expect(await link.getAttribute('title')).toContain(s.story.opportunityId);
    await page
      .getByRole('button', { name: `Copy the id of Acme — Platform expansion (${s.story.opportunityId})` })
      .first()
      .waitFor();
    // Every row is named as the API names it, the id only where no name was synced.
    const ledger = await s.api<{ entries: { opportunityId: string; opportunityName: string | null }[] }>(
      '/api/v1/ledger?limit=100',
    );
    const shown = await page.locator('table.ledger-table tbody tr a[data-opportunity]').allTextContents();
    expect(shown).toEqual(ledger.entries.slice(0, shown.length).map((e) => e.opportunityName ?? e.opportunityId));
    expect(ledger.entries.some((e) => e.opportunityName === null)).toBe(false);
  }, 60_000);

  it('keeps the credit model in the address when the leaderboard’s range changes', async () => {
    const { page, url } = s;
    await page.goto(`${url}/leaderboard?model=first`);
    await page.locator('#leaderboard-model').waitFor();
    expect(await page.locator('#leaderboard-model').inputValue()).toBe('first');
    await page.locator('#range-preset').selectOption('90d');
    await page.waitForURL(/range=90d/);
    const after = new URL(page.url());
    expect(after.searchParams.get('model')).toBe('first');
    expect(after.searchParams.get('range')).toBe('90d');
    expect(await page.locator('#leaderboard-model').inputValue()).toBe('first');
    // And the other way round: a model picked after a range keeps the range.
    await page.locator('#leaderboard-model').selectOption('last');
    await page.waitForURL(/model=last/);
    expect(new URL(page.url()).searchParams.get('range')).toBe('90d');
  }, 60_000);

  it('loads the dashboard without a main-thread task over 200 ms', async () => {
    // A fresh page of the signed-in context; the observer is in place before the app's first script.
    const page = await s.page.context().newPage();
    try {
      await page.addInitScript(`
        window.__longTasks = [];
        new PerformanceObserver((list) => {
          for (const e of list.getEntries()) window.__longTasks.push({ start: e.startTime, ms: e.duration });
        }).observe({ type: 'longtask', buffered: true });
      `);
      await page.goto(`${s.url}/`);
      await page.locator('.chart svg').first().waitFor();
      // Every chart drawn (one per task), then a moment for the frames after.
      await page.locator('.chart:not(:has(svg))').first().waitFor({ state: 'detached' });
      await page.waitForTimeout(500);
      const tasks = await page.evaluate<{ start: number; ms: number }[]>('window.__longTasks');
      const max = Math.max(0, ...tasks.map((t) => t.ms));
      // The floor, in the same page and run: one fixed piece of work (sorting 300,000 numbers), as
      // long as this machine's load makes it; the ratio says how much of the figure is the machine.
      const floor = await page.evaluate<number>(
        '(() => { const a = Array.from({ length: 300000 }, (_, i) => (i * 7919) % 300007); const t = performance.now(); a.sort((x, y) => x - y); return performance.now() - t; })()',
      );
      process.stderr.write(
        `dashboard load: ${tasks.length} long tasks, the longest ${Math.round(max)} ms (${tasks
          .map((t) => Math.round(t.ms))
          .join(', ')}); floor (sort of 300k numbers) ${Math.round(floor)} ms, ratio ${(max / floor).toFixed(
          1,
        )}; load average ${loadavg()
          .map((l) => l.toFixed(1))
          .join(' ')}\n`,
      );
      // The goal is no task over 200 ms. On a machine running more than a task per core the
      // clock counts the waits for a core too: there the bound is relative, twice the floor's work.
      const oversubscribed = loadavg()[0]! > cpus().length;
      if (oversubscribed) expect(max).toBeLessThanOrEqual(Math.max(200, 2 * floor));
      else expect(max).toBeLessThanOrEqual(200);
    } finally {
      await page.close();
    }
  }, 60_000);

  it('screenshots every page of the navigation, the story, sign-in and /docs at 1280 and 390 px', async () => {
    // The pages are read from the navigation itself, so a page added to it is shot here at once.
    // axe runs on each in accessibility.test.ts or its own file: that file checks every one is covered.
    const pages = [
      ...navPages().map((n) => ({ href: n.href, name: n.label.toLowerCase().replace(/\W+/g, '-') })),
      { href: `/ledger/opportunities/${s.story.opportunityId}`, name: 'story' },
      { href: '/docs', name: 'docs' },
    ];
    const context = await s.page.context().browser()!.newContext({ locale: 'en-US', timezoneId: 'UTC' });
    try {
      await context.addCookies(await s.page.context().cookies());
      const page = await context.newPage();
      const signedOut = await (await s.page.context().browser()!.newContext()).newPage();
      for (const [width, height, suffix] of [
        [1280, 900, ''],
        [390, 844, '-390px'],
      ] as const) {
        await page.setViewportSize({ width, height });
        for (const p of pages) {
          await page.goto(`${s.url}${p.href}`);
          await page.locator('main h1').first().waitFor();
          await page.locator('.loading').first().waitFor({ state: 'detached' });
          if (p.href === '/') await page.locator('.chart:not(:has(svg))').first().waitFor({ state: 'detached' });
          // /docs is one long page: its first screen.
          await page.screenshot({ path: artifact(`page-${p.name}${suffix}.png`), fullPage: p.name !== 'docs' });
        }
        await signedOut.setViewportSize({ width, height });
        await signedOut.goto(s.url);
        await signedOut.getByRole('heading', { name: 'Sign in' }).waitFor();
        await signedOut.screenshot({ path: artifact(`page-sign-in${suffix}.png`), fullPage: true });
      }
      await signedOut.context().close();
    } finally {
      await context.close();
    }
  }, 120_000);
});

/** The pages of the web app's navigation (`NAV` in web/src/components/layout.tsx). */
function navPages(): { href: string; label: string }[] {
  const layout = readFileSync(path.join(__dirname, '..', '..', 'web', 'src', 'components', 'layout.tsx'), 'utf8');
  return [...layout.matchAll(/\{ href: '([^']+)', label: '([^']+)'/g)].map((m) => ({ href: m[1]!, label: m[2]! }));
}
