// Settings and the leftovers of issue 13, in a real headless Chromium on the synced demo workspace:
// webhook secrets, passwords, the users list, names in the ledger, the leaderboard's range filter,
// main-thread stalls on the dashboard. One demo session for the whole file.
import { useTestDatabase } from '../support/database';
import { describeWithChromium } from './browser';
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
});
