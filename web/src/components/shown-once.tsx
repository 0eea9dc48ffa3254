// A secret shown to its creator this once (an API key, a webhook secret, a temporary password):
// in a dialog, with a copy button; closing it forgets the value.
import type { ComponentChildren } from 'preact';
import { Dialog } from './dialog';
import { Icon } from './icons';
import { useToast } from './toast';

export function ShownOnceDialog({
  value,
  title,
  what,
  testId,
  onClose,
  children,
}: {
  /** null: the dialog is closed. */
  value: string | null;
  title: string;
  /** What is copied, for the toast: "Key", "Secret". */
  what: string;
  testId: string;
  onClose: () => void;
  children: ComponentChildren;
}) {
  const toast = useToast();
  return (
    <Dialog
      open={value !== null}
      title={title}
      onClose={onClose}
      actions={
        <button type="button" class="button button-primary" onClick={onClose}>
          I have stored it
        </button>
      }
    >
      {children}
      <div class="secret">
        <code data-testid={testId}>{value}</code>
        <button
          type="button"
          class="button button-secondary button-small"
          aria-label={`Copy the ${what.toLowerCase()}`}
          onClick={() => {
            void navigator.clipboard?.writeText(value ?? '').then(
              () => toast(`${what} copied.`),
              () => toast(`Copy failed: select the ${what.toLowerCase()} and copy it.`, 'error'),
            );
          }}
        >
          <Icon name="copy" size={16} /> Copy
        </button>
      </div>
    </Dialog>
  );
}
