// The people of the workspace: everyone signed in administers it, so each may reset another's
// password to a temporary one, shown once, which that person replaces at their next sign-in
// (POST /api/v1/admin/users/{id}/password-reset). One's own password is changed beside it.
import { useState } from 'preact/hooks';
import { api, ApiError } from '../api/client';
import type { WorkspaceUser } from '../api/types';
import { ConfirmDialog } from '../components/dialog';
import { ShownOnceDialog } from '../components/shown-once';
import { ErrorState } from '../components/states';
import { Pill } from '../components/ui';
import { relative } from '../lib/format';

export function UsersList({ users, reload }: { users: WorkspaceUser[]; reload: () => void }) {
  const [resetting, setResetting] = useState<WorkspaceUser | null>(null);
  const [shown, setShown] = useState<{ password: string; email: string; expiresAt: string } | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const [busy, setBusy] = useState(false);

  const reset = async () => {
    if (!resetting) return;
    setBusy(true);
    setError(null);
    try {
      const r = await api.post<{ temporaryPassword: string; expiresAt: string }>(
        `/api/v1/admin/users/${resetting.id}/password-reset`,
      );
      setShown({ password: r.temporaryPassword, email: resetting.email, expiresAt: r.expiresAt });
      reload();
    } catch (err) {
      setError(err as ApiError);
    } finally {
      setBusy(false);
      setResetting(null);
    }
  };

  return (
    <>
      {error && <ErrorState error={error} title="The password was not reset" />}
      <div class="table-wrap" tabIndex={0} role="region" aria-label="Users">
        <table class="table">
          <thead>
            <tr>
              <th scope="col">Person</th>
              <th scope="col">Last sign-in</th>
              <th scope="col">
                <span class="visually-hidden">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {users.map((u) => (
              <tr key={u.id} data-user={u.email}>
                <th scope="row">
                  {u.name} {u.you && <Pill>You</Pill>}
                  <div class="muted small">{u.email}</div>
                  {u.passwordChangeRequired && <div class="small">Temporary password: not replaced yet</div>}
                </th>
                <td class="muted">{relative(u.lastSignInAt)}</td>
                <td class="num">
                  {!u.you && (
                    <button
                      type="button"
                      class="button button-ghost button-small"
                      onClick={() => setResetting(u)}
                      aria-label={`Reset the password of ${u.email}`}
                    >
                      Reset password
                    </button>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <p class="muted small">
        Add people with <code>npm run cli -- users:create</code>. Your own password is changed under “Your password”.
      </p>
      <ConfirmDialog
        open={resetting !== null}
        title={`Reset the password of ${resetting?.email ?? 'this user'}?`}
        confirmLabel="Reset password"
        danger
        busy={busy}
        onConfirm={() => void reset()}
        onCancel={() => setResetting(null)}
      >
        <p>
          Their sessions end now and their password stops working. You get a temporary password to give them; it lasts a
          day, and they choose their own when they sign in with it.
        </p>
      </ConfirmDialog>
      <ShownOnceDialog
        value={shown?.password ?? null}
        title={`Temporary password for ${shown?.email ?? ''}`}
        what="Password"
        testId="temporary-password"
        onClose={() => setShown(null)}
      >
        <p>
          This is the only time it is shown. Give it to them by a channel you trust; it works until{' '}
          {shown ? new Date(shown.expiresAt).toLocaleString() : ''}, once.
        </p>
      </ShownOnceDialog>
    </>
  );
}
