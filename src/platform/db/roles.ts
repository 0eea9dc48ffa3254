// The service's own database role. Migrations run as the tables' owner; the service connects as
// a role that may read and write what it needs but only INSERT and SELECT on the append-only
// ledger tables: not being the owner, it can neither UPDATE, DELETE or TRUNCATE them nor drop or
// disable their triggers, whatever a bug or an injected statement asks.
import { randomBytes } from 'node:crypto';
import postgres from 'postgres';
import { AppError } from '../errors';

/** Tables the service may only append to and read. */
export const APPEND_ONLY_TABLES = ['ledger_entries', 'ledger_seals'] as const;

const ROLE_NAME = /^[a-z_][a-z0-9_]{0,62}$/;

export interface ServiceRoleOutcome {
  role: string;
  /** Set when the role was created here: shown once, never stored. */
  password: string | null;
}

/**
 * Creates the role when missing (LOGIN, a random password) and grants it the service's rights on
 * every table now in the schema; run again after migrations add tables (the service does, when
 * DATABASE_MIGRATION_URL names the owner).
 */
export async function grantServiceRole(ownerUrl: string, role: string): Promise<ServiceRoleOutcome> {
  if (!ROLE_NAME.test(role))
    throw new AppError('invalid_input', `role "${role}": expected lower-case letters, digits and _`);
  const sql = postgres(ownerUrl, { max: 1, onnotice: () => {} });
  try {
    return await sql.begin(async (tx) => {
      const [owner] = await tx<{ is_owner: boolean }[]>`
        select exists (select 1 from pg_tables where tablename = 'ledger_entries' and schemaname = current_schema()
                       and tableowner = ${role}) as is_owner`;
      if (owner?.is_owner)
        throw new AppError(
          'invalid_input',
          `role "${role}" owns the tables: the service role must be another role than the migrations' owner`,
        );
      const [exists] = await tx<{ super: boolean }[]>`select rolsuper as super from pg_roles where rolname = ${role}`;
      if (exists?.super)
        throw new AppError('invalid_input', `role "${role}" is a superuser: a superuser bypasses every grant`);
      let password: string | null = null;
      const id = tx(role);
      if (!exists) {
        password = randomBytes(24).toString('base64url');
        // Identifiers and a password literal cannot be bind parameters; both are checked or generated here.
        await tx.unsafe(`create role ${role} login password '${password}'`);
      }
      const [{ db, schema }] = (await tx`select current_database() as db, current_schema() as schema`) as unknown as [
        { db: string; schema: string },
      ];
      await tx`grant connect on database ${tx(db)} to ${id}`;
      await tx`grant usage on schema ${tx(schema)} to ${id}`;
      await tx`grant select, insert, update, delete on all tables in schema ${tx(schema)} to ${id}`;
      await tx`grant usage, select on all sequences in schema ${tx(schema)} to ${id}`;
      for (const table of APPEND_ONLY_TABLES)
        await tx`revoke update, delete, truncate, references, trigger on ${tx(table)} from ${id}`;
      // The migrations' bookkeeping: readable, so the service can see it is up to date, never writable.
      const [drizzle] = await tx`select 1 from pg_namespace where nspname = 'drizzle'`;
      if (drizzle) {
        await tx`grant usage on schema drizzle to ${id}`;
        await tx`grant select on all tables in schema drizzle to ${id}`;
      }
      return { role, password };
    });
  } finally {
    await sql.end({ timeout: 5 });
  }
}

/** The user a postgres:// URL connects as. */
export function userOfUrl(url: string): string {
  return decodeURIComponent(new URL(url).username);
}
