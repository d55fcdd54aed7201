import { Heart, ImagePlus, Keyboard, Search, SearchX, Sparkles, X } from 'lucide-react';
import { useMemo, useState, type ReactNode } from 'react';
import { Link, Outlet } from 'react-router';
import { describeError } from '../../../lib/errors';
import { useGallery } from '../api/images';
import { useGalleryFilters } from '../hooks/useGalleryFilters';
import { GallerySkeleton, ImageGallery } from '../components/ImageGallery';
import { ShortcutsDialog } from '../components/ShortcutsDialog';
import { TrashActionsProvider } from '../components/TrashActionsProvider';
import { useShortcutsKey } from '../hooks/useShortcutsKey';
import {
  GALLERY,
  GalleryViewContext,
  useGallerySlots,
  type GalleryView,
} from '../hooks/useGalleryView';
import { PageHeader } from '../../../components/layout/PageHeader';
import { Alert } from '../../../components/ui/Alert';
import { Button } from '../../../components/ui/Button';
import { buttonClasses } from '../../../components/ui/buttonStyles';
import { controlClasses } from '../../../components/ui/Field';
import { EmptyState } from '../../../components/ui/EmptyState';
import { useDocumentTitle } from '../../../hooks/useDocumentTitle';
import { cn } from '../../../utils/cn';

interface GalleryPageProps {
  /** Which images, and where they open: the whole gallery unless told otherwise. */
  view?: GalleryView;
  /** The page's heading and actions, instead of the gallery's. */
  header?: ReactNode;
  /** What an unfiltered, empty view says, instead of the gallery's. */
  empty?: ReactNode;
  /** The document title. */
  title?: string;
}

/**
 * /gallery — every image, newest first, with search, the favourites filter,
 * selection and the detail overlay. A collection's page is the same page with
 * its own `view`, `header` and `empty` state.
 */
export default function GalleryPage({ view: given = GALLERY, ...props }: GalleryPageProps) {
  // One value per view, not per render: everything below reads it.
  const { basePath, collection } = given;
  const view = useMemo(() => ({ basePath, collection }), [basePath, collection]);
  // Around the detail too (the Outlet), whose Move to trash closes it first.
  return (
    <GalleryViewContext.Provider value={view}>
      <TrashActionsProvider>
        <Gallery view={view} {...props} />
      </TrashActionsProvider>
    </GalleryViewContext.Provider>
  );
}

