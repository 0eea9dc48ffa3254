// Writes history versions and conversations. Every writer is idempotent (natural keys,
// ON CONFLICT) and marks the opportunities it affects dirty in the caller's transaction.
import { getTableColumns, sql } from 'drizzle-orm';
import type { Tx } from '../platform/db/client';
import {
  accountVersions,
  contactRoleVersions,
  contactVersions,
  conversations,
  leadVersions,
  opportunityVersions,
  userVersions,
} from '../platform/db/schema';
import { chunksOf, rowsPerStatement } from '../platform/batch';
import { textArray } from '../platform/db/sql';
import { unnestInsert } from '../platform/db/unnest-insert';
import { normalizeEmail } from '../attribution/history';
import { lockHistoryWrites } from './write-lock';
import { refreshContactLinks, refreshConversationLinks } from './contact-links';
import {
  markContactsDirty,
  markEmailsDirty,
  markLeadsDirty,
  markOpportunitiesDirty,
  markRolesDirty,
} from './mark-dirty';

type Generated = 'workspaceId' | 'seq' | 'recordedAt';
export type NewOpportunityVersion = Omit<typeof opportunityVersions.$inferInsert, Generated>;
export type NewContactRoleVersion = Omit<typeof contactRoleVersions.$inferInsert, Generated>;
export type NewContactVersion = Omit<typeof contactVersions.$inferInsert, Generated | 'emailNormalized'>;
export type NewLeadVersion = Omit<typeof leadVersions.$inferInsert, Generated | 'emailNormalized'>;
export type NewAccountVersion = Omit<typeof accountVersions.$inferInsert, Generated>;
export type NewUserVersion = Omit<typeof userVersions.$inferInsert, Generated>;
export type NewConversation = Omit<typeof conversations.$inferInsert, 'workspaceId' | 'receivedAt' | 'updatedAt'>;

/** What a version insert returns: the record id of each row it added. */
type Returned = { id: string };
const DO_NOTHING = sql`on conflict do nothing`;

/** Rows per INSERT: under PostgreSQL's bind-parameter limit for our widest table (conversations). */
const ROWS_PER_INSERT = rowsPerStatement(Object.keys(getTableColumns(conversations)).length);

/**
 * Inserts versions (one already known by its id is skipped) and marks dirty what the new ones
 * affect. Returns how many were new.
 */
async function insertVersions<R>(
  tx: Tx,
  workspaceId: string,
  rows: R[],
  insertChunk: (chunk: R[]) => Promise<{ id: string }[]>,
  markDirty: (tx: Tx, workspaceId: string, ids: string[]) => Promise<void>,
): Promise<number> {
  if (rows.length === 0) return 0;
  await lockHistoryWrites(tx, workspaceId, 'exclusive');
  let added = 0;
  for (const chunk of chunksOf(rows, ROWS_PER_INSERT)) {
    const inserted = await insertChunk(chunk);
    added += inserted.length;
    await markDirty(tx, workspaceId, [...new Set(inserted.map((r) => r.id))]);
  }
  return added;
}

export function recordOpportunityVersions(tx: Tx, workspaceId: string, rows: NewOpportunityVersion[]): Promise<number> {
  return insertVersions(
    tx,
    workspaceId,
    rows,
    (chunk) =>
      unnestInsert<typeof opportunityVersions, Returned>(
        tx,
        opportunityVersions,
        chunk.map((r) => ({ ...r, workspaceId })),
        {
          // A version read before OwnerId was synced gets it when it is read again: a field never
          // asked for is filled in, nothing recorded is changed.
          onConflict: sql`on conflict (workspace_id, version_id) do update set owner_id = excluded.owner_id
            where opportunity_versions.owner_id is null and excluded.owner_id is not null`,
          returning: sql`opportunity_id as id`,
        },
      ),
    markOpportunitiesDirty,
  );
}

export function recordContactRoleVersions(tx: Tx, workspaceId: string, rows: NewContactRoleVersion[]): Promise<number> {
  return insertVersions(
    tx,
    workspaceId,
    rows,
    (chunk) =>
      unnestInsert<typeof contactRoleVersions, Returned>(
        tx,
        contactRoleVersions,
        chunk.map((r) => ({ ...r, workspaceId })),
        { onConflict: DO_NOTHING, returning: sql`contact_role_id as id` },
      ),
    markRolesDirty,
  );
}

export function recordContactVersions(tx: Tx, workspaceId: string, rows: NewContactVersion[]): Promise<number> {
  return insertVersions(
    tx,
    workspaceId,
    rows,
    (chunk) =>
      unnestInsert<typeof contactVersions, Returned>(
        tx,
        contactVersions,
        chunk.map((r) => ({ ...r, workspaceId, emailNormalized: normalizeEmail(r.email) })),
        { onConflict: DO_NOTHING, returning: sql`contact_id as id` },
      ),
    async (t, ws, contactIds) => {
      await markContactsDirty(t, ws, contactIds);
      await refreshContactLinks(t, ws, { contactIds });
    },
  );
}

