//! Importing an export into this instance (`promptcanvas import`): every
//! file's SHA-256 is checked before anything is written; then each image
//! gets its original, a new thumbnail and its record — prompt, settings,
//! seed, time, favourite — and goes back into its collections (made by name
//! when missing). An image's id here is derived from the user and its id in
//! the export, so running the import again finds what is already in and
//! skips it: a run cut short is finished by running it again.

use std::{
    collections::HashMap,
    io::{Read, Seek},
};

use anyhow::{Context, bail};
use bytes::Bytes;
use sha2::{Digest, Sha256};
use time::OffsetDateTime;

use crate::{
    gallery::export::{archive::ExportArchive, recipes::Recipe},
    generation::{
        imaging,
        pipeline::{MadeWith, new_image_record},
    },
    store::media::MediaStore,
    store::metadata::{CollectionRecord, ImageRecord, MetadataStore, StoreError},
};

/// What an import did.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct ImportReport {
    pub imported: usize,
    /// Already in the gallery (from an earlier run).
    pub skipped: usize,
    /// Collections made because the user had none of that name.
    pub collections_made: usize,
}

/// Checks the export in `archive`, then imports it into the gallery of `user_id`.
pub async fn import<R>(
    metadata: &dyn MetadataStore,
    media: &MediaStore,
    user_id: &str,
    archive: &ExportArchive<R>,
    max_image_pixels: u64,
) -> anyhow::Result<ImportReport>
where
    R: Read + Seek + Send + 'static,
{
    let recipes = archive.checked_recipes().await?;
    let mut collections = CollectionsByName::load(metadata, user_id).await?;
    let mut report = ImportReport::default();
    for recipe in &recipes.images {
        let image_id = imported_id(user_id, recipe)?;
        if metadata.image_record_exists(user_id, &image_id).await? {
            report.skipped += 1;
        } else {
            let bytes = archive.read(&recipe.file).await?;
            let record = store_image(media, user_id, &image_id, recipe, bytes, max_image_pixels)
                .await
                .with_context(|| format!("importing {}", recipe.file))?;
            match metadata.insert_images(std::slice::from_ref(&record)).await {
                Ok(()) => report.imported += 1,
                Err(StoreError::StorageQuotaExceeded) => {
                    bail!(
                        "the account's storage quota is used up after {} images; raise STORAGE_QUOTA_BYTES or make room, then run the import again",
                        report.imported
                    )
                }
                Err(error) => return Err(error.into()),
            }
        }
        // Again on a second run too: the first may have stopped before this.
        for name in &recipe.collections {
            let collection_id = collections.id_of(metadata, name, &mut report).await?;
            metadata
                .add_to_collection(
                    user_id,
                    &collection_id,
                    &image_id,
                    OffsetDateTime::now_utc(),
                )
                .await?;
        }
    }
    Ok(report)
}

/// The image's id in this gallery: its making time (ids sort by time) and
/// bits of SHA-256(user, id in the export), so one export imported into
/// two accounts gives each its own ids, and a second run the same ones.
fn imported_id(user_id: &str, recipe: &Recipe) -> anyhow::Result<String> {
    let created = recipe
        .created()
        .with_context(|| format!("{}: created_at is not an RFC 3339 time", recipe.file))?;
    let digest = Sha256::digest(format!("{user_id}\n{}", recipe.id));
    let mut random = [0u8; 16];
    random[6..].copy_from_slice(&digest[..10]);
    let millis = (created.unix_timestamp_nanos() / 1_000_000).max(0) as u64;
    Ok(ulid::Ulid::from_parts(millis, u128::from_be_bytes(random)).to_string())
}

/// Stores the original and a new thumbnail; answers the record to insert.
async fn store_image(
    media: &MediaStore,
    user_id: &str,
    image_id: &str,
    recipe: &Recipe,
    bytes: Bytes,
    max_image_pixels: u64,
) -> anyhow::Result<ImageRecord> {
    let processed =
        tokio::task::spawn_blocking(move || imaging::process(bytes, max_image_pixels)).await??;
    let made_with = MadeWith {
        generation_id: image_id.to_owned(),
        prompt: recipe.prompt.clone(),
        negative_prompt: recipe.negative_prompt.clone(),
        model: recipe.model.clone(),
        provider: recipe.provider.clone(),
        steps: recipe.steps,
        seed: recipe.seed,
        style: recipe.style.clone(),
        created_at: recipe.created().unwrap_or_else(OffsetDateTime::now_utc),
    };
    let record = ImageRecord {
        favorite: recipe.favorite,
        ..new_image_record(user_id, image_id.to_owned(), &processed, made_with)
    };
    media
        .put(&record.object_key, processed.original.clone())
        .await?;
    media
        .put(&record.thumbnail_key, processed.thumbnail.clone())
        .await?;
    Ok(record)
}

/// The user's collections by name (as names compare: case-insensitively).
struct CollectionsByName {
    user_id: String,
    ids: HashMap<String, String>,
}

impl CollectionsByName {
    async fn load(metadata: &dyn MetadataStore, user_id: &str) -> anyhow::Result<Self> {
        let ids = metadata
            .list_collections(user_id)
            .await?
            .into_iter()
            .map(|collection| (collection.name.to_lowercase(), collection.id))
            .collect();
        Ok(Self {
            user_id: user_id.to_owned(),
            ids,
        })
    }

    async fn id_of(
        &mut self,
        metadata: &dyn MetadataStore,
        name: &str,
        report: &mut ImportReport,
    ) -> anyhow::Result<String> {
        if let Some(id) = self.ids.get(&name.to_lowercase()) {
            return Ok(id.clone());
        }
        let now = OffsetDateTime::now_utc();
        let collection = CollectionRecord {
            id: ulid::Ulid::new().to_string(),
            user_id: self.user_id.clone(),
            name: name.to_owned(),
            description: None,
            cover_image_id: None,
            image_count: 0,
            created_at: now,
            updated_at: now,
        };
        match metadata.create_collection(&collection).await {
            Ok(()) => report.collections_made += 1,
            // Made meanwhile (another run): use that one.
            Err(StoreError::CollectionNameTaken) => {
                *self = Self::load(metadata, &self.user_id).await?;
                return self
                    .ids
                    .get(&name.to_lowercase())
                    .cloned()
                    .context("a collection of that name exists but cannot be read");
            }
            Err(error) => return Err(error.into()),
        }
        self.ids.insert(name.to_lowercase(), collection.id.clone());
        Ok(collection.id)
    }
}
