//! The export figures: how long a ZIP of 1,000 images takes on local files
//! and on S3 + DynamoDB (moto), and how much memory it adds while it is made
//! (the process's peak resident memory, reset just before, minus what it
//! held then): an export streams, so that growth must not follow the count.

use std::{sync::Arc, time::Instant};

use bytes::Bytes;
use futures::{StreamExt, TryStreamExt};
use promptcanvas::{
    gallery::export::{self, Selection},
    generation::imaging,
    store::media::MediaStore,
    store::metadata::MetadataStore,
};
use promptcanvas_offline::{RenderRequest, render_jpeg};
use time::OffsetDateTime;

use super::{PROMPT, create_user, records};

pub struct ExportFigures {
    pub seconds: f64,
    pub peak_growth_mib: f64,
    pub zip_mib: f64,
}

/// Stores `count` 1024×1024 offline JPEGs (a multiple of 25) for a new
/// user, then exports them all once.
pub async fn export_figures(
    metadata: Arc<dyn MetadataStore>,
    media: &MediaStore,
    count: usize,
) -> anyhow::Result<ExportFigures> {
    let original = Bytes::from(render_jpeg(&RenderRequest {
        prompt: PROMPT,
        seed: 3,
        width: 1024,
        height: 1024,
        steps: 4,
    }));
    let processed = imaging::process(original.clone(), 1 << 24)?;
    let user = create_user(metadata.as_ref()).await?;
    for _ in 0..count / 25 {
        let batch = records(&user, &vec![processed.clone(); 25]);
        futures::stream::iter(&batch)
            .map(|record| media.put(&record.object_key, original.clone()))
            .buffer_unordered(8)
            .try_collect::<Vec<()>>()
            .await?;
        metadata.insert_images(&batch).await?;
    }

    let before = reset_peak_memory()?;
    let started = Instant::now();
    let images =
        export::select(metadata.as_ref(), &user.id, &Selection::Everything, 100_000).await?;
    let now = OffsetDateTime::now_utc();
    let record = export::build(
        metadata.as_ref(),
        media,
        &user.id,
        &images,
        now,
        now + time::Duration::hours(1),
    )
    .await?;
    let seconds = started.elapsed().as_secs_f64();
    let peak = status_kib("VmHWM:")?;
    anyhow::ensure!(record.image_count == count as u64, "the export lost images");
    Ok(ExportFigures {
        seconds,
        peak_growth_mib: (peak.saturating_sub(before)) as f64 / 1024.0,
        zip_mib: record.bytes as f64 / (1024.0 * 1024.0),
    })
}

/// Sets the peak resident memory back to what is resident now; answers that (KiB).
fn reset_peak_memory() -> anyhow::Result<u64> {
    std::fs::write("/proc/self/clear_refs", "5")?;
    status_kib("VmRSS:")
}

fn status_kib(field: &str) -> anyhow::Result<u64> {
    let status = std::fs::read_to_string("/proc/self/status")?;
    status
        .lines()
        .find_map(|line| line.strip_prefix(field))
        .and_then(|value| value.trim().trim_end_matches("kB").trim().parse().ok())
        .ok_or_else(|| anyhow::anyhow!("{field} is missing from /proc/self/status"))
}
