// Salesforce connection commands: connect (prints the consent link), status, sync now, disconnect.
import { loadConfig } from '../../../platform/config';
import { createJobs } from '../../../jobs/create';
import { createLogger } from '../../../platform/logger';
import { recomputeDirty } from '../../../ledger/recompute';
import { openSalesforce } from '../../salesforce';
import { openSecretBox } from '../../secrets';
import { connectionOfWorkspace } from '../../../salesforce/connection-store';
import { disconnectSalesforce } from '../../../salesforce/disconnect';
import { loginChoice } from '../../../salesforce/hosts';
import { startAuthorization } from '../../../salesforce/oauth-flow';
import { syncSettings } from '../../../salesforce/settings';
import { connectionStatus } from '../../../salesforce/status';
import { runReconciliation, runSync, type SyncDeps } from '../../../salesforce/sync-run';
import { getWorkspaceBySlug } from '../../../workspaces/workspaces';
import { CliError, required, type CliCommand, type CliContext } from '../command';

/** The workspace named by --workspace, and its connection (an error if it has none). */
async function connected(ctx: CliContext, v: Record<string, unknown>, hint: string) {
  const workspace = await getWorkspaceBySlug(ctx.database.db, required(v, 'workspace'));
  const connection = await connectionOfWorkspace(ctx.database.db, workspace.id);
  if (!connection) throw new CliError(`workspace ${workspace.slug} has no Salesforce connection${hint}`);
  return { workspace, connection };
}

/** Sync dependencies for a run in this process, logging its progress to the terminal. */
function syncDepsFor(ctx: CliContext, c: Awaited<ReturnType<typeof context>>): SyncDeps {
  return { db: c.db, sql: ctx.database.sql, secrets: c.secrets, app: c.app, logger: createLogger('info'), settings: syncSettings(c.config) };
}

async function context(ctx: CliContext) {
  const config = loadConfig();
  const logger = createLogger(config.logLevel === 'info' ? 'warn' : config.logLevel);
  const secrets = openSecretBox(config, logger);
  const { app } = await openSalesforce(config, logger, 'cli');
  if (!app) throw new CliError('Salesforce is not configured: set SALESFORCE_CLIENT_ID and SALESFORCE_CLIENT_SECRET');
  return { config, logger, secrets, app, db: ctx.database.db };
}

export const salesforceCommands: CliCommand[] = [
  {
    name: 'salesforce:connect',
    summary: 'print the link an admin opens to connect the workspace\u2019s Salesforce org (valid 10 minutes, once)',
    usage: '--workspace SLUG [--sandbox | --domain acme.my.salesforce.com]',
    options: { workspace: { type: 'string' }, sandbox: { type: 'boolean' }, domain: { type: 'string' } },
    async run(ctx, v) {
      const { secrets, app, db } = await context(ctx);
      const workspace = await getWorkspaceBySlug(db, required(v, 'workspace'));
      const choice = loginChoice.parse(
        typeof v.domain === 'string' ? { environment: 'custom', domain: v.domain } : { environment: v.sandbox ? 'sandbox' : 'production' },
      );
      const { authorizeUrl, expiresAt } = await startAuthorization({ db, secrets, app }, workspace.id, choice);
      ctx.out(`Open this link in a browser and allow access (it works once, until ${expiresAt.toISOString()}):`);
      ctx.out('');
      ctx.out(authorizeUrl);
      ctx.out('');
      ctx.out(`Salesforce sends you back to ${app.redirectUri}: the service must be running there.`);
    },
  },
  {
    name: 'salesforce:status',
    summary: 'show the connection, the last sync of each object and the API usage',
    usage: '--workspace SLUG',
    options: { workspace: { type: 'string' } },
    async run(ctx, v) {
      const workspace = await getWorkspaceBySlug(ctx.database.db, required(v, 'workspace'));
      ctx.out(JSON.stringify(await connectionStatus(ctx.database.db, workspace.id), null, 2));
    },
  },
  {
    name: 'salesforce:sync',
    summary: 'run a sync of the workspace\u2019s org now, in this process, then recompute attribution',
    usage: '--workspace SLUG',
    options: { workspace: { type: 'string' } },
    async run(ctx, v) {
      const c = await context(ctx);
      const { workspace, connection } = await connected(ctx, v, ': run salesforce:connect first');
      const result = await runSync(syncDepsFor(ctx, c), connection.id, 'manual');
      const recomputed = await recomputeDirty({ db: c.db, logger: c.logger, batchSize: c.config.attribution.batchSize }, workspace.id);
      ctx.out(JSON.stringify({ outcome: result.outcome, rows: result.rows, recomputed }, null, 2));
      if (result.outcome !== 'ok') throw new CliError(`sync ended ${result.outcome}: see salesforce:status for the reason`);
    },
  },
  {
    name: 'salesforce:reconcile',
    summary: 'compare every id Salesforce returns with ours and delete the missing ones, however many (after checking it is not a sharing change)',
    usage: '--workspace SLUG --yes',
    options: { workspace: { type: 'string' }, yes: { type: 'boolean' } },
    async run(ctx, v) {
      if (!v.yes) throw new CliError('this deletes every record the connected user can no longer see: add --yes once you have checked its sharing and permissions');
      const c = await context(ctx);
      const { workspace, connection } = await connected(ctx, v, '');
      const result = await runReconciliation(syncDepsFor(ctx, c), connection.id);
      const recomputed = await recomputeDirty({ db: c.db, logger: c.logger, batchSize: c.config.attribution.batchSize }, workspace.id);
      ctx.out(JSON.stringify({ outcome: result.outcome, recomputed }, null, 2));
    },
  },
  {
    name: 'salesforce:disconnect',
    summary: 'revoke the token at Salesforce and delete it here (synced data and the ledger stay)',
    usage: '--workspace SLUG',
    options: { workspace: { type: 'string' } },
    async run(ctx, v) {
      const { config, logger, secrets, app, db } = await context(ctx);
      const workspace = await getWorkspaceBySlug(db, required(v, 'workspace'));
      const jobs = createJobs(config, logger);
      try {
        const result = await disconnectSalesforce({ db, secrets, app, queue: jobs.queue }, workspace.id);
        if (!result.disconnected) throw new CliError(`workspace ${workspace.slug} has no connected org`);
        ctx.out(result.revokedAtSalesforce ? 'disconnected; Salesforce revoked the token' : `disconnected here, but Salesforce did not confirm the revocation (${result.revokeError}): revoke the app's access in Salesforce Setup as well`);
      } finally {
        await jobs.queue.close();
      }
    },
  },
];
