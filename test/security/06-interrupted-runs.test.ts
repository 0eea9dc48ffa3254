// Finding 6 of the fault-injection round: "Killed sync runs stay unfinished forever in the run
// history. Close them as `interrupted` when the next run starts."
// The fault: a worker killed mid-run leaves its run row (and the object it was reading) as
// running; the next run of the org must close them, and the status must stop saying "running".
import nock from 'nock';
import { eq } from 'drizzle-orm';
import { salesforceSyncObjects, salesforceSyncRuns } from '../../src/platform/db/schema';
import { runSync } from '../../src/salesforce/sync-run';
import { connectionStatus } from '../../src/salesforce/status';
import { useTestDatabase } from '../support/database';
import { NockOrg } from '../support/nock-salesforce';
import { connectedWorkspace, syncDeps } from '../support/salesforce-fixtures';
import { testSecrets } from '../support/service';

const database = useTestDatabase();
const secrets = testSecrets();

beforeAll(() => nock.disableNetConnect());
afterEach(() => nock.cleanAll());
afterAll(() => nock.enableNetConnect());

describe('killed sync runs', () => {
  it('the next run of the org closes the runs a killed worker left unfinished as interrupted', async () => {
    const { workspace, connection } = await connectedWorkspace(database.db, secrets, 'killed-runs');
    // What a SIGKILL during Contact leaves behind: a run without an end, an object still running.
    const killedAt = new Date(Date.now() - 60_000);
    const [killed] = await database.db
      .insert(salesforceSyncRuns)
      .values({ connectionId: connection.id, trigger: 'schedule', startedAt: killedAt })
      .returning();
    await database.db
      .insert(salesforceSyncObjects)
      .values({ connectionId: connection.id, object: 'Contact', lastRunStartedAt: killedAt, lastOutcome: 'running' });
    expect(await connectionStatus(database.db, workspace.id)).toMatchObject({ running: true });

    const org = new NockOrg();
    org.records.Lead = [];
    org.intercept();
    const result = await runSync(syncDeps(database, secrets), connection.id, 'manual');
    expect(result.outcome).toBe('ok');

    const [closed] = await database.db.select().from(salesforceSyncRuns).where(eq(salesforceSyncRuns.id, killed!.id));
    expect(closed).toMatchObject({ outcome: 'interrupted', error: expect.stringMatching(/worker stopped/) });
    expect(closed!.finishedAt).not.toBeNull();
    const status = await connectionStatus(database.db, workspace.id);
    expect(status).toMatchObject({ running: false });
    if (!status.connected) throw new Error('expected a connected org');
    expect(status.runs.map((r) => r.outcome)).toEqual(['ok', 'interrupted']);
    expect(status.runs.every((r) => r.finishedAt !== null)).toBe(true);
    expect(status.objects.find((o) => o.object === 'Contact')?.lastRun.outcome).toBe('ok');
  });

  it('a run that finds another run of the org holding the lock closes nothing', async () => {
    const { connection } = await connectedWorkspace(database.db, secrets, 'live-run');
    const [live] = await database.db
      .insert(salesforceSyncRuns)
      .values({ connectionId: connection.id, trigger: 'schedule' })
      .returning();
    const holder = await database.sql.reserve();
    try {
      await holder`select pg_advisory_lock(hashtextextended(${`salesforce-sync:${connection.id}`}, 0))`;
      const result = await runSync(syncDeps(database, secrets), connection.id, 'manual');
      expect(result.outcome).toBe('skipped_running');
      const [still] = await database.db.select().from(salesforceSyncRuns).where(eq(salesforceSyncRuns.id, live!.id));
      expect(still).toMatchObject({ finishedAt: null, outcome: null });
    } finally {
      await holder`select pg_advisory_unlock_all()`;
      holder.release();
    }
  });
});
