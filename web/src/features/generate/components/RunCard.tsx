import { AlertTriangle, Maximize2, RefreshCw, RotateCcw } from 'lucide-react';
import { useId } from 'react';
import { Link } from 'react-router';
import { describeError } from '../../../lib/errors';
import { useImage } from '../../../lib/images';
import type { Image } from '../../../types/api';
import { cn } from '../../../utils/cn';
import { useElapsedSeconds } from '../../../hooks/useElapsedSeconds';
import { Alert } from '../../../components/ui/Alert';
import { Button } from '../../../components/ui/Button';
import { buttonClasses } from '../../../components/ui/buttonStyles';
import { EngineBadge } from '../../../components/image/EngineBadge';
import { DownloadButton } from '../../../components/image/DownloadButton';
import { FavoriteButton } from '../../../components/image/FavoriteButton';
import { SignedImage } from '../../../components/image/SignedImage';
import { ImageTimeAndCost } from '../../../components/image/TimeAndCost';
import type { Slot } from '../api/runs';
import type { FeedRun } from '../hooks/useRunFeed';

// Narrow cards (several results side by side, phones) show icons only.
const actionLabel = 'hidden @min-[22rem]:inline';

interface ResultProps {
  large: boolean;
  compact: boolean;
}

function ResultFigure({
  image,
  refetch,
  large,
  compact,
}: ResultProps & { image: Image; refetch: () => Promise<unknown> }) {
  return (
    <figure
      className="@container mx-auto w-full overflow-hidden rounded-2xl border border-zinc-200 bg-white shadow-sm dark:border-zinc-800 dark:bg-zinc-900"
      // A single large result is capped by height: narrow the card to match, no letterboxing.
      style={large ? { maxWidth: `calc(70vh * ${image.width} / ${image.height})` } : undefined}
      data-testid="result-image"
    >
      <SignedImage
        src={compact ? image.thumbnail_url : image.url}
        alt={image.prompt}
        width={image.width}
        height={image.height}
        refetch={refetch}
        loading={compact ? 'lazy' : undefined}
        className="h-auto w-full"
        fallbackClassName="w-full"
        style={{ backgroundColor: image.placeholder ?? undefined }}
      />
      <figcaption className="flex flex-col gap-3 p-3">
        <div className="flex flex-wrap items-center justify-between gap-2">
          <EngineBadge provider={image.provider} />
          <span className="flex flex-wrap gap-x-2 text-xs text-zinc-500 dark:text-zinc-400">
            <ImageTimeAndCost image={image} />
            <span className="font-mono">seed {image.seed}</span>
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

/** An image made in this session, read through the cache so favouriting here and in the gallery stay in step. */
function SessionResult({ initial, ...props }: ResultProps & { initial: Image }) {
  const { data, refetch } = useImage(initial.id);
  return <ResultFigure image={data ?? initial} refetch={() => refetch()} {...props} />;
}

/** Where an image will be, at its size, until it is ready (or why it is not). */
function Placeholder({
  slot,
  width,
  height,
  large,
  showError,
}: {
  slot: Slot;
  width: number;
  height: number;
  large: boolean;
  /** Whether the failure's message belongs here (several images) or above (one). */
  showError: boolean;
}) {
  const style = { aspectRatio: `${width} / ${height}`, maxHeight: large ? '70vh' : undefined };
  if (slot.status === 'failed') {
    return (
      <div
        className="mx-auto flex w-full flex-col items-center justify-center gap-2 rounded-2xl border border-red-200 bg-red-50 p-4 text-center text-sm text-red-800 dark:border-red-900/60 dark:bg-red-950/40 dark:text-red-200"
        style={style}
        data-testid="failed-image"
      >
        <AlertTriangle className="size-5" aria-hidden="true" />
        <p>{showError ? describeError(slot.error) : 'Not generated'}</p>
      </div>
    );
  }
  return (
    <div
      className="relative mx-auto w-full overflow-hidden rounded-2xl border border-zinc-200 bg-linear-to-br from-brand-100 via-zinc-100 to-fuchsia-100 dark:border-zinc-800 dark:from-brand-500/15 dark:via-zinc-900 dark:to-fuchsia-500/15"
      style={style}
      data-testid="pending-image"
      aria-hidden="true"
    >
      <div className="absolute inset-0 animate-shimmer bg-white/40 dark:bg-white/5" />
    </div>
  );
}

function title(run: FeedRun, ready: number, pending: number): string {
  const n = run.slots.length;
  if (ready === n) return n === 1 ? 'Your image' : `Your ${n} images`;
  if (ready === 0 && pending === 0) return 'Generation failed';
  if (ready === 0) return 'Generating…';
  return `${ready} of ${n} images ready`;
}

/**
 * One run of the feed: each image appears as soon as it is ready, with
 * placeholders of the requested shape until then; failures show on their
 * image, with one "Try again" for the ones that failed.
 */
export function RunCard({
  run,
  newest,
  onAgain,
  onRetry,
  refetchPast,
}: {
  run: FeedRun;
  /** The newest run is shown large; older ones as a compact row. */
  newest: boolean;
  onAgain: () => void;
  onRetry: () => void;
  refetchPast: () => Promise<unknown>;
}) {
  const titleId = useId();
  const n = run.slots.length;
  const ready = run.slots.filter((s) => s.status === 'done').length;
  const failed = run.slots.filter((s) => s.status === 'failed');
  const pending = n - ready - failed.length;
  const elapsed = useElapsedSeconds(pending > 0, run.live?.startedAt);
  const single = n === 1;
  const large = newest && single;
  const compact = !newest;
  const invalid = failed.some((s) => s.error?.code === 'invalid_request');
  const messages = [...new Set(failed.map((s) => describeError(s.error)))];
  const width = run.request.width ?? 1;
  const height = run.request.height ?? 1;
  const steps = run.request.steps;

  return (
    <article
      aria-labelledby={titleId}
      aria-busy={pending > 0 || undefined}
      className="flex flex-col gap-4"
      data-testid="run"
    >
      <div className="flex flex-wrap items-start justify-between gap-3">
        <div className="min-w-0">
          <h2 id={titleId} className="text-lg font-semibold">
            {title(run, ready, pending)}
          </h2>
          <p className="line-clamp-2 text-sm text-zinc-700 dark:text-zinc-300">
            {run.request.prompt}
          </p>
          <p className="text-sm tabular-nums text-zinc-500 dark:text-zinc-400">
            {width} × {height}
            {steps != null && ` · ${steps} steps`}
            {pending > 0 && ` · ${elapsed} second${elapsed === 1 ? '' : 's'} elapsed`}
          </p>
        </div>
        {pending === 0 && (
          <Button
            variant="secondary"
            size={compact ? 'sm' : 'md'}
            onClick={onAgain}
            icon={<RefreshCw className="size-4" aria-hidden="true" />}
          >
            Generate again with a new seed
          </Button>
        )}
      </div>
      {failed.length > 0 && (
        <Alert
          title={
            invalid
              ? 'Check your settings'
              : failed.length === n
                ? 'Generation failed'
                : `${failed.length} of ${n} images failed`
          }
          action={
            invalid ? undefined : (
              <Button
                variant="secondary"
                size="sm"
                onClick={onRetry}
                icon={<RotateCcw className="size-4" aria-hidden="true" />}
              >
                Try again
              </Button>
            )
          }
        >
          {single ? messages.join(' ') : undefined}
        </Alert>
      )}
      <div
        className={cn(
          'grid gap-4',
          compact ? 'grid-cols-2 sm:grid-cols-4' : !single && 'sm:grid-cols-2',
        )}
      >
        {run.slots.map((slot) =>
          slot.status === 'done' && slot.image ? (
            run.live ? (
              <SessionResult
                key={slot.image.id}
                initial={slot.image}
                large={large}
                compact={compact}
              />
            ) : (
              <ResultFigure
                key={slot.image.id}
                image={slot.image}
                refetch={refetchPast}
                large={large}
                compact={compact}
              />
            )
          ) : (
            <Placeholder
              key={slot.index}
              slot={slot}
              width={width}
              height={height}
              large={large}
              showError={!single}
            />
          ),
        )}
      </div>
    </article>
  );
}
