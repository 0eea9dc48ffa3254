// Checking an email and a password. One answer for an unknown email and a wrong password, and
// the same work for both (a decoy hash is verified), so the answer tells nobody who has an account.
import type { DbOrTx } from '../platform/db/client';
import type { User } from '../platform/db/schema';
import { decoyHash, verifyPassword } from './passwords';
import { passwordUsersWithEmail } from './users';

export type CredentialCheck =
  | { outcome: 'signed_in'; user: User }
  | { outcome: 'invalid' }
  /** The password matches in several workspaces: the person says which (only once the password is right). */
  | { outcome: 'choose_workspace'; workspaces: { slug: string; name: string }[] };

export async function checkCredentials(
  db: DbOrTx,
  input: { email: string; password: string; workspace?: string | undefined },
): Promise<CredentialCheck> {
  const candidates = (await passwordUsersWithEmail(db, input.email)).filter(
    (u) => !input.workspace || u.workspaceSlug === input.workspace,
  );
  if (candidates.length === 0) {
    await verifyPassword(input.password, await decoyHash());
    return { outcome: 'invalid' };
  }
  const matching = [];
  for (const candidate of candidates) {
    if (await verifyPassword(input.password, candidate.passwordHash)) matching.push(candidate);
  }
  if (matching.length === 0) return { outcome: 'invalid' };
  if (matching.length > 1)
    return {
      outcome: 'choose_workspace',
      workspaces: matching.map((u) => ({ slug: u.workspaceSlug, name: u.workspaceName })),
    };
  const { workspaceSlug: _slug, workspaceName: _name, ...user } = matching[0]!;
  return { outcome: 'signed_in', user };
}
