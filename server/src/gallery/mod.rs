//! The gallery's workflows beyond plain reads: deleting an image safely,
//! the trash, one action over many images, collections' covers, paging
//! through a gallery with signed cursors, and sweeping the files no record
//! names.

pub(crate) mod bulk;
pub(crate) mod collections;
pub mod cursor;
pub(crate) mod delete;
pub mod sweep;
pub mod trash;
