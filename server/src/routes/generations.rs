//! `POST /api/generations`: plan, guard, generate, process, store, record.
//!
//! The write order is the data-safety rule: objects first, the record last.
//! A crash in between leaves only unreferenced files, never a record that
//! points at nothing.

use std::time::{Duration, Instant};

use axum::{
    Router,
    extract::State,
    http::{HeaderMap, HeaderValue, StatusCode, header},
    response::{IntoResponse, Response},
    routing::post,
};
use bytes::Bytes;
use serde::Serialize;
use sha2::{Digest, Sha256};
use time::{OffsetDateTime, format_description::well_known::Rfc3339};
use utoipa::ToSchema;

use crate::{
    auth::CurrentUser,
    error::{ApiError, ApiResult, FieldError},
    generation::{GenerationPlan, GenerationRequest, ProviderError, ProviderJob, plan::plan},
    imaging::{self, ProcessedImage},
    metadata::{Admission, IdempotencyClaim, ImageRecord, User},
    routes::{auth::current_month, images::ImageView, json::ApiJson},
    state::AppState,
    storage::ImageKeys,
};

const IDEMPOTENCY_HEADER: &str = "idempotency-key";

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

#[utoipa::path(post, path = "/api/generations", tag = "generation", request_body = GenerationRequest,
    params(("Idempotency-Key" = Option<String>, Header,
        description = "Retrying with the same key and body returns the first result without generating again")),
    responses(
        (status = 201, description = "Images generated and stored", body = GenerationEnvelope),
        (status = 409, description = "`idempotency_conflict`", body = crate::error::Problem),
        (status = 422, description = "`invalid_request`", body = crate::error::Problem),
        (status = 429, description = "`rate_limited` or `quota_exceeded`", body = crate::error::Problem),
        (status = 502, description = "`upstream_error`", body = crate::error::Problem),
        (status = 503, description = "`upstream_unavailable`", body = crate::error::Problem),
        (status = 504, description = "`upstream_timeout`", body = crate::error::Problem)))]
pub async fn create_generation(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
    headers: HeaderMap,
    ApiJson(request): ApiJson<GenerationRequest>,
) -> ApiResult<Response> {
    let started = Instant::now();
    let plan = plan(
        &request,
        state.provider.models(),
        state.config.prompt_max_chars,
        rand::random,
    )
    .map_err(ApiError::Validation)?;

    let Some(key) = idempotency_key(&headers)? else {
        let generation = generate(&state, &user, plan, started).await?;
        return Ok(created(
            serde_json::to_string(&generation).map_err(anyhow::Error::from)?,
            false,
        ));
    };
    let request_hash = hex::encode(Sha256::digest(
        serde_json::to_vec(&request).map_err(anyhow::Error::from)?,
    ));
    match state
        .metadata
        .claim_idempotency_key(&user.id, &key, &request_hash, OffsetDateTime::now_utc())
        .await?
    {
        IdempotencyClaim::Claimed => {}
        IdempotencyClaim::Replay(body) => return Ok(created(body, true)),
        IdempotencyClaim::Mismatch => {
            return Err(ApiError::IdempotencyConflict(
                "this Idempotency-Key was already used with a different request",
            ));
        }
        IdempotencyClaim::InProgress => {
            return Err(ApiError::IdempotencyConflict(
                "a request with this Idempotency-Key is still running",
            ));
        }
    }
    match generate(&state, &user, plan, started).await {
        Ok(generation) => {
            let body = serde_json::to_string(&generation).map_err(anyhow::Error::from)?;
            state
                .metadata
                .complete_idempotency_key(&user.id, &key, &body)
                .await?;
            Ok(created(body, false))
        }
        Err(error) => {
            state
                .metadata
                .release_idempotency_key(&user.id, &key)
                .await?;
            Err(error)
        }
    }
}

fn created(body: String, replayed: bool) -> Response {
    let mut response = (
        StatusCode::CREATED,
        [(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/json"),
        )],
        body,
    )
        .into_response();
    if replayed {
        response
            .headers_mut()
            .insert("idempotent-replayed", HeaderValue::from_static("true"));
    }
    response
}

fn idempotency_key(headers: &HeaderMap) -> ApiResult<Option<String>> {
    let Some(value) = headers.get(IDEMPOTENCY_HEADER) else {
        return Ok(None);
    };
    let key = value
        .to_str()
        .ok()
        .filter(|key| (1..=255).contains(&key.len()) && key.bytes().all(|b| b.is_ascii_graphic()))
        .ok_or_else(|| {
            ApiError::invalid_param(
                "Idempotency-Key",
                "must be 1 to 255 visible ASCII characters",
            )
        })?;
    Ok(Some(key.to_owned()))
}

