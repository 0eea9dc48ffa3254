// API keys for machines (the chat product, a BI tool): created here with scopes and, optionally,
// teams; the key is shown once, with a copy button. Revoking asks first.
import { useRef, useState } from 'preact/hooks';
import { api, ApiError } from '../api/client';
import type { ApiKey, Scope, Team } from '../api/types';
import { ConfirmDialog } from '../components/dialog';
import { ShownOnceDialog } from '../components/shown-once';
import { EmptyState, ErrorState } from '../components/states';
import { useToast } from '../components/toast';
import { Mono, Pill } from '../components/ui';
import { relative } from '../lib/format';

const SCOPES: { value: Scope; label: string }[] = [
  { value: 'conversations:write', label: 'Send conversations' },
  { value: 'dashboard:read', label: 'Read the dashboard and leaderboard' },
  { value: 'ledger:read', label: 'Read the ledger' },
  { value: 'admin', label: 'Administer the workspace' },
];

function CreateKeyForm({ teams, onCreated }: { teams: Team[]; onCreated: (key: string) => void }) {
  const [name, setName] = useState('');
  const [scopes, setScopes] = useState<Scope[]>(['conversations:write']);
  const [onlyTeams, setOnlyTeams] = useState<string[]>([]);
  const [error, setError] = useState<ApiError | null>(null);
  const toggle = <T,>(list: T[], v: T) => (list.includes(v) ? list.filter((x) => x !== v) : [...list, v]);
  return (
    <form
      class="key-form"
      onSubmit={(e) => {
        e.preventDefault();
        setError(null);
        api
          .post<{ key: string; apiKey: ApiKey }>('/api/v1/admin/api-keys', {
            name,
            scopes,
            teams: onlyTeams.length > 0 ? onlyTeams : null,
          })
          .then(
            (r) => {
              setName('');
              onCreated(r.key);
            },
            (err) => setError(err as ApiError),
          );
      }}
    >
      <div class="field">
        <label for="key-name">Name</label>
        <input
          id="key-name"
          class="input"
          required
          maxLength={100}
          placeholder="Who uses it, e.g. “Chat product webhook”"
          value={name}
          onInput={(e) => setName((e.currentTarget as HTMLInputElement).value)}
        />
      </div>
      <fieldset class="checks">
        <legend>Scopes</legend>
        {SCOPES.map((s) => (
          <label key={s.value} class="check">
            <input
              type="checkbox"
              checked={scopes.includes(s.value)}
              onChange={() => setScopes(toggle(scopes, s.value))}
            />
            <span>
              {s.label} <Mono>{s.value}</Mono>
            </span>
          </label>
        ))}
      </fieldset>
      {teams.length > 0 && (
        <fieldset class="checks">
          <legend>
            Teams it may see <span class="muted small">(none ticked: all teams)</span>
          </legend>
          {teams.map((t) => (
            <label key={t.id} class="check">
              <input
                type="checkbox"
                checked={onlyTeams.includes(t.id)}
                onChange={() => setOnlyTeams(toggle(onlyTeams, t.id))}
              />
              <span>{t.name}</span>
            </label>
          ))}
        </fieldset>
      )}
      {error && (
        <p class="form-error" role="alert">
          {error.detail}
        </p>
      )}
      <button type="submit" class="button button-primary" disabled={!name.trim() || scopes.length === 0}>
        Create key
      </button>
    </form>
  );
}

export function ApiKeys({ keys, teams, reload }: { keys: ApiKey[]; teams: Team[]; reload: () => void }) {
  const toast = useToast();
  const [created, setCreated] = useState<string | null>(null);
  const [revoking, setRevoking] = useState<ApiKey | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const active = keys.filter((k) => !k.revokedAt);
  const form = useRef<HTMLDetailsElement>(null);

  const revoke = async () => {
    if (!revoking) return;
    try {
      await api.delete(`/api/v1/admin/api-keys/${revoking.id}`);
      toast(`Key ${revoking.name} revoked.`);
      reload();
    } catch (err) {
      setError(err as ApiError);
    } finally {
      setRevoking(null);
    }
  };

  return (
    <>
      {error && <ErrorState error={error} title="The key was not revoked" />}
      {keys.length === 0 ? (
        <EmptyState title="No API keys yet">
          Create one for the chat product to send conversations, or for a BI tool to read the numbers.
        </EmptyState>
      ) : (
        <div class="table-wrap" tabIndex={0} role="region" aria-label="API keys">
          <table class="table">
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Key</th>
                <th scope="col">Scopes</th>
                <th scope="col">Last used</th>
                <th scope="col">
                  <span class="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {[...active, ...keys.filter((k) => k.revokedAt)].map((k) => (
                <tr key={k.id} class={k.revokedAt ? 'revoked' : ''}>
                  <th scope="row">
                    {k.name}
                    {k.teams && <div class="muted small">Teams: {k.teams.join(', ')}</div>}
                  </th>
                  <td>
                    <Mono>{k.prefix}_…</Mono>
                  </td>
                  <td>
                    {k.scopes.map((s) => (
                      <Pill key={s}>{s}</Pill>
                    ))}
                  </td>
                  <td class="muted">{k.revokedAt ? `Revoked ${relative(k.revokedAt)}` : relative(k.lastUsedAt)}</td>
                  <td class="num">
                    {!k.revokedAt && (
                      <button
                        type="button"
                        class="button button-ghost button-small"
                        onClick={() => setRevoking(k)}
                        aria-label={`Revoke key ${k.name}`}
                      >
                        Revoke
                      </button>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <details class="create-key" ref={form}>
        <summary class="button button-secondary">New API key</summary>
        <CreateKeyForm
          teams={teams}
          onCreated={(key) => {
            setCreated(key);
            if (form.current) form.current.open = false;
            reload();
          }}
        />
      </details>

      <ShownOnceDialog
        value={created}
        title="Your new API key"
        what="Key"
        testId="new-key"
        onClose={() => setCreated(null)}
      >
        <p>This is the only time the key is shown. Store it in your secret manager now; only a hash is kept here.</p>
        <p class="muted small">
          Send it as <code>Authorization: Bearer …</code>.
        </p>
      </ShownOnceDialog>
      <ConfirmDialog
        open={revoking !== null}
        title={`Revoke ${revoking?.name ?? 'this key'}?`}
        confirmLabel="Revoke key"
        danger
        onConfirm={() => void revoke()}
        onCancel={() => setRevoking(null)}
      >
        <p>Requests with this key are refused from now on. This cannot be undone: whoever uses it needs a new key.</p>
      </ConfirmDialog>
    </>
  );
}
