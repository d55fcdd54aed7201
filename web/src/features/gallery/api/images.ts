import { useInfiniteQuery } from '@tanstack/react-query';
import { http } from '../../../lib/client';
import { imageListQueryOptions } from '../../../lib/images';
import type { ImageListParams } from '../../../types/api';

/** Deletes an image for good (the app's own delete moves it to the trash first). */
export async function deleteImage(id: string): Promise<void> {
  await http.delete(`/images/${encodeURIComponent(id)}`);
}

export function useGallery(params: ImageListParams = {}) {
  return useInfiniteQuery(imageListQueryOptions(params));
}
