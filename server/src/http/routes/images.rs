//! The gallery over HTTP: list, search, read, favourite, download, trash,
//! restore and delete images (deleting is `gallery::delete`'s workflow, the
//! trash's bulk work `gallery::trash`'s).

use axum::{
    Json, Router,
    extract::{Path, Query, RawQuery, State},
    http::{HeaderMap, StatusCode, header},
    response::{IntoResponse, Response},
    routing::{get, post},
};
use serde::{Deserialize, Serialize};
use time::OffsetDateTime;
use utoipa::{IntoParams, ToSchema};

use crate::{
    gallery::{self, cursor},
    generation::pipeline::StoredImage,
    http::caller::CurrentUser,
    http::error::{ApiError, ApiResult},
    http::page_cache::Page,
    http::state::AppState,
    http::{
        completion::to_completion,
        json::{ApiJson, OptionalJson},
        routes::no_content,
    },
    store::media::MediaLinks,
    store::metadata::{ImageQuery, ImageRecord, TrashOutcome, rules::TrashPosition},
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
        .route("/images/{id}/trash", post(trash_image))
        .route("/images/{id}/restore", post(restore_image))
        .route("/trash/empty", post(empty_trash))
}

#[derive(Serialize, ToSchema, Debug, Clone)]
pub struct ImageTimings {
    pub inference_ms: Option<u64>,
    /// Time the whole generation took on the server, up to recording the
    /// image; absent for images made before it was recorded.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub total_ms: Option<u64>,
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
    /// What the provider charged for the image, in US dollars (width × height
    /// / 10⁶ × the model's price per megapixel when it was made); 0 when free,
    /// absent for images made before costs were recorded.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(minimum = 0)]
    pub cost_usd: Option<f64>,
    /// RFC 3339, UTC: when the image was moved to the trash; null in the gallery.
    pub trashed_at: Option<String>,
    /// RFC 3339, UTC: when a trashed image will be deleted for good; null in the gallery.
    pub purge_at: Option<String>,
    /// The collections that hold the image.
    pub collection_ids: Vec<String>,
}

/// Turns records into what clients see, for one answer: the URL maker
/// (presigning fetches credentials once) and the trash's retention.
pub struct ImageViews {
    links: MediaLinks,
    trash_retention: time::Duration,
}

impl ImageViews {
    pub async fn of(state: &AppState) -> ApiResult<Self> {
        let base = state.config.server.public_base_url.as_deref().unwrap_or("");
        Ok(Self {
            links: state
                .media
                .links(OffsetDateTime::now_utc().unix_timestamp(), base)
                .await?,
            trash_retention: state.config.trash_retention(),
        })
    }

    pub fn view(&self, record: &ImageRecord) -> ApiResult<ImageView> {
        let (url, thumbnail_url) = self.links.urls(&record.object_key, &record.thumbnail_key)?;
        let mut view = ImageView::with_urls(record, url, thumbnail_url);
        view.purge_at = record
            .trashed_at
            .map(|at| rfc3339(at + self.trash_retention));
        Ok(view)
    }

    /// The URL of an image's thumbnail alone (a collection's cover).
    pub fn thumbnail_url(&self, record: &ImageRecord) -> ApiResult<String> {
        Ok(self
            .links
            .urls(&record.object_key, &record.thumbnail_key)?
            .1)
    }
}

/// A time as the API writes it (RFC 3339, UTC).
pub(crate) use crate::text::rfc3339;

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
    let views = ImageViews::of(state).await?;
    let mut current = Vec::with_capacity(images.len());
    for image in images.iter() {
        let Some(id) = image.get("id").and_then(serde_json::Value::as_str) else {
            continue;
        };
        if let Some(record) = state.metadata.get_image(user_id, id).await? {
            current.push(serde_json::to_value(views.view(&record)?).map_err(internal)?);
        }
    }
    *images = current;
    serde_json::to_string(&answer).map_err(internal)
}

