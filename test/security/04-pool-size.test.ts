// Finding 4 of the fault-injection round: "`DATABASE_POOL_MAX=1` hangs a sync forever while it
// holds the org's lock. Refuse pool sizes the service cannot run with, or size the lock's needs
// into the pool." The lock took the pool's only connection and the run waited for another one.
// Now the lock has a connection of its own, outside the pool: a pool of one runs a whole sync.
import nock from 'nock';
import { connectDatabase, type Database } from '../../src/platform/db/client';
import { runSync } from '../../src/salesforce/sync-run';
import { recomputeDirty } from '../../src/ledger/recompute';
import { loadConfig } from '../../src/platform/config';
import { useTestDatabase } from '../support/database';
import { testLedgerKeys } from '../support/ledger-keys';
import { testLogger } from '../support/logger';
import { NockOrg, sfTime } from '../support/nock-salesforce';
import { connectedWorkspace, syncDeps } from '../support/salesforce-fixtures';
import { testSecrets } from '../support/service';

const database = useTestDatabase();
const secrets = testSecrets();

beforeAll(() => nock.disableNetConnect());
afterEach(() => nock.cleanAll());
afterAll(() => nock.enableNetConnect());

const within = <T>(ms: number, p: Promise<T>) =>
  Promise.race([
    p,
    new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`still running after ${ms} ms`)), ms).unref()),
  ]);

describe('DATABASE_POOL_MAX=1', () => {
  it('is a pool the configuration accepts', () => {
    expect(loadConfig({ NODE_ENV: 'test', DATABASE_POOL_MAX: '1' }).database.poolMax).toBe(1);
  });

  it('runs a whole sync and its recompute on a pool of one connection', async () => {
    const { connection, workspace } = await connectedWorkspace(database.db, secrets, 'pool-of-one');
    const org = new NockOrg();
    for (let i = 0; i < 5; i++) {
      org.add('Contact', {
        Id: `0035g0000${String(i).padStart(6, '0')}AAA`,
        FirstName: 'C',
        LastName: String(i),
        Email: `c${i}@acme.example`,
        AccountId: null,
        CreatedDate: sfTime('2026-03-01T09:00:00Z'),
        SystemModstamp: sfTime('2026-03-01T09:00:00Z'),
        IsDeleted: false,
      });
    }
    org.records.Lead = [];
    org.intercept();
    const small: Database = connectDatabase(database.url, { max: 1 });
    try {
      const result = await within(20_000, runSync(syncDeps(small, secrets), connection.id, 'manual'));
      expect(result).toMatchObject({ outcome: 'ok', rows: expect.objectContaining({ Contact: 5 }) });
      await within(
        20_000,
        recomputeDirty({ db: small.db, logger: testLogger, batchSize: 100, ledgerKeys: testLedgerKeys }, workspace.id),
      );
    } finally {
      await small.close();
    }
  }, 60_000);
});
