import GalleryPage from '../../features/gallery/routes/Gallery';
import { GalleryWithCollections } from './GalleryWithCollections';

/** /gallery, with what collections add to it. */
export default function GalleryRoute() {
  return (
    <GalleryWithCollections>
      <GalleryPage />
    </GalleryWithCollections>
  );
}
