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
import { http } from '../../../lib/client';
import { toApiError } from '../../../lib/errors';
import { imageQueryOptions, setFavorite } from '../../../lib/images';
import { queryKeys } from '../../../lib/queryKeys';
import type { BulkAction, BulkOutcome, BulkRequest, Image } from '../../../types/api';
import {
  backInGallery,
  mapPages,
  putIn,
  refreshAfterChange,
  settleLists,
  trashedLaterThan,
} from './listCache';

/** The most ids one request may carry. */
export const BULK_MAX_IDS = 100;

export async function bulkImages(request: BulkRequest): Promise<BulkOutcome> {
  const { data } = await http.post<BulkOutcome>('/images/bulk', request);
  return data;
}

/**
 * `action` on every id, in requests of at most 100. A failed request fails
 * the whole action only when nothing has been done yet; after that, the ids
 * it carried and those still to go are reported as failed, with its reason.
 */
export async function runBulk(
  action: BulkAction,
  ids: string[],
  includeFavorites = false,
): Promise<BulkOutcome> {
  const outcome: BulkOutcome = { succeeded: [], failed: [] };
  for (let from = 0; from < ids.length; from += BULK_MAX_IDS) {
    const request: BulkRequest = { action, ids: ids.slice(from, from + BULK_MAX_IDS) };
    if (action === 'trash') request.include_favorites = includeFavorites;
    try {
      const answer = await bulkImages(request);
      outcome.succeeded.push(...answer.succeeded);
      outcome.failed.push(...answer.failed);
    } catch (error) {
      if (from === 0) throw error;
      const { code } = toApiError(error);
      outcome.failed.push(...ids.slice(from).map((id) => ({ id, code })));
      break;
    }
  }
  return outcome;
}

const idsOf = (images: Image[]) => images.map((i) => i.id);

/** The images of `images` that `outcome` says failed. */
export function failedOf(images: Image[], outcome: BulkOutcome): Image[] {
  const failed = new Set(outcome.failed.map((f) => f.id));
  return images.filter((i) => failed.has(i.id));
}

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
  };
  return useMutation({
    mutationFn: ({ images, includeFavorites }: BulkTrashVariables) =>
      runBulk('trash', idsOf(images), includeFavorites),
    onMutate: async ({ images }) => {
      await settleLists(qc);
      takeOutAll(qc, queryKeys.imageLists, idsOf(images));
    },
    onError: (_error, { images }) => putBack(images),
    onSuccess: (outcome, { images }) => {
      putBack(failedOf(images, outcome));
      // Their records now say "in the trash": the server has the details.
      for (const id of outcome.succeeded) {
        void qc.invalidateQueries({ queryKey: imageQueryOptions(id).queryKey, exact: true });
      }
    },
    onSettled: () => refreshAfterChange(qc),
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
    },
    onError: (_error, images) => putBack(images),
    onSuccess: (outcome, images) => {
      putBack(failedOf(images, outcome));
      for (const id of outcome.succeeded) {
        void qc.invalidateQueries({ queryKey: imageQueryOptions(id).queryKey, exact: true });
      }
    },
    onSettled: () => refreshAfterChange(qc),
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
    onSettled: () => refreshAfterChange(qc),
  });
}
