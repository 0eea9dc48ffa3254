// The records a sync could not store, kept aside with what Salesforce sent and why, so one bad
// record never blocks its object: its page commits and the checkpoint moves on. Every run tries
// them again; one stored at last (or stored later in a newer version) leaves the quarantine.
import { and, asc, count, eq, sql } from 'drizzle-orm';
import type { DbOrTx } from '../platform/db/client';
import { salesforceQuarantine } from '../platform/db/schema';
import { pgError, textArray } from '../platform/db/sql';
import type { SfRecord } from './records';

export interface QuarantineEntry {
  recordId: string;
  record: SfRecord;
  reason: string;
  errorCode: string | null;
}

/**
 * Whether a database error is about the record's values (SQLSTATE class 22, data exception,
 * or 23, integrity) rather than the database itself: only those are the record's fault.
 */
export function isRecordDataError(err: unknown): boolean {
  const code = pgError(err)?.code ?? '';
  return code.startsWith('22') || code.startsWith('23');
}

/** Why a record could not be stored, in words, with the SQLSTATE when the database refused it. */
export function failureOf(err: unknown): { reason: string; errorCode: string | null } {
  const pg = pgError(err);
  if (pg?.code) {
    const hint = SQLSTATE_HINTS[pg.code];
    return {
      reason: `the database refused it (SQLSTATE ${pg.code}: ${pg.message})${hint ? `: ${hint}` : ''}`,
      errorCode: pg.code,
    };
  }
  return { reason: (err as Error)?.message ?? String(err), errorCode: 'invalid_value' };
}

const SQLSTATE_HINTS: Record<string, string> = {
  '22003': 'a number is larger than we store (amounts up to 9,999,999,999,999,999.99)',
  '22008': 'a date or time is out of range',
  '22021': 'a text holds a character that cannot be stored',
  '22P02': 'a value is not in the form its field expects',
};

export async function quarantineRecords(
  tx: DbOrTx,
  connectionId: string,
  object: string,
  entries: QuarantineEntry[],
): Promise<void> {
  if (entries.length === 0) return;
  await tx
    .insert(salesforceQuarantine)
    .values(entries.map((e) => ({ connectionId, object, ...e })))
    .onConflictDoUpdate({
      target: [salesforceQuarantine.connectionId, salesforceQuarantine.object, salesforceQuarantine.recordId],
      set: {
        record: sql`excluded.record`,
        reason: sql`excluded.reason`,
        errorCode: sql`excluded.error_code`,
        lastAttemptAt: sql`now()`,
        attempts: sql`${salesforceQuarantine.attempts} + 1`,
      },
    });
}

/** Records stored now (a retry, or a newer version) are no longer in quarantine. */
export async function clearQuarantined(
  tx: DbOrTx,
  connectionId: string,
  object: string,
  recordIds: string[],
): Promise<number> {
  if (recordIds.length === 0) return 0;
  const gone = await tx
    .delete(salesforceQuarantine)
    .where(
      and(
        eq(salesforceQuarantine.connectionId, connectionId),
        eq(salesforceQuarantine.object, object),
        sql`${salesforceQuarantine.recordId} = any(${textArray(recordIds)})`,
      ),
    )
    .returning({ id: salesforceQuarantine.recordId });
  return gone.length;
}

export async function quarantinedRecords(db: DbOrTx, connectionId: string, object: string) {
  return db
    .select()
    .from(salesforceQuarantine)
    .where(and(eq(salesforceQuarantine.connectionId, connectionId), eq(salesforceQuarantine.object, object)))
    .orderBy(asc(salesforceQuarantine.firstSeenAt), asc(salesforceQuarantine.recordId));
}

/** What the status shows: how many are in quarantine, and the first ones by name. */
export async function quarantineSummary(db: DbOrTx, connectionId: string, limit = 50) {
  const [total] = await db
    .select({ n: count() })
    .from(salesforceQuarantine)
    .where(eq(salesforceQuarantine.connectionId, connectionId));
  const rows = await db
    .select()
    .from(salesforceQuarantine)
    .where(eq(salesforceQuarantine.connectionId, connectionId))
    .orderBy(
      asc(salesforceQuarantine.object),
      asc(salesforceQuarantine.firstSeenAt),
      asc(salesforceQuarantine.recordId),
    )
    .limit(limit);
  return { total: total?.n ?? 0, records: rows };
}
