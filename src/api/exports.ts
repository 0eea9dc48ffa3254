// File downloads (CSV exports) on a pool of their own. A download holds a database connection for
// as long as its reader takes to read it; on the API's pool, ten slow readers would starve every
// other request. So exports get a small pool, at most EXPORTS_PER_WORKSPACE at once per workspace,
// and are cut off when the reader stops reading (idle timeout) or the download runs too long. A
// download that cannot start now is refused at once (503 with Retry-After), never queued.
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { stringify as stringifyBatch } from 'csv-stringify/sync';
import type { Request, Response } from 'express';
import type postgres from 'postgres';
import type { DisposableConnection } from '../platform/db/disposable-connection';
import { AppError } from '../platform/errors';

export interface ExportLimits {
  /** Connections of the export pool: downloads at once, across workspaces. */
  poolMax: number;
  perWorkspace: number;
  idleMs: number;
  totalMs: number;
}

export interface Exports {
  /** The export pool's client: cursors run here, never on the API's pool. */
  readonly sql: postgres.Sql;
  /** A slot for one download of the workspace, or a 503 when none is free. */
  acquire(workspaceId: string): () => void;
  /**
   * A connection of its own for one COPY download, destroyed after it (on every path: the end, a
   * cut-off, an error, the service's shutdown), never pooled: see platform/db/disposable-connection.ts.
   */
  openDownload(): DisposableConnection;
  /** Ends the pool, and destroys every download connection still open (their backends end too). */
  close(): Promise<void>;
}

export function createExports(
  sql: postgres.Sql,
  limits: ExportLimits,
  open: () => DisposableConnection = () => {
    throw new Error('createExports: no download connection factory given');
  },
): Exports {
  const byWorkspace = new Map<string, number>();
  const downloads = new Set<DisposableConnection>();
  let running = 0;
  const busy = (why: string) =>
    new AppError('unavailable', `${why}: try again in a minute`, { details: { retryAfterSeconds: 60 } });
  return {
    sql,
    openDownload() {
      const connection = open();
      const tracked: DisposableConnection = {
        sql: connection.sql,
        destroy() {
          downloads.delete(tracked);
          connection.destroy();
        },
      };
      downloads.add(tracked);
      return tracked;
    },
    acquire(workspaceId) {
      const mine = byWorkspace.get(workspaceId) ?? 0;
      if (mine >= limits.perWorkspace)
        throw busy(`this workspace already has ${mine} download${mine === 1 ? '' : 's'} running`);
      if (running >= limits.poolMax) throw busy('every export slot is in use');
      byWorkspace.set(workspaceId, mine + 1);
      running += 1;
      let released = false;
      return () => {
        if (released) return;
        released = true;
        running -= 1;
        const left = (byWorkspace.get(workspaceId) ?? 1) - 1;
        if (left > 0) byWorkspace.set(workspaceId, left);
        else byWorkspace.delete(workspaceId);
      };
    },
    close: async () => {
      for (const download of [...downloads]) download.destroy();
      await sql.end({ timeout: 5 });
    },
  };
}

/**
 * A cell a spreadsheet would run as a formula (it begins with =, +, -, @, a tab or a carriage
 * return) is prefixed with a quote, as OWASP's "CSV Injection" page recommends. Numbers (a
 * negative amount) are data, not formulas, and stay as they are.
 */
export function formulaSafe(value: string): string {
  if (/^-?\d+(\.\d+)?$/.test(value)) return value;
  return /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
}

/**
 * Streams records as a CSV attachment. The reader must keep reading: no progress for `idleMs`
 * or a download past `totalMs` ends it, and a cut-short download never passes for complete.
 */
