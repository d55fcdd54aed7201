//! Drafts (live mode): `POST /api/drafts` makes one quick preview outside the
//! gallery with the generation workflow, and `POST /api/drafts/{id}/keep`
//! puts a draft's image in the gallery as it is.

use std::time::Instant;

use axum::{
    Json, Router,
    extract::{Path, State},
    http::StatusCode,
    routing::post,
};
use serde::Serialize;
use utoipa::ToSchema;

use crate::{
    generation::{GenerationRequest, cost, pipeline::Draft},
    http::caller::CurrentUser,
    http::completion::to_completion,
    http::error::{ApiError, ApiResult},
    http::json::ApiJson,
    http::routes::generations::{GenerationEnvelope, GenerationTimings, envelope},
    http::routes::images::rfc3339,
    http::state::AppState,
    text::FieldError,
};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/drafts", post(create_draft))
        .route("/drafts/{id}/keep", post(keep_draft))
}

/// A quick preview: not in the gallery, not counted as storage, removed when
/// it expires unless kept.
#[derive(Serialize, ToSchema, Debug, Clone)]
pub struct DraftView {
    pub id: String,
    /// RFC 3339, UTC.
    pub created_at: String,
    pub prompt: String,
    pub negative_prompt: Option<String>,
    pub model: String,
    pub provider: String,
    pub width: u32,
    pub height: u32,
    pub steps: u32,
    pub seed: u64,
    pub style: String,
    /// Signed and expiring, like an image's.
    pub url: String,
    /// RFC 3339, UTC: when the draft is removed; it can be kept until then.
    pub expires_at: String,
    pub timings: GenerationTimings,
    /// What the provider charged for the draft, in US dollars; 0 when free.
    #[schema(minimum = 0)]
    pub cost_usd: f64,
}

#[derive(Serialize, ToSchema)]
pub struct DraftEnvelope {
    pub draft: DraftView,
}

impl From<Draft> for DraftView {
    fn from(Draft { record, url }: Draft) -> Self {
        Self {
            id: record.id,
            created_at: rfc3339(record.created_at),
            prompt: record.prompt,
            negative_prompt: record.negative_prompt,
            model: record.model,
            provider: record.provider,
            width: record.width,
            height: record.height,
            steps: record.steps,
            seed: record.seed,
            style: record.style,
            url,
            expires_at: rfc3339(record.expires_at),
            timings: GenerationTimings {
                provider_ms: record.provider_ms,
                total_ms: record.total_ms,
            },
            cost_usd: cost::usd(record.cost_micros),
        }
    }
}

#[utoipa::path(post, path = "/api/drafts", tag = "generation", security(("session" = []), ("clerk" = [])),
    request_body(content = GenerationRequest, description = "The body of `POST /api/generations`; `n`, if given, must be 1"),
    responses(
        (status = 201, description = "The draft, made and stored until it expires", body = DraftEnvelope),
        (status = 422, description = "`invalid_request`", body = crate::http::error::Problem),
        (status = 429, description = "`rate_limited` (with `Retry-After`), `quota_exceeded` (the monthly draft quota) or `budget_exceeded`", body = crate::http::error::Problem),
        (status = 502, description = "`upstream_error`", body = crate::http::error::Problem),
        (status = 503, description = "`upstream_unavailable`", body = crate::http::error::Problem),
        (status = 504, description = "`upstream_timeout`", body = crate::http::error::Problem)))]
pub async fn create_draft(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
    ApiJson(request): ApiJson<GenerationRequest>,
) -> ApiResult<(StatusCode, Json<DraftEnvelope>)> {
    if request.n.is_some_and(|n| n != 1) {
        return Err(ApiError::Validation(vec![FieldError::new(
            "n",
            "a draft is one image: leave n out or send 1",
        )]));
    }
    let plan = state.generator().plan(&request)?;
    // Like a generation, it runs to its end once its quota is reserved.
    let draft =
        to_completion(async move { state.generator().run_draft(&user, plan).await }).await?;
    Ok((
        StatusCode::CREATED,
        Json(DraftEnvelope {
            draft: draft.into(),
        }),
    ))
}

#[utoipa::path(post, path = "/api/drafts/{id}/keep", tag = "generation", security(("session" = []), ("clerk" = [])),
    params(("id" = String, Path, description = "Draft id")),
    responses(
        (status = 201, description = "The draft's image in the gallery, as a generation of one image; keeping again gives the same one", body = GenerationEnvelope),
        (status = 404, description = "`not_found`: no such draft of yours, or it expired", body = crate::http::error::Problem),
        (status = 429, description = "`quota_exceeded` (the monthly image quota or storage)", body = crate::http::error::Problem)))]
pub async fn keep_draft(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
    Path(id): Path<String>,
) -> ApiResult<(StatusCode, Json<GenerationEnvelope>)> {
    let started = Instant::now();
    let kept = to_completion(async move { state.generator().keep_draft(&user, &id).await })
        .await?
        .ok_or(ApiError::NotFound)?;
    Ok((StatusCode::CREATED, Json(envelope(kept, started))))
}
