/**
 * Reproducing an image: the server generates it again from its recorded
 * recipe (nothing is stored) and says how far the new one is from it.
 */
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { http } from '../../../lib/client';
import { queryKeys } from '../../../lib/queryKeys';
import type { Image, Reproduction } from '../../../types/api';

export async function reproduceImage(id: string): Promise<Reproduction> {
  // No body to send: an empty JSON object, as for restore.
  const { data } = await http.post<Reproduction>(`/images/${encodeURIComponent(id)}/reproduce`, {});
  return data;
}

export function useReproduceImage() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (image: Image) => reproduceImage(image.id),
    // It counts one image of the month's quota: the usage meter moves.
    onSettled: () => qc.invalidateQueries({ queryKey: queryKeys.me }),
  });
}
