// A workspace's teams, by the ids the chat product sends. Ingestion registers every team it sees
// (named after its id until someone names it), so the list of teams is always complete.
import { and, asc, eq, sql } from 'drizzle-orm';
import { z } from 'zod';
import type { DbOrTx, Tx } from '../platform/db/client';
import { conversations, teams } from '../platform/db/schema';
import { textArray } from '../platform/db/sql';
import { AppError, parseInput } from '../platform/errors';
import { noteWorkspaceChanged } from './workspace-changes';

export const teamInput = z
  .object({
    id: z.string().trim().min(1, 'give the id the chat product sends as teamId').max(255),
    name: z.string().trim().min(1, 'give the team a name people recognise').max(200),
  })
  .meta({ id: 'TeamInput' });
export type TeamInput = z.infer<typeof teamInput>;

export const teamView = z
  .object({
    id: z.string(),
    name: z.string(),
    createdAt: z.iso.datetime(),
    removable: z.boolean().meta({
      description: 'False once the team has conversations: it stays in the reports (rename it instead).',
    }),
  })
  .meta({ id: 'Team' });
export type TeamView = z.infer<typeof teamView>;

/** Whether the team has no conversation, so DELETE would remove it. */
// Spelled out: inside RETURNING drizzle would not qualify the outer columns, and an unqualified
// workspace_id here would bind to the conversation's own.
const removable = sql<boolean>`not exists (select 1 from conversations c
  where c.workspace_id = teams.workspace_id and c.team_id = teams.id)`;

const view = (t: typeof teams.$inferSelect, isRemovable: boolean): TeamView => ({
  id: t.id,
  name: t.name,
  createdAt: t.createdAt.toISOString(),
  removable: isRemovable,
});

export async function registerTeams(tx: Tx, workspaceId: string, teamIds: string[]): Promise<void> {
  const ids = [...new Set(teamIds)].sort(); // one lock order for concurrent batches
  if (ids.length === 0) return;
  const added = await tx.execute(sql`
    insert into teams (workspace_id, id, name)
    select ${workspaceId}::uuid, t, t from unnest(${textArray(ids)}) as t
    on conflict do nothing
    returning id`);
  // Only when a team is new (not on every batch), and before the commit: a team the workspace
  // cache does not hold is looked up anyway (assertKnownTeams), so this only keeps its lists current.
  if (added.length > 0) noteWorkspaceChanged();
}

/** The teams a caller may see: all of them, or those of its restriction. */
export async function listTeams(
  db: DbOrTx,
  workspaceId: string,
  visible: readonly string[] | null,
): Promise<TeamView[]> {
  const rows = await db
    .select({ team: teams, removable })
    .from(teams)
    .where(
      visible
        ? sql`${teams.workspaceId} = ${workspaceId} and ${teams.id} = any(${textArray(visible)})`
        : eq(teams.workspaceId, workspaceId),
    )
    .orderBy(asc(teams.id));
  return rows.map((r) => view(r.team, r.removable));
}

/** Adds a team, or renames it. */
export async function saveTeam(
  db: DbOrTx,
  workspaceId: string,
  input: TeamInput,
): Promise<{ team: TeamView; created: boolean }> {
  const { id, name } = parseInput(teamInput, input);
  const [row] = await db
    .insert(teams)
    .values({ workspaceId, id, name })
    .onConflictDoUpdate({ target: [teams.workspaceId, teams.id], set: { name } })
    .returning({
      id: teams.id,
      name: teams.name,
      createdAt: teams.createdAt,
      created: sql<boolean>`xmax = 0`,
      removable,
    });
  noteWorkspaceChanged();
  const { created, removable: isRemovable, ...team } = row!;
  return { team: view({ ...team, workspaceId }, isRemovable), created };
}

/** Removes a team nobody chatted for; a team with conversations stays, as the numbers count them. */
export async function deleteTeam(db: DbOrTx, workspaceId: string, teamId: string): Promise<void> {
  const where = and(eq(teams.workspaceId, workspaceId), eq(teams.id, teamId));
  const [team] = await db.select({ id: teams.id }).from(teams).where(where);
  if (!team) throw new AppError('not_found', `no team "${teamId}" in this workspace`);
  const [used] = await db
    .select({ n: sql<number>`count(*)::int` })
    .from(conversations)
    .where(and(eq(conversations.workspaceId, workspaceId), eq(conversations.teamId, teamId)));
  if (used && used.n > 0) {
    throw new AppError(
      'conflict',
      `team "${teamId}" has ${used.n} conversation${used.n === 1 ? '' : 's'} and stays in the reports; rename it instead`,
    );
  }
  await db.delete(teams).where(where);
  noteWorkspaceChanged();
}

/** Fails with not_found naming every id this workspace has no team for. */
export async function assertTeamsExist(db: DbOrTx, workspaceId: string, teamIds: readonly string[]): Promise<void> {
  if (teamIds.length === 0) return;
  const found = await db
    .select({ id: teams.id })
    .from(teams)
    .where(sql`${teams.workspaceId} = ${workspaceId} and ${teams.id} = any(${textArray(teamIds)})`);
  const known = new Set(found.map((t) => t.id));
  const unknown = teamIds.filter((t) => !known.has(t));
  if (unknown.length > 0) {
    throw new AppError(
      'not_found',
      `no team ${unknown.map((t) => `"${t}"`).join(', ')} in this workspace (GET /api/v1/teams lists them)`,
    );
  }
}
