import { MutationCache, QueryCache, QueryClient } from '@tanstack/react-query';
import { ApiError } from './errors';
import { queryKeys } from './queryKeys';

/** How long fetched data counts as fresh, unless a query says otherwise. */
export const DEFAULT_STALE_MS = 15_000;

/**
 * Retries only what a retry can fix (network trouble, 5xx), never a 4xx; an
 * `unauthenticated` answer anywhere means the session ended, so "me" becomes
 * null and protected pages send the person to sign-in.
 */
export function createQueryClient(): QueryClient {
  const client: QueryClient = new QueryClient({
    queryCache: new QueryCache({ onError: onAnyError }),
    mutationCache: new MutationCache({ onError: onAnyError }),
    defaultOptions: {
      queries: {
        staleTime: DEFAULT_STALE_MS,
        refetchOnWindowFocus: false,
        retry: (count, error) =>
          count < 2 && error instanceof ApiError && (error.status === 0 || error.status >= 500),
      },
      mutations: { retry: false },
    },
  });

  function onAnyError(error: unknown) {
    if (error instanceof ApiError && error.code === 'unauthenticated') {
      client.setQueryData(queryKeys.me, null);
    }
  }
  return client;
}
