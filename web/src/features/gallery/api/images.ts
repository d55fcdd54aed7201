import { useInfiniteQuery, useMutation, useQueryClient } from '@tanstack/react-query';
import { http } from '../../../lib/client';
import { imageListQueryOptions, imageQueryOptions, mapLists } from '../../../lib/images';
import { queryKeys } from '../../../lib/queryKeys';
import type { ImageListParams } from '../../../types/api';

export async function deleteImage(id: string): Promise<void> {
  await http.delete(`/images/${encodeURIComponent(id)}`);
}

export function useGallery(params: ImageListParams = {}) {
  return useInfiniteQuery(imageListQueryOptions(params));
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
