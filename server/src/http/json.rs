//! A JSON body extractor whose every rejection is a problem+json answer.

use axum::{
    Json,
    body::{Body, Bytes},
    extract::{FromRequest, Request, rejection::JsonRejection},
    http::StatusCode,
};
use serde::de::DeserializeOwned;

use crate::http::error::ApiError;

/// Like `axum::Json`, but bad bodies get our error format and stable codes.
#[derive(Debug)]
pub struct ApiJson<T>(pub T);

impl<S, T> FromRequest<S> for ApiJson<T>
where
    T: DeserializeOwned,
    S: Send + Sync,
{
    type Rejection = ApiError;

    async fn from_request(request: Request, state: &S) -> Result<Self, ApiError> {
        let (parts, bytes) = read_body(request, state).await?;
        parse_json(parts, bytes, state).await.map(Self)
    }
}

/// A JSON body the client may leave out: an empty body (whatever its
/// declared type: fetch wrappers often send `Content-Type: application/json`
/// with nothing after it) or a JSON `null` gives `None`; anything else is read
/// as [`ApiJson`] reads it.
#[derive(Debug)]
pub struct OptionalJson<T>(pub Option<T>);

impl<S, T> FromRequest<S> for OptionalJson<T>
where
    T: DeserializeOwned,
    S: Send + Sync,
{
    type Rejection = ApiError;

    async fn from_request(request: Request, state: &S) -> Result<Self, ApiError> {
        let (parts, bytes) = read_body(request, state).await?;
        if bytes.is_empty() {
            return Ok(Self(None));
        }
        parse_json(parts, bytes, state).await.map(Self)
    }
}

/// A body already read, as `T`: what [`ApiJson`] and [`OptionalJson`] share.
async fn parse_json<S, T>(
    parts: axum::http::request::Parts,
    bytes: Bytes,
    state: &S,
) -> Result<T, ApiError>
where
    T: DeserializeOwned,
    S: Send + Sync,
{
    // Every body this API takes is an object; serde would also read a
    // struct from an array of its fields in order.
    if bytes.iter().find(|byte| !byte.is_ascii_whitespace()) == Some(&b'[') {
        return Err(ApiError::BadRequest(
            "The body must be a JSON object".into(),
        ));
    }
    let request = Request::from_parts(parts, Body::from(bytes));
    match Json::<T>::from_request(request, state).await {
        Ok(Json(value)) => Ok(value),
        Err(rejection) => Err(match rejection {
            JsonRejection::MissingJsonContentType(_) => ApiError::UnsupportedMediaType,
            rejection if rejection.status() == StatusCode::PAYLOAD_TOO_LARGE => {
                ApiError::PayloadTooLarge
            }
            // serde's message names the field and the problem, nothing internal.
            JsonRejection::JsonDataError(error) => ApiError::BadRequest(
                error
                    .body_text()
                    .trim_start_matches(
                        "Failed to deserialize the JSON body into the target type: ",
                    )
                    .to_owned(),
            ),
            JsonRejection::JsonSyntaxError(_) => {
                ApiError::BadRequest("The body is not valid JSON".into())
            }
            _ => ApiError::BadRequest("The body could not be read".into()),
        }),
    }
}

/// The whole body, within the body limit, and the rest of the request.
async fn read_body<S: Send + Sync>(
    request: Request,
    state: &S,
) -> Result<(axum::http::request::Parts, Bytes), ApiError> {
    let (parts, body) = request.into_parts();
    // The body limit travels in the extensions.
    let mut whole = Request::new(body);
    *whole.extensions_mut() = parts.extensions.clone();
    let bytes = Bytes::from_request(whole, state)
        .await
        .map_err(|rejection| {
            if rejection.status() == StatusCode::PAYLOAD_TOO_LARGE {
                ApiError::PayloadTooLarge
            } else {
                ApiError::BadRequest("The body could not be read".into())
            }
        })?;
    Ok((parts, bytes))
}
