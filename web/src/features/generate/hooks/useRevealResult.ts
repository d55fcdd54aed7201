import { useEffect, useRef } from 'react';

/**
 * On a narrow screen the results sit below the form: when a new result is
 * ready, bring it into view (no animation for people who asked for less motion).
 */
export function useRevealResult<T extends HTMLElement>(resultId: string | undefined) {
  const ref = useRef<T>(null);
  useEffect(() => {
    if (!resultId || !window.matchMedia?.('(max-width: 1023px)').matches) return;
    const reduced = window.matchMedia('(prefers-reduced-motion: reduce)').matches;
    ref.current?.scrollIntoView({ behavior: reduced ? 'auto' : 'smooth', block: 'start' });
  }, [resultId]);
  return ref;
}
