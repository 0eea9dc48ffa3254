// Recomputes the attribution of dirty opportunities and appends what changed to the ledger.
// One transaction per batch: the dirty marks, the entries, the influence starts and the daily
// totals commit together, so a crash half-way leaves no partial batch and loses no mark.
import { eq, sql } from 'drizzle-orm';
import { attribute, ENGINE_VERSION } from '../attribution/engine';
import { parseCents } from '../attribution/money';
import type { Measure, OpportunityAttribution } from '../attribution/result';
import type { Db, Tx } from '../platform/db/client';
import { opportunityInfluence, opportunityTouches, workspaces, type Workspace } from '../platform/db/schema';
import { textArray } from '../platform/db/sql';
import { loadHistory } from '../history/load';
import type { Logger } from '../platform/logger';
import { appendLedgerEntries, ROWS_PER_INSERT } from './append';
import type { LedgerKeys } from './keys';
import { tryLedgerLock, withLedgerLock } from './lock';
import { planLedgerEntries, type BookedSum } from './plan';
import { applyTeamContributionChange, teamContributions } from './team-totals';
import { withTransaction } from '../platform/tx';
import { chunksOf } from '../platform/batch';
import { unnestInsert } from '../platform/db/unnest-insert';

export interface RecomputeOutcome {
  opportunities: number;
  entries: number;
  batches: number;
  /** Another recompute of the workspace held the ledger: it drains the dirty set meanwhile. */
  busy: boolean;
  /** It stopped at its time slice with opportunities left: the caller runs it again later. */
  yielded: boolean;
}

/**
 * Drains the workspace's dirty set, batch by batch, until it is empty. With `wait: false`, it
 * stops at once when another recompute holds the workspace's ledger (jobs use that, rather than
 * queue up holding connections).
 */
export async function recomputeDirty(
  deps: { db: Db; logger: Logger; batchSize: number; ledgerKeys: LedgerKeys },
  workspaceId: string,
  options: { wait?: boolean; sliceMs?: number } = {},
): Promise<RecomputeOutcome> {
  const outcome: RecomputeOutcome = { opportunities: 0, entries: 0, batches: 0, busy: false, yielded: false };
  const until = options.sliceMs === undefined ? Infinity : Date.now() + options.sliceMs;
  for (;;) {
    const batch = await withTransaction(deps.db, (tx) =>
      recomputeNextBatch(tx, workspaceId, deps.batchSize, deps.ledgerKeys, options.wait ?? true),
    );
    if (batch.busy) {
      outcome.busy = true;
      break;
    }
    if (batch.opportunities === 0) break;
    outcome.opportunities += batch.opportunities;
    outcome.entries += batch.entries;
    outcome.batches += 1;
    deps.logger.info(
      {
        workspaceId,
        opportunities: outcome.opportunities,
        entries: outcome.entries,
        batches: outcome.batches,
        remaining: batch.remaining,
      },
      'attribution batch recomputed',
    );
    // Past its slice, a large drain (a first sync's) gives its place to other workspaces' recomputes.
    if (batch.remaining > 0 && Date.now() >= until) {
      outcome.yielded = true;
      break;
    }
  }
  // A drain this large was a bulk load of the ledger (a first sync): fresh statistics for its readers.
  if (outcome.opportunities >= ANALYZE_AFTER_OPPORTUNITIES) {
    for (const table of LEDGER_TABLES) await deps.db.execute(sql.raw(`analyze ${table}`));
  }
  return outcome;
}

const ANALYZE_AFTER_OPPORTUNITIES = 5_000;
/** The log's count of marks left stops here ("at least this many"). */
const REMAINING_COUNT_CAP = 100_000;
const LEDGER_TABLES = [
  'ledger_entries',
  'opportunity_days',
  'daily_totals',
  'opportunity_influence',
  'opportunity_touches',
];

/** The workspaces with opportunities waiting for a recompute (the sweep's safety net for lost jobs). */
export async function workspacesWithDirtyOpportunities(db: Db): Promise<string[]> {
  const rows = await db.execute<{ workspace_id: string }>(sql`select distinct workspace_id from attribution_dirty`);
  return rows.map((r) => r.workspace_id);
}

