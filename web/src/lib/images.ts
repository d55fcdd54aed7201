/**
 * The saved-image resource both the Generate results and the gallery show:
 * one cached record per image, favourites and download links, and the helpers
 * that keep every cached gallery page in step with it.
 */
import {
  queryOptions,
  useMutation,
  useQuery,
  useQueryClient,
  type InfiniteData,
  type QueryClient,
} from '@tanstack/react-query';
import type { Image, ImagePage, ImageUpdate } from '../types/api';
import { http } from './client';
import { API_BASE } from './env';
import { queryKeys } from './queryKeys';

export async function getImage(id: string): Promise<Image> {
  const { data } = await http.get<Image>(`/images/${encodeURIComponent(id)}`);
  return data;
}

export async function updateImage(id: string, body: ImageUpdate): Promise<Image> {
  const { data } = await http.patch<Image>(`/images/${encodeURIComponent(id)}`, body);
  return data;
}

/** Download link; the server answers with an attachment. */
export function downloadUrl(id: string): string {
  return `${API_BASE}/images/${encodeURIComponent(id)}/download`;
}

export const imageQueryOptions = (id: string) =>
  queryOptions({ queryKey: queryKeys.image(id), queryFn: () => getImage(id) });

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

function findInLists(qc: QueryClient, id: string): Image | undefined {
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

export function useToggleFavorite() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ id, favorite }: { id: string; favorite: boolean }) =>
      updateImage(id, { favorite }),
    onMutate: async ({ id, favorite }) => {
      await qc.cancelQueries({ queryKey: queryKeys.images });
      const { queryKey } = imageQueryOptions(id);
      const previous = qc.getQueryData(queryKey);
      if (previous) qc.setQueryData(queryKey, { ...previous, favorite });
      mapLists(qc, (items) => items.map((i) => (i.id === id ? { ...i, favorite } : i)));
      return { previous };
    },
    onError: (_error, { id, favorite }, context) => {
      if (context?.previous) qc.setQueryData(imageQueryOptions(id).queryKey, context.previous);
      mapLists(qc, (items) => items.map((i) => (i.id === id ? { ...i, favorite: !favorite } : i)));
    },
    onSuccess: (image) => {
      // Keep the freshly signed URLs the server just sent.
      qc.setQueryData(imageQueryOptions(image.id).queryKey, image);
      mapLists(qc, (items) => items.map((i) => (i.id === image.id ? image : i)));
    },
    onSettled: () => {
      // The favourites filter may gain or lose an entry.
      void qc.invalidateQueries({
        queryKey: queryKeys.imageLists,
        predicate: (q) => (q.queryKey[2] as { favorite?: boolean } | undefined)?.favorite === true,
      });
    },
  });
}
