// Loads a scenario file into a workspace's history tables, as the Salesforce sync and chat
// ingestion will: versions and conversations written, affected opportunities marked dirty, and
// the teams of its chats registered as ingestion registers them.
import type { Db } from '../platform/db/client';
import type { Workspace } from '../platform/db/schema';
import { recordHistory } from '../history/record-history';
import { withTransaction } from '../platform/tx';
import { registerTeams } from '../workspaces/teams';
import { createWorkspace, findWorkspaceBySlug, updateWorkspaceSettings } from '../workspaces/workspaces';
import type { ScenarioFile } from './schema';
import { scenarioHistory } from './to-history';

export async function loadScenario(db: Db, slug: string, scenario: ScenarioFile): Promise<Workspace> {
  const settings = {
    timeZone: scenario.workspace.timezone,
    attributionWindowDays: scenario.workspace.attributionWindowDays,
  };
  return withTransaction(db, async (tx) => {
    const existing = await findWorkspaceBySlug(tx, slug);
    const workspace = existing
      ? await updateWorkspaceSettings(tx, existing, settings)
      : await createWorkspace(tx, { slug, name: scenario.name ?? slug, ...settings });
    const history = scenarioHistory(scenario);
    await registerTeams(
      tx,
      workspace.id,
      history.chats.map((c) => c.teamId),
    );
    await recordHistory(tx, workspace.id, history, 'scenario');
    return workspace;
  });
}
