import { Link, useLocation } from 'react-router';
import type { Image } from '../../../types/api';
import { FavoriteButton } from '../../../components/image/FavoriteButton';
import { ImageFallback } from '../../../components/image/SignedImage';
import { useSignedImage } from '../../../hooks/useSignedImage';

/**
 * One gallery tile. Width, height and a placeholder colour keep the grid from
 * jumping. `refetch` reloads the page the tile came from when its signed URL
 * has expired.
 */
export function ImageCard({ image, refetch }: { image: Image; refetch: () => Promise<unknown> }) {
  const { search } = useLocation();
  const signed = useSignedImage(refetch);
  return (
    <div className="group relative overflow-hidden rounded-2xl border border-zinc-200 bg-white shadow-xs transition hover:shadow-lg dark:border-zinc-800 dark:bg-zinc-900">
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
