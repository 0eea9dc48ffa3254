// Sign in with the email and password a workspace admin created (npm run cli -- users:create),
// or, beside the local test Salesforce, explore the demo workspace's sample data.
import { useEffect, useState } from 'preact/hooks';
import { api, ApiError } from '../api/client';
import type { AuthOptions, Me } from '../api/types';
import { Brand } from '../components/layout';

export function SignInPage({ options, onSignedIn }: { options: AuthOptions; onSignedIn: (me: Me) => void }) {
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [workspaces, setWorkspaces] = useState<{ slug: string; name: string }[] | null>(null);
  const [workspace, setWorkspace] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState<'password' | 'demo' | null>(null);
  useEffect(() => {
    document.title = 'Sign in · Chat revenue attribution';
  }, []);

  const run = async (kind: 'password' | 'demo', call: () => Promise<Me>) => {
    setBusy(kind);
    setError(null);
    try {
      onSignedIn(await call());
    } catch (err) {
      const e = err as ApiError;
      if (e.status === 409 && Array.isArray(e.body.workspaces)) {
        setWorkspaces(e.body.workspaces as { slug: string; name: string }[]);
        setError('This email opens several workspaces: choose one, then sign in again.');
      } else setError(e.detail);
      setBusy(null);
    }
  };

  return (
    <main class="auth-page" id="main">
      <div class="auth-card">
        <Brand />
        <h1 tabIndex={-1}>Sign in</h1>
        <p class="muted">Pipeline and closed-won influenced by your website chat, from your Salesforce org.</p>
        <form
          onSubmit={(e) => {
            e.preventDefault();
            void run('password', () =>
              api.post<Me>('/auth/sign-in', { email, password, ...(workspace ? { workspace } : {}) }),
            );
          }}
        >
          <div class="field">
            <label for="email">Email</label>
            <input
              id="email"
              class="input"
              type="email"
              autocomplete="username"
              required
              value={email}
              onInput={(e) => setEmail((e.currentTarget as HTMLInputElement).value)}
            />
          </div>
          <div class="field">
            <label for="password">Password</label>
            <input
              id="password"
              class="input"
              type="password"
              autocomplete="current-password"
              required
              value={password}
              onInput={(e) => setPassword((e.currentTarget as HTMLInputElement).value)}
            />
          </div>
          {workspaces && (
            <div class="field">
              <label for="workspace">Workspace</label>
              <select
                id="workspace"
                class="select"
                required
                value={workspace}
                onChange={(e) => setWorkspace((e.currentTarget as HTMLSelectElement).value)}
              >
                <option value="">Choose a workspace</option>
                {workspaces.map((w) => (
                  <option key={w.slug} value={w.slug}>
                    {w.name} ({w.slug})
                  </option>
                ))}
              </select>
            </div>
          )}
          {!workspaces && (
            // Without a workspace named, the password is checked against the one the email last
            // opened; a different password in another workspace needs that workspace named.
            <details class="field">
              <summary>Sign in to a particular workspace</summary>
              <label for="workspace-slug">Workspace id</label>
              <input
                id="workspace-slug"
                class="input"
                autocomplete="off"
                placeholder="acme"
                value={workspace}
                onInput={(e) => setWorkspace((e.currentTarget as HTMLInputElement).value.trim())}
              />
            </details>
          )}
          <p class="form-error" role="alert" aria-live="assertive">
            {error ?? ''}
          </p>
          <button type="submit" class="button button-primary button-block" disabled={busy !== null}>
            {busy === 'password' ? 'Signing in…' : 'Sign in'}
          </button>
        </form>
        <p class="muted small">
          No account? Your workspace admin creates one with <code>npm run cli -- users:create</code>.
        </p>
        {options.demo && (
          <div class="demo-entry">
            <div class="divider">
              <span>or</span>
            </div>
            <button
              type="button"
              class="button button-secondary button-block"
              disabled={busy !== null}
              onClick={() => void run('demo', () => api.post<Me>('/auth/demo'))}
            >
              {busy === 'demo' ? 'Opening the demo…' : 'Explore the demo workspace'}
            </button>
            <p class="muted small">
              <span class="demo-badge">Demo data</span> Sample data from the local test Salesforce — not a real org, and
              kept apart from every real workspace.
            </p>
          </div>
        )}
      </div>
    </main>
  );
}
