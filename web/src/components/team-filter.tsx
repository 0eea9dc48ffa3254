// The team filter: every team the user may see is selected by default (no `teams` parameter:
// "all teams", including ones added later); unticking narrows the set. At least one stays ticked.
import { useEffect, useRef } from 'preact/hooks';
import type { Team } from '../api/types';
import { Icon } from './icons';

export function TeamFilter({
  teams,
  selected,
  onChange,
}: {
  teams: Team[];
  selected: string[] | null;
  onChange: (teams: string[] | null) => void;
}) {
  const ref = useRef<HTMLDetailsElement>(null);
  useEffect(() => {
    const close = (e: Event) => {
      const d = ref.current;
      if (!d?.open) return;
      if (e instanceof KeyboardEvent ? e.key === 'Escape' : !d.contains(e.target as Node)) {
        d.open = false;
        if (e instanceof KeyboardEvent) d.querySelector('summary')?.focus();
      }
    };
    document.addEventListener('click', close);
    document.addEventListener('keydown', close);
    return () => {
      document.removeEventListener('click', close);
      document.removeEventListener('keydown', close);
    };
  }, []);

  const ticked = (id: string) => selected === null || selected.includes(id);
  const toggle = (id: string) => {
    const current = selected ?? teams.map((t) => t.id);
    const next = current.includes(id) ? current.filter((t) => t !== id) : [...current, id];
    if (next.length === 0) return;
    onChange(next.length === teams.length ? null : teams.map((t) => t.id).filter((t) => next.includes(t)));
  };
  const summary =
    selected === null
      ? 'All teams'
      : selected.length === 1
        ? (teams.find((t) => t.id === selected[0])?.name ?? selected[0])
        : `${selected.length} teams`;

  return (
    <details class="popover team-filter" ref={ref}>
      <summary class="button button-secondary" aria-label={`Teams: ${summary}`}>
        <span class="muted">Teams:</span> {summary} <Icon name="chevron" size={16} />
      </summary>
      <div class="popover-panel">
        <fieldset>
          <legend>Count chats of</legend>
          {teams.length === 0 && <p class="muted small">No teams yet: they appear with the first conversations.</p>}
          {teams.map((t) => (
            <label key={t.id} class="check">
              <input
                type="checkbox"
                name="team"
                value={t.id}
                checked={ticked(t.id)}
                disabled={ticked(t.id) && selected !== null && selected.length === 1}
                onChange={() => toggle(t.id)}
              />
              <span>{t.name}</span>
              {t.name !== t.id && <span class="muted small">{t.id}</span>}
            </label>
          ))}
        </fieldset>
        {selected !== null && (
          <button type="button" class="button button-ghost button-small" onClick={() => onChange(null)}>
            Select all teams
          </button>
        )}
        <p class="muted small">An opportunity counts once, however many of the teams touched it.</p>
      </div>
    </details>
  );
}
