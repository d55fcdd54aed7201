import GalleryPage from '../../features/gallery/routes/Gallery';
import { GalleryWithCollections } from './GalleryWithCollections';
import { GalleryWithExports } from './GalleryWithExports';
import { GalleryWithSharing } from './GalleryWithSharing';

/** /gallery, with what collections, sharing and exports add to it. */
export default function GalleryRoute() {
  return (
    <GalleryWithCollections>
      <GalleryWithSharing>
        <GalleryWithExports>
          <GalleryPage />
        </GalleryWithExports>
      </GalleryWithSharing>
    </GalleryWithCollections>
  );
}
