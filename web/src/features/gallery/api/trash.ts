/**
 * The trash: moving images in and out, deleting them for good, and the
 * optimistic cache updates that make each action show at once. A failed
 * action puts the cache back as it was and refetches what it touched.
 */
import {
  useInfiniteQuery,
  useMutation,
  useQueryClient,
  type InfiniteData,
  type QueryClient,
  type QueryKey,
} from '@tanstack/react-query';
import { http } from '../../../lib/client';
import { freshListUrls, imageQueryOptions, PAGE_SIZE } from '../../../lib/images';
import { queryKeys } from '../../../lib/queryKeys';
import type {
  EmptyTrashResult,
  Image,
  ImageListParams,
  ImagePage,
  TrashRequest,
} from '../../../types/api';
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

// --- the cache, kept in step ------------------------------------------------

function mapPages(qc: QueryClient, key: QueryKey, fn: (items: Image[]) => Image[]): void {
  qc.setQueriesData<Pages>({ queryKey: key }, (data) =>
    data ? { ...data, pages: data.pages.map((p) => ({ ...p, items: fn(p.items) })) } : data,
  );
}

const takeOut = (qc: QueryClient, key: QueryKey, id: string) =>
  mapPages(qc, key, (items) => items.filter((i) => i.id !== id));

const time = (iso: string | null | undefined) => (iso ? Date.parse(iso) : 0);

/** Gallery lists: newest first (ids are time-sortable, so they break ties). */
const newerThan = (a: Image, b: Image) =>
  time(a.created_at) > time(b.created_at) ||
  (time(a.created_at) === time(b.created_at) && a.id > b.id);

/** The trash: most recently trashed first. */
const trashedLaterThan = (a: Image, b: Image) =>
  time(a.trashed_at) > time(b.trashed_at) ||
  (time(a.trashed_at) === time(b.trashed_at) && a.id > b.id);

/**
 * Puts `image` into every cached list under `key` that `accepts` it, where its
 * order says: before the first item it comes before, or at the end once the
 * last page is loaded (otherwise a later page will bring it).
 */
function putIn(
  qc: QueryClient,
  key: QueryKey,
  image: Image,
  comesBefore: (a: Image, b: Image) => boolean,
  accepts: (queryKey: QueryKey) => boolean = () => true,
): void {
  for (const [queryKey, data] of qc.getQueriesData<Pages>({ queryKey: key })) {
    if (!data || data.pages.length === 0 || !accepts(queryKey)) continue;
    if (data.pages.some((p) => p.items.some((i) => i.id === image.id))) continue;
    const pages = data.pages.map((p) => ({ ...p, items: [...p.items] }));
    let placed = false;
    for (const page of pages) {
      const at = page.items.findIndex((item) => comesBefore(image, item));
      if (at >= 0) {
        page.items.splice(at, 0, image);
        placed = true;
        break;
      }
    }
    const last = pages[pages.length - 1];
    if (!placed && last && !last.next_cursor) {
      last.items.push(image);
      placed = true;
    }
    if (placed) qc.setQueryData<Pages>(queryKey, { ...data, pages });
  }
}

/**
 * A gallery list that certainly holds `image`. A search is left to its
 * refetch: only the server knows what its words match.
 */
function galleryListHolds(image: Image) {
  return (queryKey: QueryKey) => {
    const params = (queryKey[2] ?? {}) as ImageListParams;
    if (params.q) return false;
    return !params.favorite || image.favorite;
  };
}

const backInGallery = (qc: QueryClient, image: Image) =>
  putIn(qc, queryKeys.imageLists, image, newerThan, galleryListHolds(image));

/** Stops page loads in flight, so an answer from before the change cannot undo it. */
async function settleLists(qc: QueryClient) {
  await Promise.all([
    qc.cancelQueries({ queryKey: queryKeys.imageLists }),
    qc.cancelQueries({ queryKey: queryKeys.trashLists }),
  ]);
}

function refreshAfterChange(qc: QueryClient) {
  void qc.invalidateQueries({ queryKey: queryKeys.imageLists });
  void qc.invalidateQueries({ queryKey: queryKeys.trashLists });
  void qc.invalidateQueries({ queryKey: queryKeys.me });
}

function keepRecord(qc: QueryClient, image: Image) {
  qc.setQueryData(imageQueryOptions(image.id).queryKey, image);
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
    },
    onError: (_error, { image }) => backInGallery(qc, image),
    onSuccess: (trashed) => keepRecord(qc, trashed),
    onSettled: () => refreshAfterChange(qc),
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
    },
    onError: (_error, image) => {
      takeOut(qc, queryKeys.imageLists, image.id);
      if (image.trashed_at) putIn(qc, queryKeys.trashLists, image, trashedLaterThan);
    },
    onSuccess: (restored) => {
      keepRecord(qc, restored);
      mapPages(qc, queryKeys.imageLists, (items) =>
        items.map((i) => (i.id === restored.id ? restored : i)),
      );
    },
    onSettled: () => refreshAfterChange(qc),
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
    onSettled: () => refreshAfterChange(qc),
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
    },
  });
}
