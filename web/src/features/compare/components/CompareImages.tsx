import { SignedImage } from '../../../components/image/SignedImage';
import { cn } from '../../../utils/cn';
import type { CompareEntry } from '../hooks/useCompareImages';

const aspect = ({ image }: CompareEntry) => image.width / image.height;

/**
 * The images side by side at one scale: each takes a share of the row in
 * proportion to its aspect ratio, so all stand at the same height (at most
 * 70% of the screen's) and none is cropped.
 */
export function CompareImages({
  entries,
  names,
}: {
  entries: CompareEntry[];
  names: Map<string, string>;
}) {
  const total = entries.reduce((sum, entry) => sum + aspect(entry), 0);
  return (
    <div
      className="mx-auto flex items-start gap-3"
      style={{ maxWidth: `calc(70vh * ${total} + ${(entries.length - 1) * 0.75}rem)` }}
      data-testid="compare-images"
    >
      {entries.map((entry) => (
        <figure
          key={entry.id}
          className="min-w-0"
          style={{ flex: `${aspect(entry)} 1 0%` }}
          data-testid="compare-figure"
        >
          <SignedImage
            src={entry.image.url}
            alt={entry.image.prompt}
            width={entry.image.width}
            height={entry.image.height}
            refetch={entry.refetch}
            className="block h-auto w-full rounded-xl shadow-md"
            fallbackClassName="w-full rounded-xl"
            style={{
              aspectRatio: `${entry.image.width} / ${entry.image.height}`,
              backgroundColor: entry.image.placeholder,
            }}
          />
          <figcaption className={cn('mt-2 text-center text-sm font-medium')}>
            {names.get(entry.id)}
          </figcaption>
        </figure>
      ))}
    </div>
  );
}
