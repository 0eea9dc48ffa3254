// Advisory locks, keyed by a readable name ("ledger:<workspace>") hashed by PostgreSQL. Transaction
// locks end with their transaction, whatever happens to the process holding them.
import { sql } from 'drizzle-orm';
import type postgres from 'postgres';
import type { Tx } from './db/client';

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

/**
 * Runs `fn` holding a session lock on a connection reserved for it (PostgreSQL releases it if the
 * process dies); `busy` when another session holds it.
 */
export async function withSessionLock<T>(
  sqlClient: postgres.Sql,
  name: string,
  fn: () => Promise<T>,
): Promise<{ busy: true } | { busy: false; value: T }> {
  const reserved = await sqlClient.reserve();
  try {
    const [row] = await reserved`select pg_try_advisory_lock(hashtextextended(${name}, 0)) as locked`;
    if (!row?.locked) return { busy: true };
    try {
      return { busy: false, value: await fn() };
    } finally {
      await reserved`select pg_advisory_unlock(hashtextextended(${name}, 0))`;
    }
  } finally {
    reserved.release();
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
