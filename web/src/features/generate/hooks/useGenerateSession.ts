import { useRef } from 'react';
import type { GenerationRequest } from '../../../types/api';
import { randomSeed } from '../../../utils/random';
import type { GenerateForm } from './useGenerateForm';
import { useRunFeed, type FeedRun } from './useRunFeed';

/**
 * The Generate page's runs: start one (several may be in flight), try a run's
 * failed images again, or run its settings again with a new seed.
 */
/** A second Generate with the same settings this soon is a double click, not a new run. */
export const DOUBLE_CLICK_MS = 1000;

export function useGenerateSession(form: Pick<GenerateForm, 'setSeed'>) {
  const runs = useRunFeed();
  const lastStart = useRef<{ at: number; settings: string } | null>(null);

  function again(run: FeedRun) {
    const seed = randomSeed();
    form.setSeed(String(seed));
    runs.start({ ...run.request, seed });
  }

  // The form shows the server's field messages for the newest run.
  const newest = runs.feed[0]?.live;
  const invalid = newest?.slots.find((s) => s.error?.code === 'invalid_request')?.error;
  const serverErrors = Object.fromEntries(
    (invalid?.fieldErrors ?? []).map((e) => [e.field, e.message]),
  );

  return {
    feed: runs.feed,
    loading: runs.loading,
    announcement: runs.announcement,
    refetchPast: runs.refetchPast,
    /** Starts a run; returns its key, or undefined for a double click. */
    run: (request: GenerationRequest): string | undefined => {
      // Generate stays usable while runs are in flight, so a double click
      // would otherwise make (and, with a paid provider, charge) a run twice.
      // The seed is left out: the form draws a new one after each start.
      const settings = JSON.stringify({ ...request, seed: undefined });
      const now = Date.now();
      const last = lastStart.current;
      if (last && last.settings === settings && now - last.at < DOUBLE_CLICK_MS) return undefined;
      lastStart.current = { at: now, settings };
      return runs.start(request);
    },
    retry: runs.retry,
    again,
    serverErrors,
    /** The newest run once its first image is ready (what a narrow screen scrolls to). */
    revealId: newest && newest.slots.some((s) => s.status === 'done') ? newest.key : undefined,
  };
}
