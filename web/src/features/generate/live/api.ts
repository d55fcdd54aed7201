/** Drafts on the server: ask for one while typing, keep one in the gallery. */
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { http } from '../../../lib/client';
import { imageQueryOptions } from '../../../lib/images';
import { queryKeys } from '../../../lib/queryKeys';
import type {
  Draft,
  DraftResponse,
  Generation,
  GenerationRequest,
  GenerationResponse,
} from '../../../types/api';

export async function createDraft(
  request: GenerationRequest,
  signal?: AbortSignal,
): Promise<Draft> {
  const { data } = await http.post<DraftResponse>('/drafts', request, { signal });
  return data.draft;
}

/** The draft's image enters the gallery as it is; keeping twice gives the same generation. */
export async function keepDraft(id: string): Promise<Generation> {
  const { data } = await http.post<GenerationResponse>(`/drafts/${encodeURIComponent(id)}/keep`);
  return data.generation;
}

/** Keeps a draft, then shows it in the gallery and in the month's usage without a reload. */
export function useKeepDraftMutation() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (draft: Draft) => keepDraft(draft.id),
    onSuccess: (generation) => {
      for (const image of generation.images)
        qc.setQueryData(imageQueryOptions(image.id).queryKey, image);
      void qc.invalidateQueries({ queryKey: queryKeys.imageLists });
      void qc.invalidateQueries({ queryKey: queryKeys.me });
    },
  });
}
