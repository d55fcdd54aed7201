import { Maximize2, RefreshCw } from 'lucide-react';
import { Link } from 'react-router';
import { useImage } from '../../../lib/images';
import type { Generation, Image } from '../../../types/api';
import { formatMs } from '../../../utils/format';
import { cn } from '../../../utils/cn';
import { Button } from '../../../components/ui/Button';
import { buttonClasses } from '../../../components/ui/buttonStyles';
import { EngineBadge } from '../../../components/image/EngineBadge';
import { DownloadButton } from '../../../components/image/DownloadButton';
import { FavoriteButton } from '../../../components/image/FavoriteButton';

// Narrow cards (several results side by side, phones) show icons only.
const actionLabel = 'hidden @min-[22rem]:inline';

function ResultImage({ initial, large }: { initial: Image; large: boolean }) {
  // Read through the cache so favouriting here and in the gallery stay in step.
  const { data } = useImage(initial.id);
  const image = data ?? initial;
  return (
    <figure
      className="@container mx-auto w-full overflow-hidden rounded-2xl border border-zinc-200 bg-white shadow-sm dark:border-zinc-800 dark:bg-zinc-900"
      // A single large result is capped by height: narrow the card to match, no letterboxing.
      style={large ? { maxWidth: `calc(70vh * ${image.width} / ${image.height})` } : undefined}
      data-testid="result-image"
    >
      <img
        src={image.url}
        alt={image.prompt}
        width={image.width}
        height={image.height}
        className="h-auto w-full"
        style={{ backgroundColor: image.placeholder ?? undefined }}
      />
      <figcaption className="flex flex-col gap-3 p-3">
        <div className="flex flex-wrap items-center justify-between gap-2">
          <EngineBadge provider={image.provider} />
          <span className="font-mono text-xs text-zinc-500 dark:text-zinc-400">
            seed {image.seed}
          </span>
        </div>
        <div className="grid grid-cols-3 gap-2">
          <FavoriteButton image={image} className="h-9 w-full px-2" labelClassName={actionLabel} />
          <DownloadButton
            image={image}
            size="sm"
            className="h-9 w-full px-2"
            labelClassName={actionLabel}
            label={`Download image with seed ${image.seed}`}
          />
          <Link
            to={`/gallery/${image.id}`}
            className={buttonClasses('secondary', 'sm', 'h-9 w-full px-2')}
            aria-label={`Open image with seed ${image.seed} in gallery`}
            title="Open in gallery"
          >
            <Maximize2 className="size-4" aria-hidden="true" />
            <span className={actionLabel}>Open</span>
          </Link>
        </div>
      </figcaption>
    </figure>
  );
}

/** The latest generation, shown large with its actions. */
export function ImagePreview({
  generation,
  onAgain,
  busy,
}: {
  generation: Generation;
  onAgain: () => void;
  busy: boolean;
}) {
  const single = generation.images.length === 1;
  return (
    <section aria-labelledby="results-title" className="flex flex-col gap-4">
      <div className="flex flex-wrap items-center justify-between gap-3">
        <div>
          <h2 id="results-title" className="text-lg font-semibold">
            Your {single ? 'image' : `${generation.images.length} images`}
          </h2>
          <p className="text-sm text-zinc-500 dark:text-zinc-400">
            {generation.width} × {generation.height} · {generation.steps} steps · made in{' '}
            {formatMs(generation.timings.total_ms)}
          </p>
        </div>
        <Button
          variant="secondary"
          onClick={onAgain}
          busy={busy}
          icon={<RefreshCw className="size-4" aria-hidden="true" />}
        >
          Generate again with a new seed
        </Button>
      </div>
      <div className={cn('grid gap-4', !single && 'sm:grid-cols-2')}>
        {generation.images.map((image) => (
          <ResultImage key={image.id} initial={image} large={single} />
        ))}
      </div>
    </section>
  );
}

/** Placeholders with the requested aspect ratio while the engine works. */
export function GeneratingPlaceholders({
  count,
  width,
  height,
  elapsed,
}: {
  count: number;
  width: number;
  height: number;
  elapsed: number;
}) {
  return (
    <section aria-busy="true" className="flex flex-col gap-4">
      <div>
        <h2 className="text-lg font-semibold">Generating…</h2>
        <p className="text-sm tabular-nums text-zinc-500 dark:text-zinc-400">
          {elapsed} second{elapsed === 1 ? '' : 's'} elapsed
        </p>
      </div>
      <div className={cn('grid gap-4', count > 1 && 'sm:grid-cols-2')}>
        {Array.from({ length: count }, (_, i) => (
          <div
            key={i}
            className="relative mx-auto w-full overflow-hidden rounded-2xl border border-zinc-200 bg-linear-to-br from-brand-100 via-zinc-100 to-fuchsia-100 dark:border-zinc-800 dark:from-brand-500/15 dark:via-zinc-900 dark:to-fuchsia-500/15"
            style={{
              aspectRatio: `${width} / ${height}`,
              maxHeight: count === 1 ? '70vh' : undefined,
            }}
          >
            <div className="absolute inset-0 animate-shimmer bg-white/40 dark:bg-white/5" />
          </div>
        ))}
      </div>
    </section>
  );
}
