// The figures of a view's weekly digest, each from the reporting function that defines it: the
// dashboard's totals for last week and the week before, the influenced opportunities list and the
// leaderboard, for the view's teams and credit model. Nothing here restates a definition.
import type { CreditModel } from '../attribution/credit';
import type { DbOrTx } from '../platform/db/client';
import type { SavedView } from '../platform/db/schema';
import { buildDashboard, type DashboardView } from '../reporting/dashboard';
import { listInfluencedOpportunities, type InfluencedOpportunity } from '../reporting/influenced-opportunities';
import { buildLeaderboard, type LeaderboardView } from '../reporting/leaderboard';
import { teamNames } from '../reporting/names';
import { getWorkspace } from '../workspaces/workspaces';
import { digestWeeks, type Week } from './digest-week';

/** How many opportunities and agents the digest lists. */
export const DIGEST_TOP = 5;

export interface DigestData {
  workspace: { name: string; timeZone: string; currency: string };
  view: { id: string; name: string; teams: { id: string; name: string }[] | null; model: CreditModel };
  week: Week;
  previous: Week;
  totals: { week: DashboardView['totals']; previous: DashboardView['totals'] };
  topOpportunities: InfluencedOpportunity[];
  topAgents: LeaderboardView['byAgent'];
}

export async function buildDigest(db: DbOrTx, view: SavedView, now: Date): Promise<DigestData> {
  const workspace = await getWorkspace(db, view.workspaceId);
  const { week, previous } = digestWeeks(workspace.timeZone, now);
  // The view's team set is the filter; the digest is a workspace-wide reader's (a user or the scheduler).
  const access = { workspaceId: workspace.id, teams: null };
  const teams = view.teams?.join(',');
  const model = view.creditModel as CreditModel;
  const totals = async (w: Week) =>
    (await buildDashboard(db, access, { from: w.from, to: w.to, teams, granularity: 'week' }, now)).totals;
  const opportunities = await listInfluencedOpportunities(
    db,
    access,
    { from: week.from, to: week.to, teams, model, sort: 'pipelineInfluenced', order: 'desc', limit: DIGEST_TOP },
    now,
  );
  const leaderboard = await buildLeaderboard(
    db,
    access,
    { from: week.from, to: week.to, teams, model, rankBy: 'influence' },
    now,
  );
  const names = view.teams ? await teamNames(db, workspace.id) : null;
  return {
    workspace: { name: workspace.name, timeZone: workspace.timeZone, currency: workspace.reportingCurrency },
    view: {
      id: view.id,
      name: view.name,
      teams: view.teams?.map((id) => ({ id, name: names?.get(id) ?? id })) ?? null,
      model,
    },
    week,
    previous,
    totals: { week: await totals(week), previous: await totals(previous) },
    topOpportunities: opportunities.items,
    topAgents: leaderboard.byAgent.slice(0, DIGEST_TOP),
  };
}
