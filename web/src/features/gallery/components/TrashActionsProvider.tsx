import { useMemo, useRef, useState, type ReactNode } from 'react';
import { ApiError, describeError } from '../../../lib/errors';
import type { Image } from '../../../types/api';
import { ConfirmDialog } from '../../../components/ui/ConfirmDialog';
import { useToast } from '../../../components/ui/toast';
import { useRestoreImage, useTrashImage } from '../api/trash';
import { TrashActionsContext, type TrashActions } from '../hooks/useTrashActions';
import { focusIsLost, neighbourTileLink, tileLink } from './tiles';

/**
 * Moving to the trash, for everything under the gallery (grid and detail):
 * the Undo toast, the error toast after a rollback, and the question a
 * favourite needs. It lives above the detail, so the question can still be
 * asked after the detail has closed.
 */
export function TrashActionsProvider({ children }: { children: ReactNode }) {
  const { mutateAsync: trashImage } = useTrashImage();
  const { mutateAsync: restoreImage } = useRestoreImage();
  const toast = useToast();
  const [favourite, setFavourite] = useState<Image | null>(null);
  /** Where focus goes when the question closes: decided by the answer. */
  const focusAfterQuestion = useRef<HTMLElement | null>(null);

  // mutateAsync, not mutate's callbacks: those fire only for the latest call,
  // and every trashed image needs its own toast.
  const actions = useMemo(() => {
    function restore(image: Image) {
      restoreImage(image).then(
        () => {
          // Undo's toast has gone, and focus with it: put it on the image that came back.
          if (focusIsLost()) tileLink(image.id)?.focus({ preventScroll: true });
        },
        (error: unknown) =>
          toast.show({
            tone: 'error',
            message: `Couldn’t restore the image. ${describeError(error)}`,
          }),
      );
    }

    function moveToTrash(image: Image, includeFavorites = false) {
      trashImage({ image, includeFavorites }).then(
        (trashed) =>
          toast.show({
            message: 'Moved to the trash.',
            action: { label: 'Undo', onClick: () => restore(trashed) },
          }),
        (error: unknown) => {
          if (
            !includeFavorites &&
            error instanceof ApiError &&
            error.code === 'favorite_protected'
          ) {
            setFavourite(image);
            return;
          }
          toast.show({
            tone: 'error',
            message: `Couldn’t move the image to the trash. ${describeError(error)}`,
          });
        },
      );
    }

    return { moveToTrash, restore } satisfies TrashActions;
  }, [trashImage, restoreImage, toast]);

  function answer(yes: boolean) {
    if (!favourite) return;
    focusAfterQuestion.current = yes ? neighbourTileLink(favourite.id) : tileLink(favourite.id);
    setFavourite(null);
    if (yes) actions.moveToTrash(favourite, true);
  }

  return (
    <TrashActionsContext.Provider value={actions}>
      {children}
      {favourite && (
        <ConfirmDialog
          title="Move a favourite to the trash?"
          confirmLabel="Move to trash"
          onConfirm={() => answer(true)}
          onCancel={() => answer(false)}
          returnFocusTo={() => focusAfterQuestion.current}
        >
          This image is a favourite. Move it to the trash anyway?
        </ConfirmDialog>
      )}
    </TrashActionsContext.Provider>
  );
}
