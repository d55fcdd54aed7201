//! Deleting an image: hide the record, remove its files and its share link,
//! then the record.
//!
//! Every step can be re-run, so a crash or a failed file removal leaves an
//! image that is hidden from the gallery and finishes deleting on the next
//! try, or when `sweep` finishes every delete left half-way.

use futures::{StreamExt, TryStreamExt, stream};

use crate::{
    gallery::{GalleryError, GalleryResult},
    store::media::MediaStore,
    store::metadata::{ImageRef, MetadataStore, ShareKind, StoreResult},
};

/// Images deleted at once: their file removals overlap, the store's writes
/// stay few.
const CONCURRENT_DELETES: usize = 8;
/// Unfinished deletes read per round.
const BATCH: u32 = 100;

/// Deletes one of `user_id`'s images, files included; `NotFound` when the
/// user has no such image.
pub async fn delete_image(
    metadata: &dyn MetadataStore,
    media: &MediaStore,
    user_id: &str,
    image_id: &str,
) -> GalleryResult<()> {
    let record = metadata
        .hide_image(user_id, image_id)
        .await?
        .ok_or(GalleryError::NotFound)?;
    media.delete(&record.object_key).await?;
    media.delete(&record.thumbnail_key).await?;
    // Before the record: a delete cut short here is run again whole.
    metadata
        .delete_share(user_id, ShareKind::Image, image_id)
        .await?;
    metadata.delete_image(user_id, image_id).await?;
    Ok(())
}

/// Deletes `(user, image)` pairs for good, a few at a time; an image that is
/// already gone is not counted. Returns how many were deleted.
pub(crate) async fn delete_all(
    metadata: &dyn MetadataStore,
    media: &MediaStore,
    images: Vec<(String, String)>,
) -> GalleryResult<usize> {
    let deleted: Vec<bool> = stream::iter(images)
        .map(|(user_id, image_id)| async move {
            match delete_image(metadata, media, &user_id, &image_id).await {
                Ok(()) => Ok(true),
                Err(GalleryError::NotFound) => Ok(false),
                Err(error) => Err(error),
            }
        })
        .buffer_unordered(CONCURRENT_DELETES)
        .try_collect()
        .await?;
    Ok(deleted.into_iter().filter(|done| *done).count())
}

/// Finishes, across users, every delete that began and did not finish (a
/// crash or a timeout stopped it between steps); returns how many.
pub async fn finish_unfinished(
    metadata: &dyn MetadataStore,
    media: &MediaStore,
) -> GalleryResult<usize> {
    delete_listed(
        metadata,
        media,
        || metadata.unfinished_deletes(BATCH),
        "the list of unfinished deletes names images that are already gone",
    )
    .await
}

/// Deletes, a batch at a time, what a sweep work list names (`next_batch`
/// reads the list as it is now) until it is empty; returns how many. A batch
/// naming only images already gone ends it with `stale` in the log, since
/// such a list would never empty.
pub(crate) async fn delete_listed<F, Batch>(
    metadata: &dyn MetadataStore,
    media: &MediaStore,
    mut next_batch: F,
    stale: &str,
) -> GalleryResult<usize>
where
    F: FnMut() -> Batch,
    Batch: Future<Output = StoreResult<Vec<ImageRef>>>,
{
    let mut total = 0;
    loop {
        let listed = next_batch().await?;
        if listed.is_empty() {
            return Ok(total);
        }
        let images = listed
            .into_iter()
            .map(|entry| (entry.user_id, entry.image_id))
            .collect();
        let deleted = delete_all(metadata, media, images).await?;
        if deleted == 0 {
            tracing::warn!("{stale}");
            return Ok(total);
        }
        total += deleted;
    }
}
