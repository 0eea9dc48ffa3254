// How credit is split among the chats that touched an opportunity (docs/metrics.md "credit
// models"): a labelled select, the model's meaning in its title.
import { CREDIT_MODELS, type CreditModel } from '../api/analytics-types';

export const CREDIT_MODEL_LABELS: Record<CreditModel, { label: string; hint: string }> = {
  linear: { label: 'Linear', hint: 'Equal shares to every chat that touched it' },
  first: { label: 'First touch', hint: 'All to the first chat that touched it' },
  last: { label: 'Last touch', hint: 'All to the last chat before each change' },
  u_shaped: { label: 'U-shaped', hint: '40% first, 40% last, 20% shared by the others' },
  time_decay: { label: 'Time decay', hint: 'Recent chats weigh more (half-life 7 days)' },
};

export function CreditModelPicker({
  id,
  value,
  onChange,
}: {
  id: string;
  value: CreditModel;
  onChange: (model: CreditModel) => void;
}) {
  return (
    <label class="inline-field" for={id}>
      <span>Credit model</span>
      <select
        id={id}
        class="select"
        value={value}
        title={CREDIT_MODEL_LABELS[value].hint}
        onChange={(e) => onChange((e.currentTarget as HTMLSelectElement).value as CreditModel)}
      >
        {CREDIT_MODELS.map((m) => (
          <option key={m} value={m}>
            {CREDIT_MODEL_LABELS[m].label}
          </option>
        ))}
      </select>
    </label>
  );
}
