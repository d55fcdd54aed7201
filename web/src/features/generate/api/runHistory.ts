/**
 * Earlier runs, for the Generate page after a reload: the gallery's newest
 * images grouped by generation. A run sent as one request per image spans
 * several generations; this browser remembers which run each belonged to
 * (localStorage), so they come back together.
 */
import { useInfiniteQuery } from '@tanstack/react-query';
import { imageListQueryOptions } from '../../../lib/images';
import type { Image } from '../../../types/api';

const KEY = 'promptcanvas.run-of-generation';
/** Enough for the runs shown, not a growing record. */
const REMEMBERED = 200;
export const HISTORY_RUNS = 20;
/** 20 runs of up to 4 images (the server's largest page is 100). */
const HISTORY_IMAGES = 80;

function readGroups(): Record<string, string> {
  try {
    const raw = window.localStorage.getItem(KEY);
    const parsed: unknown = raw ? JSON.parse(raw) : null;
    return parsed && typeof parsed === 'object' ? (parsed as Record<string, string>) : {};
  } catch {
    return {};
  }
}

export function rememberRun(generationId: string, runKey: string): void {
  try {
    const entries = Object.entries(readGroups()).filter(([id]) => id !== generationId);
    entries.push([generationId, runKey]);
    window.localStorage.setItem(
      KEY,
      JSON.stringify(Object.fromEntries(entries.slice(-REMEMBERED))),
    );
  } catch {
    // Storage may be unavailable: the images then show one card per generation.
  }
}

export interface PastRun {
  key: string;
  /** Oldest first, as they were made. */
  images: Image[];
}

/** Newest images first in, newest runs first out, at most `limit` runs. */
export function groupRuns(images: Image[], limit = HISTORY_RUNS): PastRun[] {
  const groups = readGroups();
  const runs = new Map<string, Image[]>();
  for (const image of images) {
    const key = groups[image.generation_id] ?? image.generation_id;
    const run = runs.get(key);
    if (run) run.push(image);
    else if (runs.size < limit) runs.set(key, [image]);
  }
  return [...runs].map(([key, list]) => ({
    key,
    images: [...list].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)),
  }));
}

/** The newest images, as the query behind the past runs. */
export function useRecentImages() {
  return useInfiniteQuery(imageListQueryOptions({ limit: HISTORY_IMAGES }));
}