impl ImageView {
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
            created_at: rfc3339(record.created_at),
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
                total_ms: record.total_ms,
            },
            cost_usd: record.cost_micros.map(crate::generation::cost::usd),
            trashed_at: record.trashed_at.map(rfc3339),
            purge_at: None,
            collection_ids: record.collection_ids.clone(),
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
    /// `true` for the trash (most recently trashed first) instead of the gallery.
    pub trashed: Option<String>,
    /// Only the images of this collection of yours.
    pub collection: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct ImagePageView {
    pub items: Vec<ImageView>,
    pub next_cursor: Option<String>,
}

#[utoipa::path(get, path = "/api/images", tag = "gallery", security(("session" = []), ("clerk" = [])), params(ListParams),
    responses(
        (status = 200, description = "The caller's images, newest first; with `trashed=true` the trash, most recently trashed first", body = ImagePageView),
        (status = 400, description = "`invalid_request`: bad limit or cursor", body = crate::http::error::Problem),
        (status = 401, description = "`unauthenticated`", body = crate::http::error::Problem),
        (status = 404, description = "`not_found`: no such collection of yours", body = crate::http::error::Problem)))]
pub async fn list_images(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
    Query(params): Query<ListParams>,
    RawQuery(request): RawQuery,
    headers: HeaderMap,
) -> ApiResult<Response> {
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
    let favorites_only = flag("favorite", params.favorite.as_deref())?;
    let trashed = flag("trashed", params.trashed.as_deref())?;
    let after = match params.cursor.as_deref() {
        None | Some("") => None,
        Some(text) => Some(
            cursor::decode(text, state.media.signer())
                // A cursor only goes on in the listing it came from.
                .filter(|position| TrashPosition::decode(position).is_some() == trashed)
                .ok_or_else(|| {
                    ApiError::invalid_param("cursor", "is not a cursor this server issued")
                })?,
        ),
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
    let request = request.unwrap_or_default();
    let now_unix = OffsetDateTime::now_utc().unix_timestamp();
    // The version is read before the page, so a change racing the read can
    // only leave the page kept under an older version, never a newer one.
    // Searches are not kept: the same words are seldom asked for twice, and
    // keeping them would push gallery pages out.
    let keep = match state.media.links_unchanged_until(now_unix) {
        Some(links_until) if search.is_none() => state
            .metadata
            .gallery_version(&user.id)
            .await?
            .map(|version| (version, links_until)),
        _ => None,
    };
    if let Some((version, _)) = keep
        && let Some(page) = state
            .gallery_pages
            .get(&user.id, &request, version, now_unix)
    {
        return Ok(page_answer(page, &headers));
    }
    let page = state
        .metadata
        .list_images(
            &user.id,
            &ImageQuery {
                limit,
                after,
                search,
                favorites_only,
                trashed,
                collection: params.collection.clone(),
            },
        )
        .await?;
    // Only the owner's images can be members of a collection, so a page with
    // images proves the collection is the caller's; only an empty page needs
    // asking whether the collection is theirs at all.
    if let Some(collection) = &params.collection
        && page.items.is_empty()
        && !state.metadata.owns_collection(&user.id, collection).await?
    {
        return Err(ApiError::NotFound);
    }
    let views = ImageViews::of(&state).await?;
    let body = serde_json::to_vec(&ImagePageView {
        items: page
            .items
            .iter()
            .map(|record| views.view(record))
            .collect::<ApiResult<_>>()?,
        next_cursor: page
            .next_after
            .map(|position| cursor::encode(&position, state.media.signer())),
    })
    .map_err(|error| ApiError::Internal(error.into()))?;
    let Some((version, links_until)) = keep else {
        return Ok(([(header::CONTENT_TYPE, "application/json")], body).into_response());
    };
    let tag = state.media.signer().sign(
        "gallery-page",
        format!("{}\n{request}\n{version}\n{links_until}", user.id).as_bytes(),
    );
    let page = Page {
        body: body.into(),
        etag: format!("\"{tag}\""),
    };
    state
        .gallery_pages
        .put(&user.id, &request, version, links_until, page.clone());
    Ok(page_answer(page, &headers))
}

/// A gallery page with its `ETag`: 304 without a body when the browser
/// already holds it (`If-None-Match`). Browsers may keep it but must ask
/// each time (`no-cache`), and only for this person (`private`).
fn page_answer(page: Page, headers: &HeaderMap) -> Response {
    let cache = [
        (header::ETAG, page.etag.clone()),
        (header::CACHE_CONTROL, "private, no-cache".to_owned()),
    ];
    let held = headers
        .get_all(header::IF_NONE_MATCH)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(|value| value.split(','))
        .any(|tag| {
            let tag = tag.trim();
            tag == "*" || tag.trim_start_matches("W/") == page.etag
        });
    if held {
        return (StatusCode::NOT_MODIFIED, cache).into_response();
    }
    (
        cache,
        [(header::CONTENT_TYPE, "application/json")],
        page.body,
    )
        .into_response()
}

/// A `true`/`false` query parameter; absent is false.
fn flag(name: &str, value: Option<&str>) -> ApiResult<bool> {
    match value {
        None | Some("false") => Ok(false),
        Some("true") => Ok(true),
        Some(_) => Err(ApiError::invalid_param(name, "must be true or false")),
    }
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
    Ok(Json(ImageViews::of(&state).await?.view(&record)?))
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
    Ok(Json(ImageViews::of(&state).await?.view(&record)?))
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
    to_completion(async move {
        gallery::delete::delete_image(state.metadata.as_ref(), &state.media, &user.id, &id).await
    })
    .await?;
    Ok(no_content())
}

#[derive(Deserialize, ToSchema, Default)]
#[serde(deny_unknown_fields)]
pub struct TrashRequest {
    /// Move the image even if it is a favourite.
    #[serde(default)]
    pub include_favorites: bool,
}

#[utoipa::path(post, path = "/api/images/{id}/trash", tag = "gallery", security(("session" = []), ("clerk" = [])), request_body = Option<TrashRequest>,
    params(("id" = String, Path, description = "Image id")),
    responses(
        (status = 200, description = "The image, in the trash; trashing it again changes nothing", body = ImageView),
        (status = 404, description = "`not_found`", body = crate::http::error::Problem),
        (status = 409, description = "`favorite_protected`: a favourite, and `include_favorites` was not set", body = crate::http::error::Problem)))]
