/**
 * Collections: the requests, their queries, and the mutations that change a
 * collection (create, rename and describe, choose the cover, delete). Rename,
 * description and cover show at once and go back if the server refuses.
 */
import { queryOptions, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { http } from '../../../lib/client';
import { freshUrls } from '../../../lib/images';
import { queryKeys } from '../../../lib/queryKeys';
import type {
  Collection,
  CollectionCreate,
  CollectionList,
  CollectionUpdate,
  Image,
} from '../../../types/api';
import {
  addCollection,
  cachedCollection,
  forgetCollection,
  indexInList,
  patchCollection,
  refreshCollection,
  restoreCollection,
} from './collectionCache';

const path = (id: string) => `/collections/${encodeURIComponent(id)}`;

export async function listCollections(): Promise<CollectionList> {
  const { data } = await http.get<CollectionList>('/collections');
  return data;
}

export async function getCollection(id: string): Promise<Collection> {
  const { data } = await http.get<Collection>(path(id));
  return data;
}

export async function createCollection(body: CollectionCreate): Promise<Collection> {
  const { data } = await http.post<Collection>('/collections', body);
  return data;
}

export async function updateCollection(id: string, body: CollectionUpdate): Promise<Collection> {
  const { data } = await http.patch<Collection>(path(id), body);
  return data;
}

export async function deleteCollection(id: string): Promise<void> {
  await http.delete(path(id));
}

function* coverUrls(collections: Iterable<Collection>): Iterable<string> {
  for (const collection of collections) {
    if (collection.cover) yield collection.cover.thumbnail_url;
  }
}

/** Every collection, most recently changed first; covers are signed URLs, kept fresh. */
export const collectionsQueryOptions = () =>
  queryOptions({
    queryKey: queryKeys.collectionList,
    queryFn: listCollections,
    ...freshUrls((list: CollectionList) => coverUrls(list.items)),
  });

export const collectionQueryOptions = (id: string) =>
  queryOptions({
    queryKey: queryKeys.collection(id),
    queryFn: () => getCollection(id),
    ...freshUrls((collection: Collection) => coverUrls([collection])),
  });

export function useCollections() {
  return useQuery(collectionsQueryOptions());
}

export function useCollection(id: string) {
  const qc = useQueryClient();
  return useQuery({
    ...collectionQueryOptions(id),
    // Open at once with what the list already says; the server then has the last word.
    initialData: () =>
      qc.getQueryData<CollectionList>(queryKeys.collectionList)?.items.find((c) => c.id === id),
    initialDataUpdatedAt: 0,
  });
}

/** Makes a collection; it goes to the front of the list once the server has it. */
export function useCreateCollection() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: createCollection,
    onSuccess: (collection) => addCollection(qc, collection),
    onSettled: () => refreshCollection(qc),
  });
}

export interface UpdateVariables {
  changes: CollectionUpdate;
  /** With a new `cover_image_id`: the image, so the new cover shows at once. */
  coverImage?: Image;
}

/** What `changes` make of `collection`, as far as the client can tell before the server answers. */
function applied(collection: Collection, { changes, coverImage }: UpdateVariables): Collection {
  const next: Collection = { ...collection, updated_at: new Date().toISOString() };
  if (changes.name != null) next.name = changes.name.trim();
  if (changes.description !== undefined) next.description = changes.description?.trim() || null;
  if (changes.cover_image_id !== undefined) {
    next.cover_image_id = changes.cover_image_id;
    if (coverImage && coverImage.id === changes.cover_image_id) {
      next.cover = {
        image_id: coverImage.id,
        thumbnail_url: coverImage.thumbnail_url,
        placeholder: coverImage.placeholder,
      };
    }
  }
  return next;
}

/**
 * Renames, describes, or chooses the cover of collection `id`: shown at once
 * in the list and the collection's page, put back as it was if refused.
 */
export function useUpdateCollection(id: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ changes }: UpdateVariables) => updateCollection(id, changes),
    onMutate: async (variables) => {
      await qc.cancelQueries({ queryKey: queryKeys.collections });
      const before = cachedCollection(qc, id);
      const index = indexInList(qc, id);
      patchCollection(qc, id, (c) => applied(c, variables), true);
      return { before, index };
    },
    onError: (_error, _variables, context) => {
      if (context?.before) restoreCollection(qc, context.before, context.index);
    },
    onSuccess: (collection) => patchCollection(qc, id, () => collection, true),
    onSettled: () => refreshCollection(qc, id),
  });
}

/** Deletes a collection (its images stay in the gallery), and forgets it everywhere. */
export function useDeleteCollection() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => deleteCollection(id),
    onSuccess: (_void, id) => forgetCollection(qc, id),
    onSettled: () => refreshCollection(qc),
  });
}
