import { X } from 'lucide-react';
import { useId, type ReactNode } from 'react';
import { Modal } from '../../../components/ui/Modal';
import { commandKey, onMac } from '../hooks/keys';

const Key = ({ children }: { children: ReactNode }) => (
  <kbd className="inline-flex min-w-7 items-center justify-center rounded-md border border-zinc-300 bg-zinc-50 px-1.5 py-0.5 font-sans text-xs font-semibold text-zinc-800 shadow-[0_1px_0_var(--color-zinc-300)] dark:border-zinc-600 dark:bg-zinc-800 dark:text-zinc-100 dark:shadow-[0_1px_0_var(--color-zinc-600)]">
    {children}
  </kbd>
);

/** Each shortcut: its keys (alternatives separated), and what it does. */
const SHORTCUTS: Array<{ keys: ReactNode; does: string }> = [
  {
    keys: (
      <>
        <Key>←</Key> <Key>→</Key> <Key>↑</Key> <Key>↓</Key>
      </>
    ),
    does: 'Move between images in the grid',
  },
  {
    keys: <Key>Enter</Key>,
    does: 'Open the focused image',
  },
  { keys: <Key>F</Key>, does: 'Favourite or unfavourite the focused image' },
  {
    keys: (
      <>
        <Key>←</Key> <Key>→</Key>
      </>
    ),
    does: 'Previous or next image, in the open image',
  },
  {
    keys: <Key>{onMac ? 'Delete' : 'Del'}</Key>,
    does: 'Move the focused image, or the selection, to the trash',
  },
  { keys: <Key>X</Key>, does: 'Select or deselect the focused image' },
  {
    keys: (
      <>
        <Key>Shift</Key> + click
      </>
    ),
    does: 'Select every image from the last one selected',
  },
  {
    keys: (
      <>
        <Key>{commandKey}</Key> + <Key>A</Key>
      </>
    ),
    does: 'Select every image shown',
  },
  { keys: <Key>Esc</Key>, does: 'Clear the selection, or close the open image' },
  { keys: <Key>?</Key>, does: 'Show these shortcuts' },
];

/** The gallery's keyboard shortcuts, listed. */
export function ShortcutsDialog({ onClose }: { onClose: () => void }) {
  const titleId = useId();
  return (
    <Modal onClose={onClose} labelledBy={titleId} className="max-w-lg">
      <div className="p-6">
        <div className="flex items-start justify-between gap-4">
          <h2 id={titleId} className="text-lg font-semibold">
            Keyboard shortcuts
          </h2>
          <button
            type="button"
            onClick={onClose}
            aria-label="Close"
            data-autofocus
            className="-mr-2 -mt-1 flex size-9 items-center justify-center rounded-xl text-zinc-500 hover:bg-zinc-100 hover:text-zinc-900 dark:text-zinc-400 dark:hover:bg-zinc-800 dark:hover:text-white"
          >
            <X className="size-5" aria-hidden="true" />
          </button>
        </div>
        <dl className="mt-4 divide-y divide-zinc-200 text-sm dark:divide-zinc-800">
          {SHORTCUTS.map(({ keys, does }) => (
            <div
              key={does}
              className="grid grid-cols-[7.5rem_minmax(0,1fr)] items-center gap-4 py-2.5"
            >
              <dt className="flex flex-wrap items-center gap-1 text-zinc-500 dark:text-zinc-400">
                {keys}
              </dt>
              <dd className="text-zinc-700 dark:text-zinc-300">{does}</dd>
            </div>
          ))}
        </dl>
      </div>
    </Modal>
  );
}
