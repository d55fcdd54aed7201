//! Exports over HTTP: make a ZIP of a selection (answered once it is
//! stored), list the ones still downloadable, and download one by its
//! signed link — the signature and expiry are the whole permission, so the
//! link works in a new tab or a download manager. Local ZIPs are streamed
//! by the API; a bucket's are fetched straight from the bucket.

use axum::{
    Json, Router,
    body::Body,
    extract::{Path, Query, State},
    http::{HeaderMap, StatusCode, header},
    response::{IntoResponse, Redirect, Response},
    routing::get,
};
use futures::TryStreamExt;
use serde::{Deserialize, Serialize};
use time::{Duration, OffsetDateTime};
use utoipa::{IntoParams, ToSchema};

use crate::{
    gallery::export::{self, ExportError, Selection},
    http::caller::CurrentUser,
    http::completion::to_completion,
    http::error::{ApiError, ApiResult, FieldError},
    http::json::ApiJson,
    http::routes::{images::rfc3339, shares::origin},
    http::state::AppState,
    store::metadata::{Admission, ExportRecord},
};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/exports", get(list_exports).post(create_export))
        .route("/exports/{id}/zip", get(download_export))
}

/// Exports one user may start per minute: each reads every selected image.
const EXPORTS_PER_MINUTE: u32 = 5;
/// How long the bucket link a download is sent to works: long enough to
/// start, short enough that temporary credentials outlive it.
const DIRECT_LINK_SECS: i64 = 15 * 60;

#[derive(Serialize, ToSchema, Debug, Clone)]
pub struct Export {
    pub id: String,
    /// Images in the ZIP (one deleted while the ZIP was written is left out).
    pub image_count: u64,
    /// The ZIP's size.
    pub bytes: u64,
    /// The ZIP, signed: works without signing in until `expires_at`.
    pub url: String,
    /// RFC 3339, UTC.
    pub created_at: String,
    /// RFC 3339, UTC; the sweep removes the ZIP after this.
    pub expires_at: String,
}

#[derive(Serialize, ToSchema)]
pub struct ExportCreated {
    pub export: Export,
}

#[derive(Serialize, ToSchema)]
pub struct ExportList {
    /// The exports whose link still works, newest first.
    pub items: Vec<Export>,
}

/// At most one of the fields; none (`{}`) exports every image not in the
/// trash, as does a field sent as `null` (or `favorites: false`).
#[derive(Deserialize, ToSchema, Debug, Default)]
#[serde(deny_unknown_fields)]
#[schema(max_properties = 1)]
pub struct ExportRequest {
    /// These images, none of them in the trash.
    #[serde(default, deserialize_with = "sent")]
    #[schema(value_type = Option<Vec<String>>, min_items = 1, max_items = 100000)]
    pub ids: Option<Option<Vec<String>>>,
    /// The images of this collection that are not in the trash.
    #[serde(default, deserialize_with = "sent")]
    #[schema(value_type = Option<String>)]
    pub collection_id: Option<Option<String>>,
    /// `true`: every favourite not in the trash.
    #[serde(default, deserialize_with = "sent")]
    #[schema(value_type = Option<bool>)]
    pub favorites: Option<Option<bool>>,
}

/// A field that was sent, `null` included (`None`: left out), so a body
/// naming two selections is refused even when one of them is `null`.
fn sent<'de, D, T>(deserializer: D) -> Result<Option<Option<T>>, D::Error>
where
    D: serde::Deserializer<'de>,
    T: Deserialize<'de>,
{
    Option::<T>::deserialize(deserializer).map(Some)
}

#[derive(Deserialize, IntoParams)]
pub struct DownloadSignature {
    /// The owner's id.
    owner: Option<String>,
    /// Unix seconds: the link's expiry.
    exp: Option<String>,
    sig: Option<String>,
}

fn signed_message(owner: &str, export_id: &str, expires: i64) -> Vec<u8> {
    format!("{owner}\n{export_id}\n{expires}").into_bytes()
}

fn view(state: &AppState, headers: &HeaderMap, export: &ExportRecord) -> Export {
    let expires = export.expires_at.unix_timestamp();
    let signature = state.media.signer().sign(
        "export",
        &signed_message(&export.user_id, &export.id, expires),
    );
    Export {
        url: format!(
            "{}/api/exports/{}/zip?owner={}&exp={expires}&sig={signature}",
            origin(state, headers),
            export.id,
            export.user_id
        ),
        id: export.id.clone(),
        image_count: export.image_count,
        bytes: export.bytes,
        created_at: rfc3339(export.created_at),
        expires_at: rfc3339(export.expires_at),
    }
}

impl From<ExportError> for ApiError {
    fn from(error: ExportError) -> Self {
        match error {
            ExportError::NotFound => Self::NotFound,
            ExportError::TooManyImages(max) => Self::TooManyImages(max),
            ExportError::NothingToExport => Self::NothingToExport,
            ExportError::Store(error) => error.into(),
            ExportError::Files(error) => Self::Internal(error),
        }
    }
}

