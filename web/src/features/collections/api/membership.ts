/**
 * Adding images to a collection and taking them out, through the bulk
 * endpoint. Each shows at once: the images' `collection_ids` everywhere they
 * are cached, the collection's count and its list of images. A failed
 * request puts everything back; a partly failed one puts back exactly the
 * images that failed.
 */
import {
  useMutation,
  useQueryClient,
  type InfiniteData,
  type QueryClient,
} from '@tanstack/react-query';
import { failedOf, idsOf, runBulk } from '../../../lib/bulk';
import {
  collectionIdsOf,
  galleryListHolds,
  newerThan,
  putIn,
  settleLists,
} from '../../../lib/listCache';
import { queryKeys } from '../../../lib/queryKeys';
import type { Image, ImagePage } from '../../../types/api';
import { countImages, isListOf, refreshCollection, setMembership } from './collectionCache';

export interface MembershipVariables {
  images: Image[];
  /** The collection's id. */
  collection: string;
}

/** Shows `images` in collection `collection` (or out of it): records, lists and count. */
function show(qc: QueryClient, images: Image[], collection: string, member: boolean) {
  if (images.length === 0) return;
  const ids = new Set(idsOf(images));
  setMembership(qc, (id) => ids.has(id), collection, member);
  if (member) {
    for (const image of images) {
      const now = collectionIdsOf(image);
      const inIt = {
        ...image,
        collection_ids: now.includes(collection) ? now : [...now, collection],
      };
      const holds = galleryListHolds(inIt);
      const isList = isListOf(collection);
      putIn(qc, queryKeys.imageLists, inIt, newerThan, (queryKey) =>
        isList({ queryKey }) ? holds(queryKey) : false,
      );
    }
  } else {
    qc.setQueriesData<InfiniteData<ImagePage, string | null>>(
      { queryKey: queryKeys.imageLists, predicate: isListOf(collection) },
      (data) =>
        data && {
          ...data,
          pages: data.pages.map((p) => ({ ...p, items: p.items.filter((i) => !ids.has(i.id)) })),
        },
    );
  }
  countImages(qc, collection, member ? images.length : -images.length);
}

/** The images whose membership actually changes: already in (or out of) it, nothing happens. */
const changing = (images: Image[], collection: string, member: boolean) =>
  images.filter((i) => collectionIdsOf(i).includes(collection) !== member);

function useMembership(member: boolean) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ images, collection }: MembershipVariables) =>
      runBulk(member ? 'add_to_collection' : 'remove_from_collection', idsOf(images), {
        collectionId: collection,
      }),
    onMutate: async ({ images, collection }) => {
      await settleLists(qc);
      await qc.cancelQueries({ queryKey: queryKeys.collections });
      const changed = changing(images, collection, member);
      show(qc, changed, collection, member);
      return { changed };
    },
    onError: (_error, { collection }, context) => {
      show(qc, context?.changed ?? [], collection, !member);
    },
    onSuccess: (outcome, { collection }, context) => {
      show(qc, failedOf(context.changed, outcome), collection, !member);
    },
    onSettled: (_outcome, _error, { collection }) => {
      refreshCollection(qc, collection);
      void qc.invalidateQueries({
        queryKey: queryKeys.imageLists,
        predicate: isListOf(collection),
      });
    },
  });
}

/** Adds images to a collection (those already in it stay, harmlessly). */
export function useAddToCollection() {
  return useMembership(true);
}

/** Takes images out of a collection; they stay in the gallery. */
export function useRemoveFromCollection() {
  return useMembership(false);
}
