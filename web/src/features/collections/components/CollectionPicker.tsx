import { Check, FolderPlus, Plus, Search } from 'lucide-react';
import { useId, useState, type KeyboardEvent } from 'react';
import { images as imagesText } from '../../../lib/bulkText';
import { describeError } from '../../../lib/errors';
import { collectionIdsOf } from '../../../lib/listCache';
import type { Collection, Image } from '../../../types/api';
import { Alert } from '../../../components/ui/Alert';
import { Button } from '../../../components/ui/Button';
import { controlClasses, FieldMessage } from '../../../components/ui/Field';
import { Modal } from '../../../components/ui/Modal';
import { Skeleton } from '../../../components/ui/Skeleton';
import { cn } from '../../../utils/cn';
import { useCollections, useCreateCollection } from '../api/collections';
import { useCollectionActions } from '../hooks/useCollectionActions';
import { collectionErrors, validateCollection } from './collectionErrors';

const sameName = (a: string, b: string) => a.trim().toLowerCase() === b.trim().toLowerCase();

/**
 * Puts images into a collection. One box finds a collection by name or names
 * a new one (Enter creates it, then adds). For several images a collection is
 * picked once and the dialog closes; for the one image of the detail view
 * each collection is a checkbox, ticked where the image already is, and
 * unticking takes it out.
 */
