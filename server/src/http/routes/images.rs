//! The gallery over HTTP: list, search, read, favourite, download and delete
//! images (deleting is `gallery::delete`'s workflow).

use axum::{
    Json, Router,
    extract::{Path, Query, State},
    http::header,
    response::{IntoResponse, Response},
    routing::get,
};
use serde::{Deserialize, Serialize};
use time::{OffsetDateTime, format_description::well_known::Rfc3339};
use utoipa::{IntoParams, ToSchema};

use crate::{
    app::state::AppState,
    auth::CurrentUser,
    gallery::{self, cursor},
    generation::pipeline::StoredImage,
    http::error::{ApiError, ApiResult},
    http::{json::ApiJson, routes::no_content},
    store::media::MediaLinks,
    store::metadata::{ImageQuery, ImageRecord},
};

pub const DEFAULT_PAGE_SIZE: u32 = 24;
pub const MAX_PAGE_SIZE: u32 = 100;
/// The longest search text, in characters.
pub const SEARCH_MAX_CHARS: usize = 200;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/images", get(list_images))
        .route(
            "/images/{id}",
            get(get_image).patch(update_image).delete(delete_image),
        )
        .route("/images/{id}/download", get(download_image))
}

#[derive(Serialize, ToSchema, Debug, Clone)]
pub struct ImageTimings {
    pub inference_ms: Option<u64>,
}

/// One image as clients see it, with signed, expiring URLs.
#[derive(Serialize, ToSchema, Debug, Clone)]
pub struct ImageView {
    pub id: String,
    pub generation_id: String,
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
    pub content_type: String,
    pub bytes: u64,
    pub url: String,
    pub thumbnail_url: String,
    pub thumbnail_width: u32,
    pub thumbnail_height: u32,
    /// The image's average colour (`#rrggbb`), to paint while the thumbnail loads.
    pub placeholder: String,
    pub timings: ImageTimings,
}

/// The URL maker for one answer's images (presigning fetches credentials once).
pub async fn media_links(state: &AppState) -> ApiResult<MediaLinks> {
    let base = state.config.public_base_url.as_deref().unwrap_or("");
    Ok(state
        .media
        .links(OffsetDateTime::now_utc().unix_timestamp(), base)
        .await?)
}

/// A stored generation answer with its images as they are now: fresh signed
/// URLs, and deleted images left out. An idempotent replay may come long after
/// the first answer, whose URLs have expired by then.
pub async fn as_they_are_now(state: &AppState, user_id: &str, body: &str) -> ApiResult<String> {
    let internal = |error: serde_json::Error| ApiError::Internal(error.into());
    let mut answer: serde_json::Value = serde_json::from_str(body).map_err(internal)?;
    let Some(images) = answer
        .pointer_mut("/generation/images")
        .and_then(serde_json::Value::as_array_mut)
    else {
        return Ok(body.to_owned());
    };
    let links = media_links(state).await?;
    let mut current = Vec::with_capacity(images.len());
    for image in images.iter() {
        let Some(id) = image.get("id").and_then(serde_json::Value::as_str) else {
            continue;
        };
        if let Some(record) = state.metadata.get_image(user_id, id).await? {
            current.push(serde_json::to_value(ImageView::new(&record, &links)?).map_err(internal)?);
        }
    }
    *images = current;
    serde_json::to_string(&answer).map_err(internal)
}

impl ImageView {
    pub fn new(record: &ImageRecord, links: &MediaLinks) -> ApiResult<Self> {
        let (url, thumbnail_url) = links.urls(&record.object_key, &record.thumbnail_key)?;
        Ok(Self::with_urls(record, url, thumbnail_url))
    }

    fn with_urls(record: &ImageRecord, url: String, thumbnail_url: String) -> Self {
        Self {
            id: record.id.clone(),
            generation_id: record.generation_id.clone(),
            prompt: record.prompt.clone(),
            negative_prompt: record.negative_prompt.clone(),
            model: record.model.clone(),
            provider: record.provider.clone(),
            width: record.width,
            height: record.height,
            steps: record.steps,
            seed: record.seed,
            style: record.style.clone(),
            created_at: record.created_at.format(&Rfc3339).unwrap_or_default(),
            favorite: record.favorite,
            content_type: record.content_type.clone(),
            bytes: record.bytes,
            url,
            thumbnail_url,
            thumbnail_width: record.thumbnail_width,
            thumbnail_height: record.thumbnail_height,
            placeholder: record.placeholder.clone(),
            timings: ImageTimings {
                inference_ms: record.inference_ms,
            },
        }
    }
}

impl From<StoredImage> for ImageView {
    fn from(image: StoredImage) -> Self {
        Self::with_urls(&image.record, image.url, image.thumbnail_url)
    }
}

#[derive(Deserialize, IntoParams, Debug)]
#[into_params(parameter_in = Query)]
pub struct ListParams {
    /// 1 to 100, default 24.
    pub limit: Option<String>,
    /// Opaque; from the previous page's `next_cursor`.
    pub cursor: Option<String>,
    /// Words that must all appear (as word prefixes) in the prompt.
    pub q: Option<String>,
    /// `true` for favourites only.
    pub favorite: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct ImagePageView {
    pub items: Vec<ImageView>,
    pub next_cursor: Option<String>,
}

#[utoipa::path(get, path = "/api/images", tag = "gallery", security(("session" = []), ("clerk" = [])), params(ListParams),
    responses(
        (status = 200, description = "The caller's images, newest first", body = ImagePageView),
        (status = 400, description = "`invalid_request`: bad limit or cursor", body = crate::http::error::Problem),
        (status = 401, description = "`unauthenticated`", body = crate::http::error::Problem)))]
