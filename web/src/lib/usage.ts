import type { Usage } from '../types/api';

/** How close the month is to a limit: amber from 80 %, red once a limit is reached. */
export type UsageLevel = 'ok' | 'near' | 'reached';

/** The share of the month's images, or of its budget when that is nearer, already used (0–1+). */
export function usageShare(usage: Usage): number {
  const images = usage.monthly_quota > 0 ? usage.generations_this_month / usage.monthly_quota : 0;
  const budget = usage.monthly_budget_usd;
  const money = budget != null && budget > 0 ? usage.cost_this_month_usd / budget : 0;
  return Math.max(images, money);
}

export function usageLevel(usage: Usage): UsageLevel {
  const share = usageShare(usage);
  if (share >= 1) return 'reached';
  return share >= 0.8 ? 'near' : 'ok';
}
