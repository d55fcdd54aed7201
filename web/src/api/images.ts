import {
  useInfiniteQuery,
  useMutation,
  useQuery,
  useQueryClient,
  type InfiniteData,
  type QueryClient,
} from '@tanstack/react-query';
import { API_BASE } from './base';
import { http } from './client';
import { queryKeys } from './queryKeys';
import type { Image, ImageListParams, ImagePage, ImageUpdate } from './types';

export const PAGE_SIZE = 24;

export async function listImages(
  params: ImageListParams & { cursor?: string | null },
): Promise<ImagePage> {
  const query: Record<string, string> = { limit: String(params.limit ?? PAGE_SIZE) };
  if (params.cursor) query.cursor = params.cursor;
  if (params.q) query.q = params.q;
  if (params.favorite) query.favorite = 'true';
  const { data } = await http.get<ImagePage>('/images', { params: query });
  return data;
}

export async function getImage(id: string): Promise<Image> {
  const { data } = await http.get<Image>(`/images/${encodeURIComponent(id)}`);
  return data;
}

export async function updateImage(id: string, body: ImageUpdate): Promise<Image> {
  const { data } = await http.patch<Image>(`/images/${encodeURIComponent(id)}`, body);
  return data;
}

export async function deleteImage(id: string): Promise<void> {
  await http.delete(`/images/${encodeURIComponent(id)}`);
}

/** Download link; the server answers with an attachment. */
export function downloadUrl(id: string): string {
  return `${API_BASE}/images/${encodeURIComponent(id)}/download`;
}

/** The caller's images, newest first, one page per cursor. */
export function useGallery(params: ImageListParams = {}) {
  const normalized: ImageListParams = {
    q: params.q?.trim() || undefined,
    favorite: params.favorite || undefined,
    limit: params.limit,
  };
  return useInfiniteQuery({
    queryKey: queryKeys.imageList(normalized),
    queryFn: ({ pageParam }) => listImages({ ...normalized, cursor: pageParam }),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.next_cursor ?? undefined,
  });
}

export function useImage(id: string | undefined) {
  const qc = useQueryClient();
  return useQuery({
    queryKey: queryKeys.image(id ?? ''),
    queryFn: () => getImage(id ?? ''),
    enabled: Boolean(id),
    // Open instantly from whatever list already holds this image.
    initialData: () => (id ? findInLists(qc, id) : undefined),
    initialDataUpdatedAt: 0,
  });
}

function findInLists(qc: QueryClient, id: string): Image | undefined {
  for (const [, data] of qc.getQueriesData<InfiniteData<ImagePage>>({
    queryKey: [...queryKeys.images, 'list'],
  })) {
    for (const page of data?.pages ?? []) {
      const hit = page.items.find((item) => item.id === id);
      if (hit) return hit;
    }
  }
  return undefined;
}

function mapLists(qc: QueryClient, fn: (items: Image[]) => Image[]): void {
  qc.setQueriesData<InfiniteData<ImagePage>>({ queryKey: [...queryKeys.images, 'list'] }, (data) =>
    data ? { ...data, pages: data.pages.map((p) => ({ ...p, items: fn(p.items) })) } : data,
  );
}

export function useToggleFavorite() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ id, favorite }: { id: string; favorite: boolean }) =>
      updateImage(id, { favorite }),
    onMutate: async ({ id, favorite }) => {
      await qc.cancelQueries({ queryKey: queryKeys.images });
      const previous = qc.getQueryData<Image>(queryKeys.image(id));
      if (previous) qc.setQueryData(queryKeys.image(id), { ...previous, favorite });
      mapLists(qc, (items) => items.map((i) => (i.id === id ? { ...i, favorite } : i)));
      return { previous };
    },
    onError: (_error, { id, favorite }, context) => {
      if (context?.previous) qc.setQueryData(queryKeys.image(id), context.previous);
      mapLists(qc, (items) => items.map((i) => (i.id === id ? { ...i, favorite: !favorite } : i)));
    },
    onSuccess: (image) => {
      // Keep the freshly signed URLs the server just sent.
      qc.setQueryData(queryKeys.image(image.id), image);
      mapLists(qc, (items) => items.map((i) => (i.id === image.id ? image : i)));
    },
    onSettled: () => {
      // The favourites filter may gain or lose an entry.
      void qc.invalidateQueries({
        queryKey: [...queryKeys.images, 'list'],
        predicate: (q) => (q.queryKey[2] as { favorite?: boolean } | undefined)?.favorite === true,
      });
    },
  });
}

export function useDeleteImage() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => deleteImage(id),
    onSuccess: (_void, id) => {
      mapLists(qc, (items) => items.filter((i) => i.id !== id));
      qc.removeQueries({ queryKey: queryKeys.image(id), exact: true });
      void qc.invalidateQueries({ queryKey: [...queryKeys.images, 'list'] });
      void qc.invalidateQueries({ queryKey: queryKeys.me });
    },
  });
}
