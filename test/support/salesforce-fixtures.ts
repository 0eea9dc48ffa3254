// A workspace with a connected org, stored as the OAuth callback stores it, for sync tests.
import { createHash, randomUUID } from 'node:crypto';
import type { SecretBox } from '../../src/platform/crypto';
import type { Db } from '../../src/platform/db/client';
import { salesforceConnections, type Workspace } from '../../src/platform/db/schema';
import type { SalesforceApp } from '../../src/salesforce/app';
import { tokenAad } from '../../src/salesforce/connection-store';
import type { SyncDeps } from '../../src/salesforce/sync-run';
import { createWorkspace } from '../../src/workspaces/workspaces';
import type { Database } from '../../src/platform/db/client';
import { testLogger } from './logger';
import { INSTANCE, LOGIN, USER_ID } from './nock-salesforce';

export const nockApp: SalesforceApp = {
  clientId: '3MVG9nockClientId',
  clientSecret: 'nock-client-secret',
  redirectUri: 'http://127.0.0.1:3000/oauth/salesforce/callback',
  apiVersion: '62.0',
  loginUrls: { production: LOGIN, sandbox: 'https://test.salesforce.com' },
  hostPolicy: { extraOrigins: [] },
  requestTimeoutMs: 400,
};

/** An org id of its own per workspace (an org belongs to one workspace): 00D, 12 characters, AAA. */
export const orgIdFor = (slug: string) =>
  `00D5g${createHash('sha256').update(slug).digest('base64url').replace(/[-_]/g, 'x').slice(0, 10)}AAA`;

export async function connectedWorkspace(
  db: Db,
  secrets: SecretBox,
  slug: string,
  tokens = { access: 'AT-1', refresh: 'RT-1' },
  orgId = orgIdFor(slug),
) {
  const workspace: Workspace = await createWorkspace(db, { slug });
  const id = randomUUID();
  const [connection] = await db
    .insert(salesforceConnections)
    .values({
      id,
      workspaceId: workspace.id,
      status: 'connected',
      loginUrl: LOGIN,
      instanceUrl: INSTANCE,
      orgId,
      userId: USER_ID,
      refreshTokenEnc: secrets.encrypt(tokens.refresh, tokenAad(id, 'refresh_token')),
      accessTokenEnc: secrets.encrypt(tokens.access, tokenAad(id, 'access_token')),
    })
    .returning();
  return { workspace, connection: connection! };
}

export function syncDeps(
  database: Database,
  secrets: SecretBox,
  overrides: Partial<SyncDeps['settings']> = {},
): SyncDeps {
  return {
    db: database.db,
    openSession: database.openSession,
    secrets,
    app: nockApp,
    logger: testLogger,
    settings: {
      overlapMs: 10 * 60_000,
      bulkThreshold: 1_000_000,
      bulkPollTimeoutMs: 5_000,
      bulkPageSize: 2,
      bulkParallelPages: 1,
      deletedCheckEveryMs: 0,
      budgetPercent: 80,
      ...overrides,
    },
    sleep: () => Promise.resolve(),
  };
}
