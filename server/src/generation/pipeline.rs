//! The generation workflow: guard, generate, process, store, record.
//!
//! One function the HTTP handler, the benches and future callers (drafts,
//! reproduce) share. The write order is the data-safety rule: objects first,
//! the record last, so a crash in between leaves only unreferenced files (swept
//! later), never a record that points at nothing.

use std::time::{Duration, Instant};

use bytes::Bytes;
use time::OffsetDateTime;

use crate::{
    generation::imaging::{self, ProcessedImage},
    generation::{GenerationError, GenerationResult},
    generation::{
        GenerationPlan, GenerationRequest, ImageProvider, ProviderError, ProviderImage,
        ProviderJob, plan::plan, usage,
    },
    store::media::{ImageKeys, MediaStore},
    store::metadata::{
        Admission, ImageRecord, MetadataStore, Reservation, StoreError, User, rules::day_of,
    },
    telemetry::metrics::Metrics,
    text::FieldError,
};

/// The most bytes `count` images of `width` × `height` are expected to take:
/// half a byte (4 bits) a pixel. Both providers send JPEG, which stays under
/// 0.4 bytes a pixel for busy pictures (the offline engine: 0.15–0.36).
pub fn largest_expected_bytes(width: u32, height: u32, count: usize) -> u64 {
    u64::from(width) * u64::from(height) * count as u64 / 2
}

/// The settings that bound one user's generations.
#[derive(Debug, Clone)]
pub struct Limits {
    pub prompt_max_chars: usize,
    pub generations_per_minute: u32,
    pub monthly_generation_quota: u32,
    /// Bytes of originals a user may keep, `None` when unlimited.
    pub storage_quota: Option<u64>,
    /// Largest image (width × height) accepted from the provider.
    pub max_image_pixels: u64,
    pub log_prompts: bool,
}

/// Everything one generation touches, borrowed from the application.
pub struct Generator<'a> {
    pub metadata: &'a dyn MetadataStore,
    pub media: &'a MediaStore,
    pub provider: &'a dyn ImageProvider,
    pub metrics: &'a Metrics,
    pub limits: Limits,
    /// Prefix of local media URLs (`PUBLIC_BASE_URL`), empty for relative ones.
    pub public_base_url: &'a str,
}

/// A recorded generation, its images with the URLs a client loads them by.
pub struct Generation {
    pub id: String,
    pub created_at: OffsetDateTime,
    pub plan: GenerationPlan,
    pub provider: &'static str,
    pub images: Vec<StoredImage>,
    /// Time the provider took to make every image.
    pub provider_ms: u64,
}

pub struct StoredImage {
    pub record: ImageRecord,
    pub url: String,
    pub thumbnail_url: String,
}

