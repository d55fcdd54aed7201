import { useParams } from 'react-router';
import { CollectionHeader } from '../../features/collections/components/CollectionHeader';
import {
  CollectionEmpty,
  CollectionScreen,
} from '../../features/collections/components/CollectionScreen';
import { DownloadZipButton } from '../../features/exports/components/DownloadZipButton';
import { unavailable } from '../../features/exports/components/words';
import GalleryPage from '../../features/gallery/routes/Gallery';
import { ShareButton } from '../../features/sharing/components/ShareButton';
import { useConfig } from '../../lib/config';
import type { Collection } from '../../types/api';
import { GalleryWithCollections } from './GalleryWithCollections';
import { GalleryWithExports } from './GalleryWithExports';
import { GalleryWithSharing } from './GalleryWithSharing';

/** The collection's images in one ZIP (not those in the trash). */
function DownloadCollection({ collection }: { collection: Collection }) {
  const limit = useConfig().data?.limits.export_max_images;
  const count = collection.image_count;
  return (
    <DownloadZipButton
      job={{ request: { collection_id: collection.id }, count, what: `“${collection.name}”` }}
      unavailable={count === 0 ? 'This collection has no images yet.' : unavailable(count, limit)}
    />
  );
}

/**
 * /collections/:collectionId — one collection: its heading and actions above
 * the gallery's own grid, search, favourites filter, selection and detail,
 * showing only the collection's images; Share and Download as ZIP among its
 * actions.
 */
export default function CollectionRoute() {
  const { collectionId = '' } = useParams();
  return (
    <CollectionScreen id={collectionId}>
      {(collection) => (
        <GalleryWithCollections>
          <GalleryWithSharing>
            <GalleryWithExports>
              <GalleryPage
                view={{
                  basePath: `/collections/${encodeURIComponent(collectionId)}`,
                  collection: collectionId,
                }}
                header={
                  <CollectionHeader
                    collection={collection}
                    actions={
                      <>
                        <ShareButton
                          target={{ kind: 'collection', id: collection.id }}
                          name={collection.name}
                        />
                        <DownloadCollection collection={collection} />
                      </>
                    }
                  />
                }
                empty={<CollectionEmpty />}
                title={collection.name}
              />
            </GalleryWithExports>
          </GalleryWithSharing>
        </GalleryWithCollections>
      )}
    </CollectionScreen>
  );
}
