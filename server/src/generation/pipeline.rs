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
        ProviderJob, cost, plan::plan, usage,
    },
    store::media::{ImageKeys, MediaLinks, MediaStore},
    store::metadata::{
        Admission, DraftRecord, ImageRecord, MetadataStore, MonthCaps, MonthCounter, Reservation,
        Reserved, StoreError, User, rules::day_of,
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
    pub drafts_per_minute: u32,
    pub monthly_draft_quota: u32,
    /// Most a user's generations and drafts may cost in a month, in
    /// millionths of a dollar; `None` for no budget.
    pub monthly_budget_micros: Option<u64>,
    /// How long a draft lasts.
    pub draft_ttl: Duration,
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

/// A recorded draft and the URL a client loads it by.
pub struct Draft {
    pub record: DraftRecord,
    pub url: String,
}

/// What the provider delivered and the checks made of it, in the plan's order.
pub(super) struct Made {
    pub delivered: Vec<ProviderImage>,
    pub processed: Vec<ProcessedImage>,
    pub provider_ms: u64,
}

/// Where a draft's image lives: outside `users/`, so the gallery's sweep of
/// unrecorded files never looks there, and under one prefix that an S3
/// lifecycle rule can expire.
pub fn draft_key(user_id: &str, draft_id: &str, extension: &str) -> String {
    format!("{DRAFTS_PREFIX}/{user_id}/{draft_id}.{extension}")
}

/// The prefix of every draft's object.
pub const DRAFTS_PREFIX: &str = "drafts";

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
    /// rate limit, quotas and budget. A failure releases the month's
    /// reservation. `run_group` names the run a single-image request belongs
    /// to (see [`Generator::check_rate_limit`]).
    pub async fn run(
        &self,
        user: &User,
        plan: GenerationPlan,
        run_group: Option<&str>,
    ) -> GenerationResult<Generation> {
        let started = Instant::now();
        self.check_room_for(
            user,
            largest_expected_bytes(plan.width, plan.height, plan.seeds.len()),
        )
        .await?;
        // Counted before the provider is called, so a call that ends in a
        // refusal still counts against the minute.
        self.check_rate_limit(user, &plan, run_group).await?;
        let count = plan.seeds.len() as u32;
        let cost = cost::image_micros(&plan.model, plan.width, plan.height) * u64::from(count);
        let reservation = self
            .reserve(user, MonthCounter::Generations, count, cost)
            .await?;
        self.log_start(&plan, "generating");
        let result = self
            .run_reserved(user, plan, &reservation.id, started)
            .await;
        let provider = self.provider.name();
        match &result {
            Ok(generation) => {
                let sizes: Vec<u64> = generation
                    .images
                    .iter()
                    .map(|image| image.record.bytes)
                    .collect();
                self.metrics.record_generation(provider, "ok", &sizes);
                self.mark_active(user, generation.created_at).await;
            }
            Err(error) => {
                self.metrics.record_generation(provider, error.code(), &[]);
                self.give_back(&reservation, error).await;
            }
        }
        result
    }

    /// Makes and stores one draft of `plan` (its first seed) for `user`, outside
    /// the gallery, within the user's draft limit, draft quota and budget.
    pub async fn run_draft(&self, user: &User, plan: GenerationPlan) -> GenerationResult<Draft> {
        let started = Instant::now();
        self.hit_limit(format!("drafts:{}", user.id), self.limits.drafts_per_minute)
            .await?;
        let cost = cost::image_micros(&plan.model, plan.width, plan.height);
        let reservation = self.reserve(user, MonthCounter::Drafts, 1, cost).await?;
        self.log_start(&plan, "drafting");
        let result = self
            .draft_reserved(user, plan, &reservation.id, cost, started)
            .await;
        match &result {
            Ok(draft) => self.mark_active(user, draft.record.created_at).await,
            Err(error) => self.give_back(&reservation, error).await,
        }
        result
    }

    /// Refused before the provider is paid when the room left cannot hold
    /// `bytes` (the largest images it may send); the store still enforces
    /// the quota atomically when recording.
    pub(super) async fn check_room_for(&self, user: &User, bytes: u64) -> GenerationResult<()> {
        let Some(quota) = self.limits.storage_quota else {
            return Ok(());
        };
        let stored = self
            .metadata
            .usage(&user.id, &usage::current_month())
            .await?
            .storage_bytes;
        if quota.saturating_sub(stored) < bytes {
            return Err(GenerationError::StorageFull);
        }
        Ok(())
    }

    /// Counts `count` against the month's `counter` and `cost` against its
    /// budget. The reservation is named by a new id, which the generation or
    /// draft recording it takes as its own: a reservation left behind by a
    /// crash is the sweep's.
    pub(super) async fn reserve(
        &self,
        user: &User,
        counter: MonthCounter,
        count: u32,
        cost_micros: u64,
    ) -> GenerationResult<Reservation> {
        let reservation = Reservation {
            id: ulid::Ulid::new().to_string(),
            user_id: user.id.clone(),
            month: usage::current_month(),
            count,
            counter,
            cost_micros,
        };
        let quota = match counter {
            MonthCounter::Generations => self.limits.monthly_generation_quota,
            MonthCounter::Drafts => self.limits.monthly_draft_quota,
        };
        let caps = MonthCaps {
            quota,
            budget_micros: self.limits.monthly_budget_micros,
        };
        match self.metadata.reserve(&reservation, caps).await? {
            Reserved::Held => Ok(reservation),
            Reserved::OverQuota => Err(GenerationError::QuotaExceeded {
                retry_after: usage::until_next_month(),
            }),
            Reserved::OverBudget => Err(GenerationError::BudgetExceeded),
        }
    }

    fn log_start(&self, plan: &GenerationPlan, what: &str) {
        let (model, images) = (&plan.model.id, plan.seeds.len());
        if self.limits.log_prompts {
            tracing::info!(prompt = %plan.prompt, %model, images, "{what}");
        } else {
            tracing::info!(%model, images, "{what}");
        }
    }

    /// Only the operator's figures depend on it: a failure is logged.
    async fn mark_active(&self, user: &User, at: OffsetDateTime) {
        if let Err(error) = self.metadata.mark_active(&user.id, &day_of(at)).await {
            tracing::warn!(%error, "could not count the user as active today");
        }
    }

    /// The answer is the failure itself; a failed give-back is only logged
    /// (the sweep gives the reservation back later).
    pub(super) async fn give_back(&self, reservation: &Reservation, error: &GenerationError) {
        if let Err(release_error) = self
            .metadata
            .release_generations(reservation, error.code())
            .await
        {
            tracing::error!(error = %release_error, images = reservation.count, "could not give back a failed generation's quota");
        }
    }

    /// The per-minute limit counts requests, each of up to the model's
    /// `max_images` images. A client that asks for a run's images one request
    /// each (so each shows as soon as it is ready) names the run in
    /// `Generation-Group`; those single-image requests are counted in images
    /// instead, against the same number of images a minute the limit allows
    /// in whole requests, so splitting a run neither costs the person more of
    /// the limit nor lets anyone generate faster.
    pub(super) async fn check_rate_limit(
        &self,
        user: &User,
        plan: &GenerationPlan,
        run_group: Option<&str>,
    ) -> GenerationResult<()> {
        let per_minute = self.limits.generations_per_minute;
        let (key, limit) = match run_group {
            Some(_) if plan.seeds.len() == 1 => (
                format!("generation-images:{}", user.id),
                per_minute.saturating_mul(plan.model.max_images),
            ),
            _ => (format!("generations:{}", user.id), per_minute),
        };
        self.hit_limit(key, limit).await
    }

    /// Counts one request under `key` in this minute's window.
    async fn hit_limit(&self, key: String, limit: u32) -> GenerationResult<()> {
        let now = OffsetDateTime::now_utc().unix_timestamp();
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
        started: Instant,
    ) -> GenerationResult<Generation> {
        let Made {
            delivered,
            processed,
            provider_ms,
        } = self.make(&plan).await?;
        let created_at = OffsetDateTime::now_utc();
        let mut records = image_records(
            user,
            &plan,
            generation_id,
            created_at,
            &delivered,
            &processed,
            self.provider.name(),
        );
        let total_ms = started.elapsed().as_millis() as u64;
        for record in &mut records {
            record.total_ms = Some(total_ms);
        }

        self.store_objects(&records, &processed).await?;
        self.record(user, &records).await?;

        let links = self.links().await?;
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

    /// Asks the provider for the plan's images and checks each one.
    pub(super) async fn make(&self, plan: &GenerationPlan) -> GenerationResult<Made> {
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
        Ok(Made {
            delivered,
            processed,
            provider_ms: upstream.as_millis() as u64,
        })
    }

    async fn draft_reserved(
        &self,
        user: &User,
        plan: GenerationPlan,
        draft_id: &str,
        cost_micros: u64,
        started: Instant,
    ) -> GenerationResult<Draft> {
        let Made {
            delivered,
            processed,
            provider_ms,
        } = self.make(&plan).await?;
        let (Some(image), Some(processed)) = (delivered.first(), processed.into_iter().next())
        else {
            return Err(GenerationError::Upstream(
                "the image provider returned no image".into(),
            ));
        };
        let created_at = OffsetDateTime::now_utc();
        let record = DraftRecord {
            id: draft_id.to_owned(),
            user_id: user.id.clone(),
            prompt: plan.prompt.clone(),
            negative_prompt: plan.negative_prompt.clone(),
            model: plan.model.id.clone(),
            provider: self.provider.name().to_owned(),
            width: processed.width,
            height: processed.height,
            steps: plan.steps,
            seed: image.seed,
            style: plan.style.id.to_owned(),
            created_at,
            expires_at: created_at + self.limits.draft_ttl,
            content_type: processed.format.content_type().to_owned(),
            bytes: processed.original.len() as u64,
            object_key: draft_key(&user.id, draft_id, processed.format.extension()),
            provider_ms,
            total_ms: started.elapsed().as_millis() as u64,
            cost_micros,
            kept_image_id: None,
        };
        self.media
            .put(&record.object_key, processed.original)
            .await?;
        if let Err(error) = self.metadata.insert_draft(&record).await {
            // A refused record leaves an object nothing names; a lost answer
            // leaves it for the sweep, which keeps what a record names.
            if !matches!(error, StoreError::OutcomeUnknown(_)) {
                let _ = self.media.delete(&record.object_key).await;
            }
            return Err(error.into());
        }
        let url = self.url_of(&record.object_key).await?;
        Ok(Draft { record, url })
    }

    /// The URL maker for one answer, signing as of now.
    pub(super) async fn links(&self) -> GenerationResult<MediaLinks> {
        Ok(self
            .media
            .links(
                OffsetDateTime::now_utc().unix_timestamp(),
                self.public_base_url,
            )
            .await?)
    }

    /// A signed URL of one stored object.
    pub async fn url_of(&self, key: &str) -> GenerationResult<String> {
        let links = self.links().await?;
        Ok(links.urls(key, key)?.0)
    }

    pub(super) async fn store_objects(
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
            let made_with = MadeWith {
                generation_id: generation_id.to_owned(),
                prompt: plan.prompt.clone(),
                negative_prompt: plan.negative_prompt.clone(),
                model: plan.model.id.clone(),
                provider: provider.to_owned(),
                steps: plan.steps,
                seed: image.seed,
                style: plan.style.id.to_owned(),
                created_at,
            };
            ImageRecord {
                inference_ms: image.inference_ms,
                cost_micros: Some(cost::image_micros(&plan.model, plan.width, plan.height)),
                upstream_id: image.upstream_id.clone(),
                ..new_image_record(&user.id, id.to_string(), processed, made_with)
            }
        })
        .collect()
}

