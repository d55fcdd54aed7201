import { http } from '../../../lib/client';
import type { Generation, GenerationRequest, GenerationResponse } from '../../../types/api';

export interface GenerateVariables {
  request: GenerationRequest;
  /** One key per image of a user action: a retried request never generates twice. */
  idempotencyKey: string;
  /** The run this request belongs to: the server counts a run once against its rate limit. */
  group?: string;
}

export async function createGeneration({
  request,
  idempotencyKey,
  group,
}: GenerateVariables): Promise<Generation> {
  const headers: Record<string, string> = { 'Idempotency-Key': idempotencyKey };
  if (group) headers['Generation-Group'] = group;
  const { data } = await http.post<GenerationResponse>('/generations', request, { headers });
  return data.generation;
}