export function CollectionPicker({
  images,
  onClose,
  onFailed,
}: {
  images: Image[];
  onClose: () => void;
  /** Hears which images could not be added (to select them again). */
  onFailed?: (failed: Image[]) => void;
}) {
  const titleId = useId();
  const inputId = useId();
  const collections = useCollections();
  const create = useCreateCollection();
  const actions = useCollectionActions();
  const [text, setText] = useState('');
  const [nameError, setNameError] = useState<string | undefined>();
  const single = images.length === 1 ? images[0] : undefined;
  const memberOf = new Set(single ? collectionIdsOf(single) : []);

  const all = collections.data?.items ?? [];
  const query = text.trim().toLowerCase();
  const shown = query ? all.filter((c) => c.name.toLowerCase().includes(query)) : all;
  const exact = all.find((c) => sameName(c.name, text));
  const canCreate = Boolean(query) && !exact;

  function pick(collection: Pick<Collection, 'id' | 'name'>) {
    if (single) {
      if (memberOf.has(collection.id)) void actions.remove([single], collection);
      else void actions.add([single], collection);
      return;
    }
    void actions.add(images, collection, onFailed);
    onClose();
  }

  async function createAndAdd() {
    const name = text.trim();
    const invalid = validateCollection(name).name;
    if (invalid) {
      setNameError(invalid);
      return;
    }
    setNameError(undefined);
    try {
      const collection = await create.mutateAsync({ name });
      setText('');
      pick(collection);
    } catch (error) {
      const refused = collectionErrors(error, name);
      setNameError(refused.name ?? refused.description ?? refused.form);
    }
  }

  function onInputKey(event: KeyboardEvent<HTMLInputElement>) {
    if (event.key !== 'Enter') return;
    event.preventDefault();
    if (create.isPending) return;
    if (exact) {
      // Enter adds to the collection named; it never takes an image out.
      if (!memberOf.has(exact.id)) pick(exact);
    } else if (query) {
      void createAndAdd();
    }
  }

  const title = single ? 'Collections' : `Add ${imagesText(images.length)} to a collection`;

  return (
    <Modal onClose={onClose} labelledBy={titleId} className="max-w-md">
      {/* Keys typed here are the picker's: the gallery underneath must not act on them too. */}
      <div className="flex flex-col gap-4 p-6" onKeyDown={(e) => e.stopPropagation()}>
        <div>
          <h2 id={titleId} className="text-lg font-semibold">
            {title}
          </h2>
          <p className="mt-1 text-sm text-zinc-600 dark:text-zinc-400">
            {single
              ? 'Tick the collections this image belongs in.'
              : 'Pick a collection, or type a new name and press Enter.'}
          </p>
        </div>

        <div>
          <label htmlFor={inputId} className="sr-only">
            Find a collection, or name a new one
          </label>
          <div className="relative">
            <Search
              className="pointer-events-none absolute left-3.5 top-1/2 size-4 -translate-y-1/2 text-zinc-400"
              aria-hidden="true"
            />
            <input
              id={inputId}
              type="text"
              value={text}
              onChange={(e) => {
                setText(e.target.value);
                setNameError(undefined);
              }}
              onKeyDown={onInputKey}
              placeholder="Find or create a collection…"
              autoComplete="off"
              aria-invalid={nameError ? true : undefined}
              aria-describedby={nameError ? `${inputId}-message` : undefined}
              className={cn(controlClasses, 'h-11 pl-10')}
              data-autofocus
            />
          </div>
          <FieldMessage id={`${inputId}-message`} error={nameError} />
        </div>

        {collections.isPending ? (
          <div className="flex flex-col gap-2" aria-hidden="true">
            <Skeleton className="h-11" />
            <Skeleton className="h-11" />
          </div>
        ) : collections.isError && !collections.data ? (
          <Alert>{describeError(collections.error)}</Alert>
        ) : (
          <ul
            aria-label="Your collections"
            className="-mx-2 flex max-h-72 flex-col gap-1 overflow-y-auto px-2 py-1"
          >
            {shown.map((collection) => (
              <li key={collection.id}>
                {single ? (
                  <label className="flex cursor-pointer items-center gap-3 rounded-xl px-3 py-2.5 hover:bg-zinc-100 dark:hover:bg-zinc-800">
                    <input
                      type="checkbox"
                      checked={memberOf.has(collection.id)}
                      onChange={() => pick(collection)}
                      className="size-4 shrink-0 accent-brand-600"
                    />
                    <span className="min-w-0 flex-1 truncate text-sm font-medium">
                      {collection.name}
                    </span>
                    <span className="shrink-0 text-xs tabular-nums text-zinc-500 dark:text-zinc-400">
                      {imagesText(collection.image_count)}
                    </span>
                  </label>
                ) : (
                  <button
                    type="button"
                    onClick={() => pick(collection)}
                    className="flex w-full items-center gap-3 rounded-xl px-3 py-2.5 text-left hover:bg-zinc-100 dark:hover:bg-zinc-800"
                  >
                    <span className="min-w-0 flex-1 truncate text-sm font-medium">
                      {collection.name}
                    </span>
                    <span className="shrink-0 text-xs tabular-nums text-zinc-500 dark:text-zinc-400">
                      {imagesText(collection.image_count)}
                    </span>
                  </button>
                )}
              </li>
            ))}
            {shown.length === 0 && !canCreate && (
              <li className="px-3 py-2.5 text-sm text-zinc-600 dark:text-zinc-400">
                No collections yet. Type a name to make one.
              </li>
            )}
            {canCreate && (
              <li>
                <button
                  type="button"
                  onClick={() => void createAndAdd()}
                  aria-busy={create.isPending || undefined}
                  className="flex w-full items-center gap-3 rounded-xl px-3 py-2.5 text-left text-sm font-medium text-brand-700 hover:bg-brand-50 dark:text-brand-300 dark:hover:bg-brand-500/10"
                >
                  <FolderPlus className="size-4 shrink-0" aria-hidden="true" />
                  <span className="min-w-0 flex-1 truncate">Create “{text.trim()}”</span>
                  <Plus className="size-4 shrink-0" aria-hidden="true" />
                </button>
              </li>
            )}
          </ul>
        )}

        <div className="flex justify-end">
          <Button
            variant="secondary"
            onClick={onClose}
            icon={single ? <Check className="size-4" aria-hidden="true" /> : undefined}
          >
            {single ? 'Done' : 'Cancel'}
          </Button>
        </div>
      </div>
    </Modal>
  );
}
