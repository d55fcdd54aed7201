import { useEffect, useLayoutEffect, useRef } from 'react';
import { useLocation, useNavigate, useSearchParams } from 'react-router';
import { useGallery } from '../api/images';
import { useGalleryView } from './useGalleryView';

function typingIn(target: EventTarget | null): boolean {
  return (
    target instanceof HTMLElement &&
    (target.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(target.tagName))
  );
}

/**
 * Previous/next through the list the detail was opened from (the same search
 * and favourites filter, so the same cached pages as the grid behind it),
 * loading the next page when stepping past the last loaded image. Steps
 * replace the history entry: Back leaves the detail instead of replaying it.
 * ←/→ step too, unless the person is typing.
 */
export function useGalleryNavigation(id: string | undefined) {
  const [params] = useSearchParams();
  const { search } = useLocation();
  const navigate = useNavigate();
  const { basePath, collection } = useGalleryView();
  const list = useGallery({
    q: params.get('q') ?? '',
    favorite: params.get('favorites') === '1',
    collection,
  });
  const items = list.data?.pages.flatMap((p) => p.items) ?? [];
  const index = id ? items.findIndex((i) => i.id === id) : -1;
  const hasPrev = index > 0;
  const hasNext = index >= 0 && (index < items.length - 1 || Boolean(list.hasNextPage));

  // The image shown now: a page that lands after the person moved on or closed does not move them.
  const shown = useRef(id);
  useEffect(() => {
    shown.current = id;
    return () => {
      shown.current = undefined;
    };
  }, [id]);

  function show(target: string) {
    navigate(
      { pathname: `${basePath}/${target}`, search },
      { replace: true, preventScrollReset: true },
    );
  }

  function prev() {
    const before = hasPrev ? items[index - 1] : undefined;
    if (before) show(before.id);
  }

  async function next() {
    if (index < 0) return;
    const after = items[index + 1];
    if (after) {
      show(after.id);
      return;
    }
    if (!list.hasNextPage || list.isFetchingNextPage) return;
    const from = id;
    const result = await list.fetchNextPage();
    if (shown.current !== from) return;
    const all = result.data?.pages.flatMap((p) => p.items) ?? [];
    const target = all[all.findIndex((i) => i.id === from) + 1];
    if (target) show(target.id);
  }

  // Updated as the step renders, so a key pressed the moment the image shows steps from it.
  const keys = useRef({ prev, next });
  useLayoutEffect(() => {
    keys.current = { prev, next };
  });
  useEffect(() => {
    function onKeyDown(event: KeyboardEvent) {
      if (event.defaultPrevented || event.altKey || event.ctrlKey || event.metaKey) return;
      if (event.shiftKey || typingIn(event.target)) return;
      if (event.key === 'ArrowLeft') keys.current.prev();
      else if (event.key === 'ArrowRight') void keys.current.next();
      else return;
      event.preventDefault();
    }
    document.addEventListener('keydown', onKeyDown);
    return () => document.removeEventListener('keydown', onKeyDown);
  }, []);

  return {
    hasPrev,
    hasNext,
    prev,
    next: () => void next(),
    loadingNext: list.isFetchingNextPage,
  };
}
