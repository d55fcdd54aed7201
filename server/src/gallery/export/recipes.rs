//! `recipes.json`, the part of an export that says how each image was made:
//! written by an export, read back by `promptcanvas import` and
//! `promptcanvas reproduce`. Its `format` names the version, so a later
//! layout can be told apart; fields are only ever added.

use serde::{Deserialize, Serialize};
use time::{OffsetDateTime, format_description::well_known::Rfc3339};

use crate::{store::metadata::ImageRecord, text::rfc3339};

/// The `format` of this layout.
pub const FORMAT: &str = "promptcanvas.recipes/1";

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Recipes {
    pub format: String,
    /// RFC 3339, UTC.
    pub exported_at: String,
    pub images: Vec<Recipe>,
}

/// One exported image: where it is in the ZIP, its SHA-256, and its settings.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Recipe {
    pub id: String,
    /// The image's path inside the ZIP (`images/…`).
    pub file: String,
    /// Of the file's bytes, in hex.
    pub sha256: String,
    pub prompt: String,
    pub negative_prompt: Option<String>,
    pub model: String,
    pub provider: String,
    pub width: u32,
    pub height: u32,
    pub steps: u32,
    pub seed: u64,
    pub style: String,
    /// RFC 3339, UTC.
    pub created_at: String,
    pub favorite: bool,
    /// The names of the collections that held the image.
    pub collections: Vec<String>,
}

impl Recipe {
    pub fn of(image: &ImageRecord, file: String, sha256: String, collections: Vec<String>) -> Self {
        Self {
            id: image.id.clone(),
            file,
            sha256,
            prompt: image.prompt.clone(),
            negative_prompt: image.negative_prompt.clone(),
            model: image.model.clone(),
            provider: image.provider.clone(),
            width: image.width,
            height: image.height,
            steps: image.steps,
            seed: image.seed,
            style: image.style.clone(),
            created_at: rfc3339(image.created_at),
            favorite: image.favorite,
            collections,
        }
    }

    /// When the image was made, as the recipe says.
    pub fn created(&self) -> Option<OffsetDateTime> {
        OffsetDateTime::parse(&self.created_at, &Rfc3339).ok()
    }
}

/// The image's name in the ZIP: its making time first, so a folder lists
/// the images in order, in a form every file system accepts (no `:`).
pub fn file_name(image: &ImageRecord, extension: &str) -> String {
    let at = image.created_at.to_offset(time::UtcOffset::UTC);
    format!(
        "images/{:04}{:02}{:02}T{:02}{:02}{:02}Z_{}.{extension}",
        at.year(),
        u8::from(at.month()),
        at.day(),
        at.hour(),
        at.minute(),
        at.second(),
        image.id
    )
}
