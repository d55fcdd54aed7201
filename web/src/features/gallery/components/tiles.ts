/**
 * Finding gallery tiles in the page, to put focus back where it makes sense
 * when the detail closes or a tile leaves the grid.
 */

/** The link of the tile showing image `id`, if it is in the page. */
export function tileLink(id: string): HTMLElement | null {
  return document.querySelector<HTMLElement>(
    `[data-select-id="${CSS.escape(id)}"] [data-testid="gallery-item"]`,
  );
}

/** The tile after image `id`'s (before it, for the last one): where focus goes when it leaves. */
export function neighbourTileLink(id: string): HTMLElement | null {
  const own = tileLink(id);
  if (!own) return null;
  const tiles = Array.from(document.querySelectorAll<HTMLElement>('[data-testid="gallery-item"]'));
  const at = tiles.indexOf(own);
  return tiles[at + 1] ?? tiles[at - 1] ?? null;
}

/** Focus went nowhere (its element left the page): nothing would catch the next key. */
export function focusIsLost(): boolean {
  const active = document.activeElement;
  return !active || active === document.body;
}

const tileId = (tile: HTMLElement) =>
  tile.closest<HTMLElement>('[data-select-id]')?.dataset.selectId;

/**
 * Where focus goes when the tiles of `ids` leave together: the first tile
 * after the first of them that stays (or before it, at the end), else the
 * page itself.
 */
export function tileAfterLeaving(ids: ReadonlySet<string>): HTMLElement | null {
  const tiles = Array.from(document.querySelectorAll<HTMLElement>('[data-testid="gallery-item"]'));
  const stays = (tile: HTMLElement) => !ids.has(tileId(tile) ?? '');
  const first = tiles.findIndex((tile) => !stays(tile));
  const after = tiles.slice(Math.max(first, 0)).find(stays);
  const before = tiles.slice(0, Math.max(first, 0)).reverse().find(stays);
  return after ?? before ?? document.getElementById('main');
}

/**
 * Before the tiles of `ids` leave the grid: when focus is on one of them (or
 * on the selection bar, or nowhere), it steps on to the tile after them.
 */
export function focusAfterLeaving(ids: ReadonlySet<string>): void {
  const active = document.activeElement;
  const onThem =
    focusIsLost() ||
    Boolean(active?.closest('[role="toolbar"]')) ||
    ids.has(active?.closest<HTMLElement>('[data-select-id]')?.dataset.selectId ?? '');
  if (onThem) tileAfterLeaving(ids)?.focus({ preventScroll: true });
}