async function recomputeNextBatch(
  tx: Tx,
  workspaceId: string,
  batchSize: number,
  ledgerKeys: LedgerKeys,
  wait: boolean,
) {
  if (wait) await withLedgerLock(tx, workspaceId);
  else if (!(await tryLedgerLock(tx, workspaceId))) return { busy: true, opportunities: 0, entries: 0, remaining: 0 };
  // Claimed in opportunity order, the order writers insert marks in (mark-dirty.ts): the rows are
  // locked in that order before they are deleted, so a claim and a writer marking the same
  // opportunities wait for each other instead of deadlocking. Every mark is drained either way.
  const claimed = await tx.execute<{ opportunity_id: string }>(sql`
    with claim as (
      select opportunity_id from attribution_dirty where workspace_id = ${workspaceId}
      order by opportunity_id limit ${batchSize}
      for update)
    delete from attribution_dirty d using claim
    where d.workspace_id = ${workspaceId} and d.opportunity_id = claim.opportunity_id
    returning d.opportunity_id`);
  if (claimed.length === 0) return { busy: false, opportunities: 0, entries: 0, remaining: 0 };
  const ids = claimed.map((r) => r.opportunity_id);
  const [workspace] = await tx.select().from(workspaces).where(eq(workspaces.id, workspaceId));
  if (!workspace) throw new Error(`workspace ${workspaceId} not found while recomputing attribution`);

  const entries = await recomputeOpportunities(tx, workspace, ids, ledgerKeys);
  // For the log only, and capped: counting every mark left after each batch made a first sync's
  // drain quadratic in the workspace's opportunities.
  const [left] = await tx.execute<{ n: string }>(sql`
    select count(*)::text as n from (
      select 1 from attribution_dirty where workspace_id = ${workspaceId} limit ${REMAINING_COUNT_CAP}) marks`);
  return { busy: false, opportunities: ids.length, entries, remaining: Number(left?.n ?? 0) };
}

/** Brings the ledger of these opportunities in line with a fresh engine run. Needs the ledger lock. */
export async function recomputeOpportunities(
  tx: Tx,
  workspace: Workspace,
  ids: string[],
  ledgerKeys: LedgerKeys,
): Promise<number> {
  const history = await loadHistory(tx, workspace.id, ids);
  const settings = { timeZone: workspace.timeZone, attributionWindowDays: workspace.attributionWindowDays };
  const results = attribute(history, settings, { opportunityIds: ids });
  const drafts = planLedgerEntries(ids, results, await bookedSums(tx, workspace.id, ids), workspace.reportingCurrency);

  const teamsBefore = await teamContributions(tx, workspace.id, ids);
  const appended = await appendLedgerEntries(
    tx,
    { workspaceId: workspace.id, engineVersion: ENGINE_VERSION, keys: ledgerKeys },
    drafts,
  );
  await replaceInfluenceStarts(tx, workspace.id, ids, results);
  await applyTeamContributionChange(tx, workspace.id, teamsBefore, await teamContributions(tx, workspace.id, ids));
  return appended;
}

export async function bookedSums(tx: Tx, workspaceId: string, ids: string[]): Promise<BookedSum[]> {
  const rows = await tx.execute<{
    opportunity_id: string;
    measure: Measure;
    day: string;
    currency: string;
    sum: string;
    n: number;
  }>(sql`
    select opportunity_id, measure, effective_day::text as day, currency, sum(amount)::text as sum, count(*)::int as n
    from ledger_entries
    where workspace_id = ${workspaceId} and opportunity_id = any(${textArray(ids)})
    group by 1, 2, 3, 4`);
  return rows.map((r) => ({
    opportunityId: r.opportunity_id,
    measure: r.measure,
    day: r.day,
    currency: r.currency,
    sum: parseCents(r.sum),
    entries: r.n,
  }));
}

/** The per-team starts and the touches are projections of the engine's output: replaced, not appended. */
async function replaceInfluenceStarts(tx: Tx, workspaceId: string, ids: string[], results: OpportunityAttribution[]) {
  await tx
    .delete(opportunityInfluence)
    .where(
      sql`${opportunityInfluence.workspaceId} = ${workspaceId} and ${opportunityInfluence.opportunityId} = any(${textArray(ids)})`,
    );
  await tx
    .delete(opportunityTouches)
    .where(
      sql`${opportunityTouches.workspaceId} = ${workspaceId} and ${opportunityTouches.opportunityId} = any(${textArray(ids)})`,
    );
  const touches = results.flatMap((r) =>
    r.touches.map((t) => ({
      workspaceId,
      opportunityId: r.opportunityId,
      conversationId: t.conversationId,
      teamId: t.teamId,
      agentId: t.agentId,
      touchedAt: new Date(t.at),
      touchDay: t.day,
      contactId: t.contactId,
      contactRoleId: t.contactRoleId,
      versionIds: t.versionIds,
    })),
  );
  for (const chunk of chunksOf(touches, ROWS_PER_INSERT)) await unnestInsert(tx, opportunityTouches, chunk);
  const rows = results.flatMap((r) =>
    r.teamStarts.map((t) => ({
      workspaceId,
      opportunityId: r.opportunityId,
      teamId: t.teamId,
      startedAt: new Date(t.at),
      startDay: t.day,
      conversationId: t.conversationId,
      contactId: t.contactId,
      contactRoleId: t.contactRoleId,
      versionIds: t.versionIds,
    })),
  );
  for (const chunk of chunksOf(rows, ROWS_PER_INSERT)) await unnestInsert(tx, opportunityInfluence, chunk);
}
