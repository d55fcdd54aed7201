import { FolderX, Images } from 'lucide-react';
import type { ReactNode } from 'react';
import { Link } from 'react-router';
import { ApiError, describeError } from '../../../lib/errors';
import type { Collection } from '../../../types/api';
import { Alert } from '../../../components/ui/Alert';
import { buttonClasses } from '../../../components/ui/buttonStyles';
import { EmptyState } from '../../../components/ui/EmptyState';
import { PageSkeleton } from '../../../components/ui/Skeleton';
import { useDocumentTitle } from '../../../hooks/useDocumentTitle';
import { useCollection } from '../api/collections';

function Frame({ children }: { children: ReactNode }) {
  return <div className="mx-auto max-w-6xl px-4 py-8 sm:px-6 sm:py-10">{children}</div>;
}

function NotFound() {
  useDocumentTitle('Collection not found');
  return (
    <Frame>
      <h1 className="sr-only">Collection not found</h1>
      <EmptyState
        icon={<FolderX className="size-7" aria-hidden="true" />}
        title="This collection doesn’t exist"
        action={
          <Link to="/collections" className={buttonClasses('secondary', 'md')}>
            See your collections
          </Link>
        }
      >
        It may have been deleted, or the link is wrong.
      </EmptyState>
    </Frame>
  );
}

/**
 * Collection `id`, once loaded, given to `children` (the page around its
 * images); until then a skeleton, and a proper not-found page for an id that
 * is unknown or someone else's.
 */
export function CollectionScreen({
  id,
  children,
}: {
  id: string;
  children: (collection: Collection) => ReactNode;
}) {
  const collection = useCollection(id);
  if (collection.error instanceof ApiError && collection.error.status === 404) return <NotFound />;
  if (collection.data) return children(collection.data);
  if (collection.isPending) return <PageSkeleton />;
  return (
    <Frame>
      <h1 className="text-2xl font-semibold tracking-tight">Collection</h1>
      <Alert
        className="mt-6"
        title="Couldn't load this collection"
        onRetry={() => void collection.refetch()}
      >
        {describeError(collection.error)}
      </Alert>
    </Frame>
  );
}

/** What an empty collection says, and where to find images for it. */
export function CollectionEmpty() {
  return (
    <EmptyState
      icon={<Images className="size-7" aria-hidden="true" />}
      title="No images here yet"
      action={
        <Link to="/gallery" className={buttonClasses('primary', 'md')}>
          <Images className="size-4" aria-hidden="true" />
          Go to the gallery
        </Link>
      }
    >
      Select images in the gallery and choose Add to collection to gather them here. They stay in
      your gallery too.
    </EmptyState>
  );
}
