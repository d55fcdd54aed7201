import { createContext, useContext, type ComponentType, type ReactNode } from 'react';
import type { Image } from '../../../types/api';

/**
 * Which images a gallery page shows and where they open: the whole gallery
 * at /gallery, or one collection's images at /collections/:id. The grid, its
 * detail overlay and previous/next all read it.
 */
export interface GalleryView {
  /** The page's path: an image opens at `${basePath}/${id}`. */
  basePath: string;
  /** Only this collection's images. */
  collection?: string;
}

export const GALLERY: GalleryView = { basePath: '/gallery' };

export const GalleryViewContext = createContext<GalleryView>(GALLERY);

export function useGalleryView(): GalleryView {
  return useContext(GalleryViewContext);
}

/** What the selection bar's extra actions are given. */
export interface SelectionActionsProps {
  /** The selected images, in grid order. */
  selected: Image[];
  /** Selects exactly these (say, the ones an action could not do). */
  selectOnly: (ids: string[]) => void;
  clear: () => void;
  /** Moves focus on from tiles about to leave the grid (to the next tile that stays). */
  focusAfterLeaving: (ids: ReadonlySet<string>) => void;
  /** The collection the page shows, if any. */
  collection?: string;
}

/** What the actions beside the search and the favourites filter are given. */
export interface FilterActionsProps {
  /** The favourites filter is on. */
  favorite: boolean;
  /** The search the page is filtered by ('' for none). */
  query: string;
  /** How many images the page lists, once every page of them is loaded; else null. */
  count: number | null;
  /** The collection the page shows, if any. */
  collection?: string;
}

/** What the detail view's extra part is given. */
export interface DetailExtrasProps {
  image: Image;
  /** The collection the detail was opened from, if any. */
  collection?: string;
}

/**
 * Places where other features add to the gallery without it knowing them
 * (the app fills them in: collections add "Add to collection" to the bar and
 * the collections an image is in to its detail; sharing adds Share to the
 * detail's actions and a badge to the tiles of shared images; exports add
 * Download as ZIP to the bar and Download favourites beside the filters).
 */
export interface GallerySlots {
  SelectionActions?: ComponentType<SelectionActionsProps>;
  DetailExtras?: ComponentType<DetailExtrasProps>;
  /** Beside the search box and the favourites filter (a download of the favourites). */
  FilterActions?: ComponentType<FilterActionsProps>;
  /** Beside the detail view's Favourite, Download and Use these settings. */
  DetailActions?: ComponentType<DetailExtrasProps>;
  /**
   * Small marks on a tile's picture. Asked of every tile at each render of
   * the grid: it must only look the image up, never fetch anything.
   */
  tileBadges?: (image: Image) => ReactNode;
}

export const GallerySlotsContext = createContext<GallerySlots>({});

export function useGallerySlots(): GallerySlots {
  return useContext(GallerySlotsContext);
}