impl Generator<'_> {
    /// Checks a request against the provider's models and the prompt limit,
    /// choosing seeds the request left open.
    pub fn plan(&self, request: &GenerationRequest) -> GenerationResult<GenerationPlan> {
        plan(
            request,
            self.provider.models(),
            self.limits.prompt_max_chars,
            rand::random,
        )
        .map_err(GenerationError::Invalid)
    }

    /// Makes, stores and records `plan`'s images for `user`, within the user's
    /// rate limit and quotas. A failure releases the month's reservation.
    /// `run_group` names the run a single-image request belongs to (see
    /// [`Generator::check_rate_limit`]).
    pub async fn run(
        &self,
        user: &User,
        plan: GenerationPlan,
        run_group: Option<&str>,
    ) -> GenerationResult<Generation> {
        let month = usage::current_month();
        if let Some(quota) = self.limits.storage_quota {
            // Refused before the provider is paid when the room left cannot
            // hold the largest images it may send; the store still enforces
            // the quota atomically when recording.
            let stored = self.metadata.usage(&user.id, &month).await?.storage_bytes;
            let room = quota.saturating_sub(stored);
            if room < largest_expected_bytes(plan.width, plan.height, plan.seeds.len()) {
                return Err(GenerationError::StorageFull);
            }
        }
        // Counted before the provider is called, so a call that ends in a
        // refusal still counts against the minute.
        self.check_rate_limit(user, &plan, run_group).await?;
        let count = plan.seeds.len() as u32;
        // The generation's id names its reservation, which recording its
        // images removes: a reservation left behind by a crash is the sweep's.
        let reservation = Reservation {
            id: ulid::Ulid::new().to_string(),
            user_id: user.id.clone(),
            month,
            count,
        };
        if !self
            .metadata
            .reserve_generations(&reservation, self.limits.monthly_generation_quota)
            .await?
        {
            return Err(GenerationError::QuotaExceeded {
                retry_after: usage::until_next_month(),
            });
        }
        if self.limits.log_prompts {
            tracing::info!(prompt = %plan.prompt, model = %plan.model.id, images = count, "generating");
        } else {
            tracing::info!(model = %plan.model.id, images = count, "generating");
        }
        let result = self.run_reserved(user, plan, &reservation.id).await;
        let provider = self.provider.name();
        match &result {
            Ok(generation) => {
                let sizes: Vec<u64> = generation
                    .images
                    .iter()
                    .map(|image| image.record.bytes)
                    .collect();
                self.metrics.record_generation(provider, "ok", &sizes);
                // Only the operator's figures depend on it: a failure is logged.
                let today = day_of(generation.created_at);
                if let Err(error) = self.metadata.mark_active(&user.id, &today).await {
                    tracing::warn!(%error, "could not count the user as active today");
                }
            }
            Err(error) => {
                self.metrics.record_generation(provider, error.code(), &[]);
                // The answer is the failure itself; a failed give-back is only
                // logged (the sweep gives the reservation back later).
                if let Err(release_error) = self
                    .metadata
                    .release_generations(&reservation, error.code())
                    .await
                {
                    tracing::error!(error = %release_error, images = count, "could not give back a failed generation's quota");
                }
            }
        }
        result
    }

    /// The per-minute limit counts requests, each of up to the model's
    /// `max_images` images. A client that asks for a run's images one request
    /// each (so each shows as soon as it is ready) names the run in
    /// `Generation-Group`; those single-image requests are counted in images
    /// instead, against the same number of images a minute the limit allows
    /// in whole requests, so splitting a run neither costs the person more of
    /// the limit nor lets anyone generate faster.
    async fn check_rate_limit(
        &self,
        user: &User,
        plan: &GenerationPlan,
        run_group: Option<&str>,
    ) -> GenerationResult<()> {
        let now = OffsetDateTime::now_utc().unix_timestamp();
        let per_minute = self.limits.generations_per_minute;
        let (key, limit) = match run_group {
            Some(_) if plan.seeds.len() == 1 => (
                format!("generation-images:{}", user.id),
                per_minute.saturating_mul(plan.model.max_images),
            ),
            _ => (format!("generations:{}", user.id), per_minute),
        };
        let admission = self
            .metadata
            .hit_rate_limit(&key, now - now.rem_euclid(60), 60, limit, now)
            .await?;
        match admission {
            Admission::Allowed => Ok(()),
            Admission::Refused { retry_after_secs } => Err(GenerationError::RateLimited {
                retry_after: Duration::from_secs(retry_after_secs),
            }),
        }
    }

    async fn run_reserved(
        &self,
        user: &User,
        plan: GenerationPlan,
        generation_id: &str,
    ) -> GenerationResult<Generation> {
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
        let delivered = self.provider.generate(&job).await;
        let upstream = provider_started.elapsed();
        self.metrics.record_upstream(self.provider.name(), upstream);
        let delivered = delivered.map_err(provider_error)?;
        let provider_ms = upstream.as_millis() as u64;

        let max_pixels = self.limits.max_image_pixels;
        let processed = futures::future::try_join_all(delivered.iter().map(|image| {
            let bytes: Bytes = image.bytes.clone();
            async move {
                tokio::task::spawn_blocking(move || imaging::process(bytes, max_pixels))
                    .await
                    .map_err(anyhow::Error::from)?
                    .map_err(|error| {
                        tracing::warn!(%error, "provider returned an unusable image");
                        GenerationError::Upstream(
                            "the image provider returned an unusable image".into(),
                        )
                    })
            }
        }))
        .await?;

        let created_at = OffsetDateTime::now_utc();
        let records = image_records(
            user,
            &plan,
            generation_id,
            created_at,
            &delivered,
            &processed,
            self.provider.name(),
        );

        self.store_objects(&records, &processed).await?;
        self.record(user, &records).await?;

        let links = self
            .media
            .links(
                OffsetDateTime::now_utc().unix_timestamp(),
                self.public_base_url,
            )
            .await?;
        let images = records
            .into_iter()
            .map(|record| {
                let (url, thumbnail_url) = links.urls(&record.object_key, &record.thumbnail_key)?;
                Ok(StoredImage {
                    record,
                    url,
                    thumbnail_url,
                })
            })
            .collect::<GenerationResult<_>>()?;
        Ok(Generation {
            id: generation_id.to_owned(),
            created_at,
            plan,
            provider: self.provider.name(),
            images,
            provider_ms,
        })
    }

    async fn store_objects(
        &self,
        records: &[ImageRecord],
        processed: &[ProcessedImage],
    ) -> GenerationResult<()> {
        let puts = records.iter().zip(processed).flat_map(|(record, image)| {
            [
                self.media.put(&record.object_key, image.original.clone()),
                self.media
                    .put(&record.thumbnail_key, image.thumbnail.clone()),
            ]
        });
        // Wait for every put, failed or not: an abandoned put could still land
        // after the clean-up below and leave a file behind.
        let outcomes = futures::future::join_all(puts).await;
        if let Some(error) = outcomes.into_iter().find_map(Result::err) {
            self.delete_objects(records).await;
            return Err(error.into());
        }
        Ok(())
    }

    /// Records the images whose objects are stored. When the store refuses,
    /// the files are unreachable and are removed at once. When the answer was
    /// lost, a read tells whether the records were written (all or none
    /// were): written, the generation stands; not found or unreadable, the
    /// files stay for the sweeper, which keeps whatever a record names, in
    /// case the write lands late.
    async fn record(&self, user: &User, records: &[ImageRecord]) -> GenerationResult<()> {
        let error = match self.metadata.insert_images(records).await {
            Ok(()) => return Ok(()),
            Err(error) => error,
        };
        if !matches!(error, StoreError::OutcomeUnknown(_)) {
            self.delete_objects(records).await;
            return Err(error.into());
        }
        let Some(first) = records.first() else {
            return Err(error.into());
        };
        match self.metadata.image_record_exists(&user.id, &first.id).await {
            Ok(true) => {
                tracing::warn!(%error, "recording images: the answer was lost, the records are there");
                Ok(())
            }
            Ok(false) => Err(error.into()),
            Err(check) => {
                tracing::error!(error = %check, "could not tell whether lost records were written");
                Err(error.into())
            }
        }
    }

    /// Best effort: what fails here is left for the sweeper.
    async fn delete_objects(&self, records: &[ImageRecord]) {
        for record in records {
            let _ = self.media.delete(&record.object_key).await;
            let _ = self.media.delete(&record.thumbnail_key).await;
        }
    }
}

/// The records of one generation's images, in the plan's order.
pub fn image_records(
    user: &User,
    plan: &GenerationPlan,
    generation_id: &str,
    created_at: OffsetDateTime,
    delivered: &[ProviderImage],
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
                trashed_at: None,
                collection_ids: Vec::new(),
            }
        })
        .collect()
}

fn provider_error(error: ProviderError) -> GenerationError {
    match error {
        ProviderError::Rejected(message) => {
            GenerationError::Invalid(vec![FieldError::new("request", message)])
        }
        ProviderError::Failed(message) => GenerationError::Upstream(message),
        ProviderError::Unavailable { retry_after } => {
            GenerationError::UpstreamUnavailable { retry_after }
        }
        ProviderError::Timeout => GenerationError::UpstreamTimeout,
    }
}
