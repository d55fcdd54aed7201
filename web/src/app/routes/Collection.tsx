import { useParams } from 'react-router';
import { CollectionHeader } from '../../features/collections/components/CollectionHeader';
import {
  CollectionEmpty,
  CollectionScreen,
} from '../../features/collections/components/CollectionScreen';
import GalleryPage from '../../features/gallery/routes/Gallery';
import { GalleryWithCollections } from './GalleryWithCollections';

/**
 * /collections/:collectionId — one collection: its heading and actions above
 * the gallery's own grid, search, favourites filter, selection and detail,
 * showing only the collection's images.
 */
export default function CollectionRoute() {
  const { collectionId = '' } = useParams();
  return (
    <CollectionScreen id={collectionId}>
      {(collection) => (
        <GalleryWithCollections>
          <GalleryPage
            view={{
              basePath: `/collections/${encodeURIComponent(collectionId)}`,
              collection: collectionId,
            }}
            header={<CollectionHeader collection={collection} />}
            empty={<CollectionEmpty />}
            title={collection.name}
          />
        </GalleryWithCollections>
      )}
    </CollectionScreen>
  );
}
