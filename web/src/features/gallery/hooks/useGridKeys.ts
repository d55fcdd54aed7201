import { useCallback, type KeyboardEvent } from 'react';
import { isTextField } from './keys';

const MOVES: Record<string, 'left' | 'right' | 'up' | 'down'> = {
  ArrowLeft: 'left',
  ArrowRight: 'right',
  ArrowUp: 'up',
  ArrowDown: 'down',
};

/**
 * How many tiles a row of the grid holds as laid out now: those level with
 * the first. The layout decides (two columns on a phone, four on a desktop),
 * so ↑/↓ always land on the tile drawn above or below.
 */
export function columnCount(tiles: HTMLElement[]): number {
  const first = tiles[0];
  if (!first) return 1;
  const top = first.getBoundingClientRect().top;
  let n = 0;
  for (const tile of tiles) {
    if (Math.abs(tile.getBoundingClientRect().top - top) > 1) break;
    n += 1;
  }
  return Math.max(1, n);
}

/** Where a move from tile `at` lands in a grid of `count` tiles, `columns` to a row. */
export function step(
  at: number,
  move: 'left' | 'right' | 'up' | 'down',
  count: number,
  columns: number,
): number {
  switch (move) {
    case 'left':
      return Math.max(0, at - 1);
    case 'right':
      return Math.min(count - 1, at + 1);
    case 'up':
      return at - columns >= 0 ? at - columns : at;
    case 'down': {
      if (at + columns < count) return at + columns;
      // A shorter last row: down from the row above it lands on its last tile.
      const lastRowStart = count - 1 - ((count - 1) % columns);
      return at < lastRowStart ? count - 1 : at;
    }
  }
}

/** The control a tile takes focus on: its link, or (while its picture is failing) its first control. */
function focusTarget(tile: HTMLElement): HTMLElement | null {
  return (
    tile.querySelector<HTMLElement>('[data-testid="gallery-item"]') ??
    tile.querySelector<HTMLElement>('a[href], button:not([disabled]), input:not([disabled])')
  );
}

/**
 * The arrow keys of an image grid (put the returned handler on the list):
 * ←/→ move focus to the previous or next tile, ↑/↓ to the tile a row above
 * or below. Only while focus is in the grid, and never with a modifier held
 * (shift-arrows and the like keep their usual meaning).
 */
export function useGridKeys() {
  return useCallback((event: KeyboardEvent<HTMLElement>) => {
    const move = MOVES[event.key];
    if (!move || event.defaultPrevented) return;
    if (event.altKey || event.ctrlKey || event.metaKey || event.shiftKey) return;
    if (isTextField(event.target)) return;
    const list = event.currentTarget;
    const tiles = Array.from(list.children).filter(
      (child): child is HTMLElement => child instanceof HTMLElement,
    );
    const own = tiles.findIndex((tile) => tile.contains(event.target as Node));
    if (own < 0) return;
    event.preventDefault();
    const to = step(own, move, tiles.length, columnCount(tiles));
    const tile = tiles[to];
    if (to !== own && tile) focusTarget(tile)?.focus();
  }, []);
}
