//! Removes image files that no record names: what a crash between storing an
//! image's files and recording it (or a failed clean-up) leaves behind, and
//! the half-written files of a write a crash cut short; and gives back the
//! monthly generations a crash left reserved for images never made.
//! Files and reservations younger than the grace period are left alone, since
//! they may belong to a generation that is still running.

use std::time::{Duration, SystemTime};

use time::OffsetDateTime;

use crate::{
    settings::Config,
    store::media::MediaStore,
    store::metadata::{MetadataStore, StoreResult},
};

#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct SweepReport {
    pub examined: usize,
    pub removed: Vec<String>,
    /// Trashed images deleted for good because their retention ran out.
    pub expired: usize,
    /// Deletes that a crash or a timeout had stopped half-way, finished.
    pub finished_deletes: usize,
    /// Generations reserved for images a crash stopped, given back.
    pub released_reservations: usize,
}

/// Reservations given back per store read.
const RESERVATION_BATCH: u32 = 100;

/// The failure code, in the operator's figures, of a generation whose
/// process died before it ended.
pub const INTERRUPTED: &str = "interrupted";

/// Gives back every reservation made more than `grace_secs` ago that its
/// generation neither recorded nor gave back (the process running it died);
/// returns how many generations went back to their months.
pub async fn give_back_reservations(
    metadata: &dyn MetadataStore,
    grace_secs: u64,
    now: OffsetDateTime,
) -> StoreResult<usize> {
    let before = now - time::Duration::seconds(grace_secs.min(i64::MAX as u64) as i64);
    let mut generations = 0;
    loop {
        let stale = metadata
            .stale_reservations(before, RESERVATION_BATCH)
            .await?;
        for reservation in &stale {
            metadata
                .release_generations(reservation, INTERRUPTED)
                .await?;
            tracing::info!(
                user_id = %reservation.user_id,
                month = %reservation.month,
                generations = reservation.count,
                "gave back generations a crash had left reserved"
            );
            generations += reservation.count as usize;
        }
        if stale.len() < RESERVATION_BATCH as usize {
            return Ok(generations);
        }
    }
}

/// Where every image file lives.
pub const ALL_IMAGES: &str = "users";

/// Deletes every file under `prefix` (`users`, or `users/<id>` for one
/// person) older than `grace_secs` whose image has no record (hidden records
/// count: their delete is re-runnable and owns them).
pub async fn sweep_orphans(
    media: &MediaStore,
    metadata: &dyn MetadataStore,
    prefix: &str,
    grace_secs: u64,
    now: OffsetDateTime,
) -> anyhow::Result<SweepReport> {
    // To the nanosecond: with no grace, a file written a moment ago counts.
    let cutoff = SystemTime::from(now)
        .checked_sub(Duration::from_secs(grace_secs))
        .unwrap_or(SystemTime::UNIX_EPOCH);
    let mut report = SweepReport::default();
    for object in media.list(prefix).await? {
        report.examined += 1;
        if SystemTime::from(object.last_modified) > cutoff {
            continue;
        }
        let key = object.location.to_string();
        let Some((user_id, image_id)) = image_of(&key) else {
            continue;
        };
        if !metadata.image_record_exists(user_id, image_id).await? {
            media.delete(&key).await?;
            tracing::info!(key = %key, "removed an orphaned image file");
            report.removed.push(key);
        }
    }
    // A write the process was killed in the middle of: never a whole file,
    // so no record can need it.
    for key in media.unfinished_writes(prefix, cutoff).await? {
        report.examined += 1;
        media.delete_unfinished_write(&key).await?;
        tracing::info!(key = %key, "removed a file whose write was never finished");
        report.removed.push(key);
    }
    Ok(report)
}

/// The whole sweep, as `promptcanvas sweep` and the scheduled Lambda event run
/// it: deletes left half-way, the trash past its retention, then every
/// user's files, with the configured grace period.
pub async fn sweep_everything(
    metadata: &dyn MetadataStore,
    media: &MediaStore,
    config: &Config,
) -> anyhow::Result<SweepReport> {
    let now = OffsetDateTime::now_utc();
    let finished_deletes = super::delete::finish_unfinished(metadata, media)
        .await
        .map_err(|error| anyhow::anyhow!("finishing unfinished deletes: {error}"))?;
    let expired = super::trash::delete_expired(metadata, media, config.trash_retention(), now)
        .await
        .map_err(|error| anyhow::anyhow!("deleting expired trash: {error}"))?;
    let released_reservations =
        give_back_reservations(metadata, config.maintenance.orphan_grace_secs, now)
            .await
            .map_err(|error| anyhow::anyhow!("giving back reservations: {error}"))?;
    let report = sweep_orphans(
        media,
        metadata,
        ALL_IMAGES,
        config.maintenance.orphan_grace_secs,
        now,
    )
    .await?;
    Ok(SweepReport {
        expired,
        finished_deletes,
        released_reservations,
        ..report
    })
}

/// `users/{user}/{image}.{ext}` or `.thumb.jpg` → `(user, image)`.
fn image_of(key: &str) -> Option<(&str, &str)> {
    let rest = key.strip_prefix("users/")?;
    let (user_id, file) = rest.split_once('/')?;
    let image_id = file.split('.').next()?;
    (!user_id.is_empty() && !image_id.is_empty() && !file.contains('/'))
        .then_some((user_id, image_id))
}

#[cfg(test)]
mod tests {
    use super::image_of;

    #[test]
    fn object_keys_name_their_image() {
        assert_eq!(image_of("users/u1/01J.png"), Some(("u1", "01J")));
        assert_eq!(image_of("users/u1/01J.thumb.jpg"), Some(("u1", "01J")));
        assert_eq!(image_of("other/u1/01J.png"), None);
        assert_eq!(image_of("users/u1/x/01J.png"), None);
    }
}