pub async fn list_images(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
    Query(params): Query<ListParams>,
) -> ApiResult<Json<ImagePageView>> {
    let limit = match params.limit.as_deref() {
        None => DEFAULT_PAGE_SIZE,
        Some(text) => text
            .parse::<u32>()
            .ok()
            .filter(|limit| (1..=MAX_PAGE_SIZE).contains(limit))
            .ok_or_else(|| {
                ApiError::invalid_param(
                    "limit",
                    format!("must be a whole number from 1 to {MAX_PAGE_SIZE}"),
                )
            })?,
    };
    let after = match params.cursor.as_deref() {
        None | Some("") => None,
        Some(text) => Some(cursor::decode(text, state.media.signer()).ok_or_else(|| {
            ApiError::invalid_param("cursor", "is not a cursor this server issued")
        })?),
    };
    let favorites_only = match params.favorite.as_deref() {
        None | Some("false") => false,
        Some("true") => true,
        Some(_) => return Err(ApiError::invalid_param("favorite", "must be true or false")),
    };
    if params
        .q
        .as_ref()
        .is_some_and(|q| q.chars().count() > SEARCH_MAX_CHARS)
    {
        return Err(ApiError::invalid_param(
            "q",
            format!("must be at most {SEARCH_MAX_CHARS} characters"),
        ));
    }
    let search = params.q.filter(|q| !q.trim().is_empty());
    let page = state
        .metadata
        .list_images(
            &user.id,
            &ImageQuery {
                limit,
                after,
                search,
                favorites_only,
            },
        )
        .await?;
    let links = media_links(&state).await?;
    Ok(Json(ImagePageView {
        items: page
            .items
            .iter()
            .map(|record| ImageView::new(record, &links))
            .collect::<ApiResult<_>>()?,
        next_cursor: page
            .next_after
            .map(|position| cursor::encode(&position, state.media.signer())),
    }))
}

async fn owned_image(state: &AppState, user_id: &str, image_id: &str) -> ApiResult<ImageRecord> {
    state
        .metadata
        .get_image(user_id, image_id)
        .await?
        .ok_or(ApiError::NotFound)
}

#[utoipa::path(get, path = "/api/images/{id}", tag = "gallery", security(("session" = []), ("clerk" = [])),
    params(("id" = String, Path, description = "Image id")),
    responses(
        (status = 200, description = "One image", body = ImageView),
        (status = 404, description = "`not_found`: missing or not yours", body = crate::http::error::Problem)))]
pub async fn get_image(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
    Path(id): Path<String>,
) -> ApiResult<Json<ImageView>> {
    let record = owned_image(&state, &user.id, &id).await?;
    Ok(Json(ImageView::new(&record, &media_links(&state).await?)?))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ImageUpdate {
    pub favorite: bool,
}

#[utoipa::path(patch, path = "/api/images/{id}", tag = "gallery", security(("session" = []), ("clerk" = [])), request_body = ImageUpdate,
    params(("id" = String, Path, description = "Image id")),
    responses(
        (status = 200, description = "The updated image", body = ImageView),
        (status = 404, description = "`not_found`", body = crate::http::error::Problem)))]
pub async fn update_image(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
    Path(id): Path<String>,
    ApiJson(update): ApiJson<ImageUpdate>,
) -> ApiResult<Json<ImageView>> {
    let record = state
        .metadata
        .set_favorite(&user.id, &id, update.favorite)
        .await?
        .ok_or(ApiError::NotFound)?;
    Ok(Json(ImageView::new(&record, &media_links(&state).await?)?))
}

#[utoipa::path(delete, path = "/api/images/{id}", tag = "gallery", security(("session" = []), ("clerk" = [])),
    params(("id" = String, Path, description = "Image id")),
    responses(
        (status = 204, description = "Deleted, files included"),
        (status = 404, description = "`not_found`", body = crate::http::error::Problem)))]
pub async fn delete_image(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
    Path(id): Path<String>,
) -> ApiResult<Response> {
    gallery::delete::delete_image(state.metadata.as_ref(), &state.media, &user.id, &id).await?;
    Ok(no_content())
}

#[utoipa::path(get, path = "/api/images/{id}/download", tag = "gallery", security(("session" = []), ("clerk" = [])),
    params(("id" = String, Path, description = "Image id")),
    responses(
        (status = 200, description = "The original image file, as an attachment"),
        (status = 404, description = "`not_found`", body = crate::http::error::Problem)))]
pub async fn download_image(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
    Path(id): Path<String>,
) -> ApiResult<Response> {
    let record = owned_image(&state, &user.id, &id).await?;
    let bytes = state
        .media
        .get(&record.object_key)
        .await?
        .ok_or(ApiError::NotFound)?;
    let extension = record.object_key.rsplit('.').next().unwrap_or("jpg");
    // The name is built from our own id, so it needs no escaping.
    let disposition = format!(
        "attachment; filename=\"promptcanvas-{}.{extension}\"",
        record.id
    );
    Ok((
        [
            (header::CONTENT_TYPE, record.content_type),
            (header::CONTENT_DISPOSITION, disposition),
            (header::CACHE_CONTROL, "private, no-store".to_owned()),
        ],
        bytes,
    )
        .into_response())
}
