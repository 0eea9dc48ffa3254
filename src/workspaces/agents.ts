// Agents' names, by the ids the chat product sends. An admin names an agent (PUT
// /api/v1/agents/{id}); the chat product may send `agentName` with each conversation, which names
// agents an admin has not named. Reports show the name, else the id.
import { sql } from 'drizzle-orm';
import { z } from 'zod';
import type { DbOrTx, Tx } from '../platform/db/client';
import { agents } from '../platform/db/schema';
import { textArray } from '../platform/db/sql';

export const agentNameInput = z
  .object({
    name: z
      .string()
      .trim()
      .min(1, 'give the agent a name people recognise')
      .max(200)
      .refine((s) => !s.includes('\u0000'), 'must not contain the NUL character (\\u0000)'),
  })
  .strict()
  .meta({ id: 'AgentNameInput' });
export type AgentNameInput = z.infer<typeof agentNameInput>;

export const agentIdParam = z.object({
  id: z.string().trim().min(1).max(255).meta({ description: 'The agent id the chat product sends as agentId.' }),
});

export const agentView = z
  .object({
    id: z.string(),
    name: z.string().nullable().meta({ description: 'Null until an admin or the chat product names the agent.' }),
    nameSource: z
      .enum(['admin', 'chat'])
      .nullable()
      .meta({ description: 'admin: set with PUT /api/v1/agents/{id}, kept; chat: the latest agentName sent.' }),
    conversations: z.number().int().meta({ description: 'Conversations of the agent in the teams the key may see.' }),
  })
  .meta({ id: 'Agent' });
export type AgentView = z.infer<typeof agentView>;

/** Names an agent; an admin's name is never replaced by one the chat product sends. */
export async function nameAgent(
  db: DbOrTx,
  workspaceId: string,
  agentId: string,
  input: AgentNameInput,
): Promise<{ agent: AgentView; created: boolean }> {
  const [row] = await db
    .insert(agents)
    .values({ workspaceId, id: agentId, name: input.name, nameSource: 'admin' })
    .onConflictDoUpdate({
      target: [agents.workspaceId, agents.id],
      set: { name: input.name, nameSource: 'admin', updatedAt: sql`now()` },
    })
    .returning({ created: sql<boolean>`xmax = 0` });
  const [agent] = await listAgents(db, workspaceId, null, [agentId]);
  return {
    agent: agent ?? { id: agentId, name: input.name, nameSource: 'admin', conversations: 0 },
    created: row!.created,
  };
}

/**
 * Names sent with conversations (`agentName`), latest first per agent: they name agents an admin
 * has not named, and follow the chat product's renames.
 */
export async function recordAgentNamesFromChat(
  tx: Tx,
  workspaceId: string,
  named: { agentId: string; name: string }[],
): Promise<void> {
  const latest = new Map<string, string>();
  for (const n of named) latest.set(n.agentId, n.name);
  if (latest.size === 0) return;
  const ids = [...latest.keys()].sort(); // one lock order for concurrent batches
  await tx.execute(sql`
    insert into agents (workspace_id, id, name, name_source)
    select ${workspaceId}::uuid, i, n, 'chat' from unnest(${textArray(ids)}, ${textArray(ids.map((i) => latest.get(i)!))}) as u(i, n)
    on conflict (workspace_id, id) do update set name = excluded.name, updated_at = now()
      where agents.name_source = 'chat' and agents.name <> excluded.name`);
}

/**
 * The agents a caller may see: those with conversations in its teams (every named agent too, for
 * an unrestricted caller), with their names. `only` limits the list to these ids.
 */
export async function listAgents(
  db: DbOrTx,
  workspaceId: string,
  teams: readonly string[] | null,
  only: readonly string[] | null = null,
): Promise<AgentView[]> {
  const teamFilter = teams ? sql`and c.team_id = any(${textArray(teams)})` : sql``;
  const onlyFilter = (column: string) => (only ? sql`and ${sql.raw(column)} = any(${textArray(only)})` : sql``);
  const rows = await db.execute<{
    id: string;
    name: string | null;
    name_source: 'admin' | 'chat' | null;
    n: number;
  }>(sql`
    with seen as (
      select c.agent_id as id, count(*)::int as n from conversations c
      where c.workspace_id = ${workspaceId} and c.agent_id is not null ${teamFilter} ${onlyFilter('c.agent_id')}
      group by 1
    )
    select coalesce(s.id, a.id) as id, a.name, a.name_source, coalesce(s.n, 0) as n
    from seen s full join (
      select id, name, name_source from agents where workspace_id = ${workspaceId} ${onlyFilter('id')}
    ) a on a.id = s.id
    where s.id is not null or ${teams === null}
    order by 1`);
  return rows.map((r) => ({ id: r.id, name: r.name, nameSource: r.name_source, conversations: r.n }));
}

/** id -> name for the agents named so far. */
export async function agentNames(db: DbOrTx, workspaceId: string): Promise<Map<string, string>> {
  const rows = await db
    .select({ id: agents.id, name: agents.name })
    .from(agents)
    .where(sql`${agents.workspaceId} = ${workspaceId}`);
  return new Map(rows.map((r) => [r.id, r.name]));
}
