import { Columns2, Heart, HeartOff, Trash2 } from 'lucide-react';
import type { ReactNode } from 'react';
import { useNavigate } from 'react-router';
import type { Image } from '../../../types/api';
import { Button } from '../../../components/ui/Button';
import { ConfirmDialog } from '../../../components/ui/ConfirmDialog';
import type { GalleryBulk, FavouritesQuestion } from '../hooks/useGalleryBulk';
import { COMPARE_MAX, COMPARE_MIN, compareHref } from './compareLink';
import { SelectionBar } from './SelectionBar';

/** "2 of the 5 are favourites. Move them to the trash too?" and its kin. */
function favouritesQuestion({ images, favourites }: FavouritesQuestion) {
  const total = images.length;
  if (favourites < total) {
    return favourites === 1
      ? `1 of the ${total} is a favourite. Move it to the trash too?`
      : `${favourites} of the ${total} are favourites. Move them to the trash too?`;
  }
  return total === 1
    ? 'The selected image is a favourite. Move it to the trash anyway?'
    : `All ${total} are favourites. Move them to the trash anyway?`;
}

/**
 * The gallery's selection bar: Favourite (or Unfavourite), Move to trash,
 * Compare (for 2–4 images), what other features add (`extra`), Clear.
 */
export function GallerySelectionBar({
  selected,
  bulk,
  onClear,
  extra,
}: {
  selected: Image[];
  bulk: GalleryBulk;
  onClear: () => void;
  extra?: ReactNode;
}) {
  const count = selected.length;
  const navigate = useNavigate();
  const { question } = bulk;
  const some = question && question.favourites < question.images.length;
  return (
    <>
      {count > 0 && (
        <SelectionBar count={count} label="Selected images" onClear={onClear}>
          <Button
            variant="secondary"
            size="sm"
            onClick={bulk.toggleFavorite}
            icon={
              bulk.favorite ? (
                <Heart className="size-4" aria-hidden="true" />
              ) : (
                <HeartOff className="size-4" aria-hidden="true" />
              )
            }
          >
            {bulk.favorite ? 'Favourite' : 'Unfavourite'}
          </Button>
          <Button
            variant="secondary"
            size="sm"
            onClick={bulk.moveToTrash}
            title="Move to trash (Delete)"
            icon={<Trash2 className="size-4" aria-hidden="true" />}
          >
            Move to trash
          </Button>
          {extra}
          {count >= COMPARE_MIN && count <= COMPARE_MAX && (
            // A button, not a link: the toolbar's arrow keys move between its buttons.
            <Button
              variant="secondary"
              size="sm"
              onClick={() => navigate(compareHref(selected))}
              icon={<Columns2 className="size-4" aria-hidden="true" />}
            >
              Compare
            </Button>
          )}
        </SelectionBar>
      )}
      {question && (
        <ConfirmDialog
          title={
            question.favourites === 1
              ? 'Move a favourite to the trash?'
              : 'Move favourites to the trash?'
          }
          confirmLabel={some ? `Move all ${question.images.length}` : 'Move to trash'}
          onConfirm={() => bulk.answer('all')}
          onCancel={() => bulk.answer('cancel')}
          alternative={
            some ? { label: 'Only the others', onClick: () => bulk.answer('others') } : undefined
          }
          returnFocusTo={bulk.focusAfterQuestion}
        >
          {favouritesQuestion(question)}
        </ConfirmDialog>
      )}
    </>
  );
}
