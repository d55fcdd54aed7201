/**
 * What sharing adds to the gallery's pages: Share among an image's actions
 * in its detail view (not for an image in the trash, whose link would not
 * work), and a "Shared" badge on the tiles of shared images. It adds to the
 * places the gallery offers, keeping what is already in them.
 */
import { useMemo, type ReactNode } from 'react';
import {
  GallerySlotsContext,
  useGallerySlots,
  type DetailExtrasProps,
  type GallerySlots,
} from '../../features/gallery/hooks/useGalleryView';
import { ShareButton } from '../../features/sharing/components/ShareButton';
import { SharedBadge } from '../../features/sharing/components/SharedBadge';
import { useSharedIds } from '../../features/sharing/hooks/useSharedIds';

function ShareAction({ image }: DetailExtrasProps) {
  if (image.trashed_at) return null;
  return <ShareButton target={{ kind: 'image', id: image.id }} />;
}

/** Around a gallery page (inside the other features' slots): its detail and tiles offer sharing. */
export function GalleryWithSharing({ children }: { children: ReactNode }) {
  const outer = useGallerySlots();
  // One lookup set per answer of the shares list; a tile only asks it.
  const shared = useSharedIds('image');
  const slots = useMemo<GallerySlots>(
    () => ({
      ...outer,
      DetailActions: ShareAction,
      tileBadges: (image) => shared.has(image.id) && <SharedBadge />,
    }),
    [outer, shared],
  );
  return <GallerySlotsContext.Provider value={slots}>{children}</GallerySlotsContext.Provider>;
}
