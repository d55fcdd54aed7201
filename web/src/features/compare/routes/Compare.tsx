import { ChevronLeft, Columns2 } from 'lucide-react';
import { useEffect, useLayoutEffect, useRef, useState } from 'react';
import { Link } from 'react-router';
import { describeError } from '../../../lib/errors';
import { Alert } from '../../../components/ui/Alert';
import { buttonClasses } from '../../../components/ui/buttonStyles';
import { EmptyState } from '../../../components/ui/EmptyState';
import { Skeleton } from '../../../components/ui/Skeleton';
import { useDocumentTitle } from '../../../hooks/useDocumentTitle';
import { useMediaQuery } from '../../../hooks/useMediaQuery';
import { CompareCarousel } from '../components/CompareCarousel';
import { CompareImages } from '../components/CompareImages';
import { CompareSettings } from '../components/CompareSettings';
import { useCompareImages } from '../hooks/useCompareImages';

/** Phones: one image at a time. */
const NARROW = '(max-width: 640px)';

function typing(target: EventTarget | null): boolean {
  return (
    target instanceof HTMLElement &&
    (target.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(target.tagName))
  );
}

/** ←/→ step through `count` images while on a phone (not while typing, nor in a dialog). */
function useStepKeys(enabled: boolean, count: number, step: (by: number) => void) {
  const latest = useRef(step);
  useLayoutEffect(() => {
    latest.current = step;
  });
  useEffect(() => {
    if (!enabled || count < 2) return;
    function onKeyDown(event: KeyboardEvent) {
      if (event.defaultPrevented || event.altKey || event.ctrlKey || event.metaKey) return;
      if (event.shiftKey || typing(event.target)) return;
      if (event.target instanceof Element && event.target.closest('[aria-modal="true"]')) return;
      if (event.key === 'ArrowLeft') latest.current(-1);
      else if (event.key === 'ArrowRight') latest.current(1);
      else return;
      event.preventDefault();
    }
    document.addEventListener('keydown', onKeyDown);
    return () => document.removeEventListener('keydown', onKeyDown);
  }, [enabled, count]);
}

const backLink = (
  <Link to="/gallery" className={buttonClasses('secondary', 'md')}>
    <ChevronLeft className="size-4" aria-hidden="true" />
    Back to the gallery
  </Link>
);

/**
 * /compare?ids=a,b,c — two to four images side by side at the same scale,
 * then their settings row by row, differences marked (the prompt word by
 * word). On a phone one image is large at a time.
 */
export default function ComparePage() {
  useDocumentTitle('Compare');
  const { ids, dropped, found, missing, error, pending, retry } = useCompareImages();
  const narrow = useMediaQuery(NARROW);
  const [picked, setPicked] = useState(0);
  const active = Math.min(picked, Math.max(0, found.length - 1));
  useStepKeys(narrow, found.length, (by) =>
    setPicked(Math.min(found.length - 1, Math.max(0, active + by))),
  );
  const names = new Map(found.map((entry, i) => [entry.id, `Image ${i + 1}`]));
  const images = found.map((entry) => entry.image);

  let body;
  if (pending) {
    body = (
      <div className="grid grid-cols-2 gap-3" aria-hidden="true">
        <Skeleton className="aspect-square" />
        <Skeleton className="aspect-square" />
      </div>
    );
  } else if (found.length < 2) {
    body = (
      <EmptyState
        icon={<Columns2 className="size-7" aria-hidden="true" />}
        title={
          ids.length < 2 ? 'Pick two to four images to compare' : 'Not enough images to compare'
        }
        action={backLink}
      >
        {ids.length < 2
          ? 'Select two to four images in the gallery or a collection, then choose Compare.'
          : 'Compare needs at least two of the images. Select others in the gallery, then choose Compare.'}
      </EmptyState>
    );
  } else {
    const shownImage = images[active];
    body = (
      <div className="flex flex-col gap-8">
        {narrow ? (
          <CompareCarousel entries={found} names={names} active={active} onPick={setPicked} />
        ) : (
          <CompareImages entries={found} names={names} />
        )}
        <CompareSettings
          images={images}
          shown={narrow && shownImage ? [shownImage] : images}
          names={names}
        />
      </div>
    );
  }

  return (
    <div className="mx-auto max-w-6xl px-4 py-8 sm:px-6 sm:py-10">
      <h1 className="text-2xl font-semibold tracking-tight sm:text-3xl">Compare</h1>
      <p className="mt-1.5 text-sm text-zinc-600 dark:text-zinc-400">
        {found.length >= 2
          ? `${found.length} images side by side, at the same scale.`
          : 'Images side by side, at the same scale.'}
        {narrow && found.length >= 2 && ' Use ← and → or the thumbnails to switch.'}
      </p>
      <div className="mt-6 flex flex-col gap-4">
        {missing.length > 0 && (
          <Alert
            title={
              missing.length === 1
                ? 'One image couldn’t be found'
                : `${missing.length} images couldn’t be found`
            }
          >
            {missing.length === 1
              ? 'It may have been deleted, or the link is wrong.'
              : 'They may have been deleted, or the link is wrong.'}
          </Alert>
        )}
        {error !== null && (
          <Alert title="Couldn’t load every image" onRetry={retry}>
            {describeError(error)}
          </Alert>
        )}
        {dropped > 0 && (
          <Alert tone="info">Only four images fit side by side: the first four are shown.</Alert>
        )}
        {body}
      </div>
    </div>
  );
}
