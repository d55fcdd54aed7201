/**
 * What exports add to the gallery's pages: "Download as ZIP" in the
 * selection bar, after what the other features put there, and "Download
 * favourites" beside the filters while the gallery shows only favourites.
 */
import { createContext, useContext, useMemo, type ReactNode } from 'react';
import {
  GallerySlotsContext,
  useGallerySlots,
  type FilterActionsProps,
  type GallerySlots,
  type SelectionActionsProps,
} from '../../features/gallery/hooks/useGalleryView';
import { DownloadZipButton } from '../../features/exports/components/DownloadZipButton';
import { unavailable } from '../../features/exports/components/words';
import { useConfig } from '../../lib/config';

/** The slots as they were around this one: the bar keeps their actions. */
const OuterSlots = createContext<GallerySlots>({});

function SelectionActions(props: SelectionActionsProps) {
  const { SelectionActions: Outer } = useContext(OuterSlots);
  const limit = useConfig().data?.limits.export_max_images;
  const count = props.selected.length;
  return (
    <>
      {Outer && <Outer {...props} />}
      <DownloadZipButton
        job={{ request: { ids: props.selected.map((i) => i.id) }, count }}
        size="sm"
        unavailable={unavailable(count, limit)}
      />
    </>
  );
}

/**
 * All the favourites, whatever the search: in the whole gallery only (a
 * collection's favourites are not a ZIP of their own).
 */
function FilterActions({ favorite, query, count, collection }: FilterActionsProps) {
  const { FilterActions: Outer } = useContext(OuterSlots);
  const limit = useConfig().data?.limits.export_max_images;
  const outer = Outer && (
    <Outer favorite={favorite} query={query} count={count} collection={collection} />
  );
  if (!favorite || collection) return outer;
  // With a search the page lists only some of them.
  const known = query ? null : count;
  return (
    <>
      {outer}
      <DownloadZipButton
        job={{ request: { favorites: true }, count: known, what: 'your favourites' }}
        label="Download favourites"
        className="h-11"
        unavailable={known === 0 ? 'You have no favourites yet.' : unavailable(known, limit)}
      />
    </>
  );
}

/** Around a gallery page (inside the other features' slots): it offers ZIPs. */
export function GalleryWithExports({ children }: { children: ReactNode }) {
  const outer = useGallerySlots();
  const slots = useMemo<GallerySlots>(
    () => ({ ...outer, SelectionActions, FilterActions }),
    [outer],
  );
  return (
    <OuterSlots.Provider value={outer}>
      <GallerySlotsContext.Provider value={slots}>{children}</GallerySlotsContext.Provider>
    </OuterSlots.Provider>
  );
}
