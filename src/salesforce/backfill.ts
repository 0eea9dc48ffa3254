// Whether an org's next sync is its first (a backfill, possibly of millions of records): no run of
// it has ended ok or partial yet. The sync job hands those to a queue of their own (fairness).
import { sql } from 'drizzle-orm';
import type { Db } from '../platform/db/client';

export async function needsBackfill(db: Db, connectionId: string): Promise<boolean> {
  const rows = await db.execute<{ one: number }>(sql`
    select 1 as one from salesforce_sync_runs
    where connection_id = ${connectionId} and outcome in ('ok', 'partial') limit 1`);
  return rows.length === 0;
}
