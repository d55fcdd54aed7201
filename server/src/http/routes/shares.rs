//! Share links over HTTP: share or stop sharing an image or a collection,
//! list one's shares, and the public read of a link (`GET /api/shared/{token}`,
//! no sign-in). The server-rendered page of a link is `http::share_page`.

use axum::{
    Json, Router,
    extract::{Path, State},
    http::{HeaderMap, StatusCode, header},
    response::{IntoResponse, Response},
    routing::{get, post},
};
use serde::{Deserialize, Serialize};
use time::OffsetDateTime;
use utoipa::ToSchema;

use crate::{
    gallery::shares::{self, Shared},
    http::caller::CurrentUser,
    http::error::{ApiError, ApiResult},
    http::json::ApiJson,
    http::routes::{images::rfc3339, no_content},
    http::security::arrived_over_https,
    http::state::AppState,
    store::metadata::{
        ImageRecord, ShareKind, ShareRecord,
        rules::{from_millis, millis},
    },
};

pub fn router() -> Router<AppState> {
    Router::new()
        .route(
            "/images/{id}/share",
            post(share_image).delete(unshare_image),
        )
        .route(
            "/collections/{id}/share",
            post(share_collection).delete(unshare_collection),
        )
        .route("/shares", get(list_shares))
        .route("/shared/{token}", get(read_shared))
}

#[derive(Serialize, ToSchema, Debug, Clone)]
pub struct ShareView {
    /// The link's token: the share's id and the server's signature of it.
    pub token: String,
    /// The link's page, `/s/{token}`, absolute.
    pub url: String,
    pub show_prompt: bool,
    /// RFC 3339, UTC.
    pub created_at: String,
    /// `image` or `collection`.
    pub kind: String,
    /// The shared image's or collection's id.
    pub target_id: String,
}

#[derive(Serialize, ToSchema)]
pub struct ShareEnvelope {
    pub share: ShareView,
}

#[derive(Serialize, ToSchema)]
pub struct ShareList {
    /// Newest first.
    pub items: Vec<ShareView>,
}

#[derive(Deserialize, ToSchema, Debug, Default)]
#[serde(deny_unknown_fields)]
pub struct ShareRequest {
    /// Whether the page shows the prompt (and uses it as its description);
    /// false when left out. Sharing again changes it.
    #[serde(default)]
    pub show_prompt: bool,
}

/// One image as a link shows it: nothing about its owner or their other images.
#[derive(Serialize, ToSchema, Debug)]
pub struct PublicImage {
    pub width: u32,
    pub height: u32,
    pub url: String,
    pub thumbnail_url: String,
    /// The average colour (`#rrggbb`), to paint while the thumbnail loads.
    pub placeholder: String,
    /// Only when the owner chose to show prompts.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub prompt: Option<String>,
    pub model: String,
    /// RFC 3339, UTC.
    pub created_at: String,
}

#[derive(Serialize, ToSchema, Debug)]
pub struct SharedView {
    /// `image` or `collection`.
    pub kind: String,
    /// The collection's name, or the image's prompt when shown; null otherwise.
    pub title: Option<String>,
    /// Newest first (a collection shows its newest 100).
    pub images: Vec<PublicImage>,
}

/// Where this server is reached: `PUBLIC_BASE_URL`, else the request's own
/// host, for links that must be absolute (a copied link, a preview's image).
pub fn origin(state: &AppState, headers: &HeaderMap) -> String {
    if let Some(base) = &state.config.server.public_base_url {
        return base.trim_end_matches('/').to_owned();
    }
    let host = headers
        .get(header::HOST)
        .and_then(|value| value.to_str().ok())
        .filter(|host| !host.is_empty() && host.bytes().all(|byte| byte.is_ascii_graphic()))
        .unwrap_or("localhost");
    let scheme = if arrived_over_https(headers, &state.config) {
        "https"
    } else {
        "http"
    };
    format!("{scheme}://{host}")
}

fn view(state: &AppState, headers: &HeaderMap, share: &ShareRecord) -> ShareView {
    let token = shares::token(state.media.signer(), &share.id);
    ShareView {
        url: format!("{}/s/{token}", origin(state, headers)),
        token,
        show_prompt: share.show_prompt,
        created_at: rfc3339(share.created_at),
        kind: share.kind.name().to_owned(),
        target_id: share.target_id.clone(),
    }
}

/// Shares one of the caller's images or collections, once it is known to be theirs.
async fn put(
    state: &AppState,
    headers: &HeaderMap,
    user_id: &str,
    kind: ShareKind,
    target_id: &str,
    request: ShareRequest,
) -> ApiResult<Response> {
    let share = ShareRecord {
        id: ulid::Ulid::new().to_string(),
        user_id: user_id.to_owned(),
        kind,
        target_id: target_id.to_owned(),
        show_prompt: request.show_prompt,
        // Stores keep milliseconds: answer with the time a later read gives.
        created_at: from_millis(millis(OffsetDateTime::now_utc())),
    };
    let (share, made) = state.metadata.put_share(&share).await?;
    let status = if made {
        StatusCode::CREATED
    } else {
        StatusCode::OK
    };
    let envelope = ShareEnvelope {
        share: view(state, headers, &share),
    };
    Ok((status, Json(envelope)).into_response())
}

async fn remove(
    state: &AppState,
    user_id: &str,
    kind: ShareKind,
    target_id: &str,
) -> ApiResult<Response> {
    if !state
        .metadata
        .delete_share(user_id, kind, target_id)
        .await?
    {
        return Err(ApiError::NotFound);
    }
    Ok(no_content())
}

