// Salesforce connection commands: connect (prints the consent link), status, sync now, reconcile, disconnect.
import { ledgerKeysOf } from '../../../ledger/keys';
import { recomputeDirty } from '../../../ledger/recompute';
import { AppError, parseInput } from '../../../platform/errors';
import { connectionOfWorkspace } from '../../../salesforce/connection-store';
import { disconnectSalesforce } from '../../../salesforce/disconnect';
import { loginChoice, loginUrlFor } from '../../../salesforce/hosts';
import { connectPageUrl } from '../../../api/oauth/salesforce';
import { syncSettings } from '../../../salesforce/settings';
import { connectionStatus } from '../../../salesforce/status';
import { runReconciliation, runSync, type SyncDeps } from '../../../salesforce/sync-run';
import { runConnectionCheck } from '../../../salesforce/check-run';
import type { CheckReport } from '../../../salesforce/connection-check';
import { progressPrinter } from '../progress';
import { getWorkspaceBySlug } from '../../../workspaces/workspaces';
import { required, usageError, type CliCommand, type CliContext, type CliValues } from '../command';

/** The workspace named by --workspace, and its connection (an error if it has none). */
async function connected(ctx: CliContext, v: CliValues, hint: string) {
  const { db } = await ctx.root.database();
  const workspace = await getWorkspaceBySlug(db, required(v, 'workspace'));
  const connection = await connectionOfWorkspace(db, workspace.id);
  if (!connection) throw usageError(`workspace ${workspace.slug} has no Salesforce connection${hint}`);
  return { workspace, connection };
}

/** What a Salesforce command needs from the root; refused when no connected app is configured. */
async function salesforceParts(ctx: CliContext) {
  const { root } = ctx;
  const { app } = await root.salesforce();
  if (!app)
    throw new AppError(
      'misconfigured',
      'Salesforce is not configured: set SALESFORCE_CLIENT_ID and SALESFORCE_CLIENT_SECRET',
    );
  const database = await root.database();
  return { config: root.config, logger: root.logger, secrets: root.secrets(), app, database, db: database.db };
}

/** Sync dependencies for a run in this process, drawing its progress per object in the terminal. */
function syncDepsFor(c: Awaited<ReturnType<typeof salesforceParts>>, ctx: CliContext): SyncDeps {
  return {
    db: c.db,
    openSession: c.database.openSession,
    secrets: c.secrets,
    app: c.app,
    logger: c.logger,
    settings: syncSettings(c.config),
    ...(ctx.progress ? { onProgress: progressPrinter(ctx.progress) } : {}),
  };
}

const MARK = { ok: '✓', warning: '!', failed: '✗' } as const;

/** The check as a person reads it: one line per item, then the estimate of the first backfill. */
function printCheck(ctx: CliContext, report: CheckReport): void {
  for (const item of report.items) ctx.out(`${MARK[item.status]} ${item.title}: ${item.detail}`);
  if (report.estimate) {
    const n = (v: number) => v.toLocaleString('en-US');
    ctx.out('');
    ctx.out('First backfill (estimate):');
    for (const o of report.estimate.objects)
      ctx.out(
        `  ${o.object.padEnd(24)}${n(o.rows).padStart(12)} rows  via ${o.via === 'bulk' ? 'Bulk API 2.0' : 'REST'}  ~${n(o.apiCalls)} API calls  ~${o.minutes} min`,
      );
    ctx.out(
      `  ${'total'.padEnd(24)}${' '.repeat(12)}       ~${n(report.estimate.apiCalls)} API calls  ~${report.estimate.minutes} min`,
    );
  }
  ctx.out('');
  ctx.out(report.ok ? 'The connection is ready.' : 'The connection needs attention: see the ✗ lines above.');
}

