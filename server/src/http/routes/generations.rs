//! `POST /api/generations`: reads the request and its `Idempotency-Key`, runs
//! the generation workflow (`generation::pipeline`) and answers with the new
//! images and their signed URLs.

use std::time::Instant;

use axum::{
    Router,
    extract::State,
    http::{HeaderMap, StatusCode, header},
    response::{AppendHeaders, IntoResponse, Response},
    routing::post,
};
use serde::Serialize;
use utoipa::ToSchema;

use crate::{
    generation::{
        GenerationError, GenerationRequest,
        idempotency::{self, Outcome},
        pipeline::Generation,
    },
    http::caller::CurrentUser,
    http::completion::to_completion,
    http::error::{ApiError, ApiResult},
    http::state::AppState,
    http::{
        headers::{idempotency_key_from, run_group_from},
        json::ApiJson,
        routes::images::{self, ImageView, rfc3339},
    },
};

pub fn router() -> Router<AppState> {
    Router::new().route("/generations", post(create_generation))
}

#[derive(Serialize, ToSchema, Debug, Clone)]
pub struct GenerationTimings {
    /// Time the provider took to make every image.
    pub provider_ms: u64,
    /// Time the whole request took on the server.
    pub total_ms: u64,
}

#[derive(Serialize, ToSchema, Debug, Clone)]
pub struct GenerationView {
    pub id: String,
    pub created_at: String,
    pub prompt: String,
    pub negative_prompt: Option<String>,
    pub model: String,
    pub provider: String,
    pub width: u32,
    pub height: u32,
    pub steps: u32,
    /// The first image's seed; each image also carries its own.
    pub seed: u64,
    pub style: String,
    pub images: Vec<ImageView>,
    pub timings: GenerationTimings,
}

#[derive(Serialize, ToSchema)]
pub struct GenerationEnvelope {
    pub generation: GenerationView,
}

#[utoipa::path(post, path = "/api/generations", tag = "generation", security(("session" = []), ("clerk" = [])), request_body = GenerationRequest,
    params(("Idempotency-Key" = Option<String>, Header,
        description = "Retrying with the same key and body returns the first result without generating again"),
        ("Generation-Group" = Option<String>, Header,
        description = "Names the run a single-image request (`n` 1) belongs to, when a client asks for a \
            run's images one request each: such requests count against the per-minute limit in images \
            (the limit times the model's `max_images`), not in requests. 1 to 64 letters, digits, `-`, `_` or `.`")),
    responses(
        (status = 201, description = "Images generated and stored", body = GenerationEnvelope),
        (status = 409, description = "`idempotency_conflict`", body = crate::http::error::Problem),
        (status = 422, description = "`invalid_request`", body = crate::http::error::Problem),
        (status = 429, description = "`rate_limited`, `quota_exceeded` or `budget_exceeded` (the month's budget would be passed; no `Retry-After`)", body = crate::http::error::Problem),
        (status = 502, description = "`upstream_error`", body = crate::http::error::Problem),
        (status = 503, description = "`upstream_unavailable`", body = crate::http::error::Problem),
        (status = 504, description = "`upstream_timeout`", body = crate::http::error::Problem)))]
pub async fn create_generation(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
    headers: HeaderMap,
    ApiJson(request): ApiJson<GenerationRequest>,
) -> ApiResult<Response> {
    let started = Instant::now();
    let plan = state.generator().plan(&request)?;
    let run_group = run_group_from(&headers)?.map(str::to_owned);
    let key = idempotency_key_from(&headers)?.map(str::to_owned);
    // From the quota reservation on, the generation runs to its end even if
    // the client goes away, so nothing it reserved or claimed is stranded.
    let outcome = to_completion(async move {
        let generator = state.generator();
        let work = async {
            let generation = generator.run(&user, plan, run_group.as_deref()).await?;
            serde_json::to_string(&envelope(generation, started))
                .map_err(|error| GenerationError::Internal(error.into()))
        };
        let Some(key) = key else {
            return Ok::<_, ApiError>(Outcome::Fresh(work.await?));
        };
        let hash = idempotency::request_hash(&request)?;
        Ok(
            match idempotency::run_once(state.metadata.as_ref(), &user.id, &key, &hash, work)
                .await?
            {
                Outcome::Replayed(body) => {
                    Outcome::Replayed(images::as_they_are_now(&state, &user.id, &body).await?)
                }
                fresh => fresh,
            },
        )
    })
    .await?;
    Ok(created(outcome))
}

pub(crate) fn envelope(generation: Generation, started: Instant) -> GenerationEnvelope {
    let plan = generation.plan;
    GenerationEnvelope {
        generation: GenerationView {
            id: generation.id,
            created_at: rfc3339(generation.created_at),
            prompt: plan.prompt,
            negative_prompt: plan.negative_prompt,
            model: plan.model.id,
            provider: generation.provider.to_owned(),
            width: plan.width,
            height: plan.height,
            steps: plan.steps,
            seed: plan.seeds[0],
            style: plan.style.id.to_owned(),
            images: generation.images.into_iter().map(ImageView::from).collect(),
            timings: GenerationTimings {
                provider_ms: generation.provider_ms,
                total_ms: started.elapsed().as_millis() as u64,
            },
        },
    }
}

fn created(outcome: Outcome) -> Response {
    let (body, replayed) = match outcome {
        Outcome::Fresh(body) => (body, None),
        Outcome::Replayed(body) => (body, Some(("idempotent-replayed", "true"))),
    };
    let content_type = [(header::CONTENT_TYPE, "application/json")];
    (
        StatusCode::CREATED,
        content_type,
        AppendHeaders(replayed),
        body,
    )
        .into_response()
}
