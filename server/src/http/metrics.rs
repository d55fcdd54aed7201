//! The HTTP side of the figures: the middleware that counts every request
//! by the route it matched, and `GET /metrics` (with `METRICS_TOKEN` on the
//! main listener, or open on the separate metrics listener).

use std::{sync::Arc, time::Instant};

use axum::{
    Router,
    extract::{MatchedPath, Request, State},
    http::{HeaderMap, HeaderValue, Method, header},
    middleware::Next,
    response::{IntoResponse, Response},
    routing::get,
};

use crate::{
    http::error::{ApiError, ErrorCode},
    http::state::AppState,
    telemetry::metrics::Metrics,
};

/// Counts every request by the route it matched. Runs inside the router, so
/// the route template (`/api/images/{id}`) is known.
pub async fn track(State(metrics): State<Arc<Metrics>>, request: Request, next: Next) -> Response {
    let started = Instant::now();
    let route = match request.extensions().get::<MatchedPath>() {
        Some(matched) => matched.as_str().to_owned(),
        None if request.uri().path().starts_with("/api/") => "(unmatched api)".to_owned(),
        None => "(web app)".to_owned(),
    };
    let method = method_label(request.method());
    let response = next.run(request).await;
    let refusal = response
        .extensions()
        .get::<ErrorCode>()
        .map(|code| code.0)
        .filter(|code| matches!(*code, "rate_limited" | "quota_exceeded"));
    metrics.record_request(
        route,
        method,
        response.status().as_u16(),
        started.elapsed(),
        refusal,
    );
    response
}

/// `GET /metrics` on the main listener: only with `METRICS_TOKEN` as a bearer token.
pub async fn endpoint(State(state): State<AppState>, headers: HeaderMap) -> Response {
    let Some(token) = &state.config.telemetry.metrics_token else {
        return ApiError::NotFound.into_response();
    };
    let presented = headers
        .get(header::AUTHORIZATION)
        .and_then(|value| value.to_str().ok())
        .and_then(|value| value.strip_prefix("Bearer "))
        .unwrap_or_default();
    if !crate::http::security::secret_matches(presented, token) {
        let mut response = ApiError::Unauthenticated.into_response();
        response
            .headers_mut()
            .insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"));
        return response;
    }
    exposition(&state.metrics)
}

/// The router of the separate metrics listener (`METRICS_BIND_ADDR`), which
/// is reachable only where the operator bound it, so it asks for no token.
pub fn router(metrics: Arc<Metrics>) -> Router {
    Router::new()
        .route(
            "/metrics",
            get(|State(metrics): State<Arc<Metrics>>| async move { exposition(&metrics) }),
        )
        .with_state(metrics)
}

fn exposition(metrics: &Metrics) -> Response {
    (
        [
            (
                header::CONTENT_TYPE,
                HeaderValue::from_static("text/plain; version=0.0.4; charset=utf-8"),
            ),
            (header::CACHE_CONTROL, HeaderValue::from_static("no-store")),
        ],
        metrics.render(),
    )
        .into_response()
}

/// Methods outside the standard set share one label, so a client cannot
/// create series at will.
fn method_label(method: &Method) -> &'static str {
    match *method {
        Method::GET => "GET",
        Method::HEAD => "HEAD",
        Method::POST => "POST",
        Method::PUT => "PUT",
        Method::PATCH => "PATCH",
        Method::DELETE => "DELETE",
        Method::OPTIONS => "OPTIONS",
        _ => "OTHER",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unknown_methods_share_one_label() {
        let custom = Method::from_bytes(b"BREW").unwrap();
        assert_eq!(method_label(&custom), "OTHER");
        assert_eq!(method_label(&Method::PATCH), "PATCH");
    }
}
