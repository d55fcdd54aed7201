//! The gallery's workflows beyond plain reads: deleting an image safely,
//! the trash, one action over many images, collections' covers, share
//! links, exports and importing them, paging through a gallery with signed
//! cursors, and sweeping the files no record names.

pub(crate) mod bulk;
pub(crate) mod collections;
pub mod cursor;
pub(crate) mod delete;
pub mod export;
pub mod import;
pub mod shares;
pub mod sweep;
pub mod trash;

use crate::store::metadata::StoreError;

/// Why a gallery workflow stopped.
#[derive(Debug, thiserror::Error)]
pub enum GalleryError {
    /// The user has no such image.
    #[error("no such image")]
    NotFound,
    #[error(transparent)]
    Store(#[from] StoreError),
    /// Removing or listing files failed.
    #[error(transparent)]
    Files(#[from] anyhow::Error),
}

pub type GalleryResult<T> = Result<T, GalleryError>;
