// One sync run of one org: reference data, every object incrementally (Bulk API 2.0 for a large
// first backfill), then hard deletes. Never two runs of one org at once: a session advisory lock
// held on a connection of its own, which Postgres releases even if the worker is killed. A run
// that loses the database (a restart) stops, says so, and is retried; the worker lives on.
import { eq } from 'drizzle-orm';
import type { SecretBox } from '../platform/crypto';
import type { Db } from '../platform/db/client';
import { salesforceSyncRuns, type SalesforceConnection } from '../platform/db/schema';
import { withSessionLock, type OpenSession } from '../platform/locks';
import type { Logger } from '../platform/logger';
import { SalesforceApi } from './api-client';
import type { SalesforceApp } from './app';
import { getConnection, markNeedsReauth, recordApiUsage, recordConnectionError } from './connection-store';
import { isAppError } from '../platform/errors';
import { isConnectionError, pgError } from '../platform/db/sql';
import { describeSalesforceError } from './errors';
import { closeInterruptedRuns } from './interrupted-runs';
import { DELETABLE, OBJECTS } from './objects';
import { quarantineSummary } from './quarantine';
import { retryQuarantined } from './quarantine-retry';
import { currenciesWithoutRate, syncCurrencies, syncLeadStatuses, syncStages } from './reference-data';
import type { RunContext, SyncSettings } from './run-context';
import { BulkFallback, bulkBackfillSize, syncBulk } from './sync-bulk';
import { reconcileIds, syncHardDeletes } from './sync-deleted';
import { syncFieldHistory } from './sync-field-history';
import { syncIncremental } from './sync-incremental';
import { analyzeVersions } from '../history/record-changes';
import { objectState, updateObjectState } from './sync-state';
import { currentAccessToken, refreshAccessToken } from './tokens';

export interface SyncDeps {
  db: Db;
  /** Opens the connection that holds the org's sync lock (`Database.openSession`). */
  openSession: OpenSession;
  secrets: SecretBox;
  app: SalesforceApp;
  logger: Logger;
  settings: SyncSettings & { budgetPercent: number };
  sleep?: (ms: number) => Promise<void>;
  /** Told of each object's progress (the CLI draws it). */
  onProgress?: RunContext['onProgress'];
}

export type SyncOutcome =
  | 'ok'
  | 'partial'
  | 'skipped_running'
  | 'not_connected'
  | 'paused_budget'
  | 'needs_reauth'
  | 'bulk_pending'
  | 'salesforce_unavailable'
  | 'failed'
  /** Written by the next run on one whose worker died (interrupted-runs.ts). */
  | 'interrupted';

/** Failures that stop the whole run; any other stops only the object it happened to. */
const stopsTheRun = (err: unknown) =>
  isAppError(err, 'salesforce_api_budget', 'salesforce_reauthorization_required', 'salesforce_token_unavailable');

export interface SyncResult {
  outcome: SyncOutcome;
  workspaceId: string | null;
  rows: Record<string, number>;
  /** Whether any history was written (a recompute is worth enqueueing). */
  wrote: boolean;
  /** The run failed on the database (a restart, a lost lock): running it again can succeed. */
  retry?: boolean;
}

export async function runSync(deps: SyncDeps, connectionId: string, trigger: string): Promise<SyncResult> {
  return withSyncLock(deps, connectionId, (lockLost) => runLocked(deps, connectionId, trigger, lockLost));
}

async function withSyncLock(
  deps: SyncDeps,
  connectionId: string,
  run: (lockLost: AbortSignal) => Promise<SyncResult>,
): Promise<SyncResult> {
  const locked = await withSessionLock(deps.openSession, `salesforce-sync:${connectionId}`, run);
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
    stats: {},
    mapping: { stages: new Map(), multiCurrency: connection.multiCurrency },
    sleep: deps.sleep ?? ((ms) => new Promise((r) => setTimeout(r, ms))),
    ...(deps.onProgress ? { onProgress: deps.onProgress } : {}),
  };
}

