import { queryOptions, useQuery } from '@tanstack/react-query';
import { http } from './client';
import { queryKeys } from './queryKeys';
import type { Config, ModelConfig } from '../types/api';

export async function getConfig(): Promise<Config> {
  const { data } = await http.get<Config>('/config');
  return data;
}

/** The server's settings change only with a restart: read once per visit. */
export const configQueryOptions = () =>
  queryOptions({ queryKey: queryKeys.config, queryFn: getConfig, staleTime: Infinity });

export function useConfig() {
  return useQuery(configQueryOptions());
}

export function findModel(config: Config, id: string | undefined): ModelConfig | undefined {
  const models = config.generation.models;
  return (
    models.find((m) => m.id === id) ??
    models.find((m) => m.id === config.generation.default_model) ??
    models[0]
  );
}
