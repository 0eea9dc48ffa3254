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
  close(): Promise<void>;
}

export function createExports(sql: postgres.Sql, limits: ExportLimits): Exports {
  const byWorkspace = new Map<string, number>();
  let running = 0;
  const busy = (why: string) =>
    new AppError('unavailable', `${why}: try again in a minute`, { details: { retryAfterSeconds: 60 } });
  return {
    sql,
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
    close: () => sql.end({ timeout: 5 }),
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
  let timedOut: string | null = null;
  const stop = (why: string) => {
    timedOut = why;
    res.destroy();
  };
  let idle = setTimeout(() => stop('idle'), limits.idleMs);
  const total = setTimeout(() => stop('too long'), limits.totalMs);
  // Progress is bytes the socket took: a reader that stops reading stops the drain events.
  const progress = () => {
    clearTimeout(idle);
    idle = setTimeout(() => stop('idle'), limits.idleMs);
  };
  res.on('drain', progress);
  try {
    await pipeline(
      Readable.from(text()),
      new Transform({
        transform(chunk, _enc, done) {
          progress();
          done(null, chunk);
        },
      }),
      res,
    );
  } catch (err) {
    // The status line is gone: all that is left is to cut the download short, so it cannot pass for complete.
    req.log.warn({ err: { message: (err as Error).message }, timedOut }, `${file.name} export interrupted`);
    res.destroy();
  } finally {
    clearTimeout(idle);
    clearTimeout(total);
    release();
  }
}

function isBatch<R>(item: R | readonly R[]): item is readonly R[] {
  return Array.isArray(item);
}
