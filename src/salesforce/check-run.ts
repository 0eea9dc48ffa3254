// The connection check of a workspace's org, as the CLI (salesforce:check) and the API
// (POST /api/v1/salesforce/check) run it: with the connection's tokens, refreshed when needed.
import { AppError } from '../platform/errors';
import { getConnection, recordApiUsage } from './connection-store';
import { checkConnection, type CheckReport } from './connection-check';
import { apiFor, type SyncDeps } from './sync-run';

export type CheckDeps = Pick<SyncDeps, 'db' | 'secrets' | 'app' | 'logger' | 'settings' | 'sleep' | 'onProgress'>;

export async function runConnectionCheck(deps: CheckDeps, connectionId: string): Promise<CheckReport> {
  const connection = await getConnection(deps.db, connectionId);
  if (!connection || connection.status !== 'connected') {
    throw new AppError(
      'conflict',
      `the connection is ${connection ? connection.status.replace('_', ' ') : 'missing'}: connect the org first, then check it`,
    );
  }
  const logger = deps.logger.child({ connectionId, workspaceId: connection.workspaceId });
  const api = await apiFor(deps, connection, logger);
  try {
    const report = await checkConnection({
      api,
      settings: deps.settings,
      multiCurrency: connection.multiCurrency,
      ...(deps.onProgress ? { onProgress: deps.onProgress } : {}),
    });
    logger.info(
      { ok: report.ok, failed: report.items.filter((i) => i.status === 'failed').map((i) => i.id) },
      'connection checked',
    );
    return report;
  } finally {
    if (api.apiUsage) await recordApiUsage(deps.db, connectionId, api.apiUsage.used, api.apiUsage.max);
  }
}