async function runLocked(
  deps: SyncDeps,
  connectionId: string,
  trigger: string,
  lockLost: AbortSignal,
): Promise<SyncResult> {
  const connection = await getConnection(deps.db, connectionId);
  if (!connection || connection.status !== 'connected') {
    return { outcome: 'not_connected', workspaceId: connection?.workspaceId ?? null, rows: {}, wrote: false };
  }
  const logger = deps.logger.child({ connectionId, workspaceId: connection.workspaceId, orgId: connection.orgId });
  const interrupted = await closeInterruptedRuns(deps.db, connectionId);
  if (interrupted > 0) logger.warn({ interrupted }, 'closed sync runs a stopped worker left unfinished');
  const [run] = await deps.db.insert(salesforceSyncRuns).values({ connectionId, trigger }).returning();
  const rows: Record<string, number> = {};
  const startedAt = new Date();
  let outcome: SyncOutcome = 'ok';
  let error: string | null = null;
  const warnings: string[] = [];
  let api: SalesforceApi | null = null;
  let retry = false;
  logger.info({ trigger }, 'sync started');

  try {
    api = await apiFor(deps, connection, logger);
    const ctx = { ...contextFor(deps, connection, api, logger, rows), lockLost };
    ctx.mapping.stages = await syncStages(ctx);
    ctx.mapping.multiCurrency = await syncCurrencies(ctx);
    const failures: string[] = [];
    const nameFailures: string[] = [];
    const attempt = async (work: () => Promise<void>, into = failures) => {
      try {
        await work();
      } catch (err) {
        if (stopsTheRun(err) || lostTheDatabase(err, lockLost)) throw err;
        into.push(describeSalesforceError(err));
      }
    };
    for (const spec of OBJECTS)
      await attempt(() => syncObject(ctx, spec, logger), spec.namesOnly ? nameFailures : failures);
    await analyzeAfterBulkLoad(ctx);
    await attempt(() => syncLeadStatuses(ctx), nameFailures);
    // Each object's deletion pass runs whatever happened to the others: getDeleted reports
    // explicit deletions, and a reconciliation compares with what Salesforce has now.
    for (const object of DELETABLE) await attempt(() => syncHardDeletes(ctx, object, new Date(), startedAt));
    await attempt(() => syncFieldHistory(ctx));
    if (failures.length > 0) {
      outcome = 'partial';
      error = failures.join(' ');
    }
    // Names and the lead status picklist hold back no number: said, but the run is not partial.
    if (nameFailures.length > 0) warnings.push(`Names and lead statuses are incomplete: ${nameFailures.join(' ')}`);
    warnings.push(...(await runWarnings(ctx)));
  } catch (err) {
    retry = lostTheDatabase(err, lockLost);
    ({ outcome, error } = await classify(deps, connection, err, logger, retry));
  } finally {
    const warning = warnings.join(' ') || null;
    // With the database gone these writes fail too: the run stays open, and the next run of the
    // org closes it as interrupted (interrupted-runs.ts). The result still goes back to the job.
    await (async () => {
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
    })().catch((err: unknown) => {
      if (!isConnectionError(err)) throw err;
      retry = true;
      logger.warn({ err: { message: (err as Error).message } }, 'could not record the end of the sync run');
    });
  }
  logger.info({ outcome, rows, apiUsage: api?.apiUsage ?? null }, 'sync finished');
  return {
    outcome,
    workspaceId: connection.workspaceId,
    rows,
    wrote: Object.values(rows).some((n) => n > 0) || outcome === 'partial',
    ...(retry ? { retry } : {}),
  };
}

/** A pass that wrote at least this many versions is a bulk load: its tables get ANALYZE right after. */
export const ANALYZE_AFTER_ROWS = 10_000;

/**
 * Counted in versions written, not rows read: an incremental run re-reads every record of the
 * overlap window, and re-read rows that change nothing must not cost an ANALYZE of the table.
 */
async function analyzeAfterBulkLoad(ctx: RunContext): Promise<void> {
  const kinds = OBJECTS.filter((spec) => (ctx.stats[spec.name]?.written ?? 0) >= ANALYZE_AFTER_ROWS).map(
    (spec) => spec.kind,
  );
  if (kinds.length === 0) return;
  await analyzeVersions(ctx.db, kinds);
  ctx.logger.info({ kinds }, 'analyzed the version tables of the bulk load');
}

/** The database went away under the run (a restart), or the org's lock with its connection. */
const lostTheDatabase = (err: unknown, lockLost: AbortSignal) => lockLost.aborted || isConnectionError(err);

/** What the admin should know after a run that is not a failure: unconverted currencies, quarantine. */
async function runWarnings(ctx: RunContext): Promise<string[]> {
  const out: string[] = [];
  const unrated = await currenciesWithoutRate(ctx);
  if (unrated.length > 0) {
    out.push(
      `No conversion rate for ${unrated.join(', ')} in the org: those amounts are counted as they are, unconverted. ` +
        "Add the currencies (and the reporting currency) in Salesforce's currency setup, or change the workspace's reporting currency.",
    );
  }
  const { total } = await quarantineSummary(ctx.db, ctx.connection.id, 0);
  if (total > 0) {
    out.push(
      `${total.toLocaleString('en-US')} record${total === 1 ? '' : 's'} could not be stored and ${total === 1 ? 'is' : 'are'} in quarantine (listed with the reason on the Salesforce page and in salesforce:status); every run tries them again.`,
    );
  }
  return out;
}

