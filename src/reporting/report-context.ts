// What every report starts from: the workspace, the days asked for (in its zone, defaults filled
// in) and the team set the caller may see and asked for.
import type { DbOrTx } from '../platform/db/client';
import type { Workspace } from '../platform/db/schema';
import { getWorkspace } from '../workspaces/workspaces';
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
  const workspace = await getWorkspace(db, access.workspaceId);
  const range = resolveDayRange(q, workspace.timeZone, now);
  const teams = await resolveTeamFilter(db, workspace.id, access.teams, parseTeamList(q.teams));
  return { workspace, range, teams, scope: { workspaceId: workspace.id, timeZone: workspace.timeZone, teams } };
}
