import { useId } from 'react';
import { Link } from 'react-router';
import { usageLevel, usageShare, type UsageLevel } from '../../lib/usage';
import type { Usage } from '../../types/api';
import { cn } from '../../utils/cn';
import { formatDateTime, formatNumber, formatUsd } from '../../utils/format';

const TEXT: Record<UsageLevel, string> = {
  ok: 'text-zinc-600 dark:text-zinc-300',
  near: 'text-amber-700 dark:text-amber-300',
  reached: 'text-red-700 dark:text-red-300',
};
const BAR: Record<UsageLevel, string> = {
  ok: 'bg-brand-500',
  near: 'bg-amber-500',
  reached: 'bg-red-500',
};

/**
 * The month's images against the quota (and its cost, against the budget if
 * there is one) in the header. It reads the `me` query, which every
 * generation, draft and kept draft refreshes, so it moves without a reload.
 * When the counts start again shows on hover and on keyboard focus.
 */
export function UsageMeter({
  usage,
  priced,
  className,
}: {
  usage: Usage;
  /** Some model has a price: the month's cost is worth showing. */
  priced: boolean;
  className?: string;
}) {
  const tipId = useId();
  const level = usageLevel(usage);
  const budget = usage.monthly_budget_usd;
  const showCost = priced || usage.cost_this_month_usd > 0 || budget != null;
  const images = `${formatNumber(usage.generations_this_month)} / ${formatNumber(usage.monthly_quota)}`;
  const cost = `${formatUsd(usage.cost_this_month_usd)}${budget != null ? ` / ${formatUsd(budget)}` : ''}`;

  return (
    <Link
      to="/profile"
      aria-describedby={tipId}
      data-level={level}
      data-testid="usage-meter"
      className={cn(
        'group relative flex flex-col gap-1 rounded-xl px-2.5 py-1.5 text-xs font-medium tabular-nums transition hover:bg-zinc-900/5 dark:hover:bg-white/5',
        TEXT[level],
        className,
      )}
    >
      <span>
        <span className="sr-only">This month: </span>
        {images}
        <span className="sr-only"> images</span>
        {showCost && (
          <>
            <span aria-hidden="true"> · </span>
            <span className="sr-only">, </span>
            {cost}
          </>
        )}
      </span>
      <span
        aria-hidden="true"
        className="h-1 w-full overflow-hidden rounded-full bg-zinc-200 dark:bg-zinc-800"
      >
        <span
          className={cn('block h-full rounded-full', BAR[level])}
          style={{ width: `${Math.min(100, Math.round(usageShare(usage) * 100))}%` }}
        />
      </span>
      <span
        id={tipId}
        role="tooltip"
        className="pointer-events-none absolute right-0 top-full z-40 mt-2 hidden whitespace-nowrap rounded-lg bg-zinc-900 px-2.5 py-1.5 text-xs font-normal text-white shadow-lg group-hover:block group-focus-visible:block dark:bg-zinc-100 dark:text-zinc-900"
      >
        Resets {formatDateTime(usage.resets_at)}
      </span>
    </Link>
  );
}
