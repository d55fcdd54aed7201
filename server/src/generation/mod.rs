//! Image generation: the provider seam, the models' limits, request plans and
//! the one workflow (`pipeline`) that turns a plan into stored images.
//!
//! A provider turns a validated plan into raw image bytes; everything else
//! (validation, imaging, storage, records) is shared, so the offline engine and
//! a cloud model behave identically to the rest of the server.

pub mod cost;
pub(crate) mod idempotency;
pub mod imaging;
mod keep;
pub mod pipeline;
pub(crate) mod plan;
pub(crate) mod providers;
pub mod reproduce;
pub(crate) mod usage;

use std::time::Duration;

use async_trait::async_trait;
use bytes::Bytes;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

pub use plan::{GenerationPlan, GenerationRequest, plan};

use crate::{store::metadata::StoreError, text::FieldError};

/// Why a generation was refused or failed. Each has the stable `code` the
/// API answers with, which the generation figures are counted under too.
#[derive(Debug, thiserror::Error)]
pub enum GenerationError {
    /// The request does not fit the model or the limits.
    #[error("the request is not valid")]
    Invalid(Vec<FieldError>),
    #[error("too many generations this minute")]
    RateLimited { retry_after: Duration },
    #[error("the monthly generation quota is used up")]
    QuotaExceeded { retry_after: Duration },
    /// The month's generations would cost more than the user's budget.
    #[error("this month's budget is spent")]
    BudgetExceeded,
    /// The images would not fit in the storage quota.
    #[error("the storage quota is used up")]
    StorageFull,
    #[error("{0}")]
    IdempotencyConflict(&'static str),
    #[error("the image provider failed: {0}")]
    Upstream(String),
    #[error("the image provider is unavailable")]
    UpstreamUnavailable { retry_after: Duration },
    #[error("the image provider took too long")]
    UpstreamTimeout,
    /// The recipe names a model (or style) this server does not offer now.
    #[error("this image's model is not offered by this server, so it cannot be made again here")]
    NotReproducible,
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error(transparent)]
    Internal(#[from] anyhow::Error),
}

pub type GenerationResult<T> = Result<T, GenerationError>;

impl GenerationError {
    /// The error's stable code, as the API's problem answer carries it.
    pub fn code(&self) -> &'static str {
        match self {
            Self::Invalid(_) => "invalid_request",
            Self::RateLimited { .. } => "rate_limited",
            Self::QuotaExceeded { .. } | Self::StorageFull => "quota_exceeded",
            Self::BudgetExceeded => "budget_exceeded",
            Self::Store(StoreError::StorageQuotaExceeded) => "quota_exceeded",
            Self::IdempotencyConflict(_) => "idempotency_conflict",
            Self::Upstream(_) => "upstream_error",
            Self::UpstreamUnavailable { .. } => "upstream_unavailable",
            Self::UpstreamTimeout => "upstream_timeout",
            Self::NotReproducible => "not_reproducible",
            Self::Store(_) | Self::Internal(_) => "internal_error",
        }
    }
}
pub use providers::{
    offline::OfflineProvider,
    together::{self, TogetherProvider, TogetherSettings},
};

/// An inclusive range with the value used when a request leaves it out.
#[derive(Debug, Clone, Copy, Serialize, Deserialize, ToSchema, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct StepRange {
    pub min: u32,
    pub max: u32,
    pub default: u32,
}

/// The sizes a model accepts along one side.
#[derive(Debug, Clone, Copy, Serialize, Deserialize, ToSchema, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct SizeRange {
    pub min: u32,
    pub max: u32,
    pub multiple_of: u32,
}

impl SizeRange {
    pub fn accepts(&self, value: u32) -> bool {
        (self.min..=self.max).contains(&value) && value.is_multiple_of(self.multiple_of)
    }
}

/// What one model can do; requests are checked against it before any work.
#[derive(Debug, Clone, Serialize, ToSchema, PartialEq)]
pub struct ModelSpec {
    pub id: String,
    pub label: String,
    pub steps: StepRange,
    pub width: SizeRange,
    pub height: SizeRange,
    pub max_images: u32,
    pub negative_prompt: bool,
    /// What the provider charges for a megapixel (width × height / 10⁶), in
    /// US dollars; 0 when free.
    #[schema(minimum = 0)]
    pub price_per_megapixel_usd: f64,
}

