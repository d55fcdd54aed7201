import { useQueries, useQueryClient } from '@tanstack/react-query';
import { useSearchParams } from 'react-router';
import { ApiError } from '../../../lib/errors';
import { findInLists, imageQueryOptions } from '../../../lib/images';
import type { Image } from '../../../types/api';

/** How many images fit side by side. */
export const COMPARE_MAX = 4;

/** The ids of `?ids=a,b,c`: without blanks or repeats, at most four. */
export function parseIds(value: string | null): { ids: string[]; dropped: number } {
  const all = [
    ...new Set(
      (value ?? '')
        .split(',')
        .map((id) => id.trim())
        .filter(Boolean),
    ),
  ];
  return { ids: all.slice(0, COMPARE_MAX), dropped: Math.max(0, all.length - COMPARE_MAX) };
}

export interface CompareEntry {
  id: string;
  image: Image;
  /** Reloads this image's record (fresh signed URLs). */
  refetch: () => Promise<unknown>;
}

/**
 * The images the address names, each read through the image cache (shown at
 * once when a list already holds it): those found, in the order named; the
 * ids the server does not know (or are someone else's); and any other failure.
 */
export function useCompareImages() {
  const [params] = useSearchParams();
  const { ids, dropped } = parseIds(params.get('ids'));
  const qc = useQueryClient();
  const results = useQueries({
    queries: ids.map((id) => ({
      ...imageQueryOptions(id),
      initialData: () => findInLists(qc, id),
      initialDataUpdatedAt: 0,
    })),
  });

  const found: CompareEntry[] = [];
  const missing: string[] = [];
  let error: unknown = null;
  results.forEach((result, index) => {
    const id = ids[index]!;
    // Gone even if a list still held it a moment ago.
    if (result.error instanceof ApiError && result.error.status === 404) missing.push(id);
    else if (result.data) found.push({ id, image: result.data, refetch: () => result.refetch() });
    else if (result.error) error = result.error;
  });

  return {
    ids,
    dropped,
    found,
    missing,
    error,
    pending: results.some((r) => r.isPending && !r.error),
    retry: () => {
      for (const result of results) if (result.isError) void result.refetch();
    },
  };
}
