import { useId, type ReactNode } from 'react';
import { Button } from './Button';
import { Modal } from './Modal';

/**
 * Asks before an action. Cancel has the focus, so Enter pressed out of habit
 * does nothing harmful; Esc and the backdrop cancel too, except while the
 * action runs.
 */
export function ConfirmDialog({
  title,
  children,
  confirmLabel,
  onConfirm,
  onCancel,
  busy = false,
  danger = false,
  error,
  returnFocusTo,
  alternative,
}: {
  title: string;
  children: ReactNode;
  confirmLabel: string;
  onConfirm: () => void;
  onCancel: () => void;
  busy?: boolean;
  danger?: boolean;
  /** Shown above the buttons when the action failed. */
  error?: ReactNode;
  returnFocusTo?: () => HTMLElement | null;
  /** A third answer, between Cancel and the action (say, "Only the others"). */
  alternative?: { label: string; onClick: () => void };
}) {
  const titleId = useId();
  const bodyId = useId();
  const cancel = () => {
    if (!busy) onCancel();
  };
  return (
    <Modal
      onClose={cancel}
      labelledBy={titleId}
      describedBy={bodyId}
      role="alertdialog"
      className="max-w-md"
      returnFocusTo={returnFocusTo}
    >
      <div className="p-6">
        <h2 id={titleId} className="text-lg font-semibold">
          {title}
        </h2>
        <div id={bodyId} className="mt-2 text-sm text-zinc-600 dark:text-zinc-400">
          {children}
        </div>
        {error && <div className="mt-4">{error}</div>}
        <div className="mt-6 flex flex-col-reverse gap-2 sm:flex-row sm:justify-end">
          <Button variant="secondary" onClick={cancel} data-autofocus>
            Cancel
          </Button>
          {alternative && (
            <Button variant="secondary" onClick={() => !busy && alternative.onClick()}>
              {alternative.label}
            </Button>
          )}
          <Button variant={danger ? 'danger' : 'primary'} busy={busy} onClick={onConfirm}>
            {confirmLabel}
          </Button>
        </div>
      </div>
    </Modal>
  );
}
