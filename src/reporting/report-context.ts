// What every report starts from: the workspace, the days asked for (in its zone, defaults filled
// in) and the team set the caller may see and asked for. The workspace and its teams come from
// the per-process workspace cache (workspaces/workspace-cache.ts: at most 30 s old when changed
// by another process, current at once when changed through this one).
import type { DbOrTx } from '../platform/db/client';
import type { Workspace } from '../platform/db/schema';
import { workspaceFacts } from '../workspaces/workspace-cache';
import type { MetricsScope } from './chat-metrics';
import { resolveDayRange, type DayRange, type PeriodQuery } from './reporting-period';
import { parseTeamList, resolveTeamFilter } from './team-scope';

export interface ReportAccess {
  workspaceId: string;
  /** Teams the caller may see; null: all. */
  teams: readonly string[] | null;
}

export interface ReportContext {
  workspace: Workspace;
  /** Team id → name, every team of the workspace (not only those counted). */
  teamNames: ReadonlyMap<string, string>;
  range: DayRange;
  /** The team set counted; null: all teams. */
  teams: string[] | null;
  scope: MetricsScope;
}

export async function reportContext(
  db: DbOrTx,
  access: ReportAccess,
  q: PeriodQuery & { teams?: string | undefined },
  now: Date,
): Promise<ReportContext> {
  const facts = await workspaceFacts(db, access.workspaceId);
  const { workspace } = facts;
  const range = resolveDayRange(q, workspace.timeZone, now);
  const teams = await resolveTeamFilter(db, facts, access.teams, parseTeamList(q.teams));
  return {
    workspace,
    teamNames: facts.teams,
    range,
    teams,
    scope: { workspaceId: workspace.id, timeZone: workspace.timeZone, teams },
  };
}
