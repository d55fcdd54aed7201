import type { ReactNode } from 'react';
import { Link } from 'react-router';
import type { Collection } from '../../../types/api';
import { images } from '../../../lib/bulkText';
import { CollectionCover } from './CollectionCover';

/**
 * One collection in the grid: its cover, its name and how many images it
 * holds; opens it. `badges`: marks other features put on its cover (shared).
 */
export function CollectionCard({
  collection,
  refetch,
  badges,
}: {
  collection: Collection;
  refetch: () => Promise<unknown>;
  badges?: ReactNode;
}) {
  return (
    <Link
      to={`/collections/${encodeURIComponent(collection.id)}`}
      className="group relative block overflow-hidden rounded-2xl border border-zinc-200 bg-white shadow-xs transition hover:shadow-lg dark:border-zinc-800 dark:bg-zinc-900"
      data-testid="collection-card"
    >
      <CollectionCover
        collection={collection}
        refetch={refetch}
        className="aspect-[4/3] w-full transition duration-300 group-hover:scale-[1.02]"
      />
      {badges && <span className="absolute left-2 top-2 flex gap-1">{badges}</span>}
      <div className="border-t border-zinc-200 p-3 dark:border-zinc-800">
        <h2 className="truncate text-sm font-semibold">{collection.name}</h2>
        <p className="text-sm tabular-nums text-zinc-600 dark:text-zinc-400">
          {images(collection.image_count)}
        </p>
      </div>
    </Link>
  );
}
