/** Every model ever used, most images first, with its share of all the images made. */
import { formatNumber } from '../../../utils/format';
import type { ModelStats } from '../api/stats';

export function ModelTable({ models }: { models: ModelStats[] }) {
  if (models.length === 0) {
    return <p className="text-sm text-zinc-600 dark:text-zinc-400">No images made yet.</p>;
  }
  const total = models.reduce((sum, m) => sum + m.images, 0);
  return (
    <div className="-mx-5 overflow-x-auto sm:-mx-6">
      <table className="w-full min-w-md text-sm">
        <caption className="sr-only">Generations and images by model, all time</caption>
        <thead>
          <tr className="border-b border-zinc-200 text-left text-xs font-medium text-zinc-500 dark:border-zinc-800 dark:text-zinc-400">
            <th scope="col" className="py-2 pl-5 pr-3 font-medium sm:pl-6">
              Model
            </th>
            <th scope="col" className="px-3 py-2 text-right font-medium">
              Generations
            </th>
            <th scope="col" className="px-3 py-2 text-right font-medium">
              Images
            </th>
            <th scope="col" className="py-2 pl-3 pr-5 font-medium sm:pr-6">
              Share of images
            </th>
          </tr>
        </thead>
        <tbody className="divide-y divide-zinc-100 dark:divide-zinc-800/70">
          {models.map((m) => {
            const share = total > 0 ? Math.round((m.images / total) * 100) : 0;
            return (
              <tr key={`${m.provider}/${m.model}`}>
                <th scope="row" className="py-2.5 pl-5 pr-3 text-left font-normal sm:pl-6">
                  <span className="block font-medium break-words">{m.model}</span>
                  <span className="block text-xs text-zinc-500 dark:text-zinc-400">
                    {m.provider}
                  </span>
                </th>
                <td className="px-3 py-2.5 text-right tabular-nums">
                  {formatNumber(m.generations)}
                </td>
                <td className="px-3 py-2.5 text-right tabular-nums">{formatNumber(m.images)}</td>
                <td className="py-2.5 pl-3 pr-5 sm:pr-6">
                  <div className="flex items-center gap-2">
                    <div
                      aria-hidden="true"
                      className="h-1.5 min-w-16 flex-1 overflow-hidden rounded-full bg-zinc-100 dark:bg-zinc-800"
                    >
                      <div
                        className="h-full rounded-full bg-brand-500"
                        style={{ width: `${share}%` }}
                      />
                    </div>
                    <span className="w-9 text-right text-xs tabular-nums text-zinc-600 dark:text-zinc-400">
                      {share}%
                    </span>
                  </div>
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
