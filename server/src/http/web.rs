//! Serves the built web app: hashed assets cached forever, client routes to
//! `index.html`, source maps never.

use std::path::Path;

use axum::{
    Router,
    extract::Request,
    http::{HeaderValue, StatusCode, header},
    middleware::{self, Next},
    response::{Html, IntoResponse, Response},
    routing::get,
};
use tower_http::services::{ServeDir, ServeFile};

/// The web app from `dist`, or a short notice when it is not built or not
/// served here.
pub fn router(dist: Option<&Path>) -> Router {
    let Some((dist, index)) = dist
        .map(|dist| (dist, dist.join("index.html")))
        .filter(|(_, index)| index.is_file())
    else {
        return Router::new().fallback(get(|| async {
            Html(
                "<!doctype html><title>PromptCanvas Pro</title>\
                 <p>The web app is not built. Run <code>make run</code>, or use the API under \
                 <a href=\"/api/health\">/api</a>.</p>",
            )
        }));
    };
    let files = ServeDir::new(dist)
        .precompressed_gzip()
        .fallback(ServeFile::new(index));
    // A missing hashed asset must be a 404: answering with index.html would let
    // a browser cache a page as a script for a year.
    let assets = ServeDir::new(dist.join("assets")).precompressed_gzip();
    Router::new()
        .nest_service("/assets", assets)
        .fallback_service(files)
        .layer(middleware::from_fn(cache_rules))
}

async fn cache_rules(request: Request, next: Next) -> Response {
    // Source maps are built for the operator, not served: they would show
    // the app's whole source to anyone.
    if request.uri().path().ends_with(".map") {
        return StatusCode::NOT_FOUND.into_response();
    }
    let immutable = request.uri().path().starts_with("/assets/");
    let mut response = next.run(request).await;
    let value = if immutable && response.status().is_success() {
        "public, max-age=31536000, immutable"
    } else {
        // index.html and friends: always revalidate so a deploy shows at once.
        "no-cache"
    };
    let headers = response.headers_mut();
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static(value));
    response
}
