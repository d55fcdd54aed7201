import { ImageOff, RotateCcw } from 'lucide-react';
import type { CSSProperties, ImgHTMLAttributes } from 'react';
import { useSignedImage, type SignedImageState } from '../../hooks/useSignedImage';
import { cn } from '../../utils/cn';

/** Stands in for an image that could not be loaded, at its size, with a way to try again. */
export function ImageFallback({
  state,
  onRetry,
  className,
  style,
}: {
  state: Exclude<SignedImageState, 'shown'>;
  onRetry: () => void;
  className?: string;
  style?: CSSProperties;
}) {
  return (
    <div
      className={cn(
        'flex flex-col items-center justify-center gap-2 bg-zinc-100 p-3 text-center text-sm text-zinc-600 dark:bg-zinc-800 dark:text-zinc-300',
        className,
      )}
      style={style}
      aria-busy={state === 'refreshing' || undefined}
    >
      {state === 'failed' && (
        <>
          <ImageOff className="size-6" aria-hidden="true" />
          <p>This image didn’t load.</p>
          <button
            type="button"
            onClick={onRetry}
            aria-label="Retry loading the image"
            className="inline-flex items-center gap-1.5 rounded-lg border border-zinc-300 bg-white px-3 py-1.5 text-sm font-medium text-zinc-800 hover:bg-zinc-50 dark:border-zinc-600 dark:bg-zinc-900 dark:text-zinc-100 dark:hover:bg-zinc-800"
          >
            <RotateCcw className="size-4" aria-hidden="true" />
            Retry
          </button>
        </>
      )}
    </div>
  );
}

/**
 * An <img> of a signed URL that recovers from expiry (see useSignedImage).
 * `refetch` reloads the data the URL came from; `fallbackClassName` sizes the
 * placeholder like the image.
 */
export function SignedImage({
  refetch,
  fallbackClassName,
  width,
  height,
  style,
  ...img
}: ImgHTMLAttributes<HTMLImageElement> & {
  src: string;
  alt: string;
  width: number;
  height: number;
  refetch: () => Promise<unknown>;
  fallbackClassName?: string;
}) {
  const { state, imageKey, imgProps, retry } = useSignedImage(refetch);
  if (state !== 'shown') {
    return (
      <ImageFallback
        state={state}
        onRetry={retry}
        className={fallbackClassName}
        style={{ ...style, aspectRatio: `${width} / ${height}` }}
      />
    );
  }
  return <img key={imageKey} {...img} width={width} height={height} style={style} {...imgProps} />;
}
