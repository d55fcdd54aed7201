import { useState } from 'react';
import { ApiError } from '../../../lib/errors';
import type { Generation, GenerationRequest } from '../../../types/api';
import { useElapsedSeconds } from '../../../hooks/useElapsedSeconds';
import { randomSeed, uuid } from '../../../utils/random';
import { useGenerateImage } from '../api/generations';
import { clearDraft } from './useGenerateDraft';
import type { GenerateForm } from './useGenerateForm';

function readyMessage(generation: Generation): string {
  const n = generation.images.length;
  return n === 1 ? '1 image ready' : `${n} images ready`;
}

function outcomeUnknown(error: unknown): boolean {
  return error instanceof ApiError && (error.status === 0 || error.code === 'idempotency_conflict');
}

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
  const [lastKey, setLastKey] = useState<string | null>(null);

  function run(request: GenerationRequest, idempotencyKey = uuid()) {
    setPendingShape(request);
    setLastKey(idempotencyKey);
    generate.mutate(
      { request, idempotencyKey },
      {
        onSuccess: (generation) => {
          setLatest(generation);
          clearDraft();
        },
      },
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

  /**
   * The same settings again. When the last attempt got no answer (a timeout, a
   * dropped connection) or is still running on the server, it may have
   * generated and charged already: the same key lets the server answer with
   * that result instead of generating twice. After a definite answer, a new key.
   */
  function retry() {
    if (!pendingShape) return;
    run(pendingShape, outcomeUnknown(generate.error) && lastKey ? lastKey : undefined);
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
    /** What the polite live region says once a run has finished. */
    announcement: latest && !generate.isPending ? readyMessage(latest) : '',
    pendingShape,
    error: generate.isError ? generate.error : null,
    apiError,
    serverErrors,
  };
}
