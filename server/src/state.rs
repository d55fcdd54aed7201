//! The one application state every handler receives.

use std::sync::Arc;

use crate::{
    config::Config, generation::ImageProvider, limiter::IpLimiter, metadata::MetadataStore,
    metrics::Metrics, storage::MediaStore,
};

#[derive(Clone)]
pub struct AppState {
    pub config: Arc<Config>,
    pub metadata: Arc<dyn MetadataStore>,
    pub media: MediaStore,
    pub provider: Arc<dyn ImageProvider>,
    /// `None` when per-IP limiting is off.
    pub ip_limiter: Option<IpLimiter>,
    pub metrics: Arc<Metrics>,
    /// `Some` in Clerk sign-in mode (`CLERK_PUBLISHABLE_KEY` set).
    pub clerk: Option<Arc<crate::auth::clerk::ClerkAuth>>,
}
