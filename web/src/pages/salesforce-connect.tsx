// Connect (or reconnect) the org: a POST (CSRF-protected) starts the flow and returns
// Salesforce's consent URL, which the browser then opens; Salesforce sends the browser back to
// our callback, whose page offers "Continue" back here. Only this browser can finish the flow.
import { useState } from 'preact/hooks';
import { api, ApiError } from '../api/client';
import { Icon } from '../components/icons';

type Environment = 'production' | 'sandbox' | 'custom';

export type { Environment };

export function ConnectForm({
  label,
  initial,
}: {
  label: string;
  /** The login choice a link preset (the CLI's salesforce:connect prints one). */
  initial?: { environment: Environment; domain?: string };
}) {
  const [environment, setEnvironment] = useState<Environment>(initial?.environment ?? 'production');
  const [domain, setDomain] = useState(initial?.domain ?? '');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  return (
    <form
      class="connect-form"
      onSubmit={async (e) => {
        e.preventDefault();
        setBusy(true);
        setError(null);
        try {
          const { authorizeUrl } = await api.post<{ authorizeUrl: string }>('/api/v1/salesforce/authorize', {
            environment,
            ...(environment === 'custom' ? { domain: domain.trim() } : {}),
            returnTo: '/salesforce',
          });
          window.location.assign(authorizeUrl);
        } catch (err) {
          setBusy(false);
          setError(
            err instanceof ApiError ? err.message : 'Could not start the connection: check your network and try again.',
          );
        }
      }}
    >
      <fieldset class="radio-cards">
        <legend>Where do your users sign in to Salesforce?</legend>
        {(
          [
            ['production', 'Production', 'login.salesforce.com'],
            ['sandbox', 'Sandbox', 'test.salesforce.com'],
            ['custom', 'My Domain', 'your-company.my.salesforce.com'],
          ] as const
        ).map(([value, title, hint]) => (
          <label key={value} class={`radio-card ${environment === value ? 'active' : ''}`}>
            <input
              type="radio"
              name="environment"
              value={value}
              checked={environment === value}
              onChange={() => setEnvironment(value)}
            />
            <span>
              <strong>{title}</strong>
              <span class="muted small">{hint}</span>
            </span>
          </label>
        ))}
      </fieldset>
      {environment === 'custom' && (
        <div class="field">
          <label for="sf-domain">My Domain</label>
          <input
            id="sf-domain"
            class="input"
            required
            placeholder="acme.my.salesforce.com"
            value={domain}
            spellcheck={false}
            onInput={(e) => setDomain((e.currentTarget as HTMLInputElement).value)}
          />
        </div>
      )}
      {error && (
        <p class="form-error" role="alert">
          {error}
        </p>
      )}
      <button type="submit" class="button button-primary" disabled={busy}>
        <Icon name="plug" size={16} /> {label}
      </button>
      <p class="muted small">
        Salesforce asks you to allow access. We only read: opportunities and their history, contact roles, contacts and
        leads. Nothing is written to your org.
      </p>
    </form>
  );
}
