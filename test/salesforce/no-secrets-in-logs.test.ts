// No secret reaches the logs: a full connect, refresh and sync with every log line captured.
import { Writable } from 'node:stream';
import { createLogger } from '../../src/platform/logger';
import { connectionOfWorkspace, decryptAccessToken, decryptRefreshToken } from '../../src/salesforce/connection-store';
import { runSync } from '../../src/salesforce/sync-run';
import { createWorkspace } from '../../src/workspaces/workspaces';
import { useTestDatabase } from '../support/database';
import { inProcessJobs } from '../support/queues';
import { adminKey, appFor, connectThroughOAuth, startTestSalesforce } from '../support/salesforce';
import { startTestService, testConfig, testSecrets } from '../support/service';

const database = useTestDatabase();

it('logs no token, authorization code, state, verifier or API key during connect and sync', async () => {
  const lines: string[] = [];
  const sink = new Writable({
    write(chunk, _enc, done) {
      lines.push(String(chunk));
      done();
    },
  });
  const log = createLogger('trace', {}, sink); // the service's logger, redaction included

  const fake = await startTestSalesforce();
  await fake.seedDemoOrg();
  const secrets = testSecrets();
  const jobs = inProcessJobs();
  let service = await startTestService({ database, jobs, config: testConfig(), logger: log, secrets });
  const url = service.url!;
  await service.close();
  const config = testConfig({ PORT: new URL(url).port, PUBLIC_URL: url });
  // API only: this test runs the sync itself, with no worker holding the org's lock.
  service = await startTestService({
    database,
    jobs: inProcessJobs(),
    role: 'api',
    config,
    logger: log,
    secrets,
    salesforce: appFor(fake, url, config),
  });
  try {
    const workspace = await createWorkspace(database.db, { slug: 'logs' });
    const key = await adminKey(database.db, workspace.id);
    const { landed, cookies } = await connectThroughOAuth(service.url!, database.db, workspace.id, fake);
    expect(landed.status).toBe(200);
    const callbackUrl = new URL(landed.url);
    const connection = (await connectionOfWorkspace(database.db, workspace.id))!;
    await fake.expireAccessTokens(); // forces a refresh, with rotation, during the sync
    const result = await runSync(
      {
        db: database.db,
        openSession: database.openSession,
        secrets,
        app: appFor(fake, url, config),
        logger: log,
        settings: {
          overlapMs: 600_000,
          bulkThreshold: 1e9,
          bulkPollTimeoutMs: 10_000,
          bulkPageSize: 1000,
          bulkParallelPages: 3,
          deletedCheckEveryMs: 3_600_000,
          budgetPercent: 80,
        },
      },
      connection.id,
      'manual',
    );
    expect(result.outcome).toBe('ok');

    const refreshed = (await connectionOfWorkspace(database.db, workspace.id))!;
    const secretsSeen = [
      key,
      ...cookies.split('; ').map((c) => c.slice(c.indexOf('=') + 1)),
      decryptAccessToken(secrets, refreshed)!,
      decryptRefreshToken(secrets, refreshed)!,
      decryptRefreshToken(secrets, connection)!,
      callbackUrl.searchParams.get('code') ?? '',
      callbackUrl.searchParams.get('state') ?? '',
    ].filter((s) => s.length > 8);
    expect(secretsSeen.length).toBeGreaterThanOrEqual(4);
    const text = lines.join('');
    expect(lines.length).toBeGreaterThan(10);
    for (const secret of secretsSeen) expect(text).not.toContain(secret);
    expect(text).not.toMatch(/Bearer [A-Za-z0-9!._-]{10,}/);
  } finally {
    await service.close();
    await fake.close();
  }
});
