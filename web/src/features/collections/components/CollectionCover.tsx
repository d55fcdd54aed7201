import { FolderOpen } from 'lucide-react';
import { ImageFallback } from '../../../components/image/SignedImage';
import { useSignedImage } from '../../../hooks/useSignedImage';
import type { Collection } from '../../../types/api';
import { cn } from '../../../utils/cn';

/**
 * A collection's cover: its thumbnail over its placeholder colour, or a
 * folder when the collection is empty. Decorative: the name beside it says
 * what it is. `refetch` reloads the collection when the signed URL expired.
 */
export function CollectionCover({
  collection,
  refetch,
  className,
}: {
  collection: Collection;
  refetch: () => Promise<unknown>;
  className?: string;
}) {
  const signed = useSignedImage(refetch);
  const { cover } = collection;
  if (!cover) {
    return (
      <div
        className={cn(
          'flex items-center justify-center bg-zinc-100 text-zinc-400 dark:bg-zinc-800 dark:text-zinc-500',
          className,
        )}
      >
        <FolderOpen className="size-10" aria-hidden="true" />
      </div>
    );
  }
  if (signed.state !== 'shown') {
    return <ImageFallback state={signed.state} onRetry={signed.retry} className={className} />;
  }
  return (
    <img
      key={signed.imageKey}
      {...signed.imgProps}
      src={cover.thumbnail_url}
      alt=""
      loading="lazy"
      decoding="async"
      className={cn('object-cover', className)}
      style={{ backgroundColor: cover.placeholder }}
    />
  );
}
