//! The trash's workflows: emptying it on request, and deleting for good what
//! has stayed longer than the retention period. Both delete through
//! `gallery::delete`, so files and records go exactly as a single delete does.

use time::OffsetDateTime;

use crate::{
    gallery::GalleryResult,
    store::media::MediaStore,
    store::metadata::{ImageQuery, MetadataStore},
};

use super::delete::{delete_all, delete_listed};

/// Trashed images read per round.
const BATCH: u32 = 100;

/// Deletes every image in `user_id`'s trash for good; returns how many.
pub async fn empty_trash(
    metadata: &dyn MetadataStore,
    media: &MediaStore,
    user_id: &str,
) -> GalleryResult<usize> {
    let mut total = 0;
    loop {
        let page = metadata
            .list_images(
                user_id,
                &ImageQuery {
                    limit: BATCH,
                    trashed: true,
                    ..ImageQuery::default()
                },
            )
            .await?;
        if page.items.is_empty() {
            return Ok(total);
        }
        let images = page
            .items
            .into_iter()
            .map(|image| (image.user_id, image.id))
            .collect();
        let deleted = delete_all(metadata, media, images).await?;
        if deleted == 0 {
            // Someone else is deleting the same images: they finish the job.
            return Ok(total);
        }
        total += deleted;
    }
}

/// Deletes for good, across all users, every image trashed more than
/// `retention` before `now`; returns how many.
pub async fn delete_expired(
    metadata: &dyn MetadataStore,
    media: &MediaStore,
    retention: time::Duration,
    now: OffsetDateTime,
) -> GalleryResult<usize> {
    delete_listed(
        metadata,
        media,
        || metadata.expired_trash(now - retention, BATCH),
        "expired trash entries name images that are already gone",
    )
    .await
}
