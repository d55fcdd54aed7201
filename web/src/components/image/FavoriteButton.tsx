import { Heart } from 'lucide-react';
import { useToggleFavorite } from '../../lib/images';
import type { Image } from '../../types/api';
import { cn } from '../../utils/cn';

export function FavoriteButton({
  image,
  variant = 'solid',
  className,
  labelClassName,
}: {
  image: Pick<Image, 'id' | 'favorite'>;
  variant?: 'solid' | 'overlay';
  className?: string;
  /** Lets a tight layout hide the word and keep the icon (the name stays). */
  labelClassName?: string;
}) {
  const toggle = useToggleFavorite(image.id);
  // One name, with aria-pressed carrying the state (a toggle's name never flips).
  return (
    <button
      type="button"
      aria-pressed={image.favorite}
      aria-label="Favourite"
      title={image.favorite ? 'Remove from favourites' : 'Add to favourites'}
      onClick={(event) => {
        event.preventDefault();
        event.stopPropagation();
        toggle.mutate(!image.favorite);
      }}
      className={cn(
        'inline-flex items-center justify-center rounded-xl transition',
        variant === 'overlay'
          ? 'size-9 bg-black/45 text-white backdrop-blur hover:bg-black/65'
          : 'h-10 gap-2 border border-zinc-300 bg-white px-3 text-sm font-medium text-zinc-800 shadow-xs hover:bg-zinc-50 dark:border-zinc-700 dark:bg-zinc-900 dark:text-zinc-100 dark:hover:bg-zinc-800',
        className,
      )}
    >
      <Heart
        className={cn('size-4', image.favorite && 'fill-rose-500 text-rose-500')}
        aria-hidden="true"
      />
      {variant === 'solid' && <span className={labelClassName}>Favourite</span>}
    </button>
  );
}