async fn generate(
    state: &AppState,
    user: &User,
    plan: GenerationPlan,
    started: Instant,
) -> ApiResult<GenerationEnvelope> {
    check_rate_limit(state, user).await?;
    let month = current_month();
    if let Some(quota) = state.config.storage_quota() {
        // A cheap early refusal; the store enforces the quota atomically when recording.
        if state.metadata.usage(&user.id, &month).await?.storage_bytes >= quota {
            return Err(ApiError::StorageFull);
        }
    }
    let count = plan.seeds.len() as u32;
    if !state
        .metadata
        .reserve_generations(
            &user.id,
            &month,
            count,
            state.config.monthly_generation_quota,
        )
        .await?
    {
        return Err(ApiError::QuotaExceeded {
            retry_after: until_next_month(),
        });
    }
    if state.config.log_prompts {
        tracing::info!(prompt = %plan.prompt, model = %plan.model.id, images = count, "generating");
    } else {
        tracing::info!(model = %plan.model.id, images = count, "generating");
    }
    let result = generate_reserved(state, user, &plan, started).await;
    let provider = state.provider.name();
    match &result {
        Ok(envelope) => {
            let sizes: Vec<u64> = envelope
                .generation
                .images
                .iter()
                .map(|image| image.bytes)
                .collect();
            state.metrics.record_generation(provider, "ok", &sizes);
        }
        Err(error) => {
            state.metrics.record_generation(provider, error.code(), &[]);
            state
                .metadata
                .release_generations(&user.id, &month, count)
                .await?;
        }
    }
    result
}

async fn check_rate_limit(state: &AppState, user: &User) -> ApiResult<()> {
    let now = OffsetDateTime::now_utc().unix_timestamp();
    let admission = state
        .metadata
        .hit_rate_limit(
            &format!("generations:{}", user.id),
            now - now.rem_euclid(60),
            60,
            state.config.generations_per_minute,
            now,
        )
        .await?;
    match admission {
        Admission::Allowed => Ok(()),
        Admission::Refused { retry_after_secs } => Err(ApiError::RateLimited {
            retry_after: Duration::from_secs(retry_after_secs),
        }),
    }
}

fn until_next_month() -> Duration {
    let now = OffsetDateTime::now_utc();
    let (year, month) = match now.month() {
        time::Month::December => (now.year() + 1, time::Month::January),
        month => (now.year(), month.next()),
    };
    let next = time::Date::from_calendar_date(year, month, 1)
        .map(|date| date.midnight().assume_utc())
        .unwrap_or(now);
    Duration::from_secs((next - now).whole_seconds().max(1) as u64)
}

async fn generate_reserved(
    state: &AppState,
    user: &User,
    plan: &GenerationPlan,
    started: Instant,
) -> ApiResult<GenerationEnvelope> {
    let job = ProviderJob {
        model: plan.model.id.clone(),
        prompt: plan.provider_prompt(),
        negative_prompt: plan.negative_prompt.clone(),
        width: plan.width,
        height: plan.height,
        steps: plan.steps,
        seeds: plan.seeds.clone(),
    };
    let provider_started = Instant::now();
    let delivered = state.provider.generate(&job).await;
    let upstream = provider_started.elapsed();
    state
        .metrics
        .record_upstream(state.provider.name(), upstream);
    let delivered = delivered.map_err(provider_error)?;
    let provider_ms = upstream.as_millis() as u64;

    let max_pixels = state.config.max_image_pixels;
    let processed = futures::future::try_join_all(delivered.iter().map(|image| {
        let bytes: Bytes = image.bytes.clone();
        async move {
            tokio::task::spawn_blocking(move || imaging::process(bytes, max_pixels))
                .await
                .map_err(anyhow::Error::from)?
                .map_err(|error| {
                    tracing::warn!(%error, "provider returned an unusable image");
                    ApiError::Upstream("the image provider returned an unusable image".into())
                })
        }
    }))
    .await?;

    let generation_id = ulid::Ulid::new().to_string();
    let created_at = OffsetDateTime::now_utc();
    let records = image_records(
        user,
        plan,
        &generation_id,
        created_at,
        &delivered,
        &processed,
        state.provider.name(),
    );

    store_objects(state, &records, &processed).await?;
    if let Err(error) = state.metadata.insert_images(&records).await {
        // Without a record the files are unreachable: remove them now rather than
        // leaving them for the sweeper.
        for record in &records {
            let _ = state.media.delete(&record.object_key).await;
            let _ = state.media.delete(&record.thumbnail_key).await;
        }
        return Err(error.into());
    }

    let links = crate::routes::images::media_links(state).await?;
    Ok(GenerationEnvelope {
        generation: GenerationView {
            id: generation_id,
            created_at: created_at.format(&Rfc3339).unwrap_or_default(),
            prompt: plan.prompt.clone(),
            negative_prompt: plan.negative_prompt.clone(),
            model: plan.model.id.clone(),
            provider: state.provider.name().to_owned(),
            width: plan.width,
            height: plan.height,
            steps: plan.steps,
            seed: plan.seeds[0],
            style: plan.style.id.to_owned(),
            images: records
                .iter()
                .map(|record| ImageView::new(record, &links))
                .collect::<ApiResult<_>>()?,
            timings: GenerationTimings {
                provider_ms,
                total_ms: started.elapsed().as_millis() as u64,
            },
        },
    })
}

