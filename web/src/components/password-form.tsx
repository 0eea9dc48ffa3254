// The form that changes the signed-in user's password (POST /auth/password): the current one, the
// new one twice. The policy (at least 12 characters) is the server's; it is checked here too only
// to answer before a round trip.
import { useState } from 'preact/hooks';
import { api, ApiError } from '../api/client';
import type { Me } from '../api/types';

const MIN = 12;

export function PasswordChangeForm({
  currentLabel = 'Current password',
  submitLabel = 'Change password',
  onChanged,
}: {
  currentLabel?: string;
  submitLabel?: string;
  onChanged: (me: Me) => void;
}) {
  const [current, setCurrent] = useState('');
  const [next, setNext] = useState('');
  const [again, setAgain] = useState('');
  const [error, setError] = useState('');
  const [busy, setBusy] = useState(false);
  const value = (e: Event) => (e.currentTarget as HTMLInputElement).value;
  return (
    <form
      class="password-form"
      onSubmit={(e) => {
        e.preventDefault();
        if (next.length < MIN) return setError(`Use at least ${MIN} characters for the new password.`);
        if (next !== again) return setError('The two new passwords differ: type the same one twice.');
        setError('');
        setBusy(true);
        api.post<Me>('/auth/password', { currentPassword: current, newPassword: next }).then(
          (me) => {
            setCurrent('');
            setNext('');
            setAgain('');
            setBusy(false);
            onChanged(me);
          },
          (err: ApiError) => {
            setError(err.detail);
            setBusy(false);
          },
        );
      }}
    >
      <div class="field">
        <label for="pw-current">{currentLabel}</label>
        <input
          id="pw-current"
          class="input"
          type="password"
          autocomplete="current-password"
          required
          value={current}
          onInput={(e) => setCurrent(value(e))}
        />
      </div>
      <div class="field">
        <label for="pw-new">New password</label>
        <input
          id="pw-new"
          class="input"
          type="password"
          autocomplete="new-password"
          required
          minLength={MIN}
          aria-describedby="pw-policy"
          value={next}
          onInput={(e) => setNext(value(e))}
        />
        <p id="pw-policy" class="muted small">
          At least {MIN} characters. Your other sessions end when it changes.
        </p>
      </div>
      <div class="field">
        <label for="pw-again">New password again</label>
        <input
          id="pw-again"
          class="input"
          type="password"
          autocomplete="new-password"
          required
          value={again}
          onInput={(e) => setAgain(value(e))}
        />
      </div>
      <p class="form-error" role="alert" aria-live="assertive">
        {error}
      </p>
      <button type="submit" class="button button-primary" disabled={busy}>
        {busy ? 'Changing…' : submitLabel}
      </button>
    </form>
  );
}
