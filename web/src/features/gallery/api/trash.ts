/**
 * The trash: moving images in and out, deleting them for good, and the
 * optimistic cache updates (listCache) that make each action show at once. A
 * failed action puts the cache back as it was and refetches what it touched.
 */
import {
  useInfiniteQuery,
  useMutation,
  useQueryClient,
  type InfiniteData,
} from '@tanstack/react-query';
import { http } from '../../../lib/client';
import { freshListUrls, imageQueryOptions, PAGE_SIZE } from '../../../lib/images';
import { queryKeys } from '../../../lib/queryKeys';
import type { EmptyTrashResult, Image, ImagePage, TrashRequest } from '../../../types/api';
import {
  backInGallery,
  keepRecord,
  mapPages,
  markTrashed,
  putIn,
  refreshAfterChange,
  refreshCollections,
  settleLists,
  takeOut,
  trashedLaterThan,
} from '../../../lib/listCache';
import { deleteImage } from './images';

type Pages = InfiniteData<ImagePage, string | null>;

const imagePath = (id: string, action: string) => `/images/${encodeURIComponent(id)}/${action}`;

/** Moves an image to the trash. A favourite is refused (409 `favorite_protected`) unless included. */
export async function trashImage(id: string, includeFavorites = false): Promise<Image> {
  const body: TrashRequest = includeFavorites ? { include_favorites: true } : {};
  const { data } = await http.post<Image>(imagePath(id, 'trash'), body);
  return data;
}

export async function restoreImage(id: string): Promise<Image> {
  const { data } = await http.post<Image>(imagePath(id, 'restore'), {});
  return data;
}

export async function emptyTrash(): Promise<EmptyTrashResult> {
  const { data } = await http.post<EmptyTrashResult>('/trash/empty', {});
  return data;
}

export async function listTrash(params: {
  limit?: number;
  cursor?: string | null;
}): Promise<ImagePage> {
  const query: Record<string, string> = {
    trashed: 'true',
    limit: String(params.limit ?? PAGE_SIZE),
  };
  if (params.cursor) query.cursor = params.cursor;
  const { data } = await http.get<ImagePage>('/images', { params: query });
  return data;
}

/** The trash, most recently trashed first, one page per cursor. */
export function useTrash(params: { limit?: number } = {}) {
  return useInfiniteQuery({
    queryKey: queryKeys.trashList(params),
    queryFn: ({ pageParam }) => listTrash({ ...params, cursor: pageParam }),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.next_cursor ?? undefined,
    ...freshListUrls(),
  });
}

// --- the actions ------------------------------------------------------------

export interface TrashVariables {
  image: Image;
  includeFavorites?: boolean;
}

/** Moves an image to the trash: it leaves every gallery list at once. */
export function useTrashImage() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ image, includeFavorites }: TrashVariables) =>
      trashImage(image.id, includeFavorites),
    onMutate: async ({ image }) => {
      await settleLists(qc);
      takeOut(qc, queryKeys.imageLists, image.id);
      markTrashed(qc, [image.id], new Date().toISOString());
    },
    onError: (_error, { image }) => {
      backInGallery(qc, image);
      markTrashed(qc, [image.id], null);
    },
    onSuccess: (trashed) => keepRecord(qc, trashed),
    onSettled: () => {
      refreshAfterChange(qc);
      refreshCollections(qc);
    },
  });
}

/** Brings an image back from the trash: out of the trash list, into the gallery's. */
export function useRestoreImage() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (image: Image) => restoreImage(image.id),
    onMutate: async (image) => {
      await settleLists(qc);
      takeOut(qc, queryKeys.trashLists, image.id);
      backInGallery(qc, { ...image, trashed_at: null, purge_at: null });
      markTrashed(qc, [image.id], null);
    },
    onError: (_error, image) => {
      takeOut(qc, queryKeys.imageLists, image.id);
      if (image.trashed_at) putIn(qc, queryKeys.trashLists, image, trashedLaterThan);
      markTrashed(qc, [image.id], image.trashed_at ?? new Date().toISOString());
    },
    onSuccess: (restored) => {
      keepRecord(qc, restored);
      mapPages(qc, queryKeys.imageLists, (items) =>
        items.map((i) => (i.id === restored.id ? restored : i)),
      );
    },
    onSettled: () => {
      refreshAfterChange(qc);
      refreshCollections(qc);
    },
  });
}

/** Deletes a trashed image for good. */
export function useDeleteForever() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (image: Image) => deleteImage(image.id),
    onMutate: async (image) => {
      await settleLists(qc);
      takeOut(qc, queryKeys.trashLists, image.id);
    },
    onError: (_error, image) => putIn(qc, queryKeys.trashLists, image, trashedLaterThan),
    onSuccess: (_void, image) => {
      qc.removeQueries({ queryKey: imageQueryOptions(image.id).queryKey, exact: true });
    },
    onSettled: () => {
      refreshAfterChange(qc);
      refreshCollections(qc);
    },
  });
}

/** Deletes everything in the trash for good. */
export function useEmptyTrash() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: emptyTrash,
    onSuccess: () => {
      for (const [, data] of qc.getQueriesData<Pages>({ queryKey: queryKeys.trashLists })) {
        for (const item of data?.pages.flatMap((p) => p.items) ?? []) {
          qc.removeQueries({ queryKey: imageQueryOptions(item.id).queryKey, exact: true });
        }
      }
      qc.setQueriesData<Pages>({ queryKey: queryKeys.trashLists }, (data) =>
        data
          ? { pages: [{ items: [], next_cursor: null }], pageParams: [data.pageParams[0] ?? null] }
          : data,
      );
    },
    onSettled: () => {
      void qc.invalidateQueries({ queryKey: queryKeys.trashLists });
      void qc.invalidateQueries({ queryKey: queryKeys.me });
      refreshCollections(qc);
    },
  });
}
