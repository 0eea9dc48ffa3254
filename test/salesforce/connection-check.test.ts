// The connection check against the local test Salesforce (its own process), through the API and
// the CLI: every item in words a Salesforce admin acts on, and the first backfill estimated.
import { runCommand } from '../../src/app/cli/command';
import { salesforceCommands } from '../../src/app/cli/commands/salesforce';
import { rootOf } from '../../src/app/root';
import type { RunningService } from '../../src/app/service';
import type { CheckReport } from '../../src/salesforce/connection-check';
import { createWorkspace } from '../../src/workspaces/workspaces';
import { useTestDatabase } from '../support/database';
import type { RemoteFakeSalesforce } from '../support/fake-salesforce';
import { testLogger } from '../support/logger';
import { inProcessJobs } from '../support/queues';
import { adminKey, appFor, connectThroughOAuth, startTestSalesforce } from '../support/salesforce';
import { freePort } from '../support/ports';
import { startTestService, testConfig, testSecrets } from '../support/service';

const database = useTestDatabase();
const secrets = testSecrets();
let fake: RemoteFakeSalesforce;
let service: RunningService;
let key: string;
let config: ReturnType<typeof testConfig>;

beforeAll(async () => {
  fake = await startTestSalesforce();
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  config = testConfig({ PORT: String(port), PUBLIC_URL: url });
  service = await startTestService({
    database,
    jobs: inProcessJobs(),
    role: 'api',
    config,
    secrets,
    salesforce: appFor(fake, url, config),
  });
  const workspace = await createWorkspace(database.db, { slug: 'check' });
  key = await adminKey(database.db, workspace.id);
  const { landed } = await connectThroughOAuth(service.url!, database.db, workspace.id, fake);
  expect(landed.status).toBe(200);
  const account = await fake.org.create('Account', { Name: 'Acme' });
  for (let i = 0; i < 3; i++)
    await fake.org.create('Contact', { LastName: `C${i}`, Email: `c${i}@acme.example`, AccountId: account });
  await fake.org.create('Opportunity', { Name: 'O', StageName: 'Prospecting', CloseDate: '2026-06-30', Amount: 1000 });
}, 60_000);
afterAll(async () => {
  await service?.close();
  await fake?.close();
});

const check = async () => {
  const res = await fetch(`${service.url}/api/v1/salesforce/check`, {
    method: 'POST',
    headers: { authorization: `Bearer ${key}` },
  });
  expect(res.status).toBe(200);
  return (await res.json()) as CheckReport;
};

describe('the connection check', () => {
  it('says what is ready, and estimates the first backfill from SELECT COUNT()', async () => {
    const report = await check();
    expect(report.ok).toBe(true);
    const byId = Object.fromEntries(report.items.map((i) => [i.id, i]));
    expect(byId.api).toMatchObject({ status: 'ok', detail: expect.stringMatching(/version 62\.0/) });
    for (const object of [
      'OpportunityStage',
      'Contact',
      'Lead',
      'OpportunityHistory',
      'Opportunity',
      'OpportunityContactRole',
    ])
      expect(byId[`object:${object}`]).toMatchObject({ status: 'ok' });
    expect(byId['history:ContactHistory']).toMatchObject({
      status: 'ok',
      detail: expect.stringMatching(/Contact\.Email/),
    });
    expect(byId.headroom).toMatchObject({
      status: 'ok',
      detail: expect.stringMatching(/of 15,000 daily API requests used; the sync stops at 80%/),
    });
    const rows = Object.fromEntries(report.estimate!.objects.map((o) => [o.object, o.rows]));
    expect(rows).toMatchObject({
      Contact: 3,
      Opportunity: 1,
      OpportunityHistory: 1,
      Lead: 0,
      OpportunityContactRole: 0,
    });
    expect(report.estimate!.objects.every((o) => o.via === 'rest' && o.apiCalls >= 2)).toBe(true);
    expect(report.estimate!.minutes).toBeGreaterThanOrEqual(1);
  });

  it('names a field hidden by field-level security, and where to grant it', async () => {
    await fake.hideField('Opportunity', 'Amount');
    try {
      const report = await check();
      expect(report.ok).toBe(false);
      expect(report.items.find((i) => i.id === 'object:Opportunity')).toMatchObject({
        status: 'failed',
        detail: expect.stringMatching(
          /cannot read Opportunity\.Amount \(field-level security hides it.*Setup → Permission Sets .* Object Settings → Opportunity → Field Permissions/,
        ),
      });
    } finally {
      await fake.hideField('Opportunity', 'Amount', false);
    }
  });

  it('says the connected user needs "API Enabled" when it lost API access', async () => {
    await fake.setApiAccess(false);
    try {
      const report = await check();
      expect(report.items).toEqual([
        expect.objectContaining({
          id: 'api',
          status: 'failed',
          detail: expect.stringMatching(/needs the "API Enabled" permission/),
        }),
      ]);
      expect(report.estimate).toBeNull();
    } finally {
      await fake.setApiAccess(true);
    }
  });

  it('prints the same in the terminal, with progress per object', async () => {
    const out: string[] = [];
    const progress: string[] = [];
    const root = rootOf({
      config,
      logger: testLogger,
      database: { ...database, shutdown: async () => {} },
      secrets,
      salesforce: { app: appFor(fake, service.url!, config), local: null },
    });
    await runCommand(
      salesforceCommands.find((c) => c.name === 'salesforce:check')!,
      { root, out: (l) => out.push(l), progress: (l) => progress.push(l) },
      { workspace: 'check' },
    );
    expect(out[0]).toMatch(/^✓ API access and version: /);
    expect(out).toContain('First backfill (estimate):');
    expect(out.find((l) => l.trimStart().startsWith('Contact'))).toMatch(
      /^\s+Contact\s+3 rows\s+via REST\s+~\d+ API calls\s+~1 min$/,
    );
    expect(out.at(-1)).toBe('The connection is ready.');
    expect(progress.find((l) => l.startsWith('Contact'))).toMatch(/^Contact\s+counting…/);
  });
});
