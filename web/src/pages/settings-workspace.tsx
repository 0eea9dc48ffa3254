// The workspace's settings: time zone, reporting currency, attribution window. A new zone or
// window re-dates every number: the ledger is recomputed in the background.
import { useEffect, useState } from 'preact/hooks';
import { api, ApiError } from '../api/client';
import type { WorkspaceSettings } from '../api/types';
import { useToast } from '../components/toast';
import { Field } from '../components/ui';
import { useSession } from '../session';

const CURRENCIES = [
  'USD',
  'EUR',
  'GBP',
  'CAD',
  'AUD',
  'CHF',
  'JPY',
  'SEK',
  'NOK',
  'DKK',
  'NZD',
  'SGD',
  'INR',
  'BRL',
  'MXN',
  'ZAR',
  'PLN',
  'CZK',
  'HKD',
  'ILS',
];
const zones = (): string[] => {
  const supported =
    (Intl as unknown as { supportedValuesOf?: (k: string) => string[] }).supportedValuesOf?.('timeZone') ?? [];
  return ['UTC', ...supported.filter((z) => z !== 'UTC')];
};

export function WorkspaceForm({ workspace }: { workspace: WorkspaceSettings }) {
  const { refresh } = useSession();
  const toast = useToast();
  const [draft, setDraft] = useState(workspace);
  const [error, setError] = useState<ApiError | null>(null);
  const [saving, setSaving] = useState(false);
  useEffect(() => setDraft(workspace), [workspace]);
  const changed =
    draft.timeZone !== workspace.timeZone ||
    draft.reportingCurrency !== workspace.reportingCurrency ||
    draft.attributionWindowDays !== workspace.attributionWindowDays;
  const zoneList = zones();
  const currencies = CURRENCIES.includes(workspace.reportingCurrency)
    ? CURRENCIES
    : [workspace.reportingCurrency, ...CURRENCIES];

  const save = async (e: Event) => {
    e.preventDefault();
    setSaving(true);
    setError(null);
    try {
      const change: Partial<WorkspaceSettings> = {};
      if (draft.timeZone !== workspace.timeZone) change.timeZone = draft.timeZone;
      if (draft.reportingCurrency !== workspace.reportingCurrency) change.reportingCurrency = draft.reportingCurrency;
      if (draft.attributionWindowDays !== workspace.attributionWindowDays)
        change.attributionWindowDays = draft.attributionWindowDays;
      await api.patch<WorkspaceSettings>('/api/v1/workspace', change);
      const recompute = change.timeZone !== undefined || change.attributionWindowDays !== undefined;
      toast(recompute ? 'Saved. The ledger is being recomputed in the background.' : 'Settings saved.');
      await refresh();
    } catch (err) {
      setError(err as ApiError);
    } finally {
      setSaving(false);
    }
  };

  return (
    <form class="form-grid" onSubmit={(e) => void save(e)}>
      <Field
        id="ws-zone"
        label="Time zone"
        hint="The days of every report: an instant counts on the day it falls on in this zone."
      >
        <select
          id="ws-zone"
          class="select"
          value={draft.timeZone}
          aria-describedby="ws-zone-hint"
          onChange={(e) => setDraft({ ...draft, timeZone: (e.currentTarget as HTMLSelectElement).value })}
        >
          {(zoneList.includes(draft.timeZone) ? zoneList : [draft.timeZone, ...zoneList]).map((z) => (
            <option key={z} value={z}>
              {z.replace(/_/g, ' ')}
            </option>
          ))}
        </select>
      </Field>
      <Field id="ws-currency" label="Reporting currency" hint="Every amount is shown in it.">
        <select
          id="ws-currency"
          class="select"
          value={draft.reportingCurrency}
          aria-describedby="ws-currency-hint"
          onChange={(e) => setDraft({ ...draft, reportingCurrency: (e.currentTarget as HTMLSelectElement).value })}
        >
          {currencies.map((c) => (
            <option key={c} value={c}>
              {c}
            </option>
          ))}
        </select>
      </Field>
      <Field
        id="ws-window"
        label="Attribution window (days)"
        hint="How long before an opportunity was created a chat may still influence it."
      >
        <input
          id="ws-window"
          class="input"
          type="number"
          min={0}
          max={3650}
          step={1}
          required
          value={draft.attributionWindowDays}
          aria-describedby="ws-window-hint"
          onInput={(e) =>
            setDraft({ ...draft, attributionWindowDays: Number((e.currentTarget as HTMLInputElement).value) })
          }
        />
      </Field>
      <div class="form-actions">
        {error && (
          <p class="form-error" role="alert">
            {error.detail}
          </p>
        )}
        <button type="submit" class="button button-primary" disabled={!changed || saving}>
          {saving ? 'Saving…' : 'Save settings'}
        </button>
      </div>
    </form>
  );
}
