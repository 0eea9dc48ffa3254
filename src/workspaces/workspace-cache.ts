// A workspace's row and its teams remembered for a few seconds per process, so a report does not
// read them on every request (bench:api: one or two statements of every report before; the leaderboard also read the team
// names).
//
// The bound on staleness: a change made through this process (settings, a team saved, removed or
// registered by ingestion) drops every remembered workspace at once; one made by another process
// (the CLI, a worker, another API replica) is seen within WORKSPACE_CACHE_MS. A team requested by
// id that is not remembered is always looked up in the database, so a team registered elsewhere
// is never refused for being new. Inside a transaction nothing is remembered or answered from
// memory: a transaction reads its own snapshot. ARCHITECTURE.md ("Caches") says the same.
import { asc, eq } from 'drizzle-orm';
import { PgTransaction } from 'drizzle-orm/pg-core';
import type { DbOrTx } from '../platform/db/client';
import { teams, workspaces, type Workspace } from '../platform/db/schema';
import { assertTeamsExist } from './teams';
import { workspaceChangesSoFar } from './workspace-changes';

/**
 * Longer than the API keys' 5 s: a settings change moves the numbers only once the recompute it
 * asks for has rebooked the ledger, which takes longer than this; a team renamed elsewhere shows
 * its old name in reports for at most this long.
 */
export const WORKSPACE_CACHE_MS = 30_000;
/** Past this many workspaces the cache starts over: a bound on memory. */
const MAX_WORKSPACES = 10_000;

export interface WorkspaceFacts {
  workspace: Workspace;
  /** Team id → name, every team of the workspace. */
  teams: ReadonlyMap<string, string>;
}

interface Entry {
  facts: WorkspaceFacts;
  until: number;
  changes: number;
}

const remembered = new WeakMap<object, Map<string, Entry>>();

export interface WorkspaceCacheOptions {
  ttlMs?: number;
  now?: () => number;
}

/** The workspace and its teams, from memory when read less than WORKSPACE_CACHE_MS ago. */
export async function workspaceFacts(
  db: DbOrTx,
  workspaceId: string,
  { ttlMs = WORKSPACE_CACHE_MS, now = Date.now }: WorkspaceCacheOptions = {},
): Promise<WorkspaceFacts> {
  if (db instanceof PgTransaction) return readFacts(db, workspaceId);
  let cache = remembered.get(db);
  if (!cache) remembered.set(db, (cache = new Map()));
  const hit = cache.get(workspaceId);
  if (hit && hit.until > now() && hit.changes === workspaceChangesSoFar()) return hit.facts;
  cache.delete(workspaceId);
  const before = workspaceChangesSoFar(); // a change during the read leaves it unremembered
  const facts = await readFacts(db, workspaceId);
  if (cache.size >= MAX_WORKSPACES) cache.clear();
  cache.set(workspaceId, { facts, until: now() + ttlMs, changes: before });
  return facts;
}

async function readFacts(db: DbOrTx, workspaceId: string): Promise<WorkspaceFacts> {
  const [workspace] = await db.select().from(workspaces).where(eq(workspaces.id, workspaceId));
  if (!workspace) throw new Error(`workspace ${workspaceId} not found`);
  const rows = await db
    .select({ id: teams.id, name: teams.name })
    .from(teams)
    .where(eq(teams.workspaceId, workspaceId))
    .orderBy(asc(teams.id));
  return { workspace, teams: new Map(rows.map((t) => [t.id, t.name])) };
}

/**
 * `assertTeamsExist` answered from the remembered teams when they hold every id; any id they do
 * not hold is looked up in the database (it may have been registered since).
 */
export async function assertKnownTeams(db: DbOrTx, facts: WorkspaceFacts, teamIds: readonly string[]): Promise<void> {
  if (teamIds.every((t) => facts.teams.has(t))) return;
  await assertTeamsExist(db, facts.workspace.id, teamIds);
}
