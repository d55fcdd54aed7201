import { FolderMinus, FolderPlus, ImageUp } from 'lucide-react';
import { useState } from 'react';
import type { Image } from '../../../types/api';
import { Button } from '../../../components/ui/Button';
import { useCollection } from '../api/collections';
import { useCollectionActions } from '../hooks/useCollectionActions';
import { useSetCover } from '../hooks/useSetCover';
import { CollectionPicker } from './CollectionPicker';

/** The selection bar's "Add to collection", and its picker. */
export function AddToCollectionAction({
  selected,
  selectOnly,
}: {
  selected: Image[];
  selectOnly: (ids: string[]) => void;
}) {
  const [picking, setPicking] = useState<Image[] | null>(null);
  return (
    <>
      <Button
        variant="secondary"
        size="sm"
        onClick={() => setPicking(selected)}
        icon={<FolderPlus className="size-4" aria-hidden="true" />}
      >
        Add to collection
      </Button>
      {picking && (
        <CollectionPicker
          images={picking}
          onClose={() => setPicking(null)}
          onFailed={(failed) => selectOnly(failed.map((i) => i.id))}
        />
      )}
    </>
  );
}

/**
 * The selection bar in a collection: Add to collection (another one), Remove
 * from collection (shown at once, with Undo; what fails comes back selected),
 * and Set as cover for exactly one image.
 */
export function InCollectionActions({
  collection: id,
  selected,
  selectOnly,
  clear,
  focusAfterLeaving,
}: {
  collection: string;
  selected: Image[];
  selectOnly: (ids: string[]) => void;
  clear: () => void;
  focusAfterLeaving: (ids: ReadonlySet<string>) => void;
}) {
  const collection = useCollection(id).data;
  const actions = useCollectionActions();
  const setCover = useSetCover(id);
  const only = selected.length === 1 ? selected[0] : undefined;

  function removeSelected() {
    if (!collection) return;
    const chosen = selected;
    focusAfterLeaving(new Set(chosen.map((i) => i.id)));
    clear();
    void actions.remove(chosen, collection, (failed) => selectOnly(failed.map((i) => i.id)));
  }

  return (
    <>
      <AddToCollectionAction selected={selected} selectOnly={selectOnly} />
      <Button
        variant="secondary"
        size="sm"
        onClick={removeSelected}
        icon={<FolderMinus className="size-4" aria-hidden="true" />}
      >
        Remove from collection
      </Button>
      {only && (
        <Button
          variant="secondary"
          size="sm"
          onClick={() => {
            setCover(only);
            clear();
          }}
          icon={<ImageUp className="size-4" aria-hidden="true" />}
        >
          Set as cover
        </Button>
      )}
    </>
  );
}
