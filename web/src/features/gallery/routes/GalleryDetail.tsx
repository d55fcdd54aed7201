import { ImageOff, X } from 'lucide-react';
import { useId, useRef } from 'react';
import { useLocation, useNavigate, useParams } from 'react-router';
import { findModel, useConfig } from '../../../lib/config';
import { ApiError, describeError } from '../../../lib/errors';
import { useImage } from '../../../lib/images';
import type { Image } from '../../../types/api';
import { ImageDetail } from '../components/ImageDetail';
import { neighbourTileLink, tileLink } from '../components/tiles';
import { useTrashActions } from '../hooks/useTrashActions';
import { useGalleryNavigation } from '../hooks/useGalleryNavigation';
import { useGallerySlots, useGalleryView } from '../hooks/useGalleryView';
import { Alert } from '../../../components/ui/Alert';
import { Button } from '../../../components/ui/Button';
import { EmptyState } from '../../../components/ui/EmptyState';
import { Modal } from '../../../components/ui/Modal';
import { Skeleton } from '../../../components/ui/Skeleton';
import { useDocumentTitle } from '../../../hooks/useDocumentTitle';

/** /gallery/:id (or /collections/:collectionId/:id) — a deep-linkable overlay above the grid. */
export default function GalleryDetailPage() {
  useDocumentTitle('Image');
  const { id } = useParams();
  const { search } = useLocation();
  const navigate = useNavigate();
  const titleId = useId();
  const image = useImage(id);
  const config = useConfig();
  const navigation = useGalleryNavigation(id);
  const { basePath, collection } = useGalleryView();
  const { DetailExtras, DetailActions } = useGallerySlots();
  const { moveToTrash, restore } = useTrashActions();
  /** Set when the image shown goes to the trash: its tile leaves the grid too. */
  const focusOnClose = useRef<HTMLElement | null>(null);

  // Back to the grid, where it was under the overlay; the detail leaves no
  // history entry behind, so Back does not open it again.
  const close = () =>
    navigate({ pathname: basePath, search }, { replace: true, preventScrollReset: true });
  const notFound = image.error instanceof ApiError && image.error.status === 404;

  const styleLabel = config.data?.generation.styles.find((s) => s.id === image.data?.style)?.label;
  const model = config.data ? findModel(config.data, image.data?.model) : undefined;
  const modelLabel = model && model.id === image.data?.model ? model.label : undefined;

  // After stepping through images, focus lands on the tile of the one shown last.
  const lastTile = () => focusOnClose.current ?? (id ? tileLink(id) : null);

  function moveShownToTrash(shown: Image) {
    focusOnClose.current = neighbourTileLink(shown.id);
    close();
    moveToTrash(shown);
  }

  return (
    <Modal onClose={close} labelledBy={titleId} className="max-w-6xl" returnFocusTo={lastTile}>
      {image.data ? (
        <ImageDetail
          image={image.data}
          titleId={titleId}
          onClose={close}
          onMoveToTrash={() => moveShownToTrash(image.data)}
          onRestore={() => restore(image.data)}
          refetch={() => image.refetch()}
          navigation={navigation}
          styleLabel={styleLabel}
          modelLabel={modelLabel}
          extras={DetailExtras && <DetailExtras image={image.data} collection={collection} />}
          // Keyed: what an action has open belongs to the image it was opened for.
          actions={
            DetailActions && (
              <DetailActions key={image.data.id} image={image.data} collection={collection} />
            )
          }
        />
      ) : (
        <div className="p-6">
          <div className="flex items-center justify-between">
            <h2 id={titleId} className="text-lg font-semibold">
              {image.isPending ? 'Loading image…' : 'Image not available'}
            </h2>
            <Button
              variant="ghost"
              size="icon"
              onClick={close}
              aria-label="Close"
              data-autofocus
              icon={<X className="size-5" aria-hidden="true" />}
            />
          </div>
          <div className="mt-4">
            {image.isPending ? (
              <Skeleton className="aspect-video w-full" />
            ) : notFound ? (
              <EmptyState
                icon={<ImageOff className="size-7" aria-hidden="true" />}
                title="This image doesn’t exist"
              >
                It may have been deleted, or the link is wrong.
              </EmptyState>
            ) : (
              <Alert>{describeError(image.error)}</Alert>
            )}
          </div>
        </div>
      )}
    </Modal>
  );
}
