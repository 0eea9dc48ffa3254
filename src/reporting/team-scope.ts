// Which teams a report counts. A key restricted to teams sees only those.
import type { DbOrTx } from '../platform/db/client';
import { AppError } from '../platform/errors';
import { assertTeamsExist } from '../workspaces/teams';
import { assertKnownTeams, type WorkspaceFacts } from '../workspaces/workspace-cache';

/** "sales, support" -> ["sales", "support"]; blank items dropped, order kept, repeats removed. */
export function parseTeamList(value: string | undefined): string[] | undefined {
  if (value === undefined) return undefined;
  const teams = [
    ...new Set(
      value
        .split(',')
        .map((t) => t.trim())
        .filter(Boolean),
    ),
  ];
  return teams.length > 0 ? teams : undefined;
}

/**
 * The team set to count: the requested teams, each of which the caller must be allowed to see and
 * the workspace must have; without a request, every team the caller may see (null: all teams).
 * Given the workspace's cached facts, teams they hold are not looked up again.
 */
export async function resolveTeamFilter(
  db: DbOrTx,
  workspace: string | WorkspaceFacts,
  allowed: readonly string[] | null,
  requested: readonly string[] | undefined,
): Promise<string[] | null> {
  if (!requested) return allowed ? [...allowed] : null;
  if (allowed) {
    const forbidden = requested.filter((t) => !allowed.includes(t));
    if (forbidden.length > 0) {
      throw new AppError(
        'forbidden',
        `this key may not see team ${forbidden.map((t) => `"${t}"`).join(', ')}; it sees ${allowed.map((t) => `"${t}"`).join(', ')}`,
      );
    }
  }
  if (typeof workspace === 'string') await assertTeamsExist(db, workspace, requested);
  else await assertKnownTeams(db, workspace, requested);
  return [...requested];
}