pub async fn trash_image(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
    Path(id): Path<String>,
    OptionalJson(request): OptionalJson<TrashRequest>,
) -> ApiResult<Json<ImageView>> {
    let request = request.unwrap_or_default();
    let outcome = state
        .metadata
        .trash_image(
            &user.id,
            &id,
            request.include_favorites,
            OffsetDateTime::now_utc(),
        )
        .await?;
    match outcome {
        TrashOutcome::Trashed(record) => Ok(Json(ImageViews::of(&state).await?.view(&record)?)),
        TrashOutcome::FavoriteProtected => Err(ApiError::FavoriteProtected),
        TrashOutcome::NotFound => Err(ApiError::NotFound),
    }
}

#[utoipa::path(post, path = "/api/images/{id}/restore", tag = "gallery", security(("session" = []), ("clerk" = [])),
    params(("id" = String, Path, description = "Image id")),
    responses(
        (status = 200, description = "The image, back in the gallery", body = ImageView),
        (status = 404, description = "`not_found`", body = crate::http::error::Problem)))]
pub async fn restore_image(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
    Path(id): Path<String>,
) -> ApiResult<Json<ImageView>> {
    let record = state
        .metadata
        .restore_image(&user.id, &id)
        .await?
        .ok_or(ApiError::NotFound)?;
    Ok(Json(ImageViews::of(&state).await?.view(&record)?))
}

#[derive(Serialize, ToSchema)]
pub struct EmptyTrashView {
    /// How many images were deleted for good.
    pub deleted: usize,
}

#[utoipa::path(post, path = "/api/trash/empty", tag = "gallery", security(("session" = []), ("clerk" = [])),
    responses((status = 200, description = "Every trashed image deleted for good, files included", body = EmptyTrashView)))]
pub async fn empty_trash(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
) -> ApiResult<Json<EmptyTrashView>> {
    let deleted = to_completion(async move {
        gallery::trash::empty_trash(state.metadata.as_ref(), &state.media, &user.id).await
    })
    .await?;
    Ok(Json(EmptyTrashView { deleted }))
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
