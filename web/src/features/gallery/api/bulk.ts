/**
 * Bulk actions: one action on many images, each image succeeding or failing
 * on its own. Every hook changes the cached lists at once (listCache), puts
 * everything back when the request fails, and puts back exactly the images
 * that failed when only some did.
 */
import {
  useMutation,
  useQueryClient,
  type QueryClient,
  type QueryKey,
} from '@tanstack/react-query';
import { failedOf, idsOf, runBulk } from '../../../lib/bulk';
import { imageQueryOptions, setFavorite } from '../../../lib/images';
import {
  backInGallery,
  mapPages,
  markTrashed,
  putIn,
  refreshAfterChange,
  refreshCollections,
  settleLists,
  trashedLaterThan,
} from '../../../lib/listCache';
import { queryKeys } from '../../../lib/queryKeys';
import type { Image } from '../../../types/api';

/** Leaves out of every list under `key` the images with these ids. */
function takeOutAll(qc: QueryClient, key: QueryKey, ids: string[]) {
  const gone = new Set(ids);
  mapPages(qc, key, (items) => items.filter((i) => !gone.has(i.id)));
}

export interface BulkFavoriteVariables {
  images: Image[];
  favorite: boolean;
}

/** Favourites (or unfavourites) many images: every heart flips at once. */
export function useBulkFavorite() {
  const qc = useQueryClient();
  const putBack = (images: Image[]) => {
    for (const image of images) setFavorite(qc, image.id, image.favorite);
  };
  return useMutation({
    mutationFn: ({ images, favorite }: BulkFavoriteVariables) =>
      runBulk(favorite ? 'favorite' : 'unfavorite', idsOf(images)),
    onMutate: ({ images, favorite }) => {
      for (const image of images) setFavorite(qc, image.id, favorite);
    },
    onError: (_error, { images }) => putBack(images),
    onSuccess: (outcome, { images }) => putBack(failedOf(images, outcome)),
    onSettled: () => refreshAfterChange(qc),
  });
}

export interface BulkTrashVariables {
  images: Image[];
  includeFavorites?: boolean;
}

/** Moves many images to the trash: they leave every gallery list at once. */
export function useBulkTrash() {
  const qc = useQueryClient();
  const putBack = (images: Image[]) => {
    for (const image of images) backInGallery(qc, image);
    markTrashed(qc, idsOf(images), null);
  };
  return useMutation({
    mutationFn: ({ images, includeFavorites }: BulkTrashVariables) =>
      runBulk('trash', idsOf(images), { includeFavorites }),
    onMutate: async ({ images }) => {
      await settleLists(qc);
      takeOutAll(qc, queryKeys.imageLists, idsOf(images));
      markTrashed(qc, idsOf(images), new Date().toISOString());
    },
    onError: (_error, { images }) => putBack(images),
    onSuccess: (outcome, { images }) => {
      putBack(failedOf(images, outcome));
      // Their records now say "in the trash": the server has the details.
      for (const id of outcome.succeeded) {
        void qc.invalidateQueries({ queryKey: imageQueryOptions(id).queryKey, exact: true });
      }
    },
    onSettled: () => {
      refreshAfterChange(qc);
      refreshCollections(qc);
    },
  });
}

/**
 * Brings many images back from the trash: out of the trash list, into the
 * gallery's, at once. Also what Undo does after a bulk move to the trash.
 */
export function useBulkRestore() {
  const qc = useQueryClient();
  const putBack = (images: Image[]) => {
    takeOutAll(qc, queryKeys.imageLists, idsOf(images));
    for (const image of images) {
      if (image.trashed_at) putIn(qc, queryKeys.trashLists, image, trashedLaterThan);
      markTrashed(qc, [image.id], image.trashed_at ?? new Date().toISOString());
    }
  };
  return useMutation({
    mutationFn: (images: Image[]) => runBulk('restore', idsOf(images)),
    onMutate: async (images) => {
      await settleLists(qc);
      takeOutAll(qc, queryKeys.trashLists, idsOf(images));
      for (const image of images) {
        backInGallery(qc, { ...image, trashed_at: null, purge_at: null });
      }
      markTrashed(qc, idsOf(images), null);
    },
    onError: (_error, images) => putBack(images),
    onSuccess: (outcome, images) => {
      putBack(failedOf(images, outcome));
      for (const id of outcome.succeeded) {
        void qc.invalidateQueries({ queryKey: imageQueryOptions(id).queryKey, exact: true });
      }
    },
    onSettled: () => {
      refreshAfterChange(qc);
      refreshCollections(qc);
    },
  });
}

/** Deletes many trashed images for good: they leave the trash list at once. */
export function useBulkDeleteForever() {
  const qc = useQueryClient();
  const putBack = (images: Image[]) => {
    for (const image of images) putIn(qc, queryKeys.trashLists, image, trashedLaterThan);
  };
  return useMutation({
    mutationFn: (images: Image[]) => runBulk('delete', idsOf(images)),
    onMutate: async (images) => {
      await settleLists(qc);
      takeOutAll(qc, queryKeys.trashLists, idsOf(images));
    },
    onError: (_error, images) => putBack(images),
    onSuccess: (outcome, images) => {
      putBack(failedOf(images, outcome));
      for (const id of outcome.succeeded) {
        qc.removeQueries({ queryKey: imageQueryOptions(id).queryKey, exact: true });
      }
    },
    onSettled: () => {
      refreshAfterChange(qc);
      refreshCollections(qc);
    },
  });
}
