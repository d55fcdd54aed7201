/**
 * API keys: the requests, the list, and making and revoking keys.
 *
 * A new key's secret comes back once, and goes straight to whoever asked for
 * it: it is never put in the query cache, nor in the mutation cache (which is
 * why making a key is not a `useMutation`, whose state keeps its answer).
 */
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useCallback } from 'react';
import { http } from '../../../lib/client';
import { queryKeys } from '../../../lib/queryKeys';
import type { ApiKey, ApiKeyCreate, ApiKeyList, NewApiKey } from '../../../types/api';

const path = (id: string) => `/keys/${encodeURIComponent(id)}`;

export async function listApiKeys(): Promise<ApiKeyList> {
  const { data } = await http.get<ApiKeyList>('/keys');
  return data;
}

export async function createApiKey(body: ApiKeyCreate): Promise<NewApiKey> {
  const { data } = await http.post<NewApiKey>('/keys', body);
  return data;
}

export async function revokeApiKey(id: string): Promise<void> {
  await http.delete(path(id));
}

/** The caller's keys that are not revoked, as the server orders them. */
export function useApiKeys() {
  return useQuery({ queryKey: queryKeys.apiKeys, queryFn: listApiKeys });
}

/**
 * Makes a key and returns it with its secret. The list learns of the key at
 * once; the secret stays with the caller.
 */
export function useCreateApiKey() {
  const qc = useQueryClient();
  return useCallback(
    async (body: ApiKeyCreate): Promise<NewApiKey> => {
      const created = await createApiKey(body);
      qc.setQueryData<ApiKeyList>(
        queryKeys.apiKeys,
        (list) =>
          list && {
            items: [created.key, ...list.items.filter((k) => k.id !== created.key.id)],
          },
      );
      void qc.invalidateQueries({ queryKey: queryKeys.apiKeys });
      return created;
    },
    [qc],
  );
}

/** Revokes a key: it stops working at once, and leaves the list. */
export function useRevokeApiKey() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (key: ApiKey) => revokeApiKey(key.id),
    onSuccess: (_void, key) =>
      qc.setQueryData<ApiKeyList>(
        queryKeys.apiKeys,
        (list) => list && { items: list.items.filter((k) => k.id !== key.id) },
      ),
    onSettled: () => qc.invalidateQueries({ queryKey: queryKeys.apiKeys }),
  });
}
