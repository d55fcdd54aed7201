import GalleryPage from '../../features/gallery/routes/Gallery';
import { GalleryWithCollections } from './GalleryWithCollections';
import { GalleryWithSharing } from './GalleryWithSharing';

/** /gallery, with what collections and sharing add to it. */
export default function GalleryRoute() {
  return (
    <GalleryWithCollections>
      <GalleryWithSharing>
        <GalleryPage />
      </GalleryWithSharing>
    </GalleryWithCollections>
  );
}
