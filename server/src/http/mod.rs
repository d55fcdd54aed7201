//! The HTTP edge: the router with its layers (request ids, tracing, security
//! headers, compression, body limit, per-IP limiting, metrics), the one error
//! type, the JSON extractor, the API document, the web app, share links'
//! pages, the kept gallery pages and the thin per-resource routes.

pub(crate) mod attempts;
pub(crate) mod caller;
pub(crate) mod completion;
pub(crate) mod error;
pub(crate) mod headers;
pub(crate) mod json;
pub(crate) mod limiter;
pub(crate) mod metrics;
pub(crate) mod openapi;
pub(crate) mod page_cache;
pub(crate) mod routes;
pub(crate) mod security;
pub(crate) mod share_page;
pub(crate) mod state;
pub(crate) mod web;

use axum::{Router, extract::DefaultBodyLimit, http::HeaderName};
use tower_http::{
    CompressionLevel,
    compression::{
        CompressionLayer,
        predicate::{DefaultPredicate, NotForContentType, Predicate},
    },
    request_id::{MakeRequestUuid, PropagateRequestIdLayer, SetRequestIdLayer},
    trace::TraceLayer,
};

use crate::http::state::AppState;

const REQUEST_ID: HeaderName = HeaderName::from_static("x-request-id");

/// Largest request body the API reads.
pub const MAX_BODY_BYTES: usize = 64 * 1024;

/// Routes the server answers itself (not files), behind what guards them:
/// the CDN's secret first (when set), then the per-address limit.
fn guarded(routes: Router<AppState>, state: &AppState) -> Router {
    routes
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            limiter::limit_by_ip,
        ))
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            security::require_origin_secret,
        ))
        .with_state(state.clone())
}

/// The whole HTTP surface: the API under `/api`, share links' pages under
/// `/s`, the web app everywhere else.
pub fn router(state: AppState) -> anyhow::Result<Router> {
    let server = &state.config.server;
    let web = web::router(
        server
            .serve_web_app
            .then_some(server.web_dist_dir.as_path()),
    );
    let https = state.config.served_over_https();
    let cors = security::cors(&state.config)?;
    let metrics_route = axum::routing::get(metrics::endpoint).with_state(state.clone());
    let metrics = state.metrics.clone();
    let web_csp = security::web_app_csp(
        state
            .auth
            .clerk()
            .map(|clerk| clerk.frontend_api_origin.as_str()),
        state.media.external_origin().as_deref(),
    )?;
    let router = Router::new()
        .nest("/api", guarded(routes::api_router(), &state))
        // Share links' pages: public, so guarded like the API.
        .nest("/s", guarded(share_page::router(), &state))
        .route("/metrics", metrics_route)
        .merge(web)
        .layer(axum::middleware::from_fn_with_state(metrics, metrics::track))
        .layer(DefaultBodyLimit::max(MAX_BODY_BYTES))
        .layer(
            CompressionLayer::new()
                .gzip(true)
                .quality(CompressionLevel::Fastest)
                // Export ZIPs hold compressed images: gzip would only cost time
                // (and hide their length from download progress bars).
                .compress_when(DefaultPredicate::new().and(NotForContentType::const_new("application/zip"))),
        )
        .layer(axum::middleware::from_fn(move |request, next| {
            security::security_headers(https, web_csp.clone(), request, next)
        }))
        .layer(
            TraceLayer::new_for_http().make_span_with(|request: &axum::http::Request<_>| {
                let request_id = request
                    .headers()
                    .get(REQUEST_ID)
                    .and_then(|value| value.to_str().ok())
                    .unwrap_or_default();
                tracing::info_span!("request", method = %request.method(), path = %request.uri().path(), request_id)
            }),
        )
        // Outermost: every request gets an id (kept if a trusted proxy sent one),
        // echoed back so a user's report can be matched to the log lines.
        .layer(PropagateRequestIdLayer::new(REQUEST_ID))
        .layer(SetRequestIdLayer::new(REQUEST_ID, MakeRequestUuid));
    Ok(match cors {
        Some(cors) => router.layer(cors),
        None => router,
    })
}
