// The connection as a RevOps admin sees it: org, status, per object the last run and its
// checkpoint and progress, the API usage last seen, and the last error in words.
import { desc, eq } from 'drizzle-orm';
import { z } from 'zod';
import type { DbOrTx } from '../platform/db/client';
import { salesforceSyncObjects, salesforceSyncRuns } from '../platform/db/schema';
import { connectionOfWorkspace } from './connection-store';
import { OBJECTS } from './objects';
import { quarantineSummary } from './quarantine';
import { FIELD_HISTORY } from './sync-field-history';

const iso = (d: Date | null | undefined) => (d ? d.toISOString() : null);
const instant = z.string().nullable();

const objectStatus = z.object({
  object: z.string().meta({ description: 'Salesforce object, e.g. Opportunity' }),
  checkpoint: instant.meta({
    description: 'SystemModstamp (CreatedDate for OpportunityHistory) of the last row written',
  }),
  lastRun: z.object({
    startedAt: instant,
    finishedAt: instant,
    outcome: z.string().nullable().meta({
      description:
        'ok, running, paused_budget, needs_reauth, bulk_pending, salesforce_unavailable, unavailable (field history tracking off), interrupted (the worker stopped; closed by the next run) or failed (runs: also partial)',
    }),
    rows: z.number().int().nullable(),
    error: z.string().nullable(),
    note: z.string().nullable().meta({
      description: 'What the admin should know that is not an error, e.g. a Bulk API job that failed and why',
    }),
    nulStripped: z
      .number()
      .int()
      .meta({ description: 'Records whose text held NUL characters, removed before storing' }),
  }),
  progress: z.object({ rows: z.number().int(), estimatedTotal: z.number().int().nullable() }),
  bulkJobInProgress: z.boolean(),
});

const quarantineView = z
  .object({
    total: z.number().int(),
    records: z.array(
      z.object({
        object: z.string(),
        recordId: z.string(),
        reason: z.string(),
        errorCode: z.string().nullable().meta({ description: 'The SQLSTATE of a database refusal, or invalid_value' }),
        firstSeenAt: instant,
        lastAttemptAt: instant,
        attempts: z.number().int(),
      }),
    ),
  })
  .meta({ description: 'Records that could not be stored (the first 50), kept aside and retried by every run' });

export const connectionStatusView = z
  .union([
    z.object({ connected: z.literal(false), status: z.literal('not_connected') }),
    z.object({
      connected: z.boolean(),
      status: z.enum(['connected', 'needs_reauth', 'disconnected']),
      org: z.object({
        id: z.string(),
        instanceUrl: z.string(),
        loginUrl: z.string(),
        userId: z.string(),
        username: z.string().nullable(),
        userDisplayName: z.string().nullable().meta({ description: "The connected user's name (identity URL)" }),
      }),
      connectedAt: instant,
      syncIntervalMinutes: z.number().int(),
      multiCurrency: z.boolean(),
      apiUsage: z
        .object({ used: z.number().int(), max: z.number().int(), percent: z.number(), seenAt: instant })
        .nullable()
        .meta({ description: "The org's daily API requests, from the last Sforce-Limit-Info seen" }),
      lastError: z
        .object({ message: z.string(), at: instant })
        .nullable()
        .meta({ description: 'What went wrong, in words an admin can act on' }),
      running: z.boolean(),
      objects: z.array(objectStatus),
      quarantine: quarantineView,
      runs: z.array(
        z.object({
          id: z.string(),
          trigger: z.string(),
          startedAt: instant,
          finishedAt: instant,
          outcome: z.string().nullable(),
          rows: z.record(z.string(), z.number()),
          error: z.string().nullable(),
        }),
      ),
    }),
  ])
  .meta({ id: 'SalesforceConnection' });

export type ConnectionStatus = z.infer<typeof connectionStatusView>;

export async function connectionStatus(db: DbOrTx, workspaceId: string): Promise<ConnectionStatus> {
  const c = await connectionOfWorkspace(db, workspaceId);
  if (!c) return { connected: false as const, status: 'not_connected' as const };
  const objects = await db.select().from(salesforceSyncObjects).where(eq(salesforceSyncObjects.connectionId, c.id));
  const runs = await db
    .select()
    .from(salesforceSyncRuns)
    .where(eq(salesforceSyncRuns.connectionId, c.id))
    .orderBy(desc(salesforceSyncRuns.startedAt))
    .limit(10);
  const order = ['OpportunityStage', ...OBJECTS.map((o) => o.name), ...FIELD_HISTORY.map((h) => h.name)];
  const quarantine = await quarantineSummary(db, c.id);
  return {
    connected: c.status === 'connected',
    status: c.status,
    org: {
      id: c.orgId,
      instanceUrl: c.instanceUrl,
      loginUrl: c.loginUrl,
      userId: c.userId,
      username: c.username,
      userDisplayName: c.userDisplayName,
    },
    connectedAt: iso(c.connectedAt),
    syncIntervalMinutes: c.syncIntervalMinutes,
    multiCurrency: c.multiCurrency,
    apiUsage:
      c.apiUsageUsed !== null && c.apiUsageMax
        ? {
            used: c.apiUsageUsed,
            max: c.apiUsageMax,
            percent: Math.round((c.apiUsageUsed / c.apiUsageMax) * 1000) / 10,
            seenAt: iso(c.apiUsageSeenAt),
          }
        : null,
    lastError: c.lastError ? { message: c.lastError, at: iso(c.lastErrorAt) } : null,
    running: runs[0] ? runs[0].finishedAt === null : false,
    objects: objects
      .sort((a, b) => order.indexOf(a.object) - order.indexOf(b.object))
      .map((o) => ({
        object: o.object,
        checkpoint: iso(o.checkpoint),
        lastRun: {
          startedAt: iso(o.lastRunStartedAt),
          finishedAt: iso(o.lastRunFinishedAt),
          outcome: o.lastOutcome,
          rows: o.lastRows,
          error: o.lastError,
          note: o.lastNote,
          nulStripped: o.lastNulStripped,
        },
        progress: { rows: o.progressRows, estimatedTotal: o.progressTotal },
        bulkJobInProgress: o.bulkJobId !== null,
      })),
    quarantine: {
      total: quarantine.total,
      records: quarantine.records.map((q) => ({
        object: q.object,
        recordId: q.recordId,
        reason: q.reason,
        errorCode: q.errorCode,
        firstSeenAt: iso(q.firstSeenAt),
        lastAttemptAt: iso(q.lastAttemptAt),
        attempts: q.attempts,
      })),
    },
    runs: runs.map((r) => ({
      id: r.id,
      trigger: r.trigger,
      startedAt: iso(r.startedAt),
      finishedAt: iso(r.finishedAt),
      outcome: r.outcome,
      rows: r.rows,
      error: r.error,
    })),
  };
}