/// A preset the generate form offers.
#[derive(Debug, Clone, Copy, Serialize, ToSchema)]
pub struct AspectRatio {
    pub id: &'static str,
    pub width: u32,
    pub height: u32,
}

pub const ASPECT_RATIOS: &[AspectRatio] = &[
    AspectRatio {
        id: "1:1",
        width: 1024,
        height: 1024,
    },
    AspectRatio {
        id: "4:3",
        width: 1152,
        height: 864,
    },
    AspectRatio {
        id: "3:4",
        width: 864,
        height: 1152,
    },
    AspectRatio {
        id: "3:2",
        width: 1152,
        height: 768,
    },
    AspectRatio {
        id: "2:3",
        width: 768,
        height: 1152,
    },
    AspectRatio {
        id: "16:9",
        width: 1344,
        height: 768,
    },
    AspectRatio {
        id: "9:16",
        width: 768,
        height: 1344,
    },
];

/// A style adds words to the prompt the provider sees; the stored prompt stays the user's.
#[derive(Debug, Clone, Copy, Serialize, ToSchema)]
pub struct Style {
    pub id: &'static str,
    pub label: &'static str,
    #[serde(skip)]
    pub prompt_suffix: &'static str,
}

pub const STYLES: &[Style] = &[
    Style {
        id: "none",
        label: "None",
        prompt_suffix: "",
    },
    Style {
        id: "photographic",
        label: "Photographic",
        prompt_suffix: "photograph, natural light, sharp focus, high detail",
    },
    Style {
        id: "cinematic",
        label: "Cinematic",
        prompt_suffix: "cinematic still, dramatic lighting, shallow depth of field",
    },
    Style {
        id: "digital-art",
        label: "Digital art",
        prompt_suffix: "digital painting, vibrant colours, detailed illustration",
    },
    Style {
        id: "oil-painting",
        label: "Oil painting",
        prompt_suffix: "oil painting, visible brush strokes, rich texture",
    },
    Style {
        id: "watercolor",
        label: "Watercolour",
        prompt_suffix: "watercolour painting, soft washes, paper texture",
    },
    Style {
        id: "anime",
        label: "Anime",
        prompt_suffix: "anime style, clean line art, cel shading",
    },
    Style {
        id: "3d-render",
        label: "3D render",
        prompt_suffix: "3d render, octane, soft global illumination",
    },
    Style {
        id: "pixel-art",
        label: "Pixel art",
        prompt_suffix: "pixel art, limited palette, crisp pixels",
    },
    Style {
        id: "line-art",
        label: "Line art",
        prompt_suffix: "minimal line art, ink on paper",
    },
];

pub fn style(id: &str) -> Option<&'static Style> {
    STYLES.iter().find(|style| style.id == id)
}

/// What a provider is asked to make: one image per seed.
#[derive(Debug, Clone)]
pub struct ProviderJob {
    pub model: String,
    /// The user's prompt with the style's words added.
    pub prompt: String,
    pub negative_prompt: Option<String>,
    pub width: u32,
    pub height: u32,
    pub steps: u32,
    pub seeds: Vec<u64>,
}

/// One image as the provider delivered it: untrusted bytes until the pipeline checks them.
#[derive(Debug, Clone)]
pub struct ProviderImage {
    pub bytes: Bytes,
    pub seed: u64,
    pub inference_ms: Option<u64>,
    pub upstream_id: Option<String>,
}

#[derive(Debug, thiserror::Error)]
pub enum ProviderError {
    /// The provider refused the request as invalid; the message is safe to show.
    #[error("{0}")]
    Rejected(String),
    /// The provider failed in a way retrying will not fix.
    #[error("{0}")]
    Failed(String),
    #[error("provider unavailable")]
    Unavailable { retry_after: Duration },
    #[error("provider timed out")]
    Timeout,
}

#[async_trait]
pub trait ImageProvider: Send + Sync + 'static {
    /// The name recorded with each image, e.g. `offline` or `together`.
    fn name(&self) -> &'static str;
    fn models(&self) -> &[ModelSpec];
    async fn generate(&self, job: &ProviderJob) -> Result<Vec<ProviderImage>, ProviderError>;
}
