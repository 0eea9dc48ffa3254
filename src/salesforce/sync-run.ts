// One sync run of one org: reference data, every object incrementally (Bulk API 2.0 for a large
// first backfill), then hard deletes. Never two runs of one org at once: a session advisory lock
// held on a reserved connection, which Postgres releases even if the worker is killed.
import { eq } from 'drizzle-orm';
import type postgres from 'postgres';
import type { SecretBox } from '../platform/crypto';
import type { Db } from '../platform/db/client';
import { salesforceSyncRuns, type SalesforceConnection } from '../platform/db/schema';
import { withSessionLock } from '../platform/locks';
import type { Logger } from '../platform/logger';
import { SalesforceApi } from './api-client';
import type { SalesforceApp } from './app';
import { getConnection, markNeedsReauth, recordApiUsage, recordConnectionError } from './connection-store';
import { isAppError } from '../platform/errors';
import { describeSalesforceError } from './errors';
import { OBJECTS } from './objects';
import { currenciesWithoutRate, syncCurrencies, syncLeadStatuses, syncStages } from './reference-data';
import type { RunContext, SyncSettings } from './run-context';
import { bulkBackfillSize, syncBulk } from './sync-bulk';
import { reconcileIds, syncHardDeletes } from './sync-deleted';
import { syncIncremental } from './sync-incremental';
import { objectState, updateObjectState } from './sync-state';
import { currentAccessToken, refreshAccessToken } from './tokens';

export interface SyncDeps {
  db: Db;
  sql: postgres.Sql;
  secrets: SecretBox;
  app: SalesforceApp;
  logger: Logger;
  settings: SyncSettings & { budgetPercent: number };
  sleep?: (ms: number) => Promise<void>;
}

export type SyncOutcome =
  'ok' | 'partial' | 'skipped_running' | 'not_connected' | 'paused_budget' | 'needs_reauth' | 'bulk_pending' | 'failed';

/** Failures that stop the whole run; any other stops only the object it happened to. */
const stopsTheRun = (err: unknown) => isAppError(err, 'salesforce_api_budget', 'salesforce_reauthorization_required');

export interface SyncResult {
  outcome: SyncOutcome;
  workspaceId: string | null;
  rows: Record<string, number>;
  /** Whether any history was written (a recompute is worth enqueueing). */
  wrote: boolean;
}

export async function runSync(deps: SyncDeps, connectionId: string, trigger: string): Promise<SyncResult> {
  return withSyncLock(deps, connectionId, () => runLocked(deps, connectionId, trigger));
}

async function withSyncLock(deps: SyncDeps, connectionId: string, run: () => Promise<SyncResult>): Promise<SyncResult> {
  const locked = await withSessionLock(deps.sql, `salesforce-sync:${connectionId}`, run);
  if (!locked.busy) return locked.value;
  deps.logger.info({ connectionId }, 'a sync of this org is already running; skipped');
  return { outcome: 'skipped_running', workspaceId: null, rows: {}, wrote: false };
}

/**
 * A full id reconciliation an admin asked for, deleting whatever Salesforce no longer returns even
 * when it is much (after they checked it is not a loss of visibility). Holds the org's sync lock.
 */
export async function runReconciliation(deps: SyncDeps, connectionId: string): Promise<SyncResult> {
  return withSyncLock(deps, connectionId, async () => {
    const connection = await getConnection(deps.db, connectionId);
    if (!connection || connection.status !== 'connected')
      return { outcome: 'not_connected', workspaceId: connection?.workspaceId ?? null, rows: {}, wrote: false };
    const logger = deps.logger.child({ connectionId, workspaceId: connection.workspaceId });
    const api = await apiFor(deps, connection, logger);
    const ctx = contextFor(deps, connection, api, logger, {});
    await reconcileIds(ctx, new Date(), undefined, true);
    return { outcome: 'ok', workspaceId: connection.workspaceId, rows: {}, wrote: true };
  });
}

function contextFor(
  deps: SyncDeps,
  connection: SalesforceConnection,
  api: SalesforceApi,
  logger: Logger,
  rows: Record<string, number>,
): RunContext {
  return {
    db: deps.db,
    api,
    connection,
    logger,
    settings: deps.settings,
    rows,
    mapping: { stages: new Map(), multiCurrency: connection.multiCurrency },
    sleep: deps.sleep ?? ((ms) => new Promise((r) => setTimeout(r, ms))),
  };
}

