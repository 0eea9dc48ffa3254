// The ledger's filters, kept in the address: days, teams, measure, opportunity, reason, and "as
// of" (the ledger as it was recorded at an instant). The CSV export takes the same filters, and
// the dashboard's drill-downs open the ledger with the period, the teams and the measure set.
import { useEffect, useState } from 'preact/hooks';
import { query } from '../api/client';
import type { Team } from '../api/types';
import { Icon } from '../components/icons';
import { TeamFilter } from '../components/team-filter';
import { measureLabel, REASON_CODES, reasonLabel } from '../lib/format';

export interface LedgerFilters {
  from: string;
  to: string;
  /** Comma-separated team ids; '' for all teams. */
  teams: string;
  measure: string;
  opportunityId: string;
  reason: string;
  asOf: string;
}

export const EMPTY_FILTERS: LedgerFilters = {
  from: '',
  to: '',
  teams: '',
  measure: '',
  opportunityId: '',
  reason: '',
  asOf: '',
};

export const filtersFrom = (q: URLSearchParams): LedgerFilters => ({
  from: q.get('from') ?? '',
  to: q.get('to') ?? '',
  teams: q.get('teams') ?? '',
  measure: q.get('measure') ?? '',
  opportunityId: q.get('opportunityId') ?? '',
  reason: q.get('reason') ?? '',
  asOf: q.get('asOf') ?? '',
});

export const filtersQuery = (f: LedgerFilters) => query({ ...f });

/** A datetime-local value (the browser's zone) as an ISO instant, and back. */
const toInstant = (local: string) => (local ? new Date(local).toISOString() : '');
const toLocal = (iso: string) => {
  if (!iso) return '';
  const d = new Date(iso);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
};

export function LedgerFilterForm({
  value,
  teams,
  onApply,
}: {
  value: LedgerFilters;
  teams: Team[] | null;
  onApply: (f: LedgerFilters) => void;
}) {
  const [draft, setDraft] = useState(value);
  useEffect(() => setDraft(value), [Object.values(value).join('|')]);
  const set = (k: keyof LedgerFilters) => (e: Event) =>
    setDraft({ ...draft, [k]: (e.currentTarget as HTMLInputElement).value });
  const active = Object.values(value).some(Boolean);
  return (
    <form
      class="filters"
      onSubmit={(e) => {
        e.preventDefault();
        onApply({ ...draft, opportunityId: draft.opportunityId.trim() });
      }}
    >
      <div class="field">
        <label for="f-from">From day</label>
        <input id="f-from" type="date" class="input" value={draft.from} onInput={set('from')} />
      </div>
      <div class="field">
        <label for="f-to">To day</label>
        <input id="f-to" type="date" class="input" value={draft.to} onInput={set('to')} />
      </div>
      {teams && (
        <div class="field">
          <span class="field-label" id="f-teams-label">
            Teams
          </span>
          <TeamFilter
            teams={teams}
            selected={draft.teams ? draft.teams.split(',') : null}
            onChange={(t) => setDraft({ ...draft, teams: t?.join(',') ?? '' })}
          />
        </div>
      )}
      <div class="field">
        <label for="f-measure">Measure</label>
        <select id="f-measure" class="select" value={draft.measure} onChange={set('measure')}>
          <option value="">Both measures</option>
          {['pipeline', 'closed_won'].map((m) => (
            <option key={m} value={m}>
              {measureLabel(m)}
            </option>
          ))}
        </select>
      </div>
      <div class="field field-wide">
        <label for="f-opp">Opportunity id</label>
        <input
          id="f-opp"
          class="input"
          placeholder="006…"
          value={draft.opportunityId}
          onInput={set('opportunityId')}
          spellcheck={false}
        />
      </div>
      <div class="field">
        <label for="f-reason">Reason</label>
        <select id="f-reason" class="select" value={draft.reason} onChange={set('reason')}>
          <option value="">Any reason</option>
          {REASON_CODES.map((r) => (
            <option key={r} value={r}>
              {reasonLabel(r)}
            </option>
          ))}
        </select>
      </div>
      <div class="field">
        <label for="f-asof">As recorded at</label>
        <input
          id="f-asof"
          type="datetime-local"
          class="input"
          value={toLocal(draft.asOf)}
          onInput={(e) => setDraft({ ...draft, asOf: toInstant((e.currentTarget as HTMLInputElement).value) })}
          aria-describedby="f-asof-hint"
        />
        <span id="f-asof-hint" class="visually-hidden">
          Shows only the entries recorded by then: what the ledger said at that instant.
        </span>
      </div>
      <div class="filter-actions">
        <button type="submit" class="button button-primary">
          <Icon name="check" size={16} /> Apply
        </button>
        {active && (
          <button type="button" class="button button-ghost" onClick={() => onApply(EMPTY_FILTERS)}>
            Clear
          </button>
        )}
      </div>
    </form>
  );
}
