import {
  infiniteQueryOptions,
  useInfiniteQuery,
  useMutation,
  useQueryClient,
} from '@tanstack/react-query';
import { http } from '../../../lib/client';
import { imageQueryOptions, mapLists } from '../../../lib/images';
import { queryKeys } from '../../../lib/queryKeys';
import type { ImageListParams, ImagePage } from '../../../types/api';

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

export async function deleteImage(id: string): Promise<void> {
  await http.delete(`/images/${encodeURIComponent(id)}`);
}

/** The caller's images, newest first, one page per cursor. */
export function galleryQueryOptions(params: ImageListParams = {}) {
  const normalized: ImageListParams = {
    q: params.q?.trim() || undefined,
    favorite: params.favorite || undefined,
    limit: params.limit,
  };
  return infiniteQueryOptions({
    queryKey: queryKeys.imageList(normalized),
    queryFn: ({ pageParam }) => listImages({ ...normalized, cursor: pageParam }),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.next_cursor ?? undefined,
  });
}

export function useGallery(params: ImageListParams = {}) {
  return useInfiniteQuery(galleryQueryOptions(params));
}

export function useDeleteImage() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => deleteImage(id),
    onSuccess: (_void, id) => {
      mapLists(qc, (items) => items.filter((i) => i.id !== id));
      qc.removeQueries({ queryKey: imageQueryOptions(id).queryKey, exact: true });
      void qc.invalidateQueries({ queryKey: queryKeys.imageLists });
      void qc.invalidateQueries({ queryKey: queryKeys.me });
    },
  });
}
