import { useMutation, useQueryClient } from '@tanstack/react-query';
import { http } from '../../../lib/client';
import { ApiError } from '../../../lib/errors';
import { imageQueryOptions } from '../../../lib/images';
import { queryKeys } from '../../../lib/queryKeys';
import type { Generation, GenerationRequest, GenerationResponse } from '../../../types/api';

export interface GenerateVariables {
  request: GenerationRequest;
  /** One key per user action: a retried request never generates twice. */
  idempotencyKey: string;
}

export async function createGeneration({
  request,
  idempotencyKey,
}: GenerateVariables): Promise<Generation> {
  const { data } = await http.post<GenerationResponse>('/generations', request, {
    headers: { 'Idempotency-Key': idempotencyKey },
  });
  return data.generation;
}

export function useGenerateImage() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: createGeneration,
    // Only a request that never got an answer is retried; the idempotency key
    // makes that safe.
    retry: (count, error) => count < 1 && error instanceof ApiError && error.status === 0,
    onSuccess: (generation) => {
      for (const image of generation.images) {
        qc.setQueryData(imageQueryOptions(image.id).queryKey, image);
      }
      void qc.invalidateQueries({ queryKey: queryKeys.imageLists });
      void qc.invalidateQueries({ queryKey: queryKeys.me });
    },
  });
}
