import { Trash2 } from 'lucide-react';
import type { KeyboardEvent } from 'react';
import { Link, useLocation } from 'react-router';
import type { Image } from '../../../types/api';
import { FavoriteButton } from '../../../components/image/FavoriteButton';
import { ImageFallback } from '../../../components/image/SignedImage';
import { useSignedImage } from '../../../hooks/useSignedImage';
import { neighbourTileLink } from './tiles';

const onMac = typeof navigator !== 'undefined' && /Mac|iPhone|iPad|iPod/.test(navigator.platform);

/** Delete, or on a Mac the key labelled delete (Backspace); held keys repeat nothing. */
function isDeleteKey(event: KeyboardEvent): boolean {
  if (event.repeat || event.altKey || event.ctrlKey || event.metaKey || event.shiftKey)
    return false;
  return event.key === 'Delete' || (onMac && event.key === 'Backspace');
}

/**
 * One gallery tile. Width, height and a placeholder colour keep the grid from
 * jumping. `refetch` reloads the page the tile came from when its signed URL
 * has expired. Delete on a focused tile moves it to the trash, and focus
 * steps on to the next tile.
 */
export function ImageCard({
  image,
  refetch,
  onMoveToTrash,
}: {
  image: Image;
  refetch: () => Promise<unknown>;
  onMoveToTrash: () => void;
}) {
  const { search } = useLocation();
  const signed = useSignedImage(refetch);
  return (
    <div
      onKeyDown={(event) => {
        if (!isDeleteKey(event)) return;
        event.preventDefault();
        neighbourTileLink(image.id)?.focus();
        onMoveToTrash();
      }}
      className="group relative overflow-hidden rounded-2xl border border-zinc-200 bg-white shadow-xs transition hover:shadow-lg dark:border-zinc-800 dark:bg-zinc-900"
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
          to={{ pathname: `/gallery/${image.id}`, search }}
          // The detail opens over the grid: the grid keeps its scroll position.
          preventScrollReset
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
            className="aspect-square w-full object-cover transition duration-300 group-hover:scale-[1.03]"
            style={{ backgroundColor: image.placeholder ?? undefined }}
          />
          <div
            aria-hidden="true"
            className="pointer-events-none absolute inset-x-0 bottom-0 bg-linear-to-t from-black/75 via-black/30 to-transparent p-3 pt-10 opacity-0 transition group-hover:opacity-100 group-focus-within:opacity-100"
          >
            <p className="line-clamp-2 text-xs leading-snug text-white">{image.prompt}</p>
          </div>
        </Link>
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
