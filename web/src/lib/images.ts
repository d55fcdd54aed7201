/**
 * The saved-image resource both the Generate results and the gallery show:
 * one cached record per image, favourites and download links, and the helpers
 * that keep every cached gallery page in step with it.
 */
import {
  infiniteQueryOptions,
  queryOptions,
  useMutation,
  useQuery,
  useQueryClient,
  type InfiniteData,
  type QueryClient,
} from '@tanstack/react-query';
import type { Image, ImageListParams, ImagePage, ImageUpdate } from '../types/api';
import { http } from './client';
import { DEFAULT_STALE_MS } from './queryClient';
import { queryKeys } from './queryKeys';
import { refreshAt } from './signedUrls';

export const PAGE_SIZE = 24;

/**
 * Refetch options for data holding signed image URLs: stale, refetched while
 * shown, and refetched on return to the tab before the earliest URL expires,
 * so a long-open tab never holds dead links.
 */
export function freshUrls<T>(urlsOf: (data: T) => Iterable<string>) {
  type Q = { state: { data: T | undefined; dataUpdatedAt: number } };
  const msLeft = (q: Q) =>
    q.state.data === undefined
      ? null
      : refreshAt(urlsOf(q.state.data), q.state.dataUpdatedAt) - Date.now();
  return {
    staleTime: (q: Q) => Math.max(0, Math.min(DEFAULT_STALE_MS, msLeft(q) ?? DEFAULT_STALE_MS)),
    refetchInterval: (q: Q) => {
      const left = msLeft(q);
      // A floor keeps a failing refetch from running in a loop.
      return left == null ? false : Math.max(30_000, left);
    },
    refetchOnWindowFocus: (q: Q) => (msLeft(q) ?? 1) <= 0,
  };
}

function* imageUrls(images: Iterable<Image>): Iterable<string> {
  for (const image of images) {
    yield image.url;
    yield image.thumbnail_url;
  }
}

export async function listImages(
  params: ImageListParams & { cursor?: string | null },
): Promise<ImagePage> {
  const query: Record<string, string> = { limit: String(params.limit ?? PAGE_SIZE) };
  if (params.cursor) query.cursor = params.cursor;
  if (params.q) query.q = params.q;
  if (params.favorite) query.favorite = 'true';
  if (params.collection) query.collection = params.collection;
  const { data } = await http.get<ImagePage>('/images', { params: query });
  return data;
}

/** The caller's images (or a collection's), newest first, one page per cursor. */
export function imageListQueryOptions(params: ImageListParams = {}) {
  const normalized: ImageListParams = {
    q: params.q?.trim() || undefined,
    favorite: params.favorite || undefined,
    limit: params.limit,
    collection: params.collection || undefined,
  };
  return infiniteQueryOptions({
    queryKey: queryKeys.imageList(normalized),
    queryFn: ({ pageParam }) => listImages({ ...normalized, cursor: pageParam }),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.next_cursor ?? undefined,
    ...freshListUrls(),
  });
}

/** freshUrls for a paged list of images (the gallery's lists, the trash). */
export function freshListUrls() {
  return freshUrls((data: InfiniteData<ImagePage, string | null>) =>
    imageUrls(data.pages.flatMap((p) => p.items)),
  );
}

export async function getImage(id: string): Promise<Image> {
  const { data } = await http.get<Image>(`/images/${encodeURIComponent(id)}`);
  return data;
}

export async function updateImage(id: string, body: ImageUpdate): Promise<Image> {
  const { data } = await http.patch<Image>(`/images/${encodeURIComponent(id)}`, body);
  return data;
}

function filenameFrom(disposition: unknown, fallback: string): string {
  if (typeof disposition !== 'string') return fallback;
  const utf8 = /filename\*=UTF-8''([^;]+)/i.exec(disposition);
  if (utf8?.[1]) return decodeURIComponent(utf8[1]);
  return /filename="?([^";]+)"?/i.exec(disposition)?.[1] ?? fallback;
}

/**
 * Saves the original file. It goes through the API client, so the bearer token
 * travels with it (cookies alone fail when the API is on another origin).
 */
export async function downloadImage(image: Pick<Image, 'id' | 'content_type'>): Promise<void> {
  const response = await http.get<Blob>(`/images/${encodeURIComponent(image.id)}/download`, {
    responseType: 'blob',
    headers: { Accept: '*/*' },
  });
  const extension = image.content_type.split('/')[1]?.replace('jpeg', 'jpg') ?? 'bin';
  const name = filenameFrom(
    (response.headers as Record<string, unknown>)['content-disposition'],
    `promptcanvas-${image.id}.${extension}`,
  );
  const href = URL.createObjectURL(response.data);
  const link = document.createElement('a');
  link.href = href;
  link.download = name;
  link.click();
  // Give the browser a moment to start the save before the URL goes.
  window.setTimeout(() => URL.revokeObjectURL(href), 1000);
}