/// How an image was made, as its record keeps it.
#[derive(Debug)]
pub struct MadeWith {
    pub generation_id: String,
    pub prompt: String,
    pub negative_prompt: Option<String>,
    pub model: String,
    pub provider: String,
    pub steps: u32,
    pub seed: u64,
    pub style: String,
    pub created_at: OffsetDateTime,
}

/// The record of `processed` stored as `image_id` of `user_id`: sizes, type,
/// object keys and placeholder from the image, the settings from `made_with`.
/// Not a favourite, in no collection, and without the time or cost of making
/// it: callers that know them set them.
pub fn new_image_record(
    user_id: &str,
    image_id: String,
    processed: &ProcessedImage,
    made_with: MadeWith,
) -> ImageRecord {
    let keys = ImageKeys::new(user_id, &image_id, processed.format.extension());
    ImageRecord {
        id: image_id,
        user_id: user_id.to_owned(),
        generation_id: made_with.generation_id,
        prompt: made_with.prompt,
        negative_prompt: made_with.negative_prompt,
        model: made_with.model,
        provider: made_with.provider,
        width: processed.width,
        height: processed.height,
        steps: made_with.steps,
        seed: made_with.seed,
        style: made_with.style,
        created_at: made_with.created_at,
        favorite: false,
        content_type: processed.format.content_type().to_owned(),
        bytes: processed.original.len() as u64,
        object_key: keys.original,
        thumbnail_key: keys.thumbnail,
        thumbnail_width: processed.thumbnail_width,
        thumbnail_height: processed.thumbnail_height,
        placeholder: processed.placeholder.clone(),
        inference_ms: None,
        total_ms: None,
        cost_micros: None,
        upstream_id: None,
        trashed_at: None,
        collection_ids: Vec::new(),
    }
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
