// Postgres through postgres.js, typed through drizzle.
import { drizzle, type PostgresJsDatabase } from 'drizzle-orm/postgres-js';
import postgres from 'postgres';
import type { Logger } from '../logger';
import * as schema from './schema';

export type Db = PostgresJsDatabase<typeof schema>;
export type Tx = Parameters<Parameters<Db['transaction']>[0]>[0];
/** A function taking `DbOrTx` joins the caller's transaction when given one. */
export type DbOrTx = Db | Tx;

export interface Database {
  db: Db;
  sql: postgres.Sql;
  close(): Promise<void>;
  /**
   * A client of one connection of its own, outside the pool, for a session lock held across many
   * transactions (see locks.ts): the lock never takes a connection its holder then waits for.
   * `onClose` is told when the connection is lost (the lock with it).
   */
  openSession(onClose: () => void): postgres.Sql;
}

export interface ConnectOptions {
  max?: number;
  /** Where a transaction retried after a deadlock says so (see tx.ts). */
  logger?: Logger;
  /** Seconds an idle connection stays open (postgres.js default: never closed). */
  idleTimeout?: number;
  applicationName?: string;
}

const loggers = new WeakMap<Db, Logger>();

/** The logger the database was opened with, if any. */
export const loggerOf = (db: Db): Logger | undefined => loggers.get(db);

export function connectDatabase(url: string, options: ConnectOptions = {}): Database {
  const sql = postgres(url, {
    max: options.max ?? 10,
    onnotice: () => {},
    ...(options.idleTimeout ? { idle_timeout: options.idleTimeout } : {}),
    connection: { application_name: options.applicationName ?? 'chat-revenue-attribution' },
  });
  const db = drizzle(sql, { schema });
  if (options.logger) loggers.set(db, options.logger);
  const openSession = (onClose: () => void) =>
    postgres(url, {
      max: 1,
      onnotice: () => {},
      // Never recycled: closing it would drop the session's locks under its holder.
      max_lifetime: null,
      onclose: onClose,
      connection: { application_name: `${options.applicationName ?? 'chat-revenue-attribution'} (lock)` },
    });
  return { db, sql, close: () => sql.end({ timeout: 5 }), openSession };
}
