//! Collections over HTTP: create, list, read, rename, describe, choose a
//! cover and delete. Membership changes go through the bulk actions; a
//! collection's images are `GET /api/images?collection=…`.

use axum::{
    Json, Router,
    extract::{Path, State},
    http::StatusCode,
    response::{IntoResponse, Response},
    routing::get,
};
use serde::{Deserialize, Deserializer, Serialize};
use time::OffsetDateTime;
use utoipa::ToSchema;

use crate::{
    gallery::collections::{cover, with_covers},
    http::caller::CurrentUser,
    http::error::{ApiError, ApiResult, FieldError},
    http::json::ApiJson,
    http::routes::{
        images::{ImageViews, rfc3339},
        no_content,
    },
    http::state::AppState,
    store::metadata::{
        CollectionChanges, CollectionRecord, ImageRecord, ShareKind,
        rules::{from_millis, millis},
    },
    text::{CONTROL, FORBIDDEN_IN_PROMPTS, is_in},
};

/// The longest collection name, in characters.
pub const NAME_MAX_CHARS: usize = 80;
/// The longest collection description, in characters.
pub const DESCRIPTION_MAX_CHARS: usize = 500;

pub fn router() -> Router<AppState> {
    Router::new()
        .route(
            "/collections",
            get(list_collections).post(create_collection),
        )
        .route(
            "/collections/{id}",
            get(get_collection)
                .patch(update_collection)
                .delete(delete_collection),
        )
}

/// The image a collection shows on its card.
#[derive(Serialize, ToSchema, Debug, Clone)]
pub struct CoverView {
    pub image_id: String,
    pub thumbnail_url: String,
    /// The image's average colour (`#rrggbb`), to paint while the thumbnail loads.
    pub placeholder: String,
}

#[derive(Serialize, ToSchema, Debug, Clone)]
pub struct CollectionView {
    pub id: String,
    pub name: String,
    pub description: Option<String>,
    /// The collection's images that are not in the trash.
    pub image_count: u64,
    /// The chosen cover while it is in the collection and not in the trash,
    /// else the newest image; null when the collection is empty.
    pub cover: Option<CoverView>,
    /// The cover the owner chose, if any.
    pub cover_image_id: Option<String>,
    /// RFC 3339, UTC.
    pub created_at: String,
    /// RFC 3339, UTC: the last rename, description, cover or membership change.
    pub updated_at: String,
}

#[derive(Serialize, ToSchema)]
pub struct CollectionList {
    /// Most recently changed first.
    pub items: Vec<CollectionView>,
}

#[derive(Deserialize, ToSchema, Debug)]
#[serde(deny_unknown_fields)]
pub struct NewCollectionRequest {
    /// 1 to 80 characters, not only space, no control characters; stored trimmed.
    pub name: String,
    /// Up to 500 characters; stored trimmed, and empty means none.
    #[serde(default)]
    pub description: Option<String>,
}

#[derive(Deserialize, ToSchema, Debug, Default)]
#[serde(deny_unknown_fields)]
pub struct CollectionUpdate {
    /// A new name (rules as when creating).
    #[serde(default)]
    pub name: Option<String>,
    /// A new description; null or empty removes it.
    #[serde(default, deserialize_with = "present")]
    #[schema(value_type = Option<String>)]
    pub description: Option<Option<String>>,
    /// An image of this collection (not in the trash) to show as its cover;
    /// null goes back to the newest image.
    #[serde(default, deserialize_with = "present")]
    #[schema(value_type = Option<String>)]
    pub cover_image_id: Option<Option<String>>,
}

/// Tells a field sent as `null` (`Some(None)`) from one left out (`None`).
fn present<'de, D, T>(deserializer: D) -> Result<Option<Option<T>>, D::Error>
where
    D: Deserializer<'de>,
    T: Deserialize<'de>,
{
    Option::<T>::deserialize(deserializer).map(Some)
}

