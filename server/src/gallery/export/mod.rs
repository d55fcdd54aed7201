//! Exports: a ZIP of some of a user's images — the originals byte for byte,
//! `recipes.json` and an offline contact sheet — streamed into object storage
//! as it is made, so memory stays the same whatever the number of images
//! (a few images in flight and the upload's parts, never the whole ZIP), and
//! kept until it expires, when the sweep removes it.

pub mod archive;
pub mod check;
pub mod contact_sheet;
pub mod recipes;
pub mod zip;

use std::collections::{HashMap, HashSet};

use futures::{StreamExt, TryStreamExt};
use sha2::{Digest, Sha256};
use time::OffsetDateTime;

use crate::{
    gallery::export::{
        recipes::{FORMAT, Recipe, Recipes},
        zip::ZipWriter,
    },
    store::media::{ImageFormat, MediaStore},
    store::metadata::{
        ExportRecord, ImageQuery, ImageRecord, MetadataStore, StoreError,
        rules::{from_millis, millis},
    },
};

/// Which images an export holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Selection {
    /// These images (none may be in the trash).
    Images(Vec<String>),
    /// The collection's images that are not in the trash.
    Collection(String),
    Favorites,
    /// Every image not in the trash.
    Everything,
}

/// Why an export was not made.
#[derive(Debug, thiserror::Error)]
pub enum ExportError {
    /// An image or the collection is not the user's (or is in the trash).
    #[error("not found")]
    NotFound,
    #[error("more than {0} images")]
    TooManyImages(u32),
    #[error("no images to export")]
    NothingToExport,
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error(transparent)]
    Files(#[from] anyhow::Error),
}

/// Images (records, then files) read at once: enough to hide a store's
/// latency, few enough to keep memory small while the ZIP is written.
const IMAGES_IN_FLIGHT: usize = 6;
/// Images listed per gallery read.
const PAGE: u32 = 100;

/// Where a user's export lives in object storage.
pub fn object_key(user_id: &str, export_id: &str) -> String {
    format!("{EXPORTS_PREFIX}/{user_id}/{export_id}.zip")
}

/// The folder of every export's ZIP.
pub const EXPORTS_PREFIX: &str = "exports";

/// The name a browser saves an export under.
pub fn download_name(export: &ExportRecord) -> String {
    let at = export.created_at;
    format!(
        "promptcanvas-export-{:04}-{:02}-{:02}-{}.zip",
        at.year(),
        u8::from(at.month()),
        at.day(),
        &export.id[export.id.len().saturating_sub(6)..].to_ascii_lowercase()
    )
}

/// The user's images the selection names, newest first: at most `max`.
pub async fn select(
    metadata: &dyn MetadataStore,
    user_id: &str,
    selection: &Selection,
    max: u32,
) -> Result<Vec<ImageRecord>, ExportError> {
    let mut images = Vec::new();
    let query = match selection {
        Selection::Images(ids) => {
            let mut seen = HashSet::new();
            let ids: Vec<&str> = ids
                .iter()
                .map(String::as_str)
                .filter(|id| seen.insert(*id))
                .collect();
            if ids.len() > max as usize {
                return Err(ExportError::TooManyImages(max));
            }
            let mut found = futures::stream::iter(0..ids.len())
                .map(|index| metadata.get_image(user_id, ids[index]))
                .buffered(IMAGES_IN_FLIGHT);
            while let Some(image) = found.try_next().await? {
                match image {
                    Some(image) if image.trashed_at.is_none() => images.push(image),
                    _ => return Err(ExportError::NotFound),
                }
            }
            images.sort_by(|a, b| b.id.cmp(&a.id));
            return nonempty(images);
        }
        Selection::Collection(id) => {
            if !metadata.owns_collection(user_id, id).await? {
                return Err(ExportError::NotFound);
            }
            ImageQuery {
                collection: Some(id.clone()),
                ..ImageQuery::default()
            }
        }
        Selection::Favorites => ImageQuery {
            favorites_only: true,
            ..ImageQuery::default()
        },
        Selection::Everything => ImageQuery::default(),
    };
    let mut after = None;
    loop {
        let page = metadata
            .list_images(
                user_id,
                &ImageQuery {
                    limit: PAGE,
                    after,
                    ..query.clone()
                },
            )
            .await?;
        images.extend(page.items);
        if images.len() > max as usize {
            return Err(ExportError::TooManyImages(max));
        }
        match page.next_after {
            Some(next) => after = Some(next),
            None => return nonempty(images),
        }
    }
}

fn nonempty(images: Vec<ImageRecord>) -> Result<Vec<ImageRecord>, ExportError> {
    if images.is_empty() {
        Err(ExportError::NothingToExport)
    } else {
        Ok(images)
    }
}

