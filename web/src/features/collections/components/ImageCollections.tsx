import { Folder, FolderPlus, ImageUp } from 'lucide-react';
import { useState } from 'react';
import { Link } from 'react-router';
import { collectionIdsOf } from '../../../lib/listCache';
import type { Image } from '../../../types/api';
import { Button } from '../../../components/ui/Button';
import { useCollection, useCollections } from '../api/collections';
import { useSetCover } from '../hooks/useSetCover';
import { CollectionPicker } from './CollectionPicker';

/**
 * "Set as cover" in the detail view of an image opened from its collection:
 * a toggle (its name stays, aria-pressed says whether this image is the
 * chosen cover); pressed again, the cover goes back to the newest image.
 */
function SetCoverButton({ image, collection }: { image: Image; collection: string }) {
  const shown = useCollection(collection).data;
  const setCover = useSetCover(collection);
  if (!shown || !collectionIdsOf(image).includes(collection)) return null;
  const isCover = shown.cover_image_id === image.id;
  return (
    <Button
      variant="secondary"
      size="sm"
      aria-pressed={isCover}
      onClick={() => setCover(isCover ? null : image)}
      icon={<ImageUp className="size-4" aria-hidden="true" />}
    >
      Set as cover
    </Button>
  );
}

/**
 * The collections holding an image, as links to them (ids the list does not
 * know, such as one deleted a moment ago, are left out), with Add to
 * collection and, opened from a collection, Set as cover.
 */
export function ImageCollections({ image, collection }: { image: Image; collection?: string }) {
  const collections = useCollections();
  const [picking, setPicking] = useState(false);
  const ids = collectionIdsOf(image);
  const holding = (collections.data?.items ?? []).filter((c) => ids.includes(c.id));

  return (
    <section aria-labelledby={`collections-of-${image.id}`}>
      <h3
        id={`collections-of-${image.id}`}
        className="text-xs font-medium uppercase tracking-wide text-zinc-500 dark:text-zinc-400"
      >
        Collections
      </h3>
      {holding.length > 0 ? (
        <ul className="mt-2 flex flex-wrap gap-2" aria-label="Collections holding this image">
          {holding.map((c) => (
            <li key={c.id}>
              <Link
                to={`/collections/${encodeURIComponent(c.id)}`}
                className="inline-flex max-w-full items-center gap-1.5 rounded-full border border-zinc-300 bg-zinc-50 px-3 py-1 text-sm font-medium text-zinc-800 hover:bg-zinc-100 dark:border-zinc-700 dark:bg-zinc-800 dark:text-zinc-100 dark:hover:bg-zinc-700"
              >
                <Folder className="size-3.5 shrink-0" aria-hidden="true" />
                <span className="truncate">{c.name}</span>
              </Link>
            </li>
          ))}
        </ul>
      ) : (
        <p className="mt-1 text-sm text-zinc-600 dark:text-zinc-400">Not in any collection.</p>
      )}
      {/* An image in the trash joins no collection until it is restored. */}
      {!image.trashed_at && (
        <div className="mt-3 flex flex-wrap gap-2">
          <Button
            variant="secondary"
            size="sm"
            onClick={() => setPicking(true)}
            icon={<FolderPlus className="size-4" aria-hidden="true" />}
          >
            Add to collection
          </Button>
          {collection && <SetCoverButton image={image} collection={collection} />}
        </div>
      )}
      {picking && <CollectionPicker images={[image]} onClose={() => setPicking(false)} />}
    </section>
  );
}
