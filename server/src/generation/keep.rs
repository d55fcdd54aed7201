//! Keeping a draft: its image enters the gallery as it is, with no new
//! provider call. The draft names the gallery image before anything is
//! written, so keeping twice (or again after a crash) makes that one image.

use std::time::Instant;

use time::OffsetDateTime;

use crate::{
    generation::{
        GenerationError, GenerationResult, imaging,
        pipeline::{
            Generation, Generator, MadeWith, StoredImage, largest_expected_bytes, new_image_record,
        },
        plan::GenerationPlan,
        style,
    },
    store::metadata::{DraftRecord, ImageRecord, MonthCounter, User},
};

/// The failure code a keep's reservation is given back under when another
/// keep of the same draft recorded the image first.
const KEPT_BESIDE: &str = "kept_beside";

/// Who recorded a kept draft's image.
enum Kept {
    Now(ImageRecord),
    Before(ImageRecord),
}

impl Generator<'_> {
    /// The gallery image made of `draft_id`: made now, or the one an earlier
    /// keep made. `None` when the user has no such draft, or it expired
    /// before it was kept.
    pub async fn keep_draft(
        &self,
        user: &User,
        draft_id: &str,
    ) -> GenerationResult<Option<Generation>> {
        let started = Instant::now();
        let Some(draft) = self.metadata.draft(&user.id, draft_id).await? else {
            return Ok(None);
        };
        if let Some(image_id) = &draft.kept_image_id
            && let Some(record) = self.metadata.get_image(&user.id, image_id).await?
        {
            return Ok(Some(self.as_generation(&draft, record).await?));
        }
        if draft.expires_at <= OffsetDateTime::now_utc() {
            return Ok(None);
        }
        self.check_room_for(user, largest_expected_bytes(draft.width, draft.height, 1))
            .await?;
        let proposed = ulid::Ulid::new().to_string();
        let Some(image_id) = self
            .metadata
            .claim_draft(&user.id, &draft.id, &proposed)
            .await?
        else {
            return Ok(None);
        };
        if image_id != proposed
            && let Some(record) = self.metadata.get_image(&user.id, &image_id).await?
        {
            return Ok(Some(self.as_generation(&draft, record).await?));
        }
        // The draft was paid for when it was made: keeping costs no money,
        // only one image of the month's quota.
        let reservation = self.reserve(user, MonthCounter::Generations, 1, 0).await?;
        let kept = match self
            .keep_reserved(user, &draft, image_id, &reservation.id)
            .await
        {
            Ok(Kept::Now(record)) => record,
            Ok(Kept::Before(record)) => {
                // A keep running beside this one recorded the image first:
                // this one's reservation counted nothing.
                if let Err(error) = self
                    .metadata
                    .release_generations(&reservation, KEPT_BESIDE)
                    .await
                {
                    tracing::warn!(%error, "could not give back a keep's reservation");
                }
                record
            }
            Err(error) => {
                self.give_back(&reservation, &error).await;
                return Err(error);
            }
        };
        tracing::info!(
            elapsed_ms = started.elapsed().as_millis() as u64,
            "kept a draft"
        );
        Ok(Some(self.as_generation(&draft, kept).await?))
    }

    async fn keep_reserved(
        &self,
        user: &User,
        draft: &DraftRecord,
        image_id: String,
        generation_id: &str,
    ) -> GenerationResult<Kept> {
        let bytes = self
            .media
            .get(&draft.object_key)
            .await?
            .ok_or_else(|| anyhow::anyhow!("the draft's image is missing"))?;
        let max_pixels = self.limits.max_image_pixels;
        let processed = tokio::task::spawn_blocking(move || imaging::process(bytes, max_pixels))
            .await
            .map_err(anyhow::Error::from)?
            .map_err(|error| GenerationError::Internal(error.into()))?;
        let made_with = MadeWith {
            generation_id: generation_id.to_owned(),
            prompt: draft.prompt.clone(),
            negative_prompt: draft.negative_prompt.clone(),
            model: draft.model.clone(),
            provider: draft.provider.clone(),
            steps: draft.steps,
            seed: draft.seed,
            style: draft.style.clone(),
            created_at: OffsetDateTime::now_utc(),
        };
        let record = ImageRecord {
            inference_ms: Some(draft.provider_ms),
            // What making the picture took and cost: keeping adds neither.
            total_ms: Some(draft.total_ms),
            cost_micros: Some(draft.cost_micros),
            ..new_image_record(&user.id, image_id, &processed, made_with)
        };
        let records = [record];
        self.store_objects(&records, std::slice::from_ref(&processed))
            .await?;
        // Not `record`, which removes the files of a refused record: another
        // keep of the same draft writes the same files.
        match self.metadata.insert_images(&records).await {
            Ok(()) => Ok(Kept::Now(records.into_iter().next().expect("one record"))),
            Err(error) => match self.metadata.get_image(&user.id, &records[0].id).await? {
                Some(record) => Ok(Kept::Before(record)),
                // Unrecorded files are the sweep's.
                None => Err(error.into()),
            },
        }
    }

    /// A kept draft's image as the generation that holds it.
    async fn as_generation(
        &self,
        draft: &DraftRecord,
        record: ImageRecord,
    ) -> GenerationResult<Generation> {
        let links = self.links().await?;
        let (url, thumbnail_url) = links.urls(&record.object_key, &record.thumbnail_key)?;
        let model = self
            .provider
            .models()
            .iter()
            .find(|model| model.id == record.model)
            .cloned()
            .ok_or_else(|| anyhow::anyhow!("the draft's model is no longer offered"))?;
        let plan = GenerationPlan {
            model,
            prompt: record.prompt.clone(),
            negative_prompt: record.negative_prompt.clone(),
            width: record.width,
            height: record.height,
            steps: record.steps,
            style: style(&record.style).unwrap_or(&crate::generation::STYLES[0]),
            seeds: vec![record.seed],
        };
        Ok(Generation {
            id: record.generation_id.clone(),
            created_at: record.created_at,
            plan,
            provider: self.provider.name(),
            images: vec![StoredImage {
                record,
                url,
                thumbnail_url,
            }],
            provider_ms: draft.provider_ms,
        })
    }
}
