// Advisory locks, keyed by a readable name ("ledger:<workspace>") hashed by PostgreSQL. Transaction
// locks end with their transaction, whatever happens to the process holding them.
import { sql } from 'drizzle-orm';
import type postgres from 'postgres';
import type { Tx } from './db/client';
import { AppError } from './errors';

const key = (name: string) => sql`hashtextextended(${name}, 0)`;

/** Waits for the lock; `shared` holders exclude only `exclusive` ones. */
export async function lockForTransaction(
  tx: Tx,
  name: string,
  mode: 'exclusive' | 'shared' = 'exclusive',
): Promise<void> {
  await tx.execute(
    mode === 'shared'
      ? sql`select pg_advisory_xact_lock_shared(${key(name)})`
      : sql`select pg_advisory_xact_lock(${key(name)})`,
  );
}

/** The lock if it is free now; false when another transaction holds it. */
export async function tryLockForTransaction(tx: Tx, name: string): Promise<boolean> {
  const [row] = await tx.execute<{ locked: boolean }>(sql`select pg_try_advisory_xact_lock(${key(name)}) as locked`);
  return row?.locked === true;
}

/** Opens a client of one connection outside the pool; `onClose` is told when it is lost. */
export type OpenSession = (onClose: () => void) => postgres.Sql;

/**
 * Runs `fn` holding a session lock on a connection of its own, outside the pool (PostgreSQL
 * releases it if the process dies); `busy` when another session holds it. Not a reserved pool
 * connection: `fn` may need every pooled connection (DATABASE_POOL_MAX=1 hung on that), and
 * postgres.js 3.4.9 throws a TypeError outside any promise when a reserved connection drops
 * (porsager/postgres#1208, #1154), which killed the worker on a PostgreSQL restart. When the
 * connection is lost, the lock is gone: `lost` aborts, and `fn` must stop writing.
 */
export async function withSessionLock<T>(
  open: OpenSession,
  name: string,
  fn: (lost: AbortSignal) => Promise<T>,
): Promise<{ busy: true } | { busy: false; value: T }> {
  const lost = new AbortController();
  let holding = false;
  const session = open(() => {
    if (holding)
      lost.abort(new AppError('unavailable', `the database connection holding the lock ${name} was lost; try again`));
  });
  try {
    const [row] = await session`select pg_try_advisory_lock(hashtextextended(${name}, 0)) as locked`;
    if (!row?.locked) return { busy: true };
    holding = true;
    try {
      return { busy: false, value: await fn(lost.signal) };
    } finally {
      holding = false;
      // A lost connection took the lock with it: nothing to release.
      if (!lost.signal.aborted) await session`select pg_advisory_unlock(hashtextextended(${name}, 0))`.catch(() => {});
    }
  } finally {
    await session.end({ timeout: 5 }).catch(() => {});
  }
}

/** Waits for a session lock on a connection of its own (migrations: one process at a time). */
export async function withWaitingSessionLock<T>(
  sqlClient: postgres.Sql,
  name: string,
  fn: () => Promise<T>,
): Promise<T> {
  const reserved = await sqlClient.reserve();
  try {
    await reserved`select pg_advisory_lock(hashtextextended(${name}, 0))`;
    try {
      return await fn();
    } finally {
      await reserved`select pg_advisory_unlock(hashtextextended(${name}, 0))`.catch(() => {});
    }
  } finally {
    reserved.release();
  }
}
