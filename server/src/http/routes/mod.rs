//! The HTTP API: one module per resource, merged here under `/api`.

pub mod auth;
pub mod bulk;
pub mod collections;
pub mod drafts;
pub mod exports;
pub mod generations;
pub mod images;
pub mod keys;
pub mod media;
pub mod operations;
pub mod reproduce;
pub mod service;
pub mod shares;

use axum::{
    Router,
    body::Body,
    extract::Request,
    http::{HeaderValue, Method, StatusCode, header},
    middleware::{self, Next},
    response::{IntoResponse, Response},
};

use crate::{http::error::ApiError, http::state::AppState};

/// Every `/api` route, with the error and caching rules the whole API shares.
pub fn api_router() -> Router<AppState> {
    Router::new()
        .merge(service::router())
        .merge(auth::router())
        .merge(generations::router())
        .merge(drafts::router())
        .merge(images::router())
        .merge(bulk::router())
        .merge(collections::router())
        .merge(keys::router())
        .merge(exports::router())
        .merge(reproduce::router())
        .merge(shares::router())
        .merge(media::router())
        .merge(operations::router())
        .fallback(|| async { ApiError::NotFound })
        .method_not_allowed_fallback(|| async { ApiError::MethodNotAllowed })
        .layer(middleware::from_fn(api_response_rules))
}

/// Rules every API answer follows, whichever layer produced it:
/// errors are always problem+json, and user data is never cached by default.
async fn api_response_rules(request: Request, next: Next) -> Response {
    if request.method() == Method::TRACE {
        return ApiError::MethodNotAllowed.into_response();
    }
    let mut response = next.run(request).await;
    let status = response.status();
    let is_problem = response
        .headers()
        .get(header::CONTENT_TYPE)
        .is_some_and(|value| value.as_bytes().starts_with(b"application/problem+json"));
    if (status.is_client_error() || status.is_server_error()) && !is_problem {
        // Produced by a layer or extractor that knows nothing of our format.
        response = match status {
            StatusCode::PAYLOAD_TOO_LARGE => ApiError::PayloadTooLarge.into_response(),
            StatusCode::METHOD_NOT_ALLOWED => ApiError::MethodNotAllowed.into_response(),
            StatusCode::NOT_FOUND => ApiError::NotFound.into_response(),
            StatusCode::UNSUPPORTED_MEDIA_TYPE => ApiError::UnsupportedMediaType.into_response(),
            status if status.is_client_error() => {
                ApiError::BadRequest("The request could not be understood".into()).into_response()
            }
            _ => ApiError::Internal(anyhow::anyhow!("unformatted {status} answer")).into_response(),
        };
    }
    let headers = response.headers_mut();
    headers
        .entry(header::CACHE_CONTROL)
        .or_insert(HeaderValue::from_static("no-store"));
    response
}

/// An empty 204 answer.
pub fn no_content() -> Response<Body> {
    StatusCode::NO_CONTENT.into_response()
}