export async function sendCsv<R extends Record<string, string>>(
  req: Request,
  res: Response,
  file: { name: string; columns: readonly (keyof R & string)[]; records: AsyncIterable<R | readonly R[]> },
  limits: Pick<ExportLimits, 'idleMs' | 'totalMs'>,
  release: () => void,
): Promise<void> {
  res.type('text/csv; charset=utf-8').attachment(file.name);
  const columns = [...file.columns];
  const safe = (record: R): Record<string, string> => {
    const out: Record<string, string> = {};
    for (const c of columns) out[c] = formulaSafe(record[c] ?? '');
    return out;
  };
  // A batch of records becomes one string: no stream hop or await per row (bench:csv), and the
  // same formatter as before, so the bytes are the same. The header comes once, even for no rows.
  async function* text(): AsyncGenerator<string> {
    let header = true;
    for await (const item of file.records) {
      const batch: readonly R[] = isBatch(item) ? item : [item];
      if (batch.length === 0) continue;
      yield stringifyBatch(batch.map(safe), { header, columns });
      header = false;
    }
    if (header) yield stringifyBatch([], { header, columns });
  }
  const watch = watchProgress(res, limits);
  try {
    await pipeline(Readable.from(text()), watch.transform, res);
  } catch (err) {
    // The status line is gone: all that is left is to cut the download short, so it cannot pass for complete.
    req.log.warn(
      { err: { message: (err as Error).message }, timedOut: watch.timedOut() },
      `${file.name} export interrupted`,
    );
    res.destroy();
  } finally {
    watch.clear();
    release();
  }
}

/**
 * Streams CSV bytes a source already wrote (PostgreSQL's COPY) as an attachment, under the same
 * limits as `sendCsv`. `close` ends the source's own connection, after the download or when it is
 * cut short (which also stops the statement: its backend sees the connection go).
 */
export async function sendCsvBytes(
  req: Request,
  res: Response,
  file: { name: string; source: Readable; close: () => Promise<void> },
  limits: Pick<ExportLimits, 'idleMs' | 'totalMs'>,
  release: () => void,
): Promise<void> {
  res.type('text/csv; charset=utf-8').attachment(file.name);
  const watch = watchProgress(res, limits);
  try {
    // Progress is counted before the join: rows still count while a batch fills slowly.
    await pipeline(file.source, watch.transform, coalesce(COALESCE_BYTES), res);
  } catch (err) {
    // The status line is gone: all that is left is to cut the download short, so it cannot pass for complete.
    req.log.warn(
      { err: { message: (err as Error).message }, timedOut: watch.timedOut() },
      `${file.name} export interrupted`,
    );
    res.destroy();
  } finally {
    watch.clear();
    await file
      .close()
      .catch((e: unknown) => req.log.warn({ err: { message: (e as Error).message } }, 'closing an export failed'));
    release();
  }
}

/** What a COPY download writes to the response at a time (see `coalesce`). */
const COALESCE_BYTES = 64 * 1024;

/**
 * Joins small chunks into writes of about `bytes`. postgres.js hands a COPY over one row per chunk
 * (~190 bytes for the ledger); written as they come, each would be an HTTP chunk and a socket write
 * of its own (bench:csv). At most `bytes` wait here; the rest waits in PostgreSQL (backpressure).
 */
function coalesce(bytes: number): Transform {
  let pending: Buffer[] = [];
  let size = 0;
  const take = () => {
    const joined = Buffer.concat(pending, size);
    pending = [];
    size = 0;
    return joined;
  };
  return new Transform({
    transform(chunk: Buffer, _enc, done) {
      pending.push(chunk);
      size += chunk.length;
      done(null, size >= bytes ? take() : undefined);
    },
    flush(done) {
      done(null, size > 0 ? take() : undefined);
    },
  });
}

/**
 * The reader must keep reading: no progress for `idleMs` or a download past `totalMs` ends it.
 * Progress is bytes the socket took: a reader that stops reading stops the drain events.
 */
function watchProgress(res: Response, limits: Pick<ExportLimits, 'idleMs' | 'totalMs'>) {
  let timedOut: string | null = null;
  const stop = (why: string) => {
    timedOut = why;
    res.destroy();
  };
  let idle = setTimeout(() => stop('idle'), limits.idleMs);
  const total = setTimeout(() => stop('too long'), limits.totalMs);
  const progress = () => {
    clearTimeout(idle);
    idle = setTimeout(() => stop('idle'), limits.idleMs);
  };
  res.on('drain', progress);
  return {
    transform: new Transform({
      transform(chunk, _enc, done) {
        progress();
        done(null, chunk);
      },
    }),
    timedOut: () => timedOut,
    clear: () => {
      clearTimeout(idle);
      clearTimeout(total);
    },
  };
}

function isBatch<R>(item: R | readonly R[]): item is readonly R[] {
  return Array.isArray(item);
}
