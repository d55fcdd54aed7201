/** What went wrong over the last 30 days: the three counts, and the commonest failure codes. */
import { formatNumber } from '../../../utils/format';
import type { AdminStats } from '../api/stats';

export function ErrorSummary({ errors }: { errors: AdminStats['errors'] }) {
  const figures = [
    { label: 'Generation failures', value: errors.generation_failures },
    { label: 'Rate-limited requests', value: errors.rate_limited },
    { label: 'Client errors', value: errors.client_errors },
  ];
  const top = errors.top_failure_codes[0]?.count ?? 0;
  return (
    <>
      <dl className="grid grid-cols-3 gap-3">
        {figures.map(({ label, value }) => (
          <div key={label} className="rounded-xl bg-zinc-50 px-3 py-2.5 dark:bg-zinc-800/50">
            <dt className="text-xs text-zinc-500 dark:text-zinc-400">{label}</dt>
            <dd
              className={
                value > 0
                  ? 'mt-1 text-xl font-semibold tabular-nums text-red-700 dark:text-red-300'
                  : 'mt-1 text-xl font-semibold tabular-nums'
              }
            >
              {formatNumber(value)}
            </dd>
          </div>
        ))}
      </dl>
      <h3 className="mt-6 text-sm font-medium">Top failure codes</h3>
      {errors.top_failure_codes.length === 0 ? (
        <p className="mt-2 text-sm text-zinc-600 dark:text-zinc-400">
          No generation failed in the last 30 days.
        </p>
      ) : (
        <ol className="mt-2 space-y-2" aria-label="Top failure codes">
          {errors.top_failure_codes.map(({ code, count }) => (
            <li key={code} className="text-sm">
              <div className="flex items-baseline justify-between gap-3">
                <code className="font-mono text-xs break-all">{code}</code>
                <span className="tabular-nums text-zinc-600 dark:text-zinc-400">
                  {formatNumber(count)}
                </span>
              </div>
              <div
                aria-hidden="true"
                className="mt-1 h-1.5 overflow-hidden rounded-full bg-zinc-100 dark:bg-zinc-800"
              >
                <div
                  className="h-full rounded-full bg-red-400 dark:bg-red-500/80"
                  style={{ width: `${top > 0 ? (count / top) * 100 : 0}%` }}
                />
              </div>
            </li>
          ))}
        </ol>
      )}
    </>
  );
}
