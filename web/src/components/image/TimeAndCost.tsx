import type { Image } from '../../types/api';
import { cn } from '../../utils/cn';
import { formatTimeAndCost } from '../../utils/format';

/** How long an image took on the server: the whole request when recorded, else the engine's part. */
function imageTimeMs(image: Pick<Image, 'timings'>): number | null {
  return image.timings?.total_ms ?? image.timings?.inference_ms ?? null;
}

/**
 * "0.8 s · $0.0028": what an image or draft took and cost, wherever one is
 * shown. Nothing at all when neither was recorded.
 */
export function TimeAndCost({
  ms,
  costUsd,
  className,
}: {
  ms: number | null | undefined;
  costUsd: number | null | undefined;
  className?: string;
}) {
  const text = formatTimeAndCost(ms, costUsd);
  if (!text) return null;
  return (
    <span
      className={cn('tabular-nums', className)}
      title="Time to make · cost"
      data-testid="time-and-cost"
    >
      {text}
    </span>
  );
}

/** The time and cost of a saved image. */
export function ImageTimeAndCost({ image, className }: { image: Image; className?: string }) {
  return <TimeAndCost ms={imageTimeMs(image)} costUsd={image.cost_usd} className={className} />;
}
