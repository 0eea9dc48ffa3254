// Fairness across tenants in the job handlers: an org's first sync moves to the backfill queue
// (so a large one never holds a slot of the 15-minute syncs), and a recompute drains a workspace
// for one time slice, then yields its slot and re-enqueues itself.
import { randomUUID } from 'node:crypto';
import { createJobHandlers } from '../../src/app/job-handlers';
import type { JobQueue } from '../../src/jobs/contract';
import { recomputeDirty } from '../../src/ledger/recompute';
import { attributionDirty, salesforceConnections, salesforceSyncRuns } from '../../src/platform/db/schema';
import { createWorkspace } from '../../src/workspaces/workspaces';
import { useTestDatabase } from '../support/database';
import { testLedgerKeys } from '../support/ledger-keys';
import { testLogger } from '../support/logger';
import { testConfig, testSecrets } from '../support/service';

function recordingQueue() {
  const enqueued: { name: string; payload: unknown; jobId?: string }[] = [];
  const queue = {
    transport: 'in-process',
    enqueue: async (name: string, payload: unknown, options: { jobId?: string } = {}) => {
      enqueued.push({ name, payload, ...(options.jobId ? { jobId: options.jobId } : {}) });
    },
  } as unknown as JobQueue;
  return { queue, enqueued };
}

describe('fairness across tenants', () => {
  const database = useTestDatabase();

  async function connected(slug: string) {
    const workspace = await createWorkspace(database.db, { slug });
    const id = randomUUID();
    await database.db.insert(salesforceConnections).values({
      id,
      workspaceId: workspace.id,
      status: 'connected',
      loginUrl: 'https://login.salesforce.com',
      instanceUrl: 'https://example.my.salesforce.com',
      orgId: `00D${slug}`,
      userId: '005000000000001',
    });
    return { workspace, connectionId: id };
  }

  function handlers(queue: JobQueue) {
    return createJobHandlers({ database, queue, config: testConfig(), secrets: testSecrets(), salesforce: null });
  }

  it('hands an org’s first sync to the backfill queue, once per sync job', async () => {
    const { connectionId } = await connected('first-sync');
    const { queue, enqueued } = recordingQueue();
    await handlers(queue)['salesforce.sync'](
      { connectionId, trigger: 'connect' },
      { jobId: 'job-1', attempt: 1, logger: testLogger },
    );
    expect(enqueued).toEqual([
      {
        name: 'salesforce.backfill',
        payload: { connectionId, trigger: 'connect' },
        jobId: 'salesforce-backfill:job-1',
      },
    ]);
  });

  it('runs the sync itself once a run of the org has ended ok', async () => {
    const { connectionId } = await connected('synced-before');
    await database.db.insert(salesforceSyncRuns).values({ connectionId, trigger: 'connect', outcome: 'ok' });
    const { queue, enqueued } = recordingQueue();
    // No Salesforce app in this test: reaching the sync itself is what fails.
    await expect(
      handlers(queue)['salesforce.sync'](
        { connectionId, trigger: 'schedule' },
        { jobId: 'job-2', attempt: 1, logger: testLogger },
      ),
    ).rejects.toThrow(/Salesforce is not configured/);
    expect(enqueued).toEqual([]);
  });

  it('a recompute past its time slice stops between batches and says it yielded', async () => {
    const { workspace } = await connected('large-drain');
    await database.db
      .insert(attributionDirty)
      .values(['006A', '006B', '006C'].map((opportunityId) => ({ workspaceId: workspace.id, opportunityId })));
    const deps = { db: database.db, logger: testLogger, batchSize: 1, ledgerKeys: testLedgerKeys };
    const first = await recomputeDirty(deps, workspace.id, { wait: false, sliceMs: 0 });
    expect(first).toMatchObject({ opportunities: 1, batches: 1, yielded: true, busy: false });
    const rest = await recomputeDirty(deps, workspace.id, { wait: false });
    expect(rest).toMatchObject({ opportunities: 2, batches: 2, yielded: false });
  });
});