async function runLocked(deps: SyncDeps, connectionId: string, trigger: string): Promise<SyncResult> {
  const connection = await getConnection(deps.db, connectionId);
  if (!connection || connection.status !== 'connected') {
    return { outcome: 'not_connected', workspaceId: connection?.workspaceId ?? null, rows: {}, wrote: false };
  }
  const logger = deps.logger.child({ connectionId, workspaceId: connection.workspaceId, orgId: connection.orgId });
  const [run] = await deps.db.insert(salesforceSyncRuns).values({ connectionId, trigger }).returning();
  const rows: Record<string, number> = {};
  let outcome: SyncOutcome = 'ok';
  let error: string | null = null;
  let warning: string | null = null;
  let api: SalesforceApi | null = null;
  logger.info({ trigger }, 'sync started');

  try {
    api = await apiFor(deps, connection, logger);
    const ctx = contextFor(deps, connection, api, logger, rows);
    ctx.mapping.stages = await syncStages(ctx);
    ctx.mapping.multiCurrency = await syncCurrencies(ctx);
    const failures: string[] = [];
    const nameFailures: string[] = [];
    for (const spec of OBJECTS) {
      try {
        await syncObject(ctx, spec, logger);
      } catch (err) {
        if (stopsTheRun(err)) throw err;
        (spec.namesOnly ? nameFailures : failures).push(describeSalesforceError(err));
      }
    }
    await syncLeadStatuses(ctx).catch((err: unknown) => {
      if (stopsTheRun(err)) throw err;
      nameFailures.push(describeSalesforceError(err));
    });
    // Deletions are only compared once every object is in: a partial view would look like deletions.
    if (failures.length === 0) await syncHardDeletes(ctx, new Date());
    else {
      outcome = 'partial';
      error = failures.join(' ');
    }
    // Names and the lead status picklist hold back no number: said, but the run is not partial.
    if (nameFailures.length > 0) warning = `Names and lead statuses are incomplete: ${nameFailures.join(' ')}`;
    const unrated = await currenciesWithoutRate(ctx);
    if (unrated.length > 0) {
      warning =
        (warning ? `${warning} ` : '') +
        `No conversion rate for ${unrated.join(', ')} in the org: those amounts are counted as they are, unconverted. ` +
        "Add the currencies (and the reporting currency) in Salesforce's currency setup, or change the workspace's reporting currency.";
    }
  } catch (err) {
    ({ outcome, error } = await classify(deps, connection, err, logger));
  } finally {
    if (api?.apiUsage) await recordApiUsage(deps.db, connectionId, api.apiUsage.used, api.apiUsage.max);
    await recordConnectionError(
      deps.db,
      connectionId,
      outcome === 'ok' ? warning : [error, warning].filter(Boolean).join(' ') || null,
    );
    await deps.db
      .update(salesforceSyncRuns)
      .set({ finishedAt: new Date(), outcome, rows, error })
      .where(eq(salesforceSyncRuns.id, run!.id));
  }
  logger.info({ outcome, rows, apiUsage: api?.apiUsage ?? null }, 'sync finished');
  return {
    outcome,
    workspaceId: connection.workspaceId,
    rows,
    wrote: Object.values(rows).some((n) => n > 0) || outcome === 'partial',
  };
}

async function syncObject(ctx: RunContext, spec: (typeof OBJECTS)[number], logger: Logger): Promise<void> {
  const started = new Date();
  await objectState(ctx.db, ctx.connection.id, spec.name); // the row exists before its first run is recorded
  await updateObjectState(ctx.db, ctx.connection.id, spec.name, {
    lastRunStartedAt: started,
    lastRunFinishedAt: null,
    lastOutcome: 'running',
    lastError: null,
  });
  try {
    let rows = 0;
    const bulkSize = await bulkBackfillSize(ctx, spec);
    if (bulkSize !== null) rows += await syncBulk(ctx, spec, bulkSize);
    rows += await syncIncremental(ctx, spec);
    ctx.rows[spec.name] = rows;
    await updateObjectState(ctx.db, ctx.connection.id, spec.name, {
      lastRunFinishedAt: new Date(),
      lastOutcome: 'ok',
      lastRows: rows,
    });
  } catch (err) {
    const message = describeSalesforceError(err);
    await updateObjectState(ctx.db, ctx.connection.id, spec.name, {
      lastRunFinishedAt: new Date(),
      lastOutcome: outcomeOf(err),
      lastError: message,
      lastRows: ctx.rows[spec.name] ?? 0,
    });
    logger.warn({ object: spec.name, error: message }, 'object sync stopped');
    throw err;
  }
}

function outcomeOf(err: unknown): SyncOutcome {
  if (isAppError(err, 'salesforce_api_budget')) return 'paused_budget';
  if (isAppError(err, 'salesforce_reauthorization_required')) return 'needs_reauth';
  if (isAppError(err, 'salesforce_bulk_pending')) return 'bulk_pending';
  return 'failed';
}

async function classify(deps: SyncDeps, connection: SalesforceConnection, err: unknown, logger: Logger) {
  const outcome = outcomeOf(err);
  const error = describeSalesforceError(err);
  if (outcome === 'needs_reauth') await markNeedsReauth(deps.db, connection.id, error);
  if (outcome === 'failed') logger.error({ err }, 'sync failed');
  else logger.warn({ outcome, error }, 'sync stopped');
  return { outcome, error };
}

async function apiFor(deps: SyncDeps, connection: SalesforceConnection, logger: Logger): Promise<SalesforceApi> {
  const tokenDeps = { db: deps.db, secrets: deps.secrets, app: deps.app };
  return new SalesforceApi({
    app: deps.app,
    token: await currentAccessToken(tokenDeps, connection.id),
    refresh: (stale) => refreshAccessToken(tokenDeps, connection.id, stale),
    budgetPercent: deps.settings.budgetPercent,
    logger,
    ...(deps.sleep ? { sleep: deps.sleep } : {}),
  });
}
