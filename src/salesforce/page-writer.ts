// One page of one object into the history, with where the sync stands after it, in one
// transaction. Generic over objects: NUL characters are stripped from every text, a record that
// does not map (a value that does not parse) or that the database refuses (SQLSTATE class 22/23)
// goes to the quarantine with its reason, and the page commits without it: one record never
// blocks its object, and a crash still resumes from the last committed page.
import type { Tx } from '../platform/db/client';
import { pgError } from '../platform/db/sql';
import { withTransaction } from '../platform/tx';
import { recordChangedVersions } from '../history/record-changes';
import type { ObjectSpec, Versions } from './objects';
import { clearQuarantined, failureOf, isRecordDataError, quarantineRecords, type QuarantineEntry } from './quarantine';
import { stripNul } from './record-text';
import { sfDateTime, type SfRecord } from './records';
import type { RunContext } from './run-context';
import { advanceCheckpoint } from './sync-state';

export interface PageResult {
  /** The newest cursor value of the page (quarantined records included: they are retried apart). */
  newest: Date | null;
  quarantined: number;
  nulStripped: number;
  /** Versions written: rows that changed a record's state (a re-read unchanged row writes none). */
  written: number;
}

type Mapped =
  | { record: SfRecord; id: string; version: Versions | null }
  | { record: SfRecord; id: string; failure: QuarantineEntry };

export type SaveProgress = (tx: Tx, newest: Date | null) => Promise<void>;

export async function writePage(
  ctx: RunContext,
  spec: ObjectSpec,
  raw: SfRecord[],
  progressRows: number,
  saveProgress: SaveProgress = async (tx, newest) => {
    if (newest) await advanceCheckpoint(tx, ctx.connection.id, spec.name, newest, progressRows);
  },
  /** A retry of the quarantine: its records were counted when they were read. */
  options: { retry?: boolean } = {},
): Promise<PageResult> {
  let nulStripped = 0;
  const records = raw.map((r) => {
    const clean = stripNul(r);
    if (clean.stripped) nulStripped += 1;
    return clean.record;
  });
  const mapped = records.map((r) => mapRecord(ctx, spec, r));
  const newest = newestCursor(spec, records);
  const failures = mapped.flatMap((m) => ('failure' in m ? [m.failure] : []));
  const stored = mapped.filter((m): m is Extract<Mapped, { version: Versions | null }> => 'version' in m);

  let written = 0;
  const commit = (write: (tx: Tx) => Promise<QuarantineEntry[]>) =>
    withTransaction(ctx.db, async (tx) => {
      // Without the org's lock another run may be writing: stop before this page, not after.
      ctx.lockLost?.throwIfAborted();
      const refused = await write(tx);
      const quarantined = [...failures, ...refused];
      const refusedIds = new Set(refused.map((q) => q.recordId));
      await quarantineRecords(tx, ctx.connection.id, spec.name, quarantined);
      await clearQuarantined(
        tx,
        ctx.connection.id,
        spec.name,
        stored.filter((s) => !refusedIds.has(s.id)).map((s) => s.id),
      );
      await saveProgress(tx, newest);
      return quarantined;
    });

  let quarantined: QuarantineEntry[];
  try {
    quarantined = await commit(async (tx) => {
      written = await writeVersions(
        tx,
        ctx,
        spec,
        stored.map((s) => s.version),
      );
      return [];
    });
  } catch (err) {
    if (!isRecordDataError(err)) throw err;
    ctx.logger.warn(
      { object: spec.name, sqlstate: pgError(err)?.code },
      'the database refused a record of this page: storing the page record by record',
    );
    quarantined = await commit(async (tx) => {
      const oneByOne = await writeOneByOne(tx, ctx, spec, stored);
      written = oneByOne.written;
      return oneByOne.refused;
    });
  }
  for (const q of quarantined) {
    ctx.logger.warn(
      { object: spec.name, recordId: q.recordId, errorCode: q.errorCode, reason: q.reason },
      options.retry ? 'record still in quarantine' : 'record quarantined',
    );
  }
  if (options.retry) return { newest, quarantined: quarantined.length, nulStripped, written };
  const stats = (ctx.stats[spec.name] ??= { nulStripped: 0, quarantined: 0, written: 0 });
  stats.nulStripped += nulStripped;
  stats.quarantined += quarantined.length;
  stats.written += written;
  return { newest, quarantined: quarantined.length, nulStripped, written };
}

/** Each record in a savepoint of its own: the ones the database refuses are returned, the rest kept. */
async function writeOneByOne(
  tx: Tx,
  ctx: RunContext,
  spec: ObjectSpec,
  items: { record: SfRecord; id: string; version: Versions | null }[],
): Promise<{ refused: QuarantineEntry[]; written: number }> {
  const refused: QuarantineEntry[] = [];
  let written = 0;
  for (const item of items) {
    try {
      written += await tx.transaction((sp) => writeVersions(sp, ctx, spec, [item.version]));
    } catch (err) {
      if (!isRecordDataError(err)) throw err;
      refused.push({ recordId: item.id, record: item.record, ...failureOf(err) });
    }
  }
  return { refused, written };
}

/** Returns how many versions were written (those that change their record's state). */
async function writeVersions(tx: Tx, ctx: RunContext, spec: ObjectSpec, versions: (Versions | null)[]) {
  const rows = versions.filter((v): v is Versions => v !== null).map((v) => v.row);
  return recordChangedVersions(tx, ctx.connection.workspaceId, spec.kind, rows as never[]);
}

function mapRecord(ctx: RunContext, spec: ObjectSpec, record: SfRecord): Mapped {
  const id = String(record.Id ?? '');
  try {
    return { record, id, version: spec.toVersion(record, ctx.mapping) };
  } catch (err) {
    return { record, id, failure: { recordId: id, record, ...failureOf(err) } };
  }
}

/** The page's newest cursor value; a record whose cursor does not parse is left out of it. */
export function newestCursor(spec: ObjectSpec, records: SfRecord[]): Date | null {
  let newest: Date | null = null;
  for (const r of records) {
    let at: Date | null = null;
    try {
      at = sfDateTime(r[spec.cursor]);
    } catch {
      // quarantined by its mapping; the others still move the checkpoint
    }
    if (at && (!newest || at > newest)) newest = at;
  }
  return newest;
}
