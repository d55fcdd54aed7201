import { FolderPlus, Images, Plus } from 'lucide-react';
import { useCallback, useRef, useState, type ReactNode } from 'react';
import { Link } from 'react-router';
import type { Collection } from '../../../types/api';
import { describeError } from '../../../lib/errors';
import { PageHeader } from '../../../components/layout/PageHeader';
import { Alert } from '../../../components/ui/Alert';
import { Button } from '../../../components/ui/Button';
import { buttonClasses } from '../../../components/ui/buttonStyles';
import { EmptyState } from '../../../components/ui/EmptyState';
import { Skeleton } from '../../../components/ui/Skeleton';
import { useToast } from '../../../components/ui/toast';
import { useDocumentTitle } from '../../../hooks/useDocumentTitle';
import { useCollections, useCreateCollection } from '../api/collections';
import { CollectionCard } from '../components/CollectionCard';
import { CollectionFormDialog } from '../components/CollectionFormDialog';

const gridClasses = 'grid grid-cols-2 gap-3 sm:grid-cols-3 sm:gap-4 lg:grid-cols-4';

/**
 * /collections — every collection as a card with its cover, newest change
 * first. `cardBadges`: marks other features put on a card (shared); asked of
 * every card at each render, so it must only look the collection up.
 */
export default function CollectionsPage({
  cardBadges,
}: {
  cardBadges?: (collection: Collection) => ReactNode;
} = {}) {
  useDocumentTitle('Collections');
  const collections = useCollections();
  const { mutateAsync: create } = useCreateCollection();
  const toast = useToast();
  const [creating, setCreating] = useState(false);
  /** The collection just made: focus goes to its card when the dialog closes. */
  const created = useRef<string | null>(null);
  const { refetch } = collections;
  // Many covers may find their links expired at once: they share one refetch.
  const refetchList = useCallback(() => refetch({ cancelRefetch: false }), [refetch]);
  const items = collections.data?.items ?? [];

  const newButton = (
    <Button onClick={() => setCreating(true)} icon={<Plus className="size-4" aria-hidden="true" />}>
      New collection
    </Button>
  );

  return (
    <div className="mx-auto max-w-6xl px-4 py-8 sm:px-6 sm:py-10">
      <PageHeader
        title="Collections"
        description="Your images, gathered the way you think about them."
        actions={items.length > 0 && newButton}
      />

      <div className="mt-6" aria-busy={collections.isFetching}>
        {collections.isPending ? (
          <div className={gridClasses} aria-hidden="true">
            {Array.from({ length: 4 }, (_, i) => (
              <Skeleton key={i} className="aspect-[4/3.9] rounded-2xl" />
            ))}
          </div>
        ) : collections.isError && !collections.data ? (
          <Alert title="Couldn't load your collections" onRetry={() => void refetch()}>
            {describeError(collections.error)}
          </Alert>
        ) : items.length === 0 ? (
          <EmptyState
            icon={<FolderPlus className="size-7" aria-hidden="true" />}
            title="No collections yet"
            action={
              <div className="flex flex-col gap-2 sm:flex-row">
                {newButton}
                <Link to="/gallery" className={buttonClasses('secondary', 'md')}>
                  <Images className="size-4" aria-hidden="true" />
                  Go to the gallery
                </Link>
              </div>
            }
          >
            Collections gather images that belong together — a project, a trip, a style you like —
            without moving them: an image can be in several collections and stays in your gallery.
            Select images in the gallery and choose Add to collection, or start an empty one here.
          </EmptyState>
        ) : (
          <ul className={gridClasses} aria-label="Your collections">
            {items.map((collection) => (
              <li key={collection.id}>
                <CollectionCard
                  collection={collection}
                  refetch={refetchList}
                  badges={cardBadges?.(collection)}
                />
              </li>
            ))}
          </ul>
        )}
      </div>

      {creating && (
        <CollectionFormDialog
          title="New collection"
          submitLabel="Create collection"
          onClose={() => setCreating(false)}
          returnFocusTo={() =>
            created.current
              ? document.querySelector<HTMLElement>(
                  `a[href="/collections/${CSS.escape(encodeURIComponent(created.current))}"]`,
                )
              : null
          }
          onSubmit={async ({ name, description }) => {
            created.current = null;
            const collection = await create({ name, description: description || null });
            created.current = collection.id;
            toast.show({
              tone: 'success',
              message: `Created the collection “${collection.name}”.`,
            });
          }}
        />
      )}
    </div>
  );
}