export function recordLeadVersions(tx: Tx, workspaceId: string, rows: NewLeadVersion[]): Promise<number> {
  return insertVersions(
    tx,
    workspaceId,
    rows,
    (chunk) =>
      unnestInsert<typeof leadVersions, Returned>(
        tx,
        leadVersions,
        chunk.map((r) => ({ ...r, workspaceId, emailNormalized: normalizeEmail(r.email) })),
        {
          // Status and CreatedDate, synced since the funnel, fill in a version read before them.
          onConflict: sql`on conflict (workspace_id, version_id) do update set
              status = coalesce(lead_versions.status, excluded.status),
              created_date = coalesce(lead_versions.created_date, excluded.created_date)
            where (lead_versions.status is null and excluded.status is not null)
              or (lead_versions.created_date is null and excluded.created_date is not null)`,
          returning: sql`lead_id as id`,
        },
      ),
    async (t, ws, leadIds) => {
      await markLeadsDirty(t, ws, leadIds);
      await refreshContactLinks(t, ws, { leadIds });
    },
  );
}

/** Names only: no opportunity's attribution depends on them, so nothing is marked dirty. */
const nothingDirty = async () => {};

export function recordAccountVersions(tx: Tx, workspaceId: string, rows: NewAccountVersion[]): Promise<number> {
  return insertVersions(
    tx,
    workspaceId,
    rows,
    (chunk) =>
      unnestInsert<typeof accountVersions, Returned>(
        tx,
        accountVersions,
        chunk.map((r) => ({ ...r, workspaceId })),
        { onConflict: DO_NOTHING, returning: sql`account_id as id` },
      ),
    nothingDirty,
  );
}

export function recordUserVersions(tx: Tx, workspaceId: string, rows: NewUserVersion[]): Promise<number> {
  return insertVersions(
    tx,
    workspaceId,
    rows,
    (chunk) =>
      unnestInsert<typeof userVersions, Returned>(
        tx,
        userVersions,
        chunk.map((r) => ({ ...r, workspaceId })),
        { onConflict: DO_NOTHING, returning: sql`user_id as id` },
      ),
    nothingDirty,
  );
}

/** What a conversation write did: ids sent again unchanged leave no trace at all. */
export interface ConversationWriteOutcome {
  inserted: number;
  updated: number;
  unchanged: number;
}

type ConversationState = Omit<typeof conversations.$inferSelect, 'workspaceId' | 'receivedAt' | 'updatedAt'>;
type StateField = Exclude<keyof ConversationState, 'id'>;

/** Every column a resend may change, and its value when the sender leaves it out. */
const STATE_FIELDS = Object.keys(getTableColumns(conversations)).filter(
  (k): k is StateField => !['workspaceId', 'id', 'receivedAt', 'updatedAt'].includes(k),
);
const DEFAULTS: Partial<ConversationState> = { emails: [], tags: [], targetAccount: false };
/** The fields the attribution engine reads (src/history/load.ts): only their change re-attributes. */
const ATTRIBUTION_FIELDS: StateField[] = ['teamId', 'agentId', 'startedAt', 'emails'];
/** The fields conversation_accounts carries (contact-links.ts): only their change rewrites its rows. */
const ACCOUNT_LINK_FIELDS: StateField[] = [...ATTRIBUTION_FIELDS, 'targetAccount'];

function fullState(r: NewConversation): ConversationState {
  const state = { id: r.id } as Record<string, unknown>;
  for (const k of STATE_FIELDS) state[k] = r[k] ?? DEFAULTS[k] ?? null;
  return state as ConversationState;
}

const comparable = (v: unknown) => (v instanceof Date ? v.getTime() : Array.isArray(v) ? JSON.stringify(v) : v);
const differs = (a: ConversationState, b: ConversationState, fields: StateField[]) =>
  fields.some((k) => comparable(a[k]) !== comparable(b[k]));
const emailsOf = (r: Pick<ConversationState, 'emails'>) => [
  ...new Set(r.emails.map(normalizeEmail).filter((e): e is string => e !== null)),
];

/**
 * Inserts or updates conversations by the chat product's id. Each row is the whole state of its
 * conversation (absent fields are cleared); a row equal to what is stored is not written at all,
 * so a resend changes no `updated_at` and marks nothing dirty. When a conversation is new or its
 * attribution inputs changed, its normalized emails are replaced and the opportunities reachable
 * through its old and new emails are marked dirty. Ids repeated in `rows`: the last one wins.
 */
