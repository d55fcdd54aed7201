//! Deleting an image: hide the record, remove its files, then the record.
//!
//! Every step can be re-run, so a crash or a failed file removal leaves an
//! image that is hidden from the gallery and finishes deleting on the next try.

use crate::{
    http::error::{ApiError, ApiResult},
    store::media::MediaStore,
    store::metadata::MetadataStore,
};

/// Deletes one of `user_id`'s images, files included; `NotFound` when the
/// user has no such image.
pub async fn delete_image(
    metadata: &dyn MetadataStore,
    media: &MediaStore,
    user_id: &str,
    image_id: &str,
) -> ApiResult<()> {
    let record = metadata
        .hide_image(user_id, image_id)
        .await?
        .ok_or(ApiError::NotFound)?;
    media.delete(&record.object_key).await?;
    media.delete(&record.thumbnail_key).await?;
    metadata.delete_image(user_id, image_id).await?;
    Ok(())
}
