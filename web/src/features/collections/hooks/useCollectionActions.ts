import { useNavigate } from 'react-router';
import { images as imagesText, partly } from '../../../lib/bulkText';
import { describeError } from '../../../lib/errors';
import { collectionIdsOf } from '../../../lib/listCache';
import type { BulkOutcome, Collection, Image } from '../../../types/api';
import { useToast } from '../../../components/ui/toast';
import { useAddToCollection, useRemoveFromCollection } from '../api/membership';

type Named = Pick<Collection, 'id' | 'name'>;

/** "Added 3 images to Trips.", or "Added to Trips." for the one image of the detail view. */
const addedText = (n: number, one: boolean, name: string) =>
  one ? `Added to ${name}.` : `Added ${imagesText(n)} to ${name}.`;

const removedText = (n: number, one: boolean, name: string) =>
  one ? `Removed from ${name}.` : `Removed ${imagesText(n)} from ${name}.`;

/**
 * Adding images to a collection and taking them out, with the toasts that
 * say how it went: how many, a way to the collection (or Undo), and why any
 * could not be. `onFailed` hears which images failed (to select them again).
 */
export function useCollectionActions() {
  const { mutateAsync: addMany } = useAddToCollection();
  const { mutateAsync: removeMany } = useRemoveFromCollection();
  const toast = useToast();
  const navigate = useNavigate();

  function report(
    run: Promise<BulkOutcome>,
    chosen: Image[],
    words: {
      done: (n: number) => string;
      partly: string;
      failed: string;
      /** Beside the message, once something was done (Open, Undo). */
      action?: (done: Image[]) => { label: string; onClick: () => void };
    },
    onFailed?: (failed: Image[]) => void,
  ): Promise<BulkOutcome | null> {
    return run.then(
      (outcome) => {
        const succeeded = new Set(outcome.succeeded);
        const done = chosen.filter((i) => succeeded.has(i.id));
        const action = done.length > 0 ? words.action?.(done) : undefined;
        if (outcome.failed.length === 0) {
          toast.show({ message: words.done(outcome.succeeded.length), action });
          return outcome;
        }
        const failed = new Set(outcome.failed.map((f) => f.id));
        onFailed?.(chosen.filter((i) => failed.has(i.id)));
        toast.show({
          tone: 'error',
          message: partly(outcome.succeeded.length, words.partly, outcome.failed),
          action,
        });
        return outcome;
      },
      (error: unknown) => {
        onFailed?.(chosen);
        toast.show({ tone: 'error', message: `${words.failed} ${describeError(error)}` });
        return null;
      },
    );
  }

  function add(chosen: Image[], collection: Named, onFailed?: (failed: Image[]) => void) {
    const one = chosen.length === 1;
    return report(
      addMany({ images: chosen, collection: collection.id }),
      chosen,
      {
        done: (n) => addedText(n, one, collection.name),
        partly: `added to ${collection.name}`,
        failed: `Couldn’t add ${one ? 'the image' : 'the images'} to ${collection.name}.`,
        action: () => ({
          label: 'Open',
          onClick: () => navigate(`/collections/${encodeURIComponent(collection.id)}`),
        }),
      },
      onFailed,
    );
  }

  function remove(chosen: Image[], collection: Named, onFailed?: (failed: Image[]) => void) {
    const one = chosen.length === 1;
    return report(
      removeMany({ images: chosen, collection: collection.id }),
      chosen,
      {
        done: (n) => removedText(n, one, collection.name),
        partly: `removed from ${collection.name}`,
        failed: `Couldn’t remove ${one ? 'the image' : 'the images'} from ${collection.name}.`,
        action: (done) => ({
          label: 'Undo',
          onClick: () => {
            // As they are now: out of the collection, so putting them back shows at once.
            const out = done.map((i) => ({
              ...i,
              collection_ids: collectionIdsOf(i).filter((c) => c !== collection.id),
            }));
            addMany({ images: out, collection: collection.id }).catch((error: unknown) =>
              toast.show({
                tone: 'error',
                message: `Couldn’t put the images back in ${collection.name}. ${describeError(error)}`,
              }),
            );
          },
        }),
      },
      onFailed,
    );
  }

  return { add, remove };
}