export function useDownloadImage() {
  return useMutation({ mutationFn: downloadImage });
}

export const imageQueryOptions = (id: string) =>
  queryOptions({
    queryKey: queryKeys.image(id),
    queryFn: () => getImage(id),
    ...freshUrls((image: Image) => imageUrls([image])),
  });

export function useImage(id: string | undefined) {
  const qc = useQueryClient();
  return useQuery({
    ...imageQueryOptions(id ?? ''),
    enabled: Boolean(id),
    // Open instantly from whatever list already holds this image.
    initialData: () => (id ? findInLists(qc, id) : undefined),
    initialDataUpdatedAt: 0,
  });
}

/** The image as a cached list holds it, if any does. */
export function findInLists(qc: QueryClient, id: string): Image | undefined {
  for (const [, data] of qc.getQueriesData<InfiniteData<ImagePage>>({
    queryKey: queryKeys.imageLists,
  })) {
    for (const page of data?.pages ?? []) {
      const hit = page.items.find((item) => item.id === id);
      if (hit) return hit;
    }
  }
  return undefined;
}

export function mapLists(qc: QueryClient, fn: (items: Image[]) => Image[]): void {
  qc.setQueriesData<InfiniteData<ImagePage>>({ queryKey: queryKeys.imageLists }, (data) =>
    data ? { ...data, pages: data.pages.map((p) => ({ ...p, items: fn(p.items) })) } : data,
  );
}

/** The heart each image shows now: page loads that land later must not undo it. */
const shownFavorite = new Map<string, boolean>();

/**
 * Shows image `id` as a favourite or not, in its record and every cached list,
 * at once; page loads already in flight cannot undo it.
 */
export function setFavorite(qc: QueryClient, id: string, favorite: boolean): void {
  shownFavorite.set(id, favorite);
  const { queryKey } = imageQueryOptions(id);
  const cached = qc.getQueryData(queryKey);
  if (cached) qc.setQueryData(queryKey, { ...cached, favorite });
  const apply = () => {
    const shown = shownFavorite.get(id) ?? favorite;
    mapLists(qc, (items) => items.map((i) => (i.id === id ? { ...i, favorite: shown } : i)));
  };
  apply();
  // A page load already in flight writes the pages it started from: apply again when it lands.
  for (const query of qc
    .getQueryCache()
    .findAll({ queryKey: queryKeys.imageLists, fetchStatus: 'fetching' })) {
    void query.promise?.then(apply, () => {});
  }
}

/**
 * Per image, the favourite state the server last confirmed, taken when a run of
 * toggles starts: what a failed run rolls back to.
 */
const confirmedFavorite = new Map<string, boolean>();

/**
 * Favourite on/off for one image. Toggles of the same image run one at a time
 * (the mutation scope), so answers cannot land out of order; the heart shows
 * the latest click at once and only the last toggle of a run writes back.
 */
export function useToggleFavorite(id: string) {
  const qc = useQueryClient();
  const scope = `favorite-${id}`;
  const pendingInScope = () => qc.isMutating({ predicate: (m) => m.options.scope?.id === scope });
  return useMutation({
    scope: { id: scope },
    mutationFn: (favorite: boolean) => updateImage(id, { favorite }),
    onMutate: (favorite) => {
      // Page loads in flight are left alone: this only touches one field.
      const current = qc.getQueryData(imageQueryOptions(id).queryKey) ?? findInLists(qc, id);
      if (pendingInScope() <= 1 && current) confirmedFavorite.set(id, current.favorite);
      setFavorite(qc, id, favorite);
    },
    onError: () => {
      // A later click is still queued: it carries what the person wants now.
      if (pendingInScope() > 1) return;
      const confirmed = confirmedFavorite.get(id);
      if (confirmed !== undefined) setFavorite(qc, id, confirmed);
    },
    onSuccess: (image) => {
      confirmedFavorite.set(id, image.favorite);
      if (pendingInScope() > 1) return;
      // Keep the freshly signed URLs the server just sent.
      qc.setQueryData(imageQueryOptions(image.id).queryKey, image);
      mapLists(qc, (items) => items.map((i) => (i.id === image.id ? image : i)));
      setFavorite(qc, id, image.favorite);
    },
    onSettled: () => {
      if (pendingInScope() > 1) return;
      // The favourites filter may gain or lose an entry.
      void qc.invalidateQueries({
        queryKey: queryKeys.imageLists,
        predicate: (q) => (q.queryKey[2] as { favorite?: boolean } | undefined)?.favorite === true,
      });
    },
  });
}