async function syncObject(ctx: RunContext, spec: (typeof OBJECTS)[number], logger: Logger): Promise<void> {
  const started = new Date();
  await objectState(ctx.db, ctx.connection.id, spec.name); // the row exists before its first run is recorded
  await updateObjectState(ctx.db, ctx.connection.id, spec.name, {
    lastRunStartedAt: started,
    lastRunFinishedAt: null,
    lastOutcome: 'running',
    lastError: null,
    lastNote: null,
  });
  const notes: string[] = [];
  const finish = (changes: Parameters<typeof updateObjectState>[3]) =>
    updateObjectState(ctx.db, ctx.connection.id, spec.name, {
      lastRunFinishedAt: new Date(),
      lastRows: ctx.rows[spec.name] ?? 0,
      lastNulStripped: ctx.stats[spec.name]?.nulStripped ?? 0,
      lastNote: notes.join(' ') || null,
      ...changes,
    });
  try {
    const retried = await retryQuarantined(ctx, spec);
    if (retried.stored > 0) notes.push(`${retried.stored} record(s) from the quarantine stored at last.`);
    let rows = 0;
    const bulkSize = await bulkBackfillSize(ctx, spec);
    if (bulkSize !== null) {
      try {
        rows += await syncBulk(ctx, spec, bulkSize);
      } catch (err) {
        if (!(err instanceof BulkFallback)) throw err;
        notes.push(`${err.reason}; read through the REST API (queryAll) instead.`);
        logger.warn({ object: spec.name, reason: err.reason }, 'Bulk API backfill abandoned: reading through REST');
      }
    }
    rows += await syncIncremental(ctx, spec);
    ctx.rows[spec.name] = rows;
    const nul = ctx.stats[spec.name]?.nulStripped ?? 0;
    if (nul > 0) notes.push(`${nul} record(s) held NUL characters in their text, removed before storing.`);
    await finish({ lastOutcome: 'ok' });
  } catch (err) {
    const message = describeSalesforceError(err);
    await finish({ lastOutcome: outcomeOf(err), lastError: message });
    logger.warn({ object: spec.name, error: message, sqlstate: pgError(err)?.code }, 'object sync stopped');
    throw err;
  }
}

function outcomeOf(err: unknown): SyncOutcome {
  if (isAppError(err, 'salesforce_api_budget')) return 'paused_budget';
  if (isAppError(err, 'salesforce_reauthorization_required')) return 'needs_reauth';
  if (isAppError(err, 'salesforce_bulk_pending')) return 'bulk_pending';
  if (isAppError(err, 'salesforce_token_unavailable')) return 'salesforce_unavailable';
  return 'failed';
}

async function classify(
  deps: SyncDeps,
  connection: SalesforceConnection,
  err: unknown,
  logger: Logger,
  lostTheDatabase: boolean,
) {
  const outcome = outcomeOf(err);
  if (lostTheDatabase) {
    const error = 'The database connection was lost during the run (a restart?); the run stopped and is retried.';
    logger.warn({ err: { message: (err as Error).message }, sqlstate: pgError(err)?.code }, 'sync lost the database');
    return { outcome, error };
  }
  const error = describeSalesforceError(err);
  if (outcome === 'needs_reauth') await markNeedsReauth(deps.db, connection.id, error);
  if (outcome === 'failed') logger.error({ err, sqlstate: pgError(err)?.code }, 'sync failed');
  else logger.warn({ outcome, error }, 'sync stopped');
  return { outcome, error };
}

/** What a client of the org needs: its tokens (refreshed when needed) and the budget. */
export type ApiDeps = Pick<SyncDeps, 'db' | 'secrets' | 'app' | 'settings' | 'sleep'>;

export async function apiFor(deps: ApiDeps, connection: SalesforceConnection, logger: Logger): Promise<SalesforceApi> {
  const tokenDeps = {
    db: deps.db,
    secrets: deps.secrets,
    app: deps.app,
    logger,
    ...(deps.sleep ? { sleep: deps.sleep } : {}),
  };
  return new SalesforceApi({
    app: deps.app,
    token: await currentAccessToken(tokenDeps, connection.id),
    refresh: (stale) => refreshAccessToken(tokenDeps, connection.id, stale),
    budgetPercent: deps.settings.budgetPercent,
    logger,
    ...(deps.sleep ? { sleep: deps.sleep } : {}),
  });
}
