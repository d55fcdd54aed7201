/**
 * GET /api/admin/stats: how this server is used (people, images, storage,
 * the last 30 days, errors), for the accounts in its ADMIN_EMAILS. Everyone
 * else gets a 404, as if there were no such page.
 */
import { queryOptions, useQuery } from '@tanstack/react-query';
import { http } from '../../../lib/client';
import { queryKeys } from '../../../lib/queryKeys';
import type { AdminStats } from '../../../types/api';

export type { AdminStats, DayStats, FailureCount, ModelStats } from '../../../types/api';

export async function getAdminStats(): Promise<AdminStats> {
  const { data } = await http.get<AdminStats>('/admin/stats');
  return data;
}

export const adminStatsQueryOptions = () =>
  queryOptions({ queryKey: queryKeys.adminStats, queryFn: getAdminStats });

export function useAdminStats() {
  return useQuery(adminStatsQueryOptions());
}
