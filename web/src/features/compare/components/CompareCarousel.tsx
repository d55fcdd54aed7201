import { SignedImage } from '../../../components/image/SignedImage';
import { cn } from '../../../utils/cn';
import type { CompareEntry } from '../hooks/useCompareImages';

/**
 * On a phone: one image large at a time, and a row of thumbnails to pick
 * which (←/→ step too, see the page).
 */
export function CompareCarousel({
  entries,
  names,
  active,
  onPick,
}: {
  entries: CompareEntry[];
  names: Map<string, string>;
  active: number;
  onPick: (index: number) => void;
}) {
  const shown = entries[active];
  if (!shown) return null;
  return (
    <div className="flex flex-col gap-3">
      <figure data-testid="compare-figure">
        <SignedImage
          key={shown.id}
          src={shown.image.url}
          alt={shown.image.prompt}
          width={shown.image.width}
          height={shown.image.height}
          refetch={shown.refetch}
          className="mx-auto block h-auto max-h-[60dvh] w-auto max-w-full rounded-xl object-contain shadow-md"
          fallbackClassName="w-full rounded-xl"
          style={{ backgroundColor: shown.image.placeholder }}
        />
        <figcaption className="mt-2 text-center text-sm font-medium" aria-live="polite">
          {names.get(shown.id)} of {entries.length}
        </figcaption>
      </figure>
      <div role="group" aria-label="Show image" className="flex justify-center gap-2">
        {entries.map((entry, index) => (
          <button
            key={entry.id}
            type="button"
            aria-pressed={index === active}
            aria-label={names.get(entry.id)}
            onClick={() => onPick(index)}
            className={cn(
              'size-16 overflow-hidden rounded-xl border-2 transition',
              index === active
                ? 'border-brand-600 dark:border-brand-400'
                : 'border-transparent opacity-70 hover:opacity-100',
            )}
          >
            <img
              src={entry.image.thumbnail_url}
              alt=""
              className="size-full object-cover"
              style={{ backgroundColor: entry.image.placeholder }}
            />
          </button>
        ))}
      </div>
    </div>
  );
}
