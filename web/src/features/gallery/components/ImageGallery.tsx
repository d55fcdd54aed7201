import { useCallback, useRef } from 'react';
import type { useGallery } from '../api/images';
import { describeError } from '../../../lib/errors';
import { useInView } from '../../../hooks/useInView';
import { Alert } from '../../../components/ui/Alert';
import { Button } from '../../../components/ui/Button';
import { Skeleton } from '../../../components/ui/Skeleton';
import { useGalleryBulk } from '../hooks/useGalleryBulk';
import { useGallerySlots, useGalleryView } from '../hooks/useGalleryView';
import { useGridKeys } from '../hooks/useGridKeys';
import { useMultiselect, useSelectionKeys } from '../hooks/useMultiselect';
import { useTrashActions } from '../hooks/useTrashActions';
import { GallerySelectionBar } from './GallerySelectionBar';
import { ImageCard } from './ImageCard';
import { focusAfterLeaving } from './tiles';

export const gridClasses = 'grid grid-cols-2 gap-3 sm:grid-cols-3 sm:gap-4 lg:grid-cols-4';

export function GallerySkeleton({ count = 8 }: { count?: number }) {
  return (
    <div className={gridClasses} aria-hidden="true">
      {Array.from({ length: count }, (_, i) => (
        <Skeleton key={i} className="aspect-square rounded-2xl" />
      ))}
    </div>
  );
}

/**
 * Thumbnail grid with infinite scroll and a "Load more" fallback, and a
 * selection of its images with a bar of what to do with them. The selection
 * belongs to one view of the gallery: `scope` names it (the search and the
 * filters), so changing them starts afresh. The arrow keys move between its
 * tiles as they are laid out.
 */
export function ImageGallery({
  query,
  scope = '',
}: {
  query: ReturnType<typeof useGallery>;
  scope?: string;
}) {
  const { data, hasNextPage, isFetchingNextPage, fetchNextPage, isFetchNextPageError, error } =
    query;
  const loadMore = useCallback(() => {
    if (hasNextPage && !isFetchingNextPage) void fetchNextPage();
  }, [hasNextPage, isFetchingNextPage, fetchNextPage]);
  const sentinel = useInView<HTMLDivElement>(loadMore, Boolean(hasNextPage));
  const items = data?.pages.flatMap((p) => p.items) ?? [];
  const { refetch } = query;
  const { moveToTrash } = useTrashActions();
  // Many tiles may find their links expired at once: they share one refetch.
  const refetchPages = useCallback(() => refetch({ cancelRefetch: false }), [refetch]);
  const selection = useMultiselect(items, scope);
  const bulk = useGalleryBulk(selection);
  const root = useRef<HTMLDivElement>(null);
  useSelectionKeys(root, selection);
  const onGridKeyDown = useGridKeys();
  const { collection } = useGalleryView();
  const { SelectionActions } = useGallerySlots();
  const selecting = selection.count > 0;

  return (
    <div ref={root}>
      <ul
        className={gridClasses}
        aria-label={collection ? 'Images in this collection' : 'Your images'}
        onKeyDown={onGridKeyDown}
      >
        {items.map((image) => (
          <li key={image.id}>
            <ImageCard
              image={image}
              refetch={refetchPages}
              onMoveToTrash={() => moveToTrash(image)}
              // With a selection, Delete moves the selection.
              onDeleteKey={selecting ? bulk.moveToTrash : undefined}
              selecting={selecting}
              selected={selection.isSelected(image.id)}
              onToggle={(range) => selection.toggle(image.id, range)}
            />
          </li>
        ))}
      </ul>
      <div ref={sentinel} className="mt-8 flex flex-col items-center gap-3">
        {isFetchNextPageError && !isFetchingNextPage && (
          <Alert title="Couldn't load more images" className="w-full max-w-md">
            {describeError(error)}
          </Alert>
        )}
        {hasNextPage && (
          <Button variant="secondary" onClick={loadMore} busy={isFetchingNextPage}>
            {isFetchingNextPage ? 'Loading…' : 'Load more'}
          </Button>
        )}
      </div>
      <GallerySelectionBar
        selected={selection.selected}
        bulk={bulk}
        onClear={selection.clear}
        extra={
          SelectionActions && (
            <SelectionActions
              selected={selection.selected}
              selectOnly={selection.selectOnly}
              clear={selection.clear}
              focusAfterLeaving={focusAfterLeaving}
              collection={collection}
            />
          )
        }
      />
    </div>
  );
}