/// Writes the ZIP of `images` into object storage and records it, kept
/// until `expires_at`. A failure part-way leaves nothing behind.
pub async fn build(
    metadata: &dyn MetadataStore,
    media: &MediaStore,
    user_id: &str,
    images: &[ImageRecord],
    now: OffsetDateTime,
    expires_at: OffsetDateTime,
) -> Result<ExportRecord, ExportError> {
    // Stores keep milliseconds: answer with the times a later read gives.
    let (now, expires_at) = (from_millis(millis(now)), from_millis(millis(expires_at)));
    let id = ulid::Ulid::new().to_string();
    let mut export = ExportRecord {
        object_key: object_key(user_id, &id),
        id,
        user_id: user_id.to_owned(),
        image_count: 0,
        bytes: 0,
        created_at: now,
        expires_at,
    };
    let collection_names: HashMap<String, String> = metadata
        .list_collections(user_id)
        .await?
        .into_iter()
        .map(|collection| (collection.id, collection.name))
        .collect();
    let mut upload = media
        .upload(
            &export.object_key,
            "application/zip",
            format!("attachment; filename=\"{}\"", download_name(&export)),
        )
        .await?;
    match write_zip(&mut upload, media, images, &collection_names, now).await {
        Ok(count) => export.image_count = count,
        Err(error) => {
            upload.abort().await;
            return Err(error.into());
        }
    }
    export.bytes = upload.finish().await?;
    if let Err(error) = metadata.insert_export(&export).await {
        if let Err(cleanup) = media.delete(&export.object_key).await {
            tracing::warn!(key = %export.object_key, error = %cleanup, "removing an unrecorded export failed; the sweep of its prefix removes it");
        }
        return Err(error.into());
    }
    Ok(export)
}

/// The ZIP's bytes into `upload`; answers how many images it holds.
async fn write_zip(
    upload: &mut crate::store::media::Upload,
    media: &MediaStore,
    images: &[ImageRecord],
    collection_names: &HashMap<String, String>,
    now: OffsetDateTime,
) -> anyhow::Result<u64> {
    let mut zip = ZipWriter::default();
    let mut recipes = Recipes {
        format: FORMAT.to_owned(),
        exported_at: crate::text::rfc3339(now),
        images: Vec::with_capacity(images.len()),
    };
    // By position: a closure over `&ImageRecord` trips the compiler's
    // `Send` check of the spawned request.
    let mut originals = futures::stream::iter(0..images.len())
        .map(|index| async move {
            let image = &images[index];
            let bytes = media.get(&image.object_key).await?;
            anyhow::Ok((image, bytes))
        })
        .buffered(IMAGES_IN_FLIGHT);
    while let Some((image, bytes)) = originals.try_next().await? {
        let Some(bytes) = bytes else {
            // Deleted since it was listed: the export holds what still exists.
            tracing::warn!(image_id = %image.id, "an exported image's file is gone; leaving it out");
            continue;
        };
        let extension = ImageFormat::sniff(&bytes).map_or("bin", ImageFormat::extension);
        let file = recipes::file_name(image, extension);
        let sha256 = hex::encode(Sha256::digest(&bytes));
        upload
            .write(&zip.file_header(&file, &bytes, image.created_at)?)
            .await?;
        upload.write(&bytes).await?;
        let mut collections: Vec<String> = image
            .collection_ids
            .iter()
            .filter_map(|id| collection_names.get(id).cloned())
            .collect();
        collections.sort();
        recipes
            .images
            .push(Recipe::of(image, file, sha256, collections));
    }
    let json = serde_json::to_vec_pretty(&recipes)?;
    upload
        .write(&zip.file_header("recipes.json", &json, now)?)
        .await?;
    upload.write(&json).await?;
    let sheet = contact_sheet::render(&recipes);
    upload
        .write(&zip.file_header("index.html", sheet.as_bytes(), now)?)
        .await?;
    upload.write(sheet.as_bytes()).await?;
    upload.write(&zip.finish()).await?;
    Ok(recipes.images.len() as u64)
}

/// Removes exports whose time ran out, ZIP first; answers how many.
pub async fn remove_expired(
    metadata: &dyn MetadataStore,
    media: &MediaStore,
    now: OffsetDateTime,
) -> anyhow::Result<usize> {
    let mut removed = 0;
    loop {
        let expired = metadata.expired_exports(now, PAGE).await?;
        if expired.is_empty() {
            return Ok(removed);
        }
        for export in &expired {
            media.delete(&export.object_key).await?;
            metadata.delete_export(export).await?;
            removed += 1;
        }
    }
}