/// The records of one generation's images, in the plan's order.
pub fn image_records(
    user: &User,
    plan: &GenerationPlan,
    generation_id: &str,
    created_at: OffsetDateTime,
    delivered: &[crate::generation::ProviderImage],
    processed: &[ProcessedImage],
    provider: &str,
) -> Vec<ImageRecord> {
    // Ids sort by time and the gallery lists newest first; giving the first
    // image the highest id keeps a generation's images in their own order.
    let mut ids = Vec::with_capacity(delivered.len());
    let mut next = ulid::Ulid::new();
    for _ in 0..delivered.len() {
        ids.push(next);
        // On overflow (never in practice) start afresh: `Ulid::default()`, which
        // clippy suggests, would be the nil id.
        next = match next.increment() {
            Some(id) => id,
            None => ulid::Ulid::new(),
        };
    }
    ids.reverse();
    delivered
        .iter()
        .zip(processed)
        .zip(ids)
        .map(|((image, processed), id)| {
            let id = id.to_string();
            let keys = ImageKeys::new(&user.id, &id, processed.format.extension());
            ImageRecord {
                id,
                user_id: user.id.clone(),
                generation_id: generation_id.to_owned(),
                prompt: plan.prompt.clone(),
                negative_prompt: plan.negative_prompt.clone(),
                model: plan.model.id.clone(),
                provider: provider.to_owned(),
                width: processed.width,
                height: processed.height,
                steps: plan.steps,
                seed: image.seed,
                style: plan.style.id.to_owned(),
                created_at,
                favorite: false,
                content_type: processed.format.content_type().to_owned(),
                bytes: processed.original.len() as u64,
                object_key: keys.original,
                thumbnail_key: keys.thumbnail,
                thumbnail_width: processed.thumbnail_width,
                thumbnail_height: processed.thumbnail_height,
                placeholder: processed.placeholder.clone(),
                inference_ms: image.inference_ms,
                upstream_id: image.upstream_id.clone(),
            }
        })
        .collect()
}

async fn store_objects(
    state: &AppState,
    records: &[ImageRecord],
    processed: &[ProcessedImage],
) -> ApiResult<()> {
    let puts = records.iter().zip(processed).flat_map(|(record, image)| {
        [
            state.media.put(&record.object_key, image.original.clone()),
            state
                .media
                .put(&record.thumbnail_key, image.thumbnail.clone()),
        ]
    });
    // Wait for every put, failed or not: an abandoned put could still land
    // after the clean-up below and leave a file behind.
    let outcomes = futures::future::join_all(puts).await;
    if let Some(error) = outcomes.into_iter().find_map(Result::err) {
        for record in records {
            let _ = state.media.delete(&record.object_key).await;
            let _ = state.media.delete(&record.thumbnail_key).await;
        }
        return Err(error.into());
    }
    Ok(())
}

fn provider_error(error: ProviderError) -> ApiError {
    match error {
        ProviderError::Rejected(message) => {
            ApiError::Validation(vec![FieldError::new("request", message)])
        }
        ProviderError::Failed(message) => ApiError::Upstream(message),
        ProviderError::Unavailable { retry_after } => ApiError::UpstreamUnavailable { retry_after },
        ProviderError::Timeout => ApiError::UpstreamTimeout,
    }
}
