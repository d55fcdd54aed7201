//! One action over many of a person's images: each id is done on its own,
//! by the same store operation a single request uses, so each succeeds or
//! fails alone and repeating the whole request is harmless.

use futures::{StreamExt, stream};
use time::OffsetDateTime;

use crate::{
    gallery::{GalleryError, GalleryResult},
    store::media::MediaStore,
    store::metadata::{Membership, MetadataStore, TrashOutcome},
};

use super::delete::delete_image;

/// Most ids one request may name.
pub const MAX_IDS: usize = 100;
/// Ids worked on at once: their store round trips overlap, and a delete's
/// file removals with them.
const CONCURRENCY: usize = 8;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Action {
    Favorite,
    Unfavorite,
    Trash { include_favorites: bool },
    Restore,
    Delete,
    AddToCollection(String),
    RemoveFromCollection(String),
}

/// Why one id was not done.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Failure {
    NotFound,
    FavoriteProtected,
    /// The store failed for this id; the rest went on. Repeating is safe.
    Internal,
}

/// Each distinct id in the order given, with what happened to it.
pub async fn apply(
    metadata: &dyn MetadataStore,
    media: &MediaStore,
    user_id: &str,
    action: &Action,
    ids: &[String],
) -> GalleryResult<Vec<(String, Result<(), Failure>)>> {
    let mut distinct: Vec<String> = Vec::with_capacity(ids.len());
    for id in ids {
        if !distinct.contains(id) {
            distinct.push(id.clone());
        }
    }
    let now = OffsetDateTime::now_utc();
    let outcomes: Vec<(String, GalleryResult<Result<(), Failure>>)> = stream::iter(distinct)
        .map(|id| async move {
            let outcome = one(metadata, media, user_id, action, &id, now).await;
            (id, outcome)
        })
        .buffered(CONCURRENCY)
        .collect()
        .await;
    if let Some((_, Err(_))) = outcomes.first()
        && outcomes.iter().all(|(_, outcome)| outcome.is_err())
    {
        // Nothing could be done at all: answer as any failed request does.
        let (_, first) = outcomes.into_iter().next().expect("not empty");
        return Err(first.expect_err("every outcome is an error"));
    }
    Ok(outcomes
        .into_iter()
        .map(|(id, outcome)| {
            let outcome = outcome.unwrap_or_else(|error| {
                tracing::error!(error = %error, "one image of a bulk action failed");
                Err(Failure::Internal)
            });
            (id, outcome)
        })
        .collect())
}

async fn one(
    metadata: &dyn MetadataStore,
    media: &MediaStore,
    user_id: &str,
    action: &Action,
    id: &str,
    now: OffsetDateTime,
) -> GalleryResult<Result<(), Failure>> {
    let found = |found: bool| {
        if found {
            Ok(())
        } else {
            Err(Failure::NotFound)
        }
    };
    Ok(match action {
        Action::Favorite | Action::Unfavorite => {
            let favorite = *action == Action::Favorite;
            found(
                metadata
                    .set_favorite(user_id, id, favorite)
                    .await?
                    .is_some(),
            )
        }
        Action::Trash { include_favorites } => {
            match metadata
                .trash_image(user_id, id, *include_favorites, now)
                .await?
            {
                TrashOutcome::Trashed(_) => Ok(()),
                TrashOutcome::FavoriteProtected => Err(Failure::FavoriteProtected),
                TrashOutcome::NotFound => Err(Failure::NotFound),
            }
        }
        Action::Restore => found(metadata.restore_image(user_id, id).await?.is_some()),
        Action::Delete => match delete_image(metadata, media, user_id, id).await {
            Ok(()) => Ok(()),
            Err(GalleryError::NotFound) => Err(Failure::NotFound),
            Err(error) => return Err(error),
        },
        Action::AddToCollection(collection_id) => membership(
            metadata
                .add_to_collection(user_id, collection_id, id, now)
                .await?,
        ),
        Action::RemoveFromCollection(collection_id) => membership(
            metadata
                .remove_from_collection(user_id, collection_id, id, now)
                .await?,
        ),
    })
}

/// A membership change's outcome for one id. A collection deleted while the
/// request runs fails the ids it reaches as not found.
fn membership(outcome: Membership) -> Result<(), Failure> {
    match outcome {
        Membership::Done => Ok(()),
        Membership::ImageNotFound | Membership::CollectionNotFound => Err(Failure::NotFound),
    }
}
