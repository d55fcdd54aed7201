import { useEffect, useLayoutEffect, useRef } from 'react';
import { isTextField } from './keys';

/**
 * `?` calls `open`, unless the person is typing (the search box) or a dialog
 * is open.
 */
export function useShortcutsKey(open: () => void) {
  const latest = useRef(open);
  useLayoutEffect(() => {
    latest.current = open;
  });
  useEffect(() => {
    function onKeyDown(event: KeyboardEvent) {
      if (event.key !== '?' || event.defaultPrevented || event.ctrlKey || event.metaKey) return;
      if (event.altKey || isTextField(event.target)) return;
      if (event.target instanceof Element && event.target.closest('[aria-modal="true"]')) return;
      event.preventDefault();
      latest.current();
    }
    document.addEventListener('keydown', onKeyDown);
    return () => document.removeEventListener('keydown', onKeyDown);
  }, []);
}
