// Teams: the ids the chat product sends, with names people recognise. Ingestion adds each team it
// sees; a team with conversations cannot be removed (the numbers count it), only renamed.
import { useState } from 'preact/hooks';
import { api, ApiError } from '../api/client';
import type { Team } from '../api/types';
import { ConfirmDialog } from '../components/dialog';
import { ErrorState } from '../components/states';
import { useToast } from '../components/toast';
import { Mono } from '../components/ui';

export function TeamsEditor({ teams, reload }: { teams: Team[]; reload: () => void }) {
  const toast = useToast();
  const [names, setNames] = useState<Record<string, string>>({});
  const [newTeam, setNewTeam] = useState({ id: '', name: '' });
  const [removing, setRemoving] = useState<Team | null>(null);
  const [error, setError] = useState<ApiError | null>(null);

  const save = async (team: { id: string; name: string }, message: string) => {
    setError(null);
    try {
      await api.post('/api/v1/teams', team);
      toast(message);
      reload();
      return true;
    } catch (err) {
      setError(err as ApiError);
      return false;
    }
  };
  const remove = async () => {
    if (!removing) return;
    try {
      await api.delete(`/api/v1/teams/${encodeURIComponent(removing.id)}`);
      toast(`Team ${removing.name} removed.`);
      reload();
    } catch (err) {
      setError(err as ApiError);
    } finally {
      setRemoving(null);
    }
  };

  return (
    <>
      {error && <ErrorState error={error} title="The team was not changed" />}
      <ul class="edit-list">
        {teams.map((t) => {
          const name = names[t.id] ?? t.name;
          return (
            <li key={t.id}>
              <form
                class="inline-form"
                onSubmit={(e) => {
                  e.preventDefault();
                  void save({ id: t.id, name }, `Team ${t.id} renamed.`);
                }}
              >
                <Mono>{t.id}</Mono>
                <label class="visually-hidden" for={`team-${t.id}`}>
                  Name of team {t.id}
                </label>
                <input
                  id={`team-${t.id}`}
                  class="input"
                  value={name}
                  required
                  maxLength={200}
                  onInput={(e) => setNames({ ...names, [t.id]: (e.currentTarget as HTMLInputElement).value })}
                />
                <button
                  type="submit"
                  class="button button-secondary button-small"
                  disabled={name.trim() === t.name || !name.trim()}
                >
                  Rename
                </button>
                {t.removable ? (
                  <button
                    type="button"
                    class="button button-ghost button-small"
                    onClick={() => setRemoving(t)}
                    aria-label={`Remove team ${t.name}`}
                  >
                    Remove
                  </button>
                ) : (
                  <span class="muted small" title="A team with conversations stays in the reports: rename it instead">
                    Has chats
                  </span>
                )}
              </form>
            </li>
          );
        })}
      </ul>
      <form
        class="inline-form add-form"
        onSubmit={(e) => {
          e.preventDefault();
          void save(newTeam, `Team ${newTeam.name} added.`).then((ok) => ok && setNewTeam({ id: '', name: '' }));
        }}
      >
        <label class="visually-hidden" for="new-team-id">
          New team id
        </label>
        <input
          id="new-team-id"
          class="input"
          placeholder="Team id"
          aria-describedby="new-team-hint"
          required
          value={newTeam.id}
          onInput={(e) => setNewTeam({ ...newTeam, id: (e.currentTarget as HTMLInputElement).value })}
        />
        <label class="visually-hidden" for="new-team-name">
          New team name
        </label>
        <input
          id="new-team-name"
          class="input"
          placeholder="Name"
          required
          value={newTeam.name}
          onInput={(e) => setNewTeam({ ...newTeam, name: (e.currentTarget as HTMLInputElement).value })}
        />
        <button type="submit" class="button button-secondary">
          Add team
        </button>
        <p id="new-team-hint" class="field-hint add-hint">
          The id is the one the chat product sends as <code>teamId</code>.
        </p>
      </form>
      <ConfirmDialog
        open={removing !== null}
        title={`Remove team ${removing?.name ?? ''}?`}
        confirmLabel="Remove team"
        danger
        onConfirm={() => void remove()}
        onCancel={() => setRemoving(null)}
      >
        <p>
          Only a team without conversations can be removed. A team with conversations stays in the reports: rename it
          instead.
        </p>
      </ConfirmDialog>
    </>
  );
}