#[utoipa::path(post, path = "/api/images/{id}/share", tag = "sharing", security(("session" = []), ("clerk" = [])), request_body = ShareRequest,
    params(("id" = String, Path, description = "Image id")),
    responses(
        (status = 201, description = "Shared now", body = ShareEnvelope),
        (status = 200, description = "Already shared: that link, with `show_prompt` as asked", body = ShareEnvelope),
        (status = 404, description = "`not_found`: missing, not yours, or in the trash", body = crate::http::error::Problem)))]
pub async fn share_image(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
    Path(id): Path<String>,
    headers: HeaderMap,
    ApiJson(request): ApiJson<ShareRequest>,
) -> ApiResult<Response> {
    state
        .metadata
        .get_image(&user.id, &id)
        .await?
        .filter(|image| image.trashed_at.is_none())
        .ok_or(ApiError::NotFound)?;
    put(&state, &headers, &user.id, ShareKind::Image, &id, request).await
}

#[utoipa::path(delete, path = "/api/images/{id}/share", tag = "sharing", security(("session" = []), ("clerk" = [])),
    params(("id" = String, Path, description = "Image id")),
    responses(
        (status = 204, description = "Not shared any more: the link stops working at once"),
        (status = 404, description = "`not_found`: not shared, missing or not yours", body = crate::http::error::Problem)))]
pub async fn unshare_image(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
    Path(id): Path<String>,
) -> ApiResult<Response> {
    remove(&state, &user.id, ShareKind::Image, &id).await
}

#[utoipa::path(post, path = "/api/collections/{id}/share", tag = "sharing", security(("session" = []), ("clerk" = [])), request_body = ShareRequest,
    params(("id" = String, Path, description = "Collection id")),
    responses(
        (status = 201, description = "Shared now", body = ShareEnvelope),
        (status = 200, description = "Already shared: that link, with `show_prompt` as asked", body = ShareEnvelope),
        (status = 404, description = "`not_found`: missing or not yours", body = crate::http::error::Problem)))]
pub async fn share_collection(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
    Path(id): Path<String>,
    headers: HeaderMap,
    ApiJson(request): ApiJson<ShareRequest>,
) -> ApiResult<Response> {
    if !state.metadata.owns_collection(&user.id, &id).await? {
        return Err(ApiError::NotFound);
    }
    put(
        &state,
        &headers,
        &user.id,
        ShareKind::Collection,
        &id,
        request,
    )
    .await
}

#[utoipa::path(delete, path = "/api/collections/{id}/share", tag = "sharing", security(("session" = []), ("clerk" = [])),
    params(("id" = String, Path, description = "Collection id")),
    responses(
        (status = 204, description = "Not shared any more: the link stops working at once"),
        (status = 404, description = "`not_found`: not shared, missing or not yours", body = crate::http::error::Problem)))]
pub async fn unshare_collection(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
    Path(id): Path<String>,
) -> ApiResult<Response> {
    remove(&state, &user.id, ShareKind::Collection, &id).await
}

#[utoipa::path(get, path = "/api/shares", tag = "sharing", security(("session" = []), ("clerk" = [])),
    responses((status = 200, description = "Your share links, newest first (also of images since trashed or deleted, until unshared)", body = ShareList)))]
pub async fn list_shares(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
    headers: HeaderMap,
) -> ApiResult<Json<ShareList>> {
    let shares = state.metadata.list_shares(&user.id).await?;
    Ok(Json(ShareList {
        items: shares
            .iter()
            .map(|share| view(&state, &headers, share))
            .collect(),
    }))
}

/// The share of a genuine, standing link; 404 otherwise.
pub async fn share_of_token(state: &AppState, token: &str) -> ApiResult<ShareRecord> {
    let id = shares::share_id(state.media.signer(), token).ok_or(ApiError::NotFound)?;
    state
        .metadata
        .share_by_id(id)
        .await?
        .ok_or(ApiError::NotFound)
}

/// What a genuine, standing link shows now; 404 otherwise.
pub async fn resolve(state: &AppState, token: &str) -> ApiResult<Shared> {
    let share = share_of_token(state, token).await?;
    shares::shared(state.metadata.as_ref(), share)
        .await?
        .ok_or(ApiError::NotFound)
}

/// The images of a link, each served through the link itself (see
/// `http::share_page`): absolute URLs that name no stored file.
pub fn public_images(state: &AppState, headers: &HeaderMap, shared: &Shared) -> Vec<PublicImage> {
    let signer = state.media.signer();
    let link = format!(
        "{}/s/{}",
        origin(state, headers),
        shares::token(signer, &shared.share.id)
    );
    shared
        .images
        .iter()
        .map(|image: &ImageRecord| {
            let url = format!(
                "{link}/i/{}",
                shares::public_image_id(signer, &shared.share.id, &image.id)
            );
            PublicImage {
                width: image.width,
                height: image.height,
                thumbnail_url: format!("{url}/thumbnail"),
                url,
                placeholder: image.placeholder.clone(),
                prompt: shared.share.show_prompt.then(|| image.prompt.clone()),
                model: image.model.clone(),
                created_at: rfc3339(image.created_at),
            }
        })
        .collect()
}

#[utoipa::path(get, path = "/api/shared/{token}", tag = "sharing",
    params(("token" = String, Path, description = "The link's token")),
    responses(
        (status = 200, description = "What the link shows; no sign-in", body = SharedView),
        (status = 404, description = "`not_found`: unknown or revoked link, or its image trashed or deleted", body = crate::http::error::Problem)))]
pub async fn read_shared(
    State(state): State<AppState>,
    Path(token): Path<String>,
    headers: HeaderMap,
) -> ApiResult<Json<SharedView>> {
    let shared = resolve(&state, &token).await?;
    Ok(Json(SharedView {
        kind: shared.share.kind.name().to_owned(),
        title: shared.title.clone(),
        images: public_images(&state, &headers, &shared),
    }))
}
