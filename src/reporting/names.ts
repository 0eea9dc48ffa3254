// Names for the ids reports show: teams, agents, opportunities, accounts, contacts, Salesforce users
// and conversations, each read once per report, and only through here. An unnamed id is shown as
// itself by the caller.
import { sql } from 'drizzle-orm';
import type { DbOrTx } from '../platform/db/client';
import { textArray } from '../platform/db/sql';
import { latestNames } from '../history/names';
import { agentNames } from '../workspaces/agents';

export async function teamNames(db: DbOrTx, workspaceId: string): Promise<Map<string, string>> {
  const rows = await db.execute<{ id: string; name: string }>(
    sql`select id, name from teams where workspace_id = ${workspaceId}`,
  );
  return new Map(rows.map((t) => [t.id, t.name]));
}

export { agentNames };

export const accountNames = (db: DbOrTx, workspaceId: string, ids: readonly string[]) =>
  latestNames(db, 'account', workspaceId, ids);
export const userNames = (db: DbOrTx, workspaceId: string, ids: readonly string[]) =>
  latestNames(db, 'user', workspaceId, ids);
export const opportunityNames = (db: DbOrTx, workspaceId: string, ids: readonly string[]) =>
  latestNames(db, 'opportunity', workspaceId, ids);
export const contactNames = (db: DbOrTx, workspaceId: string, ids: readonly string[]) =>
  latestNames(db, 'contact', workspaceId, ids);

/**
 * A conversation as people recognise it: the visitor (the name they gave, else their email, else
 * "anonymous visitor") and the day it started in the workspace's zone.
 */
export async function conversationLabels(
  db: DbOrTx,
  workspaceId: string,
  timeZone: string,
  ids: readonly string[],
): Promise<Map<string, string>> {
  const wanted = [...new Set(ids)];
  if (wanted.length === 0) return new Map();
  const rows = await db.execute<{ id: string; label: string }>(sql`
    select id, coalesce(captured_name, captured_email, emails[1], 'anonymous visitor')
             || ' · ' || (started_at at time zone ${timeZone})::date::text as label
    from conversations where workspace_id = ${workspaceId} and id = any(${textArray(wanted)})`);
  return new Map(rows.map((r) => [r.id, r.label]));
}

/** The link to a record in the connected org (Lightning), or null without a connection. */
export async function salesforceRecordLink(
  db: DbOrTx,
  workspaceId: string,
): Promise<(object: string, id: string) => string | null> {
  const [c] = await db.execute<{ instance_url: string }>(
    sql`select instance_url from salesforce_connections where workspace_id = ${workspaceId}`,
  );
  const base = c?.instance_url?.replace(/\/+$/, '');
  return (object, id) => (base ? `${base}/lightning/r/${object}/${encodeURIComponent(id)}/view` : null);
}
