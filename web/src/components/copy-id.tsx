// A record shown by its name, its Salesforce id a hover (title) or a click (copy) away: finance
// still reaches the id for a lookup in Salesforce, without reading ids in every row.
import { Icon } from './icons';
import { useToast } from './toast';

export function CopyIdButton({ id, what }: { id: string; what: string }) {
  const toast = useToast();
  return (
    <button
      type="button"
      class="button button-ghost button-small icon-button copy-id"
      title={`Copy the id ${id}`}
      aria-label={`Copy the id of ${what} (${id})`}
      onClick={() => {
        void navigator.clipboard?.writeText(id).then(
          () => toast(`Copied ${id}.`),
          () => toast(`Copy failed: the id is ${id}.`, 'error'),
        );
      }}
    >
      <Icon name="copy" size={14} />
    </button>
  );
}
