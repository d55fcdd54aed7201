/**
 * What collections add to the gallery's pages: "Add to collection" in the
 * selection bar (and, in a collection, Remove from collection and Set as
 * cover), and the collections holding an image in its detail view. The
 * gallery offers the places; the app puts collections in them.
 */
import type { ReactNode } from 'react';
import {
  GallerySlotsContext,
  type DetailExtrasProps,
  type GallerySlots,
  type SelectionActionsProps,
} from '../../features/gallery/hooks/useGalleryView';
import {
  AddToCollectionAction,
  InCollectionActions,
} from '../../features/collections/components/CollectionSelectionActions';
import { ImageCollections } from '../../features/collections/components/ImageCollections';

function SelectionActions({ collection, ...props }: SelectionActionsProps) {
  return collection ? (
    <InCollectionActions collection={collection} {...props} />
  ) : (
    <AddToCollectionAction {...props} />
  );
}

function DetailExtras(props: DetailExtrasProps) {
  return <ImageCollections {...props} />;
}

const slots: GallerySlots = { SelectionActions, DetailExtras };

/** Around a gallery page: its bar and detail offer collections. */
export function GalleryWithCollections({ children }: { children: ReactNode }) {
  return <GallerySlotsContext.Provider value={slots}>{children}</GallerySlotsContext.Provider>;
}
