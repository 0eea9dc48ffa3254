// Transactions, the one way: `withTransaction(db, tx => ...)`. Given a transaction already, it
// runs inside it (the outermost call owns the retry). Given the database, it opens one and runs
// it again, with backoff and jitter, when PostgreSQL picks it as a deadlock victim (40P01) or
// refuses it for a serialization failure (40001): it rolled back whole, so a rerun is safe.
import { PgTransaction } from 'drizzle-orm/pg-core';
import { loggerOf, type Db, type DbOrTx, type Tx } from './db/client';
import { pgError } from './db/sql';
import type { Logger } from './logger';
import { retry } from './retry';

const RETRIED = new Set(['40P01', '40001']);

export interface TransactionOptions {
  /** Tries in all (default 5). */
  attempts?: number;
  logger?: Logger;
  /** What the transaction does, for the retry's log line. */
  name?: string;
}

export function isRetriedConflict(err: unknown): boolean {
  return RETRIED.has(pgError(err)?.code ?? '');
}

export async function withTransaction<T>(
  db: DbOrTx,
  fn: (tx: Tx) => Promise<T>,
  options: TransactionOptions = {},
): Promise<T> {
  if (db instanceof PgTransaction) return fn(db as Tx);
  const logger = options.logger ?? loggerOf(db as Db);
  return retry(() => (db as Db).transaction(fn), {
    attempts: options.attempts ?? 5,
    baseMs: 25,
    capMs: 1_000,
    retryable: isRetriedConflict,
    onRetry: (err, attempt, delayMs) => {
      const e = pgError(err);
      logger?.warn(
        { sqlstate: e?.code, transaction: options.name, attempt, delayMs, err: { message: e?.message } },
        'transaction rolled back by a conflict; running it again',
      );
    },
  });
}