export const salesforceCommands: CliCommand[] = [
  {
    name: 'salesforce:connect',
    summary:
      'print the link an admin opens to connect the workspace\u2019s Salesforce org (it leads through sign-in to the Salesforce page)',
    usage: '--workspace SLUG [--sandbox | --domain acme.my.salesforce.com]',
    options: { workspace: { type: 'string' }, sandbox: { type: 'boolean' }, domain: { type: 'string' } },
    async run(ctx, v) {
      const { config, app, db } = await salesforceParts(ctx);
      const workspace = await getWorkspaceBySlug(db, required(v, 'workspace'));
      const choice = parseInput(
        loginChoice,
        typeof v.domain === 'string'
          ? { environment: 'custom', domain: v.domain }
          : { environment: v.sandbox ? 'sandbox' : 'production' },
      );
      // Checked now, so a mistyped My Domain is said here rather than on the page.
      if (choice.environment === 'custom') loginUrlFor(choice, app.hostPolicy);
      const link = connectPageUrl(config.publicUrl, {
        environment: choice.environment,
        domain: choice.environment === 'custom' ? choice.domain : undefined,
        workspace: workspace.slug,
      });
      ctx.out(
        `Open this link in a browser, sign in as an admin of ${workspace.slug} if asked, and press "Connect Salesforce":`,
      );
      ctx.out('');
      ctx.out(link);
      ctx.out('');
      ctx.out(
        `An org is connected by a signed-in admin of its workspace, in the web app (not with a link anyone could finish). Salesforce sends you back to ${app.redirectUri}: the service must be running there.`,
      );
    },
  },
  {
    name: 'salesforce:status',
    summary: 'show the connection, the last sync of each object and the API usage',
    usage: '--workspace SLUG',
    options: { workspace: { type: 'string' } },
    async run(ctx, v) {
      const { db } = await ctx.root.database();
      const workspace = await getWorkspaceBySlug(db, required(v, 'workspace'));
      ctx.out(JSON.stringify(await connectionStatus(db, workspace.id), null, 2));
    },
  },
  {
    name: 'salesforce:sync',
    summary: 'run a sync of the workspace\u2019s org now, in this process, then recompute attribution',
    usage: '--workspace SLUG',
    options: { workspace: { type: 'string' } },
    async run(ctx, v) {
      const c = await salesforceParts(ctx);
      const { workspace, connection } = await connected(ctx, v, ': run salesforce:connect first');
      const result = await runSync(syncDepsFor(c, ctx), connection.id, 'manual');
      const recomputed = await recomputeDirty(
        { db: c.db, logger: c.logger, batchSize: c.config.attribution.batchSize, ledgerKeys: ledgerKeysOf(c.config) },
        workspace.id,
      );
      ctx.out(JSON.stringify({ outcome: result.outcome, rows: result.rows, recomputed }, null, 2));
      if (result.outcome !== 'ok')
        throw new AppError('unavailable', `sync ended ${result.outcome}: see salesforce:status for the reason`);
    },
  },
  {
    name: 'salesforce:check',
    summary:
      'check the connection: API access and version, read access and field-level security, field history, API headroom, and an estimate of the first backfill',
    usage: '--workspace SLUG [--json]',
    options: { workspace: { type: 'string' }, json: { type: 'boolean' } },
    async run(ctx, v) {
      const c = await salesforceParts(ctx);
      const { connection } = await connected(ctx, v, ': run salesforce:connect first');
      const report = await runConnectionCheck(syncDepsFor(c, ctx), connection.id);
      if (v.json) ctx.out(JSON.stringify(report, null, 2));
      else printCheck(ctx, report);
      if (!report.ok) throw new AppError('unavailable', 'the connection check found problems (see above)');
    },
  },
  {
    name: 'salesforce:reconcile',
    summary:
      'compare every id Salesforce returns with ours and delete the missing ones, however many (after checking it is not a sharing change)',
    usage: '--workspace SLUG --yes',
    options: { workspace: { type: 'string' }, yes: { type: 'boolean' } },
    async run(ctx, v) {
      if (!v.yes)
        throw usageError(
          'this deletes every record the connected user can no longer see: add --yes once you have checked its sharing and permissions',
        );
      const c = await salesforceParts(ctx);
      const { workspace, connection } = await connected(ctx, v, '');
      const result = await runReconciliation(syncDepsFor(c, ctx), connection.id);
      const recomputed = await recomputeDirty(
        { db: c.db, logger: c.logger, batchSize: c.config.attribution.batchSize, ledgerKeys: ledgerKeysOf(c.config) },
        workspace.id,
      );
      ctx.out(JSON.stringify({ outcome: result.outcome, recomputed }, null, 2));
    },
  },
  {
    name: 'salesforce:disconnect',
    summary: 'revoke the token at Salesforce and delete it here (synced data and the ledger stay)',
    usage: '--workspace SLUG',
    options: { workspace: { type: 'string' } },
    async run(ctx, v) {
      const { secrets, app, db } = await salesforceParts(ctx);
      const workspace = await getWorkspaceBySlug(db, required(v, 'workspace'));
      const result = await disconnectSalesforce({ db, secrets, app, queue: ctx.root.jobs().queue }, workspace.id);
      if (!result.disconnected) throw usageError(`workspace ${workspace.slug} has no connected org`);
      ctx.out(
        result.revokedAtSalesforce
          ? 'disconnected; Salesforce revoked the token'
          : `disconnected here, but Salesforce did not confirm the revocation (${result.revokeError}): revoke the app's access in Salesforce Setup as well`,
      );
    },
  },
];
