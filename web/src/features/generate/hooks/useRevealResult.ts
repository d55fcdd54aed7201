import { useEffect, useRef } from 'react';

/**
 * On a narrow screen the results sit below the form: when a new result is
 * ready, bring it into view (no animation for people who asked for less
 * motion). A result already there when the page opens is left where it is.
 */
export function useRevealResult<T extends HTMLElement>(resultId: string | undefined) {
  const ref = useRef<T>(null);
  const shown = useRef(resultId);
  useEffect(() => {
    if (!resultId || resultId === shown.current) return;
    shown.current = resultId;
    if (!window.matchMedia?.('(max-width: 1023px)').matches) return;
    const reduced = window.matchMedia('(prefers-reduced-motion: reduce)').matches;
    ref.current?.scrollIntoView({ behavior: reduced ? 'auto' : 'smooth', block: 'start' });
  }, [resultId]);
  return ref;
}
