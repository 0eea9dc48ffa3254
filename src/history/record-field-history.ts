// Writes field history rows (ContactHistory, LeadHistory): idempotent by their Salesforce id, and
// marking dirty the opportunities whose links a new email can change, in the caller's transaction.
import { sql } from 'drizzle-orm';
import type { Tx } from '../platform/db/client';
import { unnestInsert } from '../platform/db/unnest-insert';
import { fieldHistory } from '../platform/db/schema';
import { normalizeEmail } from '../attribution/history';
import { markContactsDirty, markLeadsDirty } from './mark-dirty';
import { lockHistoryWrites } from './write-lock';
import { refreshContactLinks } from './contact-links';

export type NewFieldHistory = Omit<
  typeof fieldHistory.$inferInsert,
  'workspaceId' | 'recordedAt' | 'oldEmailNormalized' | 'newEmailNormalized'
>;

/** Rows per INSERT: one array parameter per column (unnest-insert.ts), so only memory bounds it. */
const ROWS_PER_INSERT = 2_000;

/** Returns how many rows were new. */
export async function recordFieldHistory(tx: Tx, workspaceId: string, rows: NewFieldHistory[]): Promise<number> {
  if (rows.length === 0) return 0;
  await lockHistoryWrites(tx, workspaceId, 'exclusive');
  let added = 0;
  for (let i = 0; i < rows.length; i += ROWS_PER_INSERT) {
    const inserted = await unnestInsert<typeof fieldHistory, { object: string; recordId: string; field: string }>(
      tx,
      fieldHistory,
      rows.slice(i, i + ROWS_PER_INSERT).map((r) => ({
        ...r,
        workspaceId,
        oldEmailNormalized: r.field === 'Email' ? normalizeEmail(r.oldValue) : null,
        newEmailNormalized: r.field === 'Email' ? normalizeEmail(r.newValue) : null,
      })),
      { onConflict: sql`on conflict do nothing`, returning: sql`object, record_id as "recordId", field` },
    );
    added += inserted.length;
    const emails = inserted.filter((r) => r.field === 'Email');
    const contactIds = [...new Set(emails.filter((r) => r.object === 'Contact').map((r) => r.recordId))];
    const leadIds = [...new Set(emails.filter((r) => r.object === 'Lead').map((r) => r.recordId))];
    await markContactsDirty(tx, workspaceId, contactIds);
    await markLeadsDirty(tx, workspaceId, leadIds);
    await refreshContactLinks(tx, workspaceId, { contactIds, leadIds });
  }
  return added;
}
