import { useState } from 'react';
import { ApiError } from '../../../lib/errors';
import type { Generation, GenerationRequest } from '../../../types/api';
import { useElapsedSeconds } from '../../../hooks/useElapsedSeconds';
import { randomSeed, uuid } from '../../../utils/random';
import { useGenerateImage } from '../api/generations';
import type { GenerateForm } from './useGenerateForm';

/**
 * One visit to the Generate page: the request in flight, the latest result,
 * and "again with a new seed". The last request is kept so a failure can be
 * retried with exactly the same settings.
 */
export function useGenerateSession(form: Pick<GenerateForm, 'setSeed'>) {
  const generate = useGenerateImage();
  const elapsed = useElapsedSeconds(generate.isPending);
  const [latest, setLatest] = useState<Generation | null>(null);
  const [pendingShape, setPendingShape] = useState<GenerationRequest | null>(null);

  function run(request: GenerationRequest) {
    setPendingShape(request);
    generate.mutate(
      { request, idempotencyKey: uuid() },
      { onSuccess: (generation) => setLatest(generation) },
    );
  }

  function again() {
    if (!latest) return;
    const seed = randomSeed();
    form.setSeed(String(seed));
    run({
      prompt: latest.prompt,
      negative_prompt: latest.negative_prompt,
      model: latest.model,
      width: latest.width,
      height: latest.height,
      steps: latest.steps,
      style: latest.style,
      n: latest.images.length,
      seed,
    });
  }

  function retry() {
    if (pendingShape) run(pendingShape);
  }

  const apiError = generate.error instanceof ApiError ? generate.error : null;
  const serverErrors = Object.fromEntries(
    (apiError?.fieldErrors ?? []).map((e) => [e.field, e.message]),
  );

  return {
    run,
    again,
    retry,
    busy: generate.isPending,
    elapsed,
    latest,
    pendingShape,
    error: generate.isError ? generate.error : null,
    apiError,
    serverErrors,
  };
}
