/**
 * The cached collections (the list and each detail) kept in step with what
 * the person just did, and the image caches kept in step with which
 * collections hold each image. Every helper here is its own undo's other
 * half: a failed change calls the same helper the other way round.
 */
import type { QueryClient } from '@tanstack/react-query';
import { mapLists } from '../../../lib/images';
import { collectionIdsOf } from '../../../lib/listCache';
import { queryKeys } from '../../../lib/queryKeys';
import type { Collection, CollectionList, Image, ImageListParams } from '../../../types/api';

/** The collection as cached now: its detail, else its entry in the list. */
export function cachedCollection(qc: QueryClient, id: string): Collection | undefined {
  return (
    qc.getQueryData<Collection>(queryKeys.collection(id)) ??
    qc.getQueryData<CollectionList>(queryKeys.collectionList)?.items.find((c) => c.id === id)
  );
}

/**
 * Changes collection `id` in the list and its detail. `touched` moves it to
 * the front of the list, as the server orders it (most recently changed first).
 */
export function patchCollection(
  qc: QueryClient,
  id: string,
  fn: (collection: Collection) => Collection,
  touched = false,
) {
  qc.setQueryData<Collection>(queryKeys.collection(id), (c) => (c ? fn(c) : c));
  qc.setQueryData<CollectionList>(queryKeys.collectionList, (list) => {
    if (!list) return list;
    const at = list.items.findIndex((c) => c.id === id);
    const found = list.items[at];
    if (!found) return list;
    const changed = fn(found);
    const rest = list.items.filter((c) => c.id !== id);
    if (touched) return { items: [changed, ...rest] };
    return { items: list.items.map((c) => (c.id === id ? changed : c)) };
  });
}

/**
 * Puts a collection back as it was, at `index` in the list (where it stood),
 * after a failed change.
 */
export function restoreCollection(qc: QueryClient, before: Collection, index: number) {
  qc.setQueryData<Collection>(queryKeys.collection(before.id), (c) => (c ? before : c));
  qc.setQueryData<CollectionList>(queryKeys.collectionList, (list) => {
    if (!list || !list.items.some((c) => c.id === before.id)) return list;
    const items = list.items.filter((c) => c.id !== before.id);
    items.splice(Math.max(0, Math.min(index, items.length)), 0, before);
    return { items };
  });
}

/** Where collection `id` stands in the cached list (-1 when it is not there). */
export function indexInList(qc: QueryClient, id: string): number {
  const list = qc.getQueryData<CollectionList>(queryKeys.collectionList);
  return list?.items.findIndex((c) => c.id === id) ?? -1;
}

/** Adds a new collection at the front of the list (it is the most recently changed). */
export function addCollection(qc: QueryClient, collection: Collection) {
  qc.setQueryData(queryKeys.collection(collection.id), collection);
  qc.setQueryData<CollectionList>(queryKeys.collectionList, (list) =>
    list ? { items: [collection, ...list.items.filter((c) => c.id !== collection.id)] } : list,
  );
}

/**
 * Takes a deleted collection out of the list and out of its images'
 * `collection_ids`. Its own page's data is left to expire unwatched: the page
 * may still be on screen, and must not refetch it and find it gone.
 */
export function forgetCollection(qc: QueryClient, id: string) {
  qc.setQueryData<CollectionList>(queryKeys.collectionList, (list) =>
    list ? { items: list.items.filter((c) => c.id !== id) } : list,
  );
  setMembership(qc, () => true, id, false);
}

/** A query predicate: the image lists of collection `id` (any search or filter). */
export function isListOf(id: string) {
  return (query: { queryKey: readonly unknown[] }) =>
    (query.queryKey[2] as ImageListParams | undefined)?.collection === id;
}

/**
 * Says, in every cached image record and list, that the images `which`
 * picks are (or are not) in collection `collection`.
 */
export function setMembership(
  qc: QueryClient,
  which: (id: string) => boolean,
  collection: string,
  member: boolean,
) {
  const change = (image: Image): Image => {
    if (!which(image.id)) return image;
    const now = collectionIdsOf(image);
    if (now.includes(collection) === member) return image;
    return {
      ...image,
      collection_ids: member ? [...now, collection] : now.filter((c) => c !== collection),
    };
  };
  // Records that do not change are left alone (undefined sets nothing), keeping their fetch time.
  qc.setQueriesData<Image>({ queryKey: queryKeys.imageDetails }, (image) => {
    const changed = image && change(image);
    return changed === image ? undefined : changed;
  });
  mapLists(qc, (items) => items.map(change));
}

/** Adds `n` (or takes it away, negative) to a collection's count, and marks it changed. */
export function countImages(qc: QueryClient, id: string, n: number) {
  if (n === 0) return;
  patchCollection(
    qc,
    id,
    (c) => ({
      ...c,
      image_count: Math.max(0, c.image_count + n),
      updated_at: new Date().toISOString(),
    }),
    true,
  );
}

/** After any change: the server's counts, covers and order are the truth. */
export function refreshCollection(qc: QueryClient, id?: string) {
  void qc.invalidateQueries({ queryKey: queryKeys.collectionList });
  if (id) void qc.invalidateQueries({ queryKey: queryKeys.collection(id) });
}
