//! Service endpoints anyone may call: health, start-up config, the API document.

use axum::{Json, Router, extract::State, http::header, response::IntoResponse, routing::get};
use serde::Serialize;
use utoipa::ToSchema;

use crate::{
    generation::{ASPECT_RATIOS, AspectRatio, ModelSpec, STYLES, Style},
    http::openapi::RequestLimits,
    http::state::AppState,
};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/health", get(health))
        .route("/config", get(config))
        .route("/openapi.json", get(openapi))
}

#[derive(Serialize, ToSchema)]
pub struct Health {
    pub status: &'static str,
    pub version: &'static str,
}

#[utoipa::path(get, path = "/api/health", tag = "service",
    responses((status = 200, description = "The server is up", body = Health)))]
pub async fn health() -> Json<Health> {
    Json(Health {
        status: "ok",
        version: env!("CARGO_PKG_VERSION"),
    })
}

#[derive(Serialize, ToSchema)]
pub struct AuthConfig {
    /// `local` (built-in accounts) or `clerk`.
    pub mode: &'static str,
    pub clerk_publishable_key: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct GenerationConfig {
    /// The engine that makes images: `offline` or `together`.
    pub provider: &'static str,
    pub default_model: String,
    pub models: Vec<ModelSpec>,
    pub aspect_ratios: &'static [AspectRatio],
    pub styles: &'static [Style],
}

#[derive(Serialize, ToSchema)]
pub struct Limits {
    pub prompt_max_chars: usize,
    pub generations_per_minute: u32,
    pub monthly_quota: u32,
    /// Days a trashed image stays restorable.
    pub trash_retention_days: u32,
    pub drafts_per_minute: u32,
    pub monthly_draft_quota: u32,
    /// Seconds a draft lasts before it is removed (and can no longer be kept).
    pub draft_ttl_secs: u64,
    /// Most images one export may hold.
    pub export_max_images: u32,
    /// Hours an export's ZIP can be downloaded.
    pub export_ttl_hours: u32,
}

/// Everything the web app needs at start-up.
#[derive(Serialize, ToSchema)]
pub struct Config {
    pub auth: AuthConfig,
    pub generation: GenerationConfig,
    pub limits: Limits,
}

#[utoipa::path(get, path = "/api/config", tag = "service",
    responses((status = 200, description = "Start-up settings for clients", body = Config)))]
pub async fn config(State(state): State<AppState>) -> Json<Config> {
    let models = state.provider.models().to_vec();
    Json(Config {
        auth: match state.auth.clerk() {
            Some(clerk) => AuthConfig {
                mode: "clerk",
                clerk_publishable_key: Some(clerk.publishable_key.clone()),
            },
            None => AuthConfig {
                mode: "local",
                clerk_publishable_key: None,
            },
        },
        generation: GenerationConfig {
            provider: state.provider.name(),
            default_model: models
                .first()
                .map(|model| model.id.clone())
                .unwrap_or_default(),
            models,
            aspect_ratios: ASPECT_RATIOS,
            styles: STYLES,
        },
        limits: Limits {
            prompt_max_chars: state.config.limits.prompt_max_chars,
            generations_per_minute: state.config.limits.generations_per_minute,
            monthly_quota: state.config.limits.monthly_generation_quota,
            trash_retention_days: state.config.maintenance.trash_retention_days,
            drafts_per_minute: state.config.limits.drafts_per_minute,
            monthly_draft_quota: state.config.limits.monthly_draft_quota,
            draft_ttl_secs: state.config.limits.draft_ttl_secs,
            export_max_images: state.config.limits.export_max_images,
            export_ttl_hours: state.config.limits.export_ttl_hours,
        },
    })
}

#[utoipa::path(get, path = "/api/openapi.json", tag = "service",
    responses((status = 200, description = "This API as an OpenAPI 3.1 document, with the limits of this server's configuration")))]
pub async fn openapi(State(state): State<AppState>) -> impl IntoResponse {
    let document = state.openapi_json.get_or_init(|| {
        let document = crate::http::openapi::document(&RequestLimits::of(&state));
        bytes::Bytes::from(document.to_string())
    });
    (
        [(header::CONTENT_TYPE, "application/json")],
        document.clone(),
    )
}