export async function recordConversations(
  tx: Tx,
  workspaceId: string,
  rows: NewConversation[],
): Promise<ConversationWriteOutcome> {
  if (rows.length > 0) await lockHistoryWrites(tx, workspaceId, 'shared');
  const outcome: ConversationWriteOutcome = { inserted: 0, updated: 0, unchanged: 0 };
  const latest = [...new Map(rows.map((r) => [r.id, fullState(r)])).values()];
  // A stable order for row locks and inserts: two overlapping batches cannot deadlock.
  latest.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  for (const chunk of chunksOf(latest, ROWS_PER_INSERT)) {
    const ids = chunk.map((r) => r.id);
    const stored = await tx
      .select()
      .from(conversations)
      .where(sql`${conversations.workspaceId} = ${workspaceId} and ${conversations.id} = any(${textArray(ids)})`)
      .orderBy(conversations.id)
      .for('update');
    const before = new Map<string, ConversationState>(stored.map((r) => [r.id, r]));
    const changed = chunk.filter((r) => {
      const old = before.get(r.id);
      return !old || differs(old, r, STATE_FIELDS);
    });
    outcome.unchanged += chunk.length - changed.length;
    if (changed.length === 0) continue;
    for (const r of changed) {
      if (before.has(r.id)) outcome.updated += 1;
      else outcome.inserted += 1;
    }
    const relinked = new Set(
      changed.filter((r) => {
        const old = before.get(r.id);
        return !old || differs(old, r, ATTRIBUTION_FIELDS);
      }),
    );
    await upsertConversations(tx, workspaceId, changed, relinked);
    await refreshConversationLinks(
      tx,
      workspaceId,
      changed.filter((r) => !before.has(r.id) || differs(before.get(r.id)!, r, ACCOUNT_LINK_FIELDS)).map((r) => r.id),
    );
    const affected = new Set(
      [...relinked].flatMap((r) => [...emailsOf(r), ...emailsOf(before.get(r.id) ?? { emails: [] })]),
    );
    await markEmailsDirty(tx, workspaceId, [...affected]);
  }
  return outcome;
}

/**
 * One statement for the changed rows of a chunk, whatever their number: the rows go in as one JSON
 * parameter (`jsonb_to_recordset`), so the statement's text is the same for every batch and
 * PostgreSQL prepares it once per connection (drizzle's multi-row VALUES built a statement of rows ×
 * 30 parameters per batch, which took most of ingestion's CPU). The conversations are upserted and,
 * for the relinked ones, their normalized emails replaced: the ones no longer given deleted, the
 * new ones inserted (the two touch different rows, so they can share the statement).
 */
async function upsertConversations(
  tx: Tx,
  workspaceId: string,
  rows: ConversationState[],
  relinked: ReadonlySet<ConversationState>,
): Promise<void> {
  const input = rows.map((r) => ({ ...r, relink: relinked.has(r), normalized: relinked.has(r) ? emailsOf(r) : [] }));
  await tx.execute(sql`${UPSERT[0]}${workspaceId}${UPSERT[1]}${jsonText(input)}${UPSERT[2]}`);
}

/**
 * JSON text PostgreSQL accepts: JSON.stringify writes a lone UTF-16 surrogate as a `\udXXX`
 * escape, which jsonb refuses; bound as text it used to become U+FFFD, and so it does here.
 */
function jsonText(value: unknown): string {
  const json = JSON.stringify(value);
  // JSON.stringify escapes nothing else as \ud8xx-\udfxx, and writes its escapes in lower case.
  if (!/\\ud[89a-f]/.test(json)) return json;
  return json.replace(/(?<!\\)((?:\\\\)*)\\u[dD][89a-fA-F][0-9a-fA-F]{2}/g, '$1\\ufffd');
}

/** The upsert's text in three parts, around the workspace id and the JSON rows: built once. */
const UPSERT = (() => {
  const columns = getTableColumns(conversations);
  const fields = ['id', ...STATE_FIELDS] as const;
  // jsonb_to_recordset matches JSON keys to the record's column names: the drizzle property names.
  const record = [...fields.map((k) => `"${k}" ${columns[k].getSQLType()}`), 'relink boolean', 'normalized text[]'];
  const names = fields.map((k) => `"${columns[k].name}"`);
  return [
    sql.raw(`with ws as (select `),
    sql.raw(`::uuid as id),
    input as (select * from jsonb_to_recordset(`),
    sql.raw(`::text::jsonb) as r(${record.join(', ')})),
    upserted as (
      insert into conversations (workspace_id, ${names.join(', ')})
      select ws.id, ${fields.map((k) => `input."${k}"`).join(', ')} from input, ws
      on conflict (workspace_id, id) do update set
        ${STATE_FIELDS.map((k) => `"${columns[k].name}" = excluded."${columns[k].name}"`).join(', ')},
        updated_at = now()
    ),
    dropped as (
      delete from conversation_emails e using input, ws
      where e.workspace_id = ws.id and e.conversation_id = input.id and input.relink
        and e.email_normalized <> all(input.normalized)
    )
    insert into conversation_emails (workspace_id, conversation_id, email_normalized)
    select ws.id, input.id, email from input, ws, unnest(input.normalized) as email
    where input.relink
    on conflict do nothing`),
  ] as const;
})();
