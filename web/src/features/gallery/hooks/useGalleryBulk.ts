import { useRef, useState } from 'react';
import { describeError } from '../../../lib/errors';
import type { Image } from '../../../types/api';
import { useToast } from '../../../components/ui/toast';
import { failedOf } from '../../../lib/bulk';
import { useBulkFavorite, useBulkRestore, useBulkTrash } from '../api/bulk';
import { images, partly } from '../../../lib/bulkText';
import { focusAfterLeaving, focusIsLost, tileAfterLeaving, tileLink } from '../components/tiles';
import type { Multiselect } from './useMultiselect';

/** Asked before favourites go to the trash with the rest. */
export interface FavouritesQuestion {
  images: Image[];
  favourites: number;
}

/**
 * What the gallery's selection bar does: favourite or unfavourite the
 * selection, and move it to the trash (asking first about favourites), with
 * Undo. Each shows at once; a failure puts back what failed, reselects it,
 * and says why.
 */
export function useGalleryBulk(selection: Multiselect<Image>) {
  const toast = useToast();
  const { mutateAsync: favoriteMany } = useBulkFavorite();
  const { mutateAsync: trashMany } = useBulkTrash();
  const { mutateAsync: restoreMany } = useBulkRestore();
  const [question, setQuestion] = useState<FavouritesQuestion | null>(null);
  /** Where focus goes when the question closes: decided by the answer. */
  const focusAfterQuestion = useRef<HTMLElement | null>(null);
  const { selected, selectOnly } = selection;
  /** Favourite unless every selected image already is one. */
  const favorite = !selected.every((i) => i.favorite);

  function toggleFavorite() {
    const chosen = selected;
    if (chosen.length === 0) return;
    const done = favorite ? 'added to your favourites' : 'removed from your favourites';
    favoriteMany({ images: chosen, favorite }).then(
      (outcome) => {
        if (outcome.failed.length > 0) {
          toast.show({
            tone: 'error',
            message: partly(outcome.succeeded.length, done, outcome.failed),
          });
          return;
        }
        toast.show({
          message: favorite
            ? `Added ${images(chosen.length)} to your favourites.`
            : `Removed ${images(chosen.length)} from your favourites.`,
        });
      },
      (error: unknown) =>
        toast.show({
          tone: 'error',
          message: `Couldn’t ${favorite ? 'add the images to' : 'remove the images from'} your favourites. ${describeError(error)}`,
        }),
    );
  }

  function restore(trashed: Image[]) {
    restoreMany(trashed).then(
      (outcome) => {
        if (focusIsLost() && trashed[0]) tileLink(trashed[0].id)?.focus({ preventScroll: true });
        if (outcome.failed.length > 0) {
          toast.show({
            tone: 'error',
            message: partly(outcome.succeeded.length, 'restored to the gallery', outcome.failed),
          });
        }
      },
      (error: unknown) =>
        toast.show({
          tone: 'error',
          message: `Couldn’t restore the images. ${describeError(error)}`,
        }),
    );
  }

  /** Moves `chosen` to the trash at once; focus steps on to the tile after them. */
  function trash(chosen: Image[], includeFavorites: boolean) {
    if (chosen.length === 0) return;
    const ids = new Set(chosen.map((i) => i.id));
    focusAfterLeaving(ids);
    selection.clear();
    trashMany({ images: chosen, includeFavorites }).then(
      (outcome) => {
        const moved = chosen.filter((i) => outcome.succeeded.includes(i.id));
        const undo =
          moved.length > 0 ? { label: 'Undo', onClick: () => restore(moved) } : undefined;
        if (outcome.failed.length === 0) {
          toast.show({ message: `Moved ${images(moved.length)} to the trash.`, action: undo });
          return;
        }
        selectOnly(failedOf(chosen, outcome).map((i) => i.id));
        toast.show({
          tone: 'error',
          message: partly(outcome.succeeded.length, 'moved to the trash', outcome.failed),
          action: undo,
        });
      },
      (error: unknown) => {
        selectOnly([...ids]);
        toast.show({
          tone: 'error',
          message: `Couldn’t move the images to the trash. ${describeError(error)}`,
        });
      },
    );
  }

  /** Move to trash: straight away, or after asking when favourites are among them. */
  function moveToTrash() {
    const chosen = selected;
    const favourites = chosen.filter((i) => i.favorite).length;
    if (favourites > 0) setQuestion({ images: chosen, favourites });
    else trash(chosen, false);
  }

  /** The answer to the favourites question: all of them, only the others, or nothing. */
  function answer(choice: 'all' | 'others' | 'cancel') {
    if (!question) return;
    const going =
      choice === 'all'
        ? question.images
        : choice === 'others'
          ? question.images.filter((i) => !i.favorite)
          : [];
    // Cancel returns to the button that asked; otherwise on to the tile after those going.
    focusAfterQuestion.current =
      going.length > 0 ? tileAfterLeaving(new Set(going.map((i) => i.id))) : null;
    setQuestion(null);
    trash(going, choice === 'all');
  }

  return {
    favorite,
    toggleFavorite,
    moveToTrash,
    question,
    answer,
    focusAfterQuestion: () => focusAfterQuestion.current,
  };
}

export type GalleryBulk = ReturnType<typeof useGalleryBulk>;
