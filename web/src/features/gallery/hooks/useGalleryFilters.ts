import { useEffect, useRef, useState } from 'react';
import { useSearchParams } from 'react-router';
import { useDebouncedValue } from '../../../hooks/useDebouncedValue';

// Filtering rewrites the URL but stays on the same page: no history entry, no jump to the top.
const KEEP_SCROLL = { replace: true, preventScrollReset: true };

/**
 * The gallery's search and favourites filter, kept in the URL (`?q=`,
 * `?favorites=1`) so a filtered view can be shared or reloaded. The search box
 * answers every keystroke; the URL, and so the query, follows 300 ms later.
 */
export function useGalleryFilters() {
  const [params, setParams] = useSearchParams();
  const query = params.get('q') ?? '';
  const favorite = params.get('favorites') === '1';
  const [text, setText] = useState(query);
  const debounced = useDebouncedValue(text, 300);

  // The URL changed under us (Clear filters, a link to /gallery, Back): the box
  // follows it at once, and the stale debounced text must not write it back.
  const [seenQuery, setSeenQuery] = useState(query);
  if (query !== seenQuery) {
    setSeenQuery(query);
    if (text.trim() !== query) setText(query);
  }
  const pushed = useRef(debounced);

  useEffect(() => {
    // Only a pause in typing writes the URL; a URL change alone never does.
    if (pushed.current === debounced) return;
    pushed.current = debounced;
    if (debounced.trim() === query) return;
    setParams((prev) => {
      const next = new URLSearchParams(prev);
      if (debounced.trim()) next.set('q', debounced.trim());
      else next.delete('q');
      return next;
    }, KEEP_SCROLL);
  }, [debounced, query, setParams]);

  function toggleFavorites() {
    setParams((prev) => {
      const next = new URLSearchParams(prev);
      if (favorite) next.delete('favorites');
      else next.set('favorites', '1');
      return next;
    }, KEEP_SCROLL);
  }

  function clear() {
    setText('');
    setParams({}, KEEP_SCROLL);
  }

  return {
    /** What the search box shows. */
    text,
    setText,
    /** The search the gallery is filtered by: the URL's. */
    query,
    favorite,
    filtered: Boolean(query) || favorite,
    toggleFavorites,
    clear,
  };
}
