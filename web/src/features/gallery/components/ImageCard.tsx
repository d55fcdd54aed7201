import { Trash2 } from 'lucide-react';
import type { KeyboardEvent, MouseEvent } from 'react';
import { Link, useLocation } from 'react-router';
import type { Image } from '../../../types/api';
import { FavoriteButton } from '../../../components/image/FavoriteButton';
import { ImageFallback } from '../../../components/image/SignedImage';
import { ImageTimeAndCost } from '../../../components/image/TimeAndCost';
import { useSignedImage } from '../../../hooks/useSignedImage';
import { useToggleFavorite } from '../../../lib/images';
import { cn } from '../../../utils/cn';
import { shorten } from '../../../utils/format';
import { isTextField, onMac } from '../hooks/keys';
import { useGallerySlots, useGalleryView } from '../hooks/useGalleryView';
import { SelectCheckbox } from './SelectCheckbox';
import { neighbourTileLink } from './tiles';

/** Delete, or on a Mac the key labelled delete (Backspace); held keys repeat nothing. */
function isDeleteKey(event: KeyboardEvent): boolean {
  if (event.repeat || event.altKey || event.ctrlKey || event.metaKey || event.shiftKey)
    return false;
  return event.key === 'Delete' || (onMac && event.key === 'Backspace');
}

/** F, on its own, not held down and not typed into a text field. */
function isFavouriteKey(event: KeyboardEvent): boolean {
  if (event.repeat || event.altKey || event.ctrlKey || event.metaKey || event.shiftKey)
    return false;
  return event.key.toLowerCase() === 'f' && !isTextField(event.target);
}

/** A click of the mouse (or a tap), not Enter on the focused link. */
const pointerClick = (event: MouseEvent) => event.detail > 0 && event.button === 0;

/**
 * One gallery tile. Width, height and a placeholder colour keep the grid from
 * jumping. `refetch` reloads the page the tile came from when its signed URL
 * has expired. Delete on a focused tile moves it to the trash, and focus
 * steps on to the next tile; F favourites it (or takes the heart back).
 *
 * Its checkbox selects it; while anything is selected (`selecting`) a click
 * on the picture toggles it too, with shift for a range, instead of opening
 * it (Enter still opens).
 */
export function ImageCard({
  image,
  refetch,
  onMoveToTrash,
  onDeleteKey,
  selecting = false,
  selected = false,
  onToggle,
}: {
  image: Image;
  refetch: () => Promise<unknown>;
  onMoveToTrash: () => void;
  /** Delete on the focused tile, when it means more than this image (a selection). */
  onDeleteKey?: () => void;
  selecting?: boolean;
  selected?: boolean;
  onToggle?: (range: boolean) => void;
}) {
  const { search } = useLocation();
  const { basePath } = useGalleryView();
  const signed = useSignedImage(refetch);
  const favourite = useToggleFavorite(image.id);
  const badges = useGallerySlots().tileBadges?.(image);
  return (
    <div
      data-select-id={image.id}
      onKeyDown={(event) => {
        if (isFavouriteKey(event)) {
          event.preventDefault();
          favourite.mutate(!image.favorite);
          return;
        }
        if (!isDeleteKey(event)) return;
        event.preventDefault();
        if (onDeleteKey) return onDeleteKey();
        neighbourTileLink(image.id)?.focus();
        onMoveToTrash();
      }}
      className={cn(
        'group relative overflow-hidden rounded-2xl border border-zinc-200 bg-white shadow-xs transition hover:shadow-lg dark:border-zinc-800 dark:bg-zinc-900',
        selected && 'ring-3 ring-brand-500 dark:ring-brand-400',
      )}
    >
      {signed.state !== 'shown' ? (
        // Outside the link: the Retry button must not sit inside another control.
        <ImageFallback
          state={signed.state}
          onRetry={signed.retry}
          className="aspect-square w-full rounded-2xl"
        />
      ) : (
        <Link
          to={{ pathname: `${basePath}/${image.id}`, search }}
          // The detail opens over the grid: the grid keeps its scroll position.
          preventScrollReset
          onClick={(event) => {
            if (!selecting || !onToggle || !pointerClick(event)) return;
            event.preventDefault();
            onToggle(event.shiftKey);
          }}
          className="block rounded-2xl focus-visible:outline-offset-[-3px]"
          data-testid="gallery-item"
        >
          <img
            key={signed.imageKey}
            {...signed.imgProps}
            src={image.thumbnail_url}
            alt={image.prompt}
            width={image.thumbnail_width}
            height={image.thumbnail_height}
            loading="lazy"
            decoding="async"
            className={cn(
              'aspect-square w-full object-cover transition duration-300',
              selected ? 'scale-[0.92] rounded-xl' : 'group-hover:scale-[1.03]',
            )}
            style={{ backgroundColor: image.placeholder ?? undefined }}
          />
          <div
            aria-hidden="true"
            className="pointer-events-none absolute inset-x-0 bottom-0 bg-linear-to-t from-black/75 via-black/30 to-transparent p-3 pt-10 opacity-0 transition group-hover:opacity-100 group-focus-within:opacity-100"
          >
            <p className="line-clamp-2 text-xs leading-snug text-white">{image.prompt}</p>
            <ImageTimeAndCost image={image} className="mt-1 block text-[11px] text-white/80" />
          </div>
          {badges && (
            // Inside the link, so its name says it too; out of the way of the prompt on hover.
            <span className="absolute bottom-2 left-2 flex gap-1 transition-opacity group-hover:opacity-0 group-focus-within:opacity-0">
              {badges}
            </span>
          )}
        </Link>
      )}
      {onToggle && (
        // Shown on hover, on focus in the tile, on touch screens, and throughout a selection.
        <SelectCheckbox
          label={`Select image: ${shorten(image.prompt)}`}
          checked={selected}
          onToggle={onToggle}
          className={cn(
            'absolute left-2 top-2 transition-opacity',
            selecting
              ? 'opacity-100'
              : 'opacity-0 group-focus-within:opacity-100 group-hover:opacity-100 pointer-coarse:opacity-100',
          )}
        />
      )}
      {/* Only where a pointer can hover: on touch screens the detail view has this action. */}
      <button
        type="button"
        aria-label="Move to trash"
        title="Move to trash (Delete)"
        onClick={onMoveToTrash}
        className="absolute right-12 top-2 hidden size-9 items-center justify-center rounded-xl bg-black/45 text-white opacity-0 backdrop-blur transition hover:bg-black/65 focus-visible:opacity-100 group-hover:opacity-100 [@media(hover:hover)]:flex"
      >
        <Trash2 className="size-4" aria-hidden="true" />
      </button>
      <FavoriteButton
        image={image}
        variant="overlay"
        className={
          'absolute right-2 top-2 ' +
          (image.favorite
            ? ''
            : 'sm:opacity-0 sm:group-hover:opacity-100 sm:focus-visible:opacity-100')
        }
      />
    </div>
  );
}
