// The job handlers: thin calls into domain modules.
import type { Config } from '../platform/config';
import type { SecretBox } from '../platform/crypto';
import type { Database } from '../platform/db/client';
import { markWorkspacesOnOlderEngine } from '../ledger/engine-upgrade';
import { pruneWebhookDeliveries } from '../conversations/ingest-conversations';
import { ledgerKeysOf } from '../ledger/keys';
import { recomputeDirty, workspacesWithDirtyOpportunities } from '../ledger/recompute';
import { pruneExpiredOAuthFlows } from '../salesforce/oauth-flow';
import type { SalesforceApp } from '../salesforce/app';
import { unscheduleSync } from '../salesforce/schedules';
import { syncSettings } from '../salesforce/settings';
import { runSync } from '../salesforce/sync-run';
import { needsBackfill } from '../salesforce/backfill';
import type { JobHandlers, JobQueue } from '../jobs/contract';
import { AppError } from '../platform/errors';
import { smtpMailer } from '../digest/mailer';
import { sendDueDigests } from '../digest/send-digests';

export interface HandlerDeps {
  database: Database;
  queue: JobQueue;
  config: Config;
  secrets: SecretBox;
  /** Null when no Salesforce connected app (nor the local test Salesforce) is configured. */
  salesforce: SalesforceApp | null;
}

export function createJobHandlers(deps: HandlerDeps): JobHandlers {
  const { db } = deps.database;
  const ledgerKeys = ledgerKeysOf(deps.config);
  const sync: JobHandlers['salesforce.sync'] = async ({ connectionId, trigger }, { logger }) => {
    if (!deps.salesforce) {
      throw new AppError(
        'misconfigured',
        'Salesforce is not configured: set SALESFORCE_CLIENT_ID and SALESFORCE_CLIENT_SECRET',
      );
    }
    const result = await runSync(
      {
        db,
        openSession: deps.database.openSession,
        secrets: deps.secrets,
        app: deps.salesforce,
        logger,
        settings: syncSettings(deps.config),
      },
      connectionId,
      trigger,
    );
    if (result.outcome === 'needs_reauth' || result.outcome === 'not_connected')
      await unscheduleSync(deps.queue, connectionId);
    // Someone asked for this sync while another ran: run it once that one is over, not never.
    if (result.outcome === 'skipped_running' && trigger !== 'schedule') {
      await deps.queue.enqueue(
        'salesforce.sync',
        { connectionId, trigger },
        later(`salesforce-sync:${connectionId}:${trigger}`, 30_000),
      );
    }
    // The run marked what changed dirty; the recompute turns it into ledger entries.
    if (result.wrote && result.workspaceId)
      await deps.queue.enqueue('attribution.recompute', { workspaceId: result.workspaceId });
    // The database went away under the run (a restart): the job's retries run it again.
    if (result.retry)
      throw new AppError('unavailable', 'the sync lost its database connection; it runs again after a backoff');
  };
  return {
    'attribution.recompute': async ({ workspaceId }, { logger }) => {
      const outcome = await recomputeDirty(
        { db, logger, batchSize: deps.config.attribution.batchSize, ledgerKeys },
        workspaceId,
        { wait: false, sliceMs: RECOMPUTE_SLICE_MS },
      );
      if (outcome.opportunities > 0) logger.info(outcome, 'attribution recomputed');
      // A large drain yields its slot after a slice and goes to the back of the queue (fairness).
      if (outcome.yielded) await deps.queue.enqueue('attribution.recompute', { workspaceId });
      // Another recompute is draining this workspace: look again shortly rather than wait holding a connection.
      if (outcome.busy)
        await deps.queue.enqueue('attribution.recompute', { workspaceId }, later(`recompute:${workspaceId}`, 2_000));
    },
    'attribution.sweep': async (_payload, { logger }) => {
      const upgraded = await markWorkspacesOnOlderEngine(db);
      if (upgraded.length > 0)
        logger.info(
          { workspaces: upgraded.length },
          "the attribution rules changed: recomputing those workspaces' ledgers",
        );
      for (const workspaceId of await workspacesWithDirtyOpportunities(db))
        await deps.queue.enqueue('attribution.recompute', { workspaceId });
      await pruneWebhookDeliveries(db);
      await pruneExpiredOAuthFlows(db);
    },
    'digest.send': async (_payload, { logger }) => {
      const { smtpUrl, from } = deps.config.digest;
      // Left from a run with SMTP configured: nothing to send through now.
      if (!smtpUrl || !from) return;
      const mailer = smtpMailer(smtpUrl);
      try {
        const run = await sendDueDigests({ db, mailer, from, baseUrl: deps.config.publicUrl, logger });
        if (run.sent > 0) logger.info(run, 'weekly digests sent');
      } finally {
        mailer.close();
      }
    },
    'salesforce.sync': async (payload, ctx) => {
      // An org's first sync leaves for the backfill queue: a large one must not hold a slot the
      // 15-minute syncs of the other orgs need. One backfill job per sync job (a retry reuses it).
      if (await needsBackfill(db, payload.connectionId)) {
        await deps.queue.enqueue('salesforce.backfill', payload, { jobId: `salesforce-backfill:${ctx.jobId}` });
        ctx.logger.info('a first sync: handed to the backfill queue');
        return;
      }
      await sync(payload, ctx);
    },
    'salesforce.backfill': (payload, ctx) => sync(payload, ctx),
  };
}

/** How long one recompute job drains a workspace before it lets the others' recomputes run. */
export const RECOMPUTE_SLICE_MS = 10_000;

/** A delayed job, deduplicated within its delay: repeated requests in that window become one. */
function later(key: string, delayMs: number) {
  return { delayMs, jobId: `${key}:later:${Math.floor(Date.now() / delayMs)}` };
}

export const SWEEP_SCHEDULE_ID = 'attribution-sweep';
export const DIGEST_SCHEDULE_ID = 'digest-send';
export const SWEEP_EVERY_MS = 60_000;
