// Connecting a workspace to the local test Salesforce as its admin does, and the oracle: one
// clean sync of the same org into a second workspace, in this process.
import { eq } from 'drizzle-orm';
import { createUser } from '../../src/access/users';
import type { LocalSalesforceProcess } from '../../src/app/local-salesforce';
import { LOCAL_CLIENT } from '../../src/app/salesforce';
import type { LedgerKeys } from '../../src/ledger/keys';
import { recomputeDirty } from '../../src/ledger/recompute';
import type { SecretBox } from '../../src/platform/crypto';
import type { Database } from '../../src/platform/db/client';
import { salesforceConnections } from '../../src/platform/db/schema';
import type { Logger } from '../../src/platform/logger';
import { completeAuthorization, startAuthorization } from '../../src/salesforce/oauth-flow';
import { runSync } from '../../src/salesforce/sync-run';

function appOf(fake: LocalSalesforceProcess) {
  return {
    ...LOCAL_CLIENT,
    redirectUri: 'http://127.0.0.1:1/oauth/salesforce/callback',
    apiVersion: '62.0',
    requestTimeoutMs: 10_000,
    loginUrls: { production: fake.url, sandbox: fake.url },
    hostPolicy: { extraOrigins: [new URL(fake.url).origin] },
  };
}

/** A signed-in admin of the workspace, in the browser holding the flow's nonce, connects the org. */
export async function connectOrg(
  database: Database,
  secrets: SecretBox,
  fake: LocalSalesforceProcess,
  workspaceId: string,
  who: string,
) {
  const deps = { db: database.db, secrets, app: appOf(fake) };
  const admin = await createUser(database.db, workspaceId, {
    email: `admin@${who}.example`,
    name: 'Admin',
    password: 'correct horse battery staple',
  });
  const browserNonce = `nonce-of-${who}`;
  const { authorizeUrl } = await startAuthorization(
    deps,
    { workspaceId, userId: admin.id, browserNonce },
    { environment: 'production' },
  );
  const back = new URL((await fake.control('approveAuthorization', { authorizeUrl })) as string);
  const outcome = await completeAuthorization(
    deps,
    { code: back.searchParams.get('code')!, state: back.searchParams.get('state')! },
    { nonce: browserNonce, session: { userId: admin.id, workspaceId } },
  );
  if (!outcome.ok) throw new Error(`${outcome.title}: ${outcome.detail}`);
  return outcome.connection;
}

/**
 * The oracle. An org belongs to one workspace: the chaos one lets it go first (as a disconnect
 * does; its history stays), then the clean one connects, syncs once and recomputes.
 */
export async function cleanSync(
  database: Database,
  secrets: SecretBox,
  fake: LocalSalesforceProcess,
  workspaceId: string,
  chaosConnectionId: string,
  logger: Logger,
  ledgerKeys: LedgerKeys,
): Promise<string> {
  await database.db
    .update(salesforceConnections)
    .set({ status: 'disconnected' })
    .where(eq(salesforceConnections.id, chaosConnectionId));
  const connection = await connectOrg(database, secrets, fake, workspaceId, 'clean');
  const result = await runSync(
    {
      db: database.db,
      openSession: database.openSession,
      secrets,
      app: appOf(fake),
      logger,
      settings: {
        overlapMs: 600_000,
        bulkThreshold: 1_000_000,
        bulkPollTimeoutMs: 60_000,
        bulkPageSize: 10_000,
        bulkParallelPages: 3,
        deletedCheckEveryMs: 3_600_000,
        budgetPercent: 80,
      },
    },
    connection.id,
    'manual',
  );
  await recomputeDirty({ db: database.db, logger, batchSize: 500, ledgerKeys }, workspaceId);
  return result.outcome;
}
