/**
 * The cached image lists (the gallery's, a collection's, the trash) kept in
 * step with what the person just did: taking images out of lists, putting
 * them back where their order says, and the refetches that follow. Shared by
 * the trash, the bulk actions and collections, so an optimistic change and
 * its rollback work the same way everywhere.
 */
import type { InfiniteData, QueryClient, QueryKey } from '@tanstack/react-query';
import { imageQueryOptions } from './images';
import { queryKeys } from './queryKeys';
import type { Image, ImageListParams, ImagePage } from '../types/api';

type Pages = InfiniteData<ImagePage, string | null>;

export function mapPages(qc: QueryClient, key: QueryKey, fn: (items: Image[]) => Image[]): void {
  qc.setQueriesData<Pages>({ queryKey: key }, (data) =>
    data ? { ...data, pages: data.pages.map((p) => ({ ...p, items: fn(p.items) })) } : data,
  );
}

export const takeOut = (qc: QueryClient, key: QueryKey, id: string) =>
  mapPages(qc, key, (items) => items.filter((i) => i.id !== id));

const time = (iso: string | null | undefined) => (iso ? Date.parse(iso) : 0);

/** Gallery lists: newest first (ids are time-sortable, so they break ties). */
export const newerThan = (a: Image, b: Image) =>
  time(a.created_at) > time(b.created_at) ||
  (time(a.created_at) === time(b.created_at) && a.id > b.id);

/** The trash: most recently trashed first. */
export const trashedLaterThan = (a: Image, b: Image) =>
  time(a.trashed_at) > time(b.trashed_at) ||
  (time(a.trashed_at) === time(b.trashed_at) && a.id > b.id);

/**
 * Puts `image` into every cached list under `key` that `accepts` it, where its
 * order says: before the first item it comes before, or at the end once the
 * last page is loaded (otherwise a later page will bring it).
 */
export function putIn(
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

/** The collections holding `image` (an older server sends none). */
export const collectionIdsOf = (image: Pick<Image, 'collection_ids'>): string[] =>
  image.collection_ids ?? [];

/**
 * A gallery list (or a collection's) that certainly holds `image`. A search
 * is left to its refetch: only the server knows what its words match.
 */
export function galleryListHolds(image: Image) {
  return (queryKey: QueryKey) => {
    const params = (queryKey[2] ?? {}) as ImageListParams;
    if (params.q) return false;
    if (params.collection && !collectionIdsOf(image).includes(params.collection)) return false;
    return !params.favorite || image.favorite;
  };
}

export const backInGallery = (qc: QueryClient, image: Image) =>
  putIn(qc, queryKeys.imageLists, image, newerThan, galleryListHolds(image));

/** Stops page loads in flight, so an answer from before the change cannot undo it. */
export async function settleLists(qc: QueryClient) {
  await Promise.all([
    qc.cancelQueries({ queryKey: queryKeys.imageLists }),
    qc.cancelQueries({ queryKey: queryKeys.trashLists }),
  ]);
}

export function refreshAfterChange(qc: QueryClient) {
  void qc.invalidateQueries({ queryKey: queryKeys.imageLists });
  void qc.invalidateQueries({ queryKey: queryKeys.trashLists });
  void qc.invalidateQueries({ queryKey: queryKeys.me });
}

export function keepRecord(qc: QueryClient, image: Image) {
  qc.setQueryData(imageQueryOptions(image.id).queryKey, image);
}

/**
 * Marks the cached records of `ids` as in the trash (a time) or out of it
 * (null) at once, so whatever shows them by record (the Generate page's runs)
 * follows before the server's answer.
 */
export function markTrashed(qc: QueryClient, ids: Iterable<string>, at: string | null) {
  for (const id of ids) {
    const { queryKey } = imageQueryOptions(id);
    const cached = qc.getQueryData(queryKey);
    if (cached) qc.setQueryData(queryKey, { ...cached, trashed_at: at });
  }
}

/**
 * Collections count and show only images outside the trash: moving images in
 * or out of it, or deleting them, changes their counts and covers.
 */
export function refreshCollections(qc: QueryClient) {
  void qc.invalidateQueries({ queryKey: queryKeys.collections });
}
