import { useQueries, useQueryClient } from '@tanstack/react-query';
import { useMemo, useSyncExternalStore } from 'react';
import { ApiError } from '../../../lib/errors';
import { imageQueryOptions } from '../../../lib/images';
import type { GenerationRequest, Image } from '../../../types/api';
import { groupRuns, useRecentImages } from '../api/runHistory';
import { runStore, type Run, type Slot } from '../api/runs';

/** One card of the feed: a run of this session, or one rebuilt from the gallery. */
export interface FeedRun {
  key: string;
  /** The run's settings: `n` images of this size, prompt and model. */
  request: GenerationRequest;
  slots: Slot[];
  /** Started in this session (its images are read from the image cache, kept fresh there). */
  live?: Run;
}

function pastRequest(images: Image[]): GenerationRequest {
  const first = images[0]!;
  return {
    prompt: first.prompt,
    negative_prompt: first.negative_prompt,
    model: first.model,
    width: first.width,
    height: first.height,
    steps: first.steps,
    style: first.style,
    seed: first.seed,
    n: images.length,
  };
}

/**
 * The images of this session's runs that have since left the gallery: their
 * records (kept current by the trash, its Undo, and deletion) say they are in
 * the trash, or the server no longer knows them. Space-separated ids, so an
 * unchanged answer is the same value.
 */
function useGoneSessionImages(runs: Run[]): string {
  const ids = runs.flatMap((r) => r.slots.flatMap((s) => (s.image ? [s.image.id] : [])));
  return useQueries({
    queries: ids.map((id) => imageQueryOptions(id)),
    combine: (results) =>
      results
        .flatMap((result, i) =>
          result.data?.trashed_at ||
          (result.error instanceof ApiError && result.error.status === 404)
            ? [ids[i]]
            : [],
        )
        .join(' '),
  });
}

/**
 * The Generate page's feed, newest first: the runs of this session (which
 * outlive the page: they are kept in a store beside the query client), then
 * earlier runs rebuilt from the newest images in the gallery. Images moved to
 * the trash leave it at once, wherever that happened, and come back with Undo.
 */
export function useRunFeed() {
  const qc = useQueryClient();
  const store = runStore(qc);
  const state = useSyncExternalStore(store.subscribe, store.getState);
  const recent = useRecentImages();
  const gone = useGoneSessionImages(state.runs);

  const feed = useMemo(() => {
    const sessionKeys = new Set(state.runs.map((r) => r.key));
    const sessionImages = new Set(
      state.runs.flatMap((r) => r.slots.flatMap((s) => (s.image ? [s.image.id] : []))),
    );
    const pastImages = (recent.data?.pages[0]?.items ?? []).filter((i) => !sessionImages.has(i.id));
    const past: FeedRun[] = groupRuns(pastImages)
      .filter((run) => !sessionKeys.has(run.key))
      .map((run) => ({
        key: run.key,
        request: pastRequest(run.images),
        slots: run.images.map((image, index) => ({
          index,
          seed: image.seed,
          key: image.id,
          attempt: 0,
          status: 'done' as const,
          image,
        })),
      }));
    const goneIds = new Set(gone.split(' '));
    const live: FeedRun[] = state.runs.flatMap((run) => {
      const slots = run.slots.filter((s) => !(s.image && goneIds.has(s.image.id)));
      return slots.length > 0 ? [{ key: run.key, request: run.request, slots, live: run }] : [];
    });
    return [...live, ...past];
  }, [state.runs, recent.data, gone]);

  return {
    feed,
    announcement: state.announcement,
    /** Whether there is nothing to show yet because the earlier runs are still loading. */
    loading: recent.isPending && state.runs.length === 0,
    refetchPast: () => recent.refetch({ cancelRefetch: false }),
    start: (request: GenerationRequest) => store.start(request),
    retry: (key: string) => store.retry(key),
  };
}
