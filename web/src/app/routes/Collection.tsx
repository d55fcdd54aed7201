import { useParams } from 'react-router';
import { CollectionHeader } from '../../features/collections/components/CollectionHeader';
import {
  CollectionEmpty,
  CollectionScreen,
} from '../../features/collections/components/CollectionScreen';
import GalleryPage from '../../features/gallery/routes/Gallery';
import { ShareButton } from '../../features/sharing/components/ShareButton';
import { GalleryWithCollections } from './GalleryWithCollections';
import { GalleryWithSharing } from './GalleryWithSharing';

/**
 * /collections/:collectionId — one collection: its heading and actions above
 * the gallery's own grid, search, favourites filter, selection and detail,
 * showing only the collection's images; Share among its actions.
 */
export default function CollectionRoute() {
  const { collectionId = '' } = useParams();
  return (
    <CollectionScreen id={collectionId}>
      {(collection) => (
        <GalleryWithCollections>
          <GalleryWithSharing>
            <GalleryPage
              view={{
                basePath: `/collections/${encodeURIComponent(collectionId)}`,
                collection: collectionId,
              }}
              header={
                <CollectionHeader
                  collection={collection}
                  actions={
                    <ShareButton
                      target={{ kind: 'collection', id: collection.id }}
                      name={collection.name}
                    />
                  }
                />
              }
              empty={<CollectionEmpty />}
              title={collection.name}
            />
          </GalleryWithSharing>
        </GalleryWithCollections>
      )}
    </CollectionScreen>
  );
}
