// Every run first tries the object's quarantined records again, as Salesforce sent them: a fix
// deployed since (or a value the database now accepts) stores them; the others stay, their
// attempts counted. The checkpoint does not move: they were read already.
import type { ObjectSpec } from './objects';
import { writePage } from './page-writer';
import { quarantinedRecords } from './quarantine';
import type { RunContext } from './run-context';

/** Page size of the retry: the quarantine is small, but never read whole into one statement. */
const RETRY_PAGE = 500;

export async function retryQuarantined(ctx: RunContext, spec: ObjectSpec): Promise<{ stored: number; left: number }> {
  const rows = await quarantinedRecords(ctx.db, ctx.connection.id, spec.name);
  if (rows.length === 0) return { stored: 0, left: 0 };
  let left = 0;
  for (let i = 0; i < rows.length; i += RETRY_PAGE) {
    const page = rows.slice(i, i + RETRY_PAGE).map((r) => r.record);
    const result = await writePage(ctx, spec, page, 0, async () => {}, { retry: true });
    left += result.quarantined;
  }
  const stored = rows.length - left;
  ctx.logger.info({ object: spec.name, stored, left }, 'quarantined records retried');
  return { stored, left };
}
