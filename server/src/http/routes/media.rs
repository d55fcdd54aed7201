//! Signed media URLs: image files for `<img>` tags, no Authorization header needed.
//!
//! The signature and expiry are the whole permission: whoever holds a fresh URL
//! may load that one file, which is what an `<img src>` needs.

use axum::{
    Router,
    extract::{Path, Query, State},
    http::header,
    response::{IntoResponse, Response},
    routing::get,
};
use serde::Deserialize;
use time::OffsetDateTime;

use crate::{
    http::error::{ApiError, ApiResult},
    http::state::AppState,
    store::media::ImageFormat,
};

pub fn router() -> Router<AppState> {
    Router::new().route("/media/{*key}", get(media))
}

#[derive(Deserialize)]
pub struct Signature {
    exp: Option<String>,
    sig: Option<String>,
}

pub async fn media(
    State(state): State<AppState>,
    Path(key): Path<String>,
    Query(signature): Query<Signature>,
) -> ApiResult<Response> {
    let now = OffsetDateTime::now_utc().unix_timestamp();
    let expires = signature
        .exp
        .as_deref()
        .and_then(|exp| exp.parse::<i64>().ok())
        .ok_or(ApiError::Forbidden)?;
    let sig = signature.sig.as_deref().ok_or(ApiError::Forbidden)?;
    if !state.media.signer().verify_media(&key, expires, sig, now) {
        return Err(ApiError::Forbidden);
    }
    let bytes = state.media.get(&key).await?.ok_or(ApiError::NotFound)?;
    // The type comes from the bytes we validated on the way in, never from the key.
    let content_type = ImageFormat::sniff(&bytes)
        .map(ImageFormat::content_type)
        .unwrap_or("application/octet-stream");
    let max_age = (expires - now).max(0);
    Ok((
        [
            (header::CONTENT_TYPE, content_type.to_owned()),
            (
                header::CACHE_CONTROL,
                format!("private, max-age={max_age}, immutable"),
            ),
            (header::CONTENT_DISPOSITION, "inline".to_owned()),
        ],
        bytes,
    )
        .into_response())
}