function Gallery({
  view,
  header,
  empty,
  title = 'Gallery',
}: GalleryPageProps & { view: GalleryView }) {
  useDocumentTitle(title);
  const filters = useGalleryFilters();
  const gallery = useGallery({
    q: filters.query,
    favorite: filters.favorite,
    collection: view.collection,
  });
  const items = gallery.data?.pages.flatMap((p) => p.items) ?? [];
  // Known only once every page is in: the first ones alone would undercount.
  const count = gallery.data && !gallery.hasNextPage ? items.length : null;
  const { FilterActions } = useGallerySlots();
  const [shortcutsOpen, setShortcutsOpen] = useState(false);
  useShortcutsKey(() => setShortcutsOpen(true));

  return (
    <div className="mx-auto max-w-6xl px-4 py-8 sm:px-6 sm:py-10">
      {header ?? (
        <PageHeader
          title="Gallery"
          description="Everything you have generated, newest first."
          actions={
            <Link to="/generate" className={buttonClasses('primary', 'md')}>
              <Sparkles className="size-4" aria-hidden="true" />
              New image
            </Link>
          }
        />
      )}

      <div className="mt-6 flex flex-col gap-3 sm:flex-row sm:items-center">
        <div className="relative flex-1">
          <label htmlFor="gallery-search" className="sr-only">
            {view.collection ? 'Search this collection by prompt' : 'Search your images by prompt'}
          </label>
          <Search
            className="pointer-events-none absolute left-3.5 top-1/2 size-4 -translate-y-1/2 text-zinc-400"
            aria-hidden="true"
          />
          <input
            id="gallery-search"
            type="search"
            placeholder="Search prompts…"
            value={filters.text}
            onChange={(e) => filters.setText(e.target.value)}
            className={cn(controlClasses, 'h-11 pl-10 pr-10')}
          />
          {filters.text && (
            <button
              type="button"
              onClick={() => filters.setText('')}
              className="absolute right-2 top-1/2 flex size-7 -translate-y-1/2 items-center justify-center rounded-lg text-zinc-500 hover:bg-zinc-100 dark:text-zinc-400 dark:hover:bg-zinc-800"
              aria-label="Clear search"
            >
              <X className="size-4" aria-hidden="true" />
            </button>
          )}
        </div>
        <Button
          variant="secondary"
          aria-pressed={filters.favorite}
          onClick={filters.toggleFavorites}
          className={cn(
            'h-11',
            filters.favorite &&
              'border-rose-300 bg-rose-50 text-rose-700 hover:bg-rose-100 dark:border-rose-500/40 dark:bg-rose-500/10 dark:text-rose-200',
          )}
          icon={
            <Heart
              className={cn('size-4', filters.favorite && 'fill-rose-500 text-rose-500')}
              aria-hidden="true"
            />
          }
        >
          Favourites only
        </Button>
        {FilterActions && (
          <FilterActions
            favorite={filters.favorite}
            query={filters.query}
            count={count}
            collection={view.collection}
          />
        )}
        {/* Keys need a keyboard: on a phone it would only take room. */}
        <button
          type="button"
          onClick={() => setShortcutsOpen(true)}
          aria-label="Keyboard shortcuts"
          title="Keyboard shortcuts (?)"
          className="hidden size-11 shrink-0 items-center justify-center rounded-xl text-zinc-600 transition hover:bg-zinc-100 hover:text-zinc-900 sm:flex dark:text-zinc-400 dark:hover:bg-zinc-800 dark:hover:text-white"
        >
          <Keyboard className="size-5" aria-hidden="true" />
        </button>
      </div>

      <div className="mt-6" aria-busy={gallery.isFetching}>
        {gallery.isPending ? (
          <GallerySkeleton />
        ) : gallery.isError && !gallery.data ? (
          <Alert title="Couldn't load your gallery" onRetry={() => void gallery.refetch()}>
            {describeError(gallery.error)}
          </Alert>
        ) : items.length === 0 ? (
          filters.filtered ? (
            <EmptyState
              icon={<SearchX className="size-7" aria-hidden="true" />}
              title="No images match"
              action={
                <Button variant="secondary" onClick={filters.clear}>
                  Clear filters
                </Button>
              }
            >
              {filters.favorite && !filters.query
                ? view.collection
                  ? 'None of the images in this collection is a favourite.'
                  : 'You have no favourites yet. Tap the heart on an image to keep it here.'
                : `Nothing in ${view.collection ? 'this collection' : 'your gallery'} matches “${filters.query}”${filters.favorite ? ' among your favourites' : ''}.`}
            </EmptyState>
          ) : (
            (empty ?? (
              <EmptyState
                icon={<ImagePlus className="size-7" aria-hidden="true" />}
                title="Your gallery is empty"
                action={
                  <Link to="/generate" className={buttonClasses('primary', 'md')}>
                    <Sparkles className="size-4" aria-hidden="true" />
                    Generate your first image
                  </Link>
                }
              >
                Every image you generate is saved here with its prompt and settings.
              </EmptyState>
            ))
          )
        ) : (
          <ImageGallery
            query={gallery}
            // A new search or filter starts a new selection.
            scope={JSON.stringify([view.collection, filters.query, filters.favorite])}
          />
        )}
      </div>
      <Outlet />
      {shortcutsOpen && <ShortcutsDialog onClose={() => setShortcutsOpen(false)} />}
    </div>
  );
}
