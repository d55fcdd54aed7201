//! The offline preview engine as a provider: no key, no network, deterministic.

use std::time::Instant;

use async_trait::async_trait;
use bytes::Bytes;
use promptcanvas_offline::{RenderRequest, render_jpeg};

use crate::generation::{
    ImageProvider, ModelSpec, ProviderError, ProviderImage, ProviderJob, SizeRange, StepRange,
};

pub const OFFLINE_MODEL_ID: &str = "offline-preview";

pub struct OfflineProvider {
    models: Vec<ModelSpec>,
}

impl OfflineProvider {
    pub fn new() -> Self {
        let side = SizeRange {
            min: 256,
            max: 1440,
            multiple_of: 16,
        };
        Self {
            models: vec![ModelSpec {
                id: OFFLINE_MODEL_ID.into(),
                label: "Offline preview engine".into(),
                steps: StepRange {
                    min: 1,
                    max: 8,
                    default: 4,
                },
                width: side,
                height: side,
                max_images: 4,
                negative_prompt: false,
                price_per_megapixel_usd: 0.0,
            }],
        }
    }
}

impl Default for OfflineProvider {
    fn default() -> Self {
        Self::new()
    }
}

#[async_trait]
impl ImageProvider for OfflineProvider {
    fn name(&self) -> &'static str {
        "offline"
    }

    fn models(&self) -> &[ModelSpec] {
        &self.models
    }

    async fn generate(&self, job: &ProviderJob) -> Result<Vec<ProviderImage>, ProviderError> {
        // One blocking task per image: on a multi-core machine they render side by side.
        let renders = job.seeds.iter().map(|&seed| {
            let prompt = job.prompt.clone();
            let (width, height, steps) = (job.width, job.height, job.steps);
            tokio::task::spawn_blocking(move || {
                let started = Instant::now();
                let bytes = render_jpeg(&RenderRequest {
                    prompt: &prompt,
                    seed,
                    width,
                    height,
                    steps,
                });
                ProviderImage {
                    bytes: Bytes::from(bytes),
                    seed,
                    inference_ms: Some(started.elapsed().as_millis() as u64),
                    upstream_id: None,
                }
            })
        });
        futures::future::try_join_all(renders)
            .await
            .map_err(|error| ProviderError::Failed(format!("offline engine crashed: {error}")))
    }
}
