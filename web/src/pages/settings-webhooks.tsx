// Webhook signing secrets for the chat product's pushes (POST /webhooks/chat): listed without the
// secret, created and shown once with a copy button, rotated with an overlap (the new secret is
// made while the old one stays active, since a signature from any active secret is accepted), and
// revoked once the chat product signs with the new one.
import { useState } from 'preact/hooks';
import { api, ApiError } from '../api/client';
import type { WebhookSecret } from '../api/types';
import { ConfirmDialog } from '../components/dialog';
import { ShownOnceDialog } from '../components/shown-once';
import { EmptyState, ErrorState } from '../components/states';
import { useToast } from '../components/toast';
import { Mono, Pill } from '../components/ui';
import { relative } from '../lib/format';

const PATH = '/api/v1/admin/webhook-secrets';
const label = (s: WebhookSecret) => `secret ${s.id.slice(0, 8)}`;

export function WebhookSecrets({
  secrets,
  slug,
  reload,
}: {
  secrets: WebhookSecret[];
  slug: string;
  reload: () => void;
}) {
  const toast = useToast();
  const [created, setCreated] = useState<{ secret: string; rotated: boolean } | null>(null);
  const [revoking, setRevoking] = useState<WebhookSecret | null>(null);
  const [error, setError] = useState<{ title: string; error: ApiError } | null>(null);
  const active = secrets.filter((s) => !s.revokedAt);
  const newest = active[0];

  const create = async (rotated: boolean) => {
    setError(null);
    try {
      const r = await api.post<{ secret: string; webhookSecret: WebhookSecret }>(PATH);
      setCreated({ secret: r.secret, rotated });
      reload();
    } catch (err) {
      setError({ title: 'No secret was created', error: err as ApiError });
    }
  };
  const revoke = async () => {
    if (!revoking) return;
    try {
      await api.delete(`${PATH}/${revoking.id}`);
      toast(`Webhook ${label(revoking)} revoked.`);
      reload();
    } catch (err) {
      setError({ title: 'The secret was not revoked', error: err as ApiError });
    } finally {
      setRevoking(null);
    }
  };

  return (
    <>
      {error && <ErrorState error={error.error} title={error.title} />}
      <p class="muted small">
        The chat product signs each push to <Mono>/webhooks/chat?workspace={slug}</Mono> with one of these (Standard
        Webhooks). Any active secret is accepted, so a rotation loses no delivery.
      </p>
      {secrets.length === 0 ? (
        <EmptyState title="No webhook secrets yet">
          Create one when the chat product pushes conversations by webhook instead of calling the API with a key.
        </EmptyState>
      ) : (
        <div class="table-wrap" tabIndex={0} role="region" aria-label="Webhook secrets">
          <table class="table">
            <thead>
              <tr>
                <th scope="col">Secret</th>
                <th scope="col">Created</th>
                <th scope="col">State</th>
                <th scope="col">
                  <span class="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {[...active, ...secrets.filter((s) => s.revokedAt)].map((s) => (
                <tr key={s.id} class={s.revokedAt ? 'revoked' : ''} data-secret={s.id}>
                  <th scope="row">
                    <Mono>{s.id.slice(0, 8)}…</Mono>
                  </th>
                  <td class="muted">{relative(s.createdAt)}</td>
                  <td>
                    {s.revokedAt ? (
                      <span class="muted">Revoked {relative(s.revokedAt)}</span>
                    ) : s === newest ? (
                      <Pill>Active</Pill>
                    ) : (
                      <span>Active, older: revoke it once the chat product signs with the newest</span>
                    )}
                  </td>
                  <td class="num">
                    {!s.revokedAt && (
                      <button
                        type="button"
                        class="button button-ghost button-small"
                        onClick={() => setRevoking(s)}
                        aria-label={`Revoke webhook ${label(s)}`}
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
      <div class="row-actions">
        {newest ? (
          <button type="button" class="button button-secondary" onClick={() => void create(true)}>
            Rotate secret
          </button>
        ) : (
          <button type="button" class="button button-secondary" onClick={() => void create(false)}>
            New webhook secret
          </button>
        )}
      </div>

      <ShownOnceDialog
        value={created?.secret ?? null}
        title="Your new webhook secret"
        what="Secret"
        testId="new-webhook-secret"
        onClose={() => setCreated(null)}
      >
        <p>
          This is the only time the secret is shown. Configure it in the chat product now; it is kept encrypted here.
        </p>
        {created?.rotated && (
          <p>
            The older secret stays active, so deliveries signed with it still arrive. Revoke it here once the chat
            product signs with this one.
          </p>
        )}
      </ShownOnceDialog>
      <ConfirmDialog
        open={revoking !== null}
        title={`Revoke webhook ${revoking ? label(revoking) : 'secret'}?`}
        confirmLabel="Revoke secret"
        danger
        onConfirm={() => void revoke()}
        onCancel={() => setRevoking(null)}
      >
        <p>
          Pushes signed with this secret are refused from now on.
          {active.length <= 1 && ' It is the only active one: webhooks stop until you create another.'}
        </p>
      </ConfirmDialog>
    </>
  );
}
