// After an admin's reset, the temporary password opens this page only: the person chooses their
// own password before anything else (the API refuses every other call until then).
import { useEffect } from 'preact/hooks';
import type { Me } from '../api/types';
import { Brand } from '../components/layout';
import { PasswordChangeForm } from '../components/password-form';

export function NewPasswordPage({
  me,
  onChanged,
  onSignOut,
}: {
  me: Me;
  onChanged: (me: Me) => void;
  onSignOut: () => void;
}) {
  useEffect(() => {
    document.title = 'Choose a new password · Chat revenue attribution';
  }, []);
  return (
    <main class="auth-page" id="main">
      <div class="auth-card">
        <Brand />
        <h1 tabIndex={-1}>Choose a new password</h1>
        <p class="muted">
          An admin of {me.workspace.name} reset the password of {me.user.email}. Choose your own now; the temporary one
          stops working.
        </p>
        <PasswordChangeForm currentLabel="Temporary password" submitLabel="Set password" onChanged={onChanged} />
        <button type="button" class="button button-ghost button-block" onClick={onSignOut}>
          Sign out
        </button>
      </div>
    </main>
  );
}
