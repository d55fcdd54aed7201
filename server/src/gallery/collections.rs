//! What a collection shows beyond its record: its cover, which is the image
//! the owner chose while that image is still in the collection and not in
//! the trash, or else the collection's newest image. Worked out on read, so
//! removing, trashing or deleting the chosen image never leaves a broken cover.

use futures::{StreamExt, TryStreamExt, stream};

use crate::store::metadata::{
    CollectionRecord, ImageQuery, ImageRecord, MetadataStore, StoreResult,
};

/// Covers looked up at once when listing collections.
const CONCURRENCY: usize = 8;

/// The image a collection shows on its card, if it has any image.
pub async fn cover(
    metadata: &dyn MetadataStore,
    collection: &CollectionRecord,
) -> StoreResult<Option<ImageRecord>> {
    if let Some(chosen) = &collection.cover_image_id
        && let Some(image) = metadata.get_image(&collection.user_id, chosen).await?
        && image.trashed_at.is_none()
        && image.collection_ids.contains(&collection.id)
    {
        return Ok(Some(image));
    }
    let newest = metadata
        .list_images(
            &collection.user_id,
            &ImageQuery {
                limit: 1,
                collection: Some(collection.id.clone()),
                ..ImageQuery::default()
            },
        )
        .await?;
    Ok(newest.items.into_iter().next())
}

/// Each collection with its cover, in the order given.
pub async fn with_covers(
    metadata: &dyn MetadataStore,
    collections: Vec<CollectionRecord>,
) -> StoreResult<Vec<(CollectionRecord, Option<ImageRecord>)>> {
    stream::iter(collections)
        .map(|collection| async move {
            let cover = cover(metadata, &collection).await?;
            Ok((collection, cover))
        })
        .buffered(CONCURRENCY)
        .try_collect()
        .await
}
