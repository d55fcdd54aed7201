//! The one application state every handler receives.

use std::sync::Arc;

use crate::{
    generation::{
        ImageProvider,
        pipeline::{Generator, Limits},
    },
    http::limiter::IpLimiter,
    operations::client_errors::ReportLog,
    settings::Config,
    store::media::MediaStore,
    store::metadata::MetadataStore,
    telemetry::metrics::Metrics,
};

/// Cloned for every request (each extractor takes its own copy), so it is
/// one reference count, not one per part.
#[derive(Clone)]
pub struct AppState(Arc<Services>);

/// What the application is made of: its settings, stores, provider and gates.
pub struct Services {
    pub config: Arc<Config>,
    pub metadata: Arc<dyn MetadataStore>,
    pub media: MediaStore,
    pub provider: Arc<dyn ImageProvider>,
    /// `None` when per-IP limiting is off.
    pub ip_limiter: Option<IpLimiter>,
    /// The web app's error reports per IP; `None` when unlimited.
    pub client_error_limiter: Option<IpLimiter>,
    pub client_error_log: ReportLog,
    pub metrics: Arc<Metrics>,
    /// How people sign in.
    pub auth: crate::auth::Auth,
    /// Gallery pages as last sent, to send again while unchanged.
    pub gallery_pages: crate::http::page_cache::PageCache,
    /// This API's document as `GET /api/openapi.json` sends it, made on the
    /// first request: it follows the configuration, which a process keeps.
    pub openapi_json: std::sync::OnceLock<bytes::Bytes>,
}

impl AppState {
    pub(crate) fn new(services: Services) -> Self {
        Self(Arc::new(services))
    }
}

impl std::ops::Deref for AppState {
    type Target = Services;

    fn deref(&self) -> &Services {
        &self.0
    }
}

impl Services {
    /// The generation workflow over this application's stores and provider.
    pub fn generator(&self) -> Generator<'_> {
        let config = &self.config;
        Generator {
            metadata: self.metadata.as_ref(),
            media: &self.media,
            provider: self.provider.as_ref(),
            metrics: &self.metrics,
            limits: Limits {
                prompt_max_chars: config.limits.prompt_max_chars,
                generations_per_minute: config.limits.generations_per_minute,
                monthly_generation_quota: config.limits.monthly_generation_quota,
                storage_quota: config.storage_quota(),
                max_image_pixels: config.limits.max_image_pixels,
                log_prompts: config.telemetry.log_prompts,
                drafts_per_minute: config.limits.drafts_per_minute,
                monthly_draft_quota: config.limits.monthly_draft_quota,
                monthly_budget_micros: config
                    .limits
                    .monthly_budget_usd
                    .map(crate::generation::cost::micros),
                draft_ttl: std::time::Duration::from_secs(config.limits.draft_ttl_secs),
            },
            public_base_url: config.server.public_base_url.as_deref().unwrap_or(""),
        }
    }
}
