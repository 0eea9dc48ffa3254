// Checking an email and a password. One answer for an unknown email and a wrong password, and the
// same work for every email before the answer can differ: exactly one password hash is verified,
// the user's or a decoy, whether the email is unknown or in one or several workspaces. Only a right
// password leads to more (the other workspaces of that email), so time tells an attacker nothing.
import type { DbOrTx } from '../platform/db/client';
import type { User } from '../platform/db/schema';
import type { Semaphore } from '../platform/semaphore';
import { decoyHash, verifyPassword } from './passwords';
import { passwordUsersWithEmail } from './users';

export type CredentialCheck =
  | { outcome: 'signed_in'; user: User }
  | { outcome: 'invalid' }
  /** The right password, but an admin's temporary one past its day. */
  | { outcome: 'expired' }
  /** The password matches in several workspaces: the person says which (only once the password is right). */
  | { outcome: 'choose_workspace'; workspaces: { slug: string; name: string }[] };

/** Runs each hash verification; the service bounds how many run at once (hash-slots in the API). */
const unbounded: Semaphore = { run: (task) => task() };

export async function checkCredentials(
  db: DbOrTx,
  input: { email: string; password: string; workspace?: string | undefined },
  hashing: Semaphore = unbounded,
  now = new Date(),
): Promise<CredentialCheck> {
  const verify = (hash: string) => hashing.run(() => verifyPassword(input.password, hash));
  // The workspace the email last signed in to first: the one hash verified before the answer.
  const candidates = (await passwordUsersWithEmail(db, input.email))
    .filter((u) => !input.workspace || u.workspaceSlug === input.workspace)
    .sort((a, b) => (b.lastSignInAt?.getTime() ?? 0) - (a.lastSignInAt?.getTime() ?? 0));
  const [first, ...others] = candidates;
  if (!first) {
    await verify(await decoyHash());
    return { outcome: 'invalid' };
  }
  // A different password in another workspace of the same email opens that one only when it is named.
  if (!(await verify(first.passwordHash))) return { outcome: 'invalid' };
  const matching = [first];
  for (const other of others) if (await verify(other.passwordHash)) matching.push(other);
  return choose(matching.filter((u) => !u.passwordExpiresAt || u.passwordExpiresAt > now));
}

/** Among the users whose password is right, those whose password has not expired. */
function choose(matching: Awaited<ReturnType<typeof passwordUsersWithEmail>>): CredentialCheck {
  if (matching.length === 0) return { outcome: 'expired' };
  if (matching.length > 1)
    return {
      outcome: 'choose_workspace',
      workspaces: matching
        .map((u) => ({ slug: u.workspaceSlug, name: u.workspaceName }))
        .sort((a, b) => (a.slug < b.slug ? -1 : 1)),
    };
  const { workspaceSlug: _slug, workspaceName: _name, ...user } = matching[0]!;
  return { outcome: 'signed_in', user };
}