fn view(
    views: &ImageViews,
    collection: &CollectionRecord,
    cover: Option<&ImageRecord>,
) -> ApiResult<CollectionView> {
    Ok(CollectionView {
        id: collection.id.clone(),
        name: collection.name.clone(),
        description: collection.description.clone(),
        image_count: collection.image_count,
        cover: cover
            .map(|image| {
                Ok::<_, ApiError>(CoverView {
                    image_id: image.id.clone(),
                    thumbnail_url: views.thumbnail_url(image)?,
                    placeholder: image.placeholder.clone(),
                })
            })
            .transpose()?,
        cover_image_id: collection.cover_image_id.clone(),
        created_at: rfc3339(collection.created_at),
        updated_at: rfc3339(collection.updated_at),
    })
}

/// One collection as clients see it, its cover worked out now.
async fn answer(state: &AppState, collection: &CollectionRecord) -> ApiResult<CollectionView> {
    let cover = cover(state.metadata.as_ref(), collection).await?;
    view(&ImageViews::of(state).await?, collection, cover.as_ref())
}

/// A name as stored (of a collection or an API key), or why it cannot be one.
pub(crate) fn valid_name(name: &str, errors: &mut Vec<FieldError>) -> String {
    let chars = name.chars().count();
    if !(1..=NAME_MAX_CHARS).contains(&chars)
        || name.trim().is_empty()
        || name.chars().any(|c| is_in(CONTROL, c))
    {
        errors.push(FieldError::new(
            "name",
            format!(
                "must be 1 to {NAME_MAX_CHARS} characters, not only space, without control characters"
            ),
        ));
    }
    name.trim().to_owned()
}

/// The description as stored (`None` when empty), or why it cannot be one.
fn valid_description(description: &str, errors: &mut Vec<FieldError>) -> Option<String> {
    if description.chars().count() > DESCRIPTION_MAX_CHARS
        || description.chars().any(|c| is_in(FORBIDDEN_IN_PROMPTS, c))
    {
        errors.push(FieldError::new(
            "description",
            format!(
                "must be at most {DESCRIPTION_MAX_CHARS} characters, without control characters other than tab and newline"
            ),
        ));
    }
    Some(description.trim().to_owned()).filter(|text| !text.is_empty())
}

async fn owned_collection(
    state: &AppState,
    user_id: &str,
    collection_id: &str,
) -> ApiResult<CollectionRecord> {
    state
        .metadata
        .get_collection(user_id, collection_id)
        .await?
        .ok_or(ApiError::NotFound)
}

#[utoipa::path(get, path = "/api/collections", tag = "collections", security(("session" = []), ("clerk" = [])),
    responses(
        (status = 200, description = "Your collections, most recently changed first", body = CollectionList),
        (status = 401, description = "`unauthenticated`", body = crate::http::error::Problem)))]
pub async fn list_collections(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
) -> ApiResult<Json<CollectionList>> {
    let collections = state.metadata.list_collections(&user.id).await?;
    let covered = with_covers(state.metadata.as_ref(), collections).await?;
    let views = ImageViews::of(&state).await?;
    Ok(Json(CollectionList {
        items: covered
            .iter()
            .map(|(collection, cover)| view(&views, collection, cover.as_ref()))
            .collect::<ApiResult<_>>()?,
    }))
}

#[utoipa::path(post, path = "/api/collections", tag = "collections", security(("session" = []), ("clerk" = [])), request_body = NewCollectionRequest,
    responses(
        (status = 201, description = "The new, empty collection", body = CollectionView),
        (status = 409, description = "`name_taken`: you have a collection of that name (case-insensitive)", body = crate::http::error::Problem),
        (status = 422, description = "`invalid_request`: bad name or description", body = crate::http::error::Problem)))]
pub async fn create_collection(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
    ApiJson(request): ApiJson<NewCollectionRequest>,
) -> ApiResult<Response> {
    let mut errors = Vec::new();
    let name = valid_name(&request.name, &mut errors);
    let description = request
        .description
        .as_deref()
        .and_then(|text| valid_description(text, &mut errors));
    if !errors.is_empty() {
        return Err(ApiError::Validation(errors));
    }
    // Stores keep milliseconds: answer with the time a later read gives.
    let now = from_millis(millis(OffsetDateTime::now_utc()));
    let collection = CollectionRecord {
        id: ulid::Ulid::new().to_string(),
        user_id: user.id.clone(),
        name,
        description,
        cover_image_id: None,
        image_count: 0,
        created_at: now,
        updated_at: now,
    };
    state.metadata.create_collection(&collection).await?;
    let view = view(&ImageViews::of(&state).await?, &collection, None)?;
    Ok((StatusCode::CREATED, Json(view)).into_response())
}

