//! Reproducing an image: its recorded recipe is made again (one image of the
//! month's quota, nothing stored) and the result compared with the original,
//! byte for byte and pixel by pixel. The offline engine must give the same
//! bytes; hosted models may differ a little, and the difference says how much.

use bytes::Bytes;
use sha2::{Digest, Sha256};

use crate::{
    generation::{
        GenerationError, GenerationPlan, GenerationResult, cost, pipeline::Generator, style,
    },
    store::metadata::{ImageRecord, MonthCounter, User},
};

/// What making an image again gave.
#[derive(Debug, Clone, PartialEq)]
pub struct Reproduction {
    /// The same bytes.
    pub identical: bool,
    /// Mean absolute difference per channel, 0 (same pixels) to 1; 1 when
    /// the sizes differ.
    pub difference: f64,
    pub sha256_original: String,
    pub sha256_reproduced: String,
}

impl Generator<'_> {
    /// Makes `image` again from its recipe and compares. Refused like a
    /// generation (per-minute limit, quota, budget) and with
    /// `NotReproducible` when this server no longer offers its model.
    pub async fn reproduce(
        &self,
        user: &User,
        image: &ImageRecord,
    ) -> GenerationResult<Reproduction> {
        let plan = self.plan_again(&Settings::from(image))?;
        let original = self
            .media
            .get(&image.object_key)
            .await?
            .ok_or_else(|| anyhow::anyhow!("the original of image {} is missing", image.id))?;
        self.check_rate_limit(user, &plan, None).await?;
        let cost = cost::image_micros(&plan.model, plan.width, plan.height);
        let reservation = self
            .reserve(user, MonthCounter::Generations, 1, cost)
            .await?;
        let made = match self.make(&plan).await {
            Ok(made) => made,
            Err(error) => {
                self.give_back(&reservation, &error).await;
                return Err(error);
            }
        };
        // Made and paid for: it counts, though nothing records it.
        self.metadata.settle_reservation(&reservation).await?;
        compare_apart(original, first_image(made)?).await
    }

    /// Makes an image again from `settings` and compares it with
    /// `original`, outside any user's limits and quotas: for the operator's
    /// `promptcanvas reproduce`, which checks an export.
    pub async fn remake(
        &self,
        settings: &Settings<'_>,
        original: Bytes,
    ) -> GenerationResult<Reproduction> {
        let plan = self.plan_again(settings)?;
        let reproduced = first_image(self.make(&plan).await?)?;
        compare_apart(original, reproduced).await
    }

    /// The plan that made an image, as this server can make it now.
    fn plan_again(&self, settings: &Settings<'_>) -> GenerationResult<GenerationPlan> {
        let model = self
            .provider
            .models()
            .iter()
            .find(|model| model.id == settings.model)
            .filter(|_| settings.provider == self.provider.name());
        let (Some(model), Some(style)) = (model, style(settings.style)) else {
            return Err(GenerationError::NotReproducible);
        };
        Ok(GenerationPlan {
            model: model.clone(),
            prompt: settings.prompt.to_owned(),
            negative_prompt: settings.negative_prompt.map(str::to_owned),
            width: settings.width,
            height: settings.height,
            steps: settings.steps,
            style,
            seeds: vec![settings.seed],
        })
    }
}

/// The settings an image was made with, from its record or an export.
#[derive(Debug, Clone, Copy)]
pub struct Settings<'a> {
    pub prompt: &'a str,
    pub negative_prompt: Option<&'a str>,
    pub model: &'a str,
    pub provider: &'a str,
    pub width: u32,
    pub height: u32,
    pub steps: u32,
    pub seed: u64,
    pub style: &'a str,
}

impl<'a> From<&'a ImageRecord> for Settings<'a> {
    fn from(image: &'a ImageRecord) -> Self {
        Self {
            prompt: &image.prompt,
            negative_prompt: image.negative_prompt.as_deref(),
            model: &image.model,
            provider: &image.provider,
            width: image.width,
            height: image.height,
            steps: image.steps,
            seed: image.seed,
            style: &image.style,
        }
    }
}

fn first_image(made: super::pipeline::Made) -> GenerationResult<Bytes> {
    made.delivered
        .into_iter()
        .next()
        .map(|image| image.bytes)
        .ok_or_else(|| GenerationError::Upstream("the image provider returned no image".into()))
}

/// [`compare`] on a blocking thread.
async fn compare_apart(original: Bytes, reproduced: Bytes) -> GenerationResult<Reproduction> {
    tokio::task::spawn_blocking(move || compare(&original, &reproduced))
        .await
        .map_err(anyhow::Error::from)?
}

fn sha256_hex(bytes: &[u8]) -> String {
    hex::encode(Sha256::digest(bytes))
}

/// Compares two encoded images. CPU-bound: call it from a blocking task.
pub fn compare(original: &Bytes, reproduced: &Bytes) -> GenerationResult<Reproduction> {
    let identical = original == reproduced;
    let difference = if identical {
        0.0
    } else {
        let decode = |bytes: &Bytes| {
            image::load_from_memory(bytes)
                .map(|decoded| decoded.to_rgb8())
                .map_err(|error| anyhow::anyhow!("decoding an image to compare: {error}"))
        };
        let (a, b) = (decode(original)?, decode(reproduced)?);
        if a.dimensions() != b.dimensions() {
            1.0
        } else {
            let total: u64 = a
                .as_raw()
                .iter()
                .zip(b.as_raw())
                .map(|(x, y)| u64::from(x.abs_diff(*y)))
                .sum();
            total as f64 / (a.as_raw().len().max(1) as f64 * 255.0)
        }
    };
    Ok(Reproduction {
        identical,
        difference,
        sha256_original: sha256_hex(original),
        sha256_reproduced: sha256_hex(reproduced),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn png(width: u32, height: u32, fill: [u8; 3]) -> Bytes {
        let image = image::RgbImage::from_pixel(width, height, image::Rgb(fill));
        let mut out = std::io::Cursor::new(Vec::new());
        image.write_to(&mut out, image::ImageFormat::Png).unwrap();
        Bytes::from(out.into_inner())
    }

    #[test]
    fn the_same_bytes_are_identical() {
        let a = png(8, 8, [10, 20, 30]);
        let result = compare(&a, &a.clone()).unwrap();
        assert!(result.identical);
        assert_eq!(result.difference, 0.0);
        assert_eq!(result.sha256_original, result.sha256_reproduced);
        assert_eq!(result.sha256_original.len(), 64);
    }

    #[test]
    fn different_pixels_give_their_mean_difference() {
        let a = png(8, 8, [0, 0, 0]);
        let b = png(8, 8, [51, 0, 0]);
        let result = compare(&a, &b).unwrap();
        assert!(!result.identical);
        // One channel of three differs by 51 of 255: 0.2 / 3.
        assert!(
            (result.difference - 0.2 / 3.0).abs() < 1e-9,
            "{}",
            result.difference
        );
        assert_ne!(result.sha256_original, result.sha256_reproduced);
    }

    #[test]
    fn different_sizes_differ_entirely() {
        let result = compare(&png(8, 8, [0, 0, 0]), &png(8, 16, [0, 0, 0])).unwrap();
        assert!(!result.identical);
        assert_eq!(result.difference, 1.0);
    }
}