fn selection(request: ExportRequest, max: u32) -> ApiResult<Selection> {
    let sent = usize::from(request.ids.is_some())
        + usize::from(request.collection_id.is_some())
        + usize::from(request.favorites.is_some());
    if sent > 1 {
        return Err(ApiError::Validation(vec![FieldError::new(
            "ids",
            "give one of ids, collection_id and favorites, or none for every image",
        )]));
    }
    let favorites = request.favorites.flatten() == Some(true);
    Ok(
        match (request.ids.flatten(), request.collection_id.flatten()) {
            (Some(ids), _) if ids.is_empty() => {
                return Err(ApiError::Validation(vec![FieldError::new(
                    "ids",
                    "name at least one image",
                )]));
            }
            (Some(ids), _) if ids.len() > max as usize => return Err(ApiError::TooManyImages(max)),
            (Some(ids), _) => Selection::Images(ids),
            (None, Some(collection_id)) => Selection::Collection(collection_id),
            (None, None) if favorites => Selection::Favorites,
            (None, None) => Selection::Everything,
        },
    )
}

#[utoipa::path(post, path = "/api/exports", tag = "exports", security(("session" = []), ("clerk" = [])), request_body = ExportRequest,
    responses(
        (status = 201, description = "The ZIP is stored: its signed link and size", body = ExportCreated),
        (status = 404, description = "`not_found`: an image or the collection is not yours, or the image is in the trash", body = crate::http::error::Problem),
        (status = 422, description = "`invalid_request`: more than one selection; `too_many_images`: more than EXPORT_MAX_IMAGES; `nothing_to_export`: the selection holds no image", body = crate::http::error::Problem),
        (status = 429, description = "`rate_limited`: 5 exports a minute", body = crate::http::error::Problem)))]
pub async fn create_export(
    State(state): State<AppState>,
    headers: HeaderMap,
    CurrentUser(user): CurrentUser,
    ApiJson(request): ApiJson<ExportRequest>,
) -> ApiResult<Response> {
    let max = state.config.limits.export_max_images;
    let selection = selection(request, max)?;
    let now = OffsetDateTime::now_utc();
    let unix = now.unix_timestamp();
    let admission = state
        .metadata
        .hit_rate_limit(
            &format!("exports:{}", user.id),
            unix - unix.rem_euclid(60),
            60,
            EXPORTS_PER_MINUTE,
            unix,
        )
        .await?;
    if let Admission::Refused { retry_after_secs } = admission {
        return Err(ApiError::RateLimited {
            retry_after: std::time::Duration::from_secs(retry_after_secs),
        });
    }
    let expires_at = now + Duration::hours(i64::from(state.config.limits.export_ttl_hours));
    // Finished even if the client gives up waiting: the ZIP is then listed.
    let worker = state.clone();
    let record = to_completion(async move {
        let images = export::select(worker.metadata.as_ref(), &user.id, &selection, max).await?;
        export::build(
            worker.metadata.as_ref(),
            &worker.media,
            &user.id,
            &images,
            now,
            expires_at,
        )
        .await
    })
    .await?;
    let export = view(&state, &headers, &record);
    Ok((StatusCode::CREATED, Json(ExportCreated { export })).into_response())
}

#[utoipa::path(get, path = "/api/exports", tag = "exports", security(("session" = []), ("clerk" = [])),
    responses((status = 200, description = "Your exports that can still be downloaded, newest first", body = ExportList)))]
pub async fn list_exports(
    State(state): State<AppState>,
    headers: HeaderMap,
    CurrentUser(user): CurrentUser,
) -> ApiResult<Json<ExportList>> {
    let exports = state
        .metadata
        .list_exports(&user.id, OffsetDateTime::now_utc())
        .await?;
    Ok(Json(ExportList {
        items: exports
            .iter()
            .map(|export| view(&state, &headers, export))
            .collect(),
    }))
}

#[utoipa::path(get, path = "/api/exports/{id}/zip", tag = "exports",
    params(("id" = String, Path, description = "Export id"), DownloadSignature),
    responses(
        (status = 200, description = "The ZIP", content_type = "application/zip"),
        (status = 302, description = "To the ZIP in the bucket, by a link that works for 15 minutes"),
        (status = 403, description = "`forbidden`: the signature is wrong or the link expired", body = crate::http::error::Problem),
        (status = 404, description = "`not_found`: the export was removed", body = crate::http::error::Problem)))]
pub async fn download_export(
    State(state): State<AppState>,
    Path(id): Path<String>,
    Query(signature): Query<DownloadSignature>,
) -> ApiResult<Response> {
    let now = OffsetDateTime::now_utc().unix_timestamp();
    let (Some(owner), Some(expires), Some(sig)) = (
        signature.owner,
        signature.exp.and_then(|exp| exp.parse::<i64>().ok()),
        signature.sig,
    ) else {
        return Err(ApiError::Forbidden);
    };
    if expires <= now
        || !state
            .media
            .signer()
            .verify("export", &signed_message(&owner, &id, expires), &sig)
    {
        return Err(ApiError::Forbidden);
    }
    let export = state
        .metadata
        .export(&owner, &id)
        .await?
        .ok_or(ApiError::NotFound)?;
    if let Some(url) = state
        .media
        .direct_download_url(&export.object_key, now, expires, DIRECT_LINK_SECS)
        .await?
    {
        return Ok(Redirect::to(&url).into_response());
    }
    let (size, bytes) = state
        .media
        .get_stream(&export.object_key)
        .await?
        .ok_or(ApiError::NotFound)?;
    Ok((
        [
            (header::CONTENT_TYPE, "application/zip".to_owned()),
            (header::CONTENT_LENGTH, size.to_string()),
            (
                header::CONTENT_DISPOSITION,
                format!(
                    "attachment; filename=\"{}\"",
                    export::download_name(&export)
                ),
            ),
            (header::CACHE_CONTROL, "private, no-store".to_owned()),
        ],
        Body::from_stream(bytes.map_err(std::io::Error::other)),
    )
        .into_response())
}