#[utoipa::path(get, path = "/api/collections/{id}", tag = "collections", security(("session" = []), ("clerk" = [])),
    params(("id" = String, Path, description = "Collection id")),
    responses(
        (status = 200, description = "One collection", body = CollectionView),
        (status = 404, description = "`not_found`: missing or not yours", body = crate::http::error::Problem)))]
pub async fn get_collection(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
    Path(id): Path<String>,
) -> ApiResult<Json<CollectionView>> {
    let collection = owned_collection(&state, &user.id, &id).await?;
    Ok(Json(answer(&state, &collection).await?))
}

#[utoipa::path(patch, path = "/api/collections/{id}", tag = "collections", security(("session" = []), ("clerk" = [])), request_body = CollectionUpdate,
    params(("id" = String, Path, description = "Collection id")),
    responses(
        (status = 200, description = "The collection as changed", body = CollectionView),
        (status = 404, description = "`not_found`", body = crate::http::error::Problem),
        (status = 409, description = "`name_taken`; `cover_not_in_collection`: the cover is not an image of this collection, or is in the trash", body = crate::http::error::Problem),
        (status = 422, description = "`invalid_request`: bad name or description", body = crate::http::error::Problem)))]
pub async fn update_collection(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
    Path(id): Path<String>,
    ApiJson(update): ApiJson<CollectionUpdate>,
) -> ApiResult<Json<CollectionView>> {
    let mut errors = Vec::new();
    let changes = CollectionChanges {
        name: update
            .name
            .as_deref()
            .map(|name| valid_name(name, &mut errors)),
        description: update.description.as_ref().map(|description| {
            description
                .as_deref()
                .and_then(|text| valid_description(text, &mut errors))
        }),
        cover_image_id: update.cover_image_id.clone(),
    };
    if !errors.is_empty() {
        return Err(ApiError::Validation(errors));
    }
    if let Some(Some(cover)) = &changes.cover_image_id {
        let collection = owned_collection(&state, &user.id, &id).await?;
        let usable = state
            .metadata
            .get_image(&user.id, cover)
            .await?
            .is_some_and(|image| {
                image.trashed_at.is_none() && image.collection_ids.contains(&collection.id)
            });
        if !usable {
            // Well-formed, but not what the collection holds now.
            return Err(ApiError::CoverNotInCollection);
        }
    }
    let collection = if changes == CollectionChanges::default() {
        owned_collection(&state, &user.id, &id).await?
    } else {
        state
            .metadata
            .update_collection(&user.id, &id, &changes, OffsetDateTime::now_utc())
            .await?
            .ok_or(ApiError::NotFound)?
    };
    Ok(Json(answer(&state, &collection).await?))
}

#[utoipa::path(delete, path = "/api/collections/{id}", tag = "collections", security(("session" = []), ("clerk" = [])),
    params(("id" = String, Path, description = "Collection id")),
    responses(
        (status = 204, description = "Deleted; its images stay in the gallery"),
        (status = 404, description = "`not_found`", body = crate::http::error::Problem)))]
pub async fn delete_collection(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
    Path(id): Path<String>,
) -> ApiResult<Response> {
    if !state.metadata.delete_collection(&user.id, &id).await? {
        return Err(ApiError::NotFound);
    }
    // Its link already answers 404 (it shows a collection that is gone): a
    // failure here only leaves the owner's list one entry too long.
    if let Err(error) = state
        .metadata
        .delete_share(&user.id, ShareKind::Collection, &id)
        .await
    {
        tracing::warn!(
            error = format!("{error:#}"),
            "removing a deleted collection's share link"
        );
    }
    Ok(no_content())
}
