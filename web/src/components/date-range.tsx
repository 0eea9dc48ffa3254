// The date range: presets of complete days ending yesterday in the workspace's zone, or two dates.
import { useState } from 'preact/hooks';
import { daysBetween, PRESETS, presetRange, type DayRange, type Preset } from '../lib/days';

export const MAX_RANGE_DAYS = 732;

export function DateRangePicker({
  value,
  preset,
  timeZone,
  onChange,
}: {
  value: DayRange;
  preset: Preset;
  timeZone: string;
  onChange: (range: DayRange, preset: Preset) => void;
}) {
  const [draft, setDraft] = useState(value);
  const invalid =
    draft.from > draft.to
      ? 'The first day must be on or before the last day.'
      : daysBetween(draft.from, draft.to) + 1 > MAX_RANGE_DAYS
        ? `Choose at most ${MAX_RANGE_DAYS} days.`
        : null;
  return (
    <div class="date-range">
      <label class="visually-hidden" for="range-preset">
        Date range
      </label>
      <select
        id="range-preset"
        class="select"
        value={preset}
        onChange={(e) => {
          const p = (e.currentTarget as HTMLSelectElement).value as Preset;
          if (p === 'custom') {
            setDraft(value);
            onChange(value, 'custom');
          } else onChange(presetRange(p, timeZone), p);
        }}
      >
        {PRESETS.map((p) => (
          <option key={p.id} value={p.id}>
            {p.label}
          </option>
        ))}
      </select>
      {preset === 'custom' && (
        <form
          class="date-inputs"
          onSubmit={(e) => {
            e.preventDefault();
            if (!invalid) onChange(draft, 'custom');
          }}
        >
          <label>
            <span class="visually-hidden">From</span>
            <input
              type="date"
              class="input"
              value={draft.from}
              aria-label="From (first day)"
              onInput={(e) => setDraft({ ...draft, from: (e.currentTarget as HTMLInputElement).value })}
              required
            />
          </label>
          <span aria-hidden="true">–</span>
          <label>
            <span class="visually-hidden">To</span>
            <input
              type="date"
              class="input"
              value={draft.to}
              aria-label="To (last day)"
              onInput={(e) => setDraft({ ...draft, to: (e.currentTarget as HTMLInputElement).value })}
              required
            />
          </label>
          <button type="submit" class="button button-secondary" disabled={invalid !== null}>
            Apply
          </button>
          {invalid && (
            <span class="field-error" role="alert">
              {invalid}
            </span>
          )}
        </form>
      )}
    </div>
  );
}
