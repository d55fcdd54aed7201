//! Removes image files that no record names: what a crash between storing an
//! image's files and recording it (or a failed clean-up) leaves behind, and
//! the half-written files of a write a crash cut short; and gives back the
//! monthly generations a crash left reserved for images never made.
//! Files and reservations younger than the grace period are left alone, since
//! they may belong to a generation that is still running.

use std::time::{Duration, SystemTime};

use time::OffsetDateTime;

use crate::{
    gallery::export::EXPORTS_PREFIX,
    generation::pipeline::DRAFTS_PREFIX,
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
    /// Drafts removed because they expired.
    pub expired_drafts: usize,
    /// Exports removed because their time ran out.
    pub expired_exports: usize,
}

impl SweepReport {
    /// The one log line a scheduled sweep (`serve`'s or the Lambda function's) ends with.
    pub fn log(&self) {
        tracing::info!(
            examined = self.examined,
            removed = self.removed.len(),
            expired = self.expired,
            finished_deletes = self.finished_deletes,
            released_reservations = self.released_reservations,
            expired_drafts = self.expired_drafts,
            expired_exports = self.expired_exports,
            "sweep finished"
        );
    }
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

/// Drafts removed per store read.
const DRAFT_BATCH: u32 = 100;

/// Removes every draft that expired before `now`, its file first, then its
/// record (a file without a record is what `sweep_draft_files` removes);
/// returns how many.
pub async fn delete_expired_drafts(
    metadata: &dyn MetadataStore,
    media: &MediaStore,
    now: OffsetDateTime,
) -> anyhow::Result<usize> {
    let mut removed = 0;
    loop {
        let expired = metadata.expired_drafts(now, DRAFT_BATCH).await?;
        for draft in &expired {
            media.delete(&draft.object_key).await?;
            metadata.delete_draft(draft).await?;
        }
        removed += expired.len();
        if expired.len() < DRAFT_BATCH as usize {
            return Ok(removed);
        }
    }
}

/// Removes draft files older than the grace period that no draft record
/// names (a crash between storing a draft and recording it).
pub async fn sweep_draft_files(
    media: &MediaStore,
    metadata: &dyn MetadataStore,
    grace_secs: u64,
    now: OffsetDateTime,
) -> anyhow::Result<SweepReport> {
    let recorded = async |user_id: &str, draft_id: &str| {
        Ok(metadata.draft(user_id, draft_id).await?.is_some())
    };
    sweep_folder(media, DRAFTS_PREFIX, cutoff(grace_secs, now), recorded).await
}

/// Removes export ZIPs older than the grace period that no export record
/// names (a crash between storing one and recording it).
pub async fn sweep_export_files(
    media: &MediaStore,
    metadata: &dyn MetadataStore,
    grace_secs: u64,
    now: OffsetDateTime,
) -> anyhow::Result<SweepReport> {
    let recorded = async |user_id: &str, export_id: &str| {
        Ok(metadata.export(user_id, export_id).await?.is_some())
    };
    sweep_folder(media, EXPORTS_PREFIX, cutoff(grace_secs, now), recorded).await
}

/// Removes the files of a `<folder>/<user>/<id>.<ext>` folder written before
/// `cutoff` whose `(user, id)` has no record, and those a killed write left.
async fn sweep_folder(
    media: &MediaStore,
    folder: &str,
    cutoff: SystemTime,
    recorded: impl AsyncFn(&str, &str) -> StoreResult<bool>,
) -> anyhow::Result<SweepReport> {
    let mut report = SweepReport::default();
    let files = Files {
        root: folder,
        prefix: folder,
        cutoff,
    };
    remove_unrecorded(media, &files, &mut report, recorded).await?;
    remove_unfinished(media, &files, &mut report).await?;
    Ok(report)
}

/// Which files a sweep looks at: those under `prefix` (within `root`, the
/// folder their keys are `<user>/<id>.<ext>` in) last written before `cutoff`.
struct Files<'a> {
    root: &'a str,
    prefix: &'a str,
    cutoff: SystemTime,
}

/// `grace_secs` before `now`, to the nanosecond: with no grace, a file
/// written a moment ago counts.
fn cutoff(grace_secs: u64, now: OffsetDateTime) -> SystemTime {
    SystemTime::from(now)
        .checked_sub(Duration::from_secs(grace_secs))
        .unwrap_or(SystemTime::UNIX_EPOCH)
}

/// Deletes each file of `files` whose `(user, id)` has no record.
async fn remove_unrecorded(
    media: &MediaStore,
    files: &Files<'_>,
    report: &mut SweepReport,
    recorded: impl AsyncFn(&str, &str) -> StoreResult<bool>,
) -> anyhow::Result<()> {
    for object in media.list(files.prefix).await? {
        report.examined += 1;
        if SystemTime::from(object.last_modified) > files.cutoff {
            continue;
        }
        let key = object.location.to_string();
        let Some((user_id, id)) = owner_and_id(&key, files.root) else {
            continue;
        };
        if !recorded(user_id, id).await? {
            media.delete(&key).await?;
            tracing::info!(key = %key, "removed a file no record names");
            report.removed.push(key);
        }
    }
    Ok(())
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
    let files = Files {
        root: ALL_IMAGES,
        prefix,
        cutoff: cutoff(grace_secs, now),
    };
    let mut report = SweepReport::default();
    let recorded =
        async |user_id: &str, image_id: &str| metadata.image_record_exists(user_id, image_id).await;
    remove_unrecorded(media, &files, &mut report, recorded).await?;
    remove_unfinished(media, &files, &mut report).await?;
    Ok(report)
}

/// Deletes the local files under `files.prefix` of writes the process was
/// killed in the middle of: never a whole file, so no record can need one.
async fn remove_unfinished(
    media: &MediaStore,
    files: &Files<'_>,
    report: &mut SweepReport,
) -> anyhow::Result<()> {
    for key in media.unfinished_writes(files.prefix, files.cutoff).await? {
        report.examined += 1;
        media.delete_unfinished_write(&key).await?;
        tracing::info!(key = %key, "removed a file whose write was never finished");
        report.removed.push(key);
    }
    Ok(())
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
    let expired_drafts = delete_expired_drafts(metadata, media, now)
        .await
        .map_err(|error| anyhow::anyhow!("removing expired drafts: {error:#}"))?;
    let expired_exports = super::export::remove_expired(metadata, media, now)
        .await
        .map_err(|error| anyhow::anyhow!("removing expired exports: {error:#}"))?;
    let grace = config.maintenance.orphan_grace_secs;
    let mut report = sweep_orphans(media, metadata, ALL_IMAGES, grace, now).await?;
    for others in [
        sweep_draft_files(media, metadata, grace, now).await?,
        sweep_export_files(media, metadata, grace, now).await?,
    ] {
        report.examined += others.examined;
        report.removed.extend(others.removed);
    }
    Ok(SweepReport {
        expired,
        finished_deletes,
        released_reservations,
        expired_drafts,
        expired_exports,
        ..report
    })
}

/// `{prefix}/{user}/{id}.{ext}` → `(user, id)` (`users/u/i.thumb.jpg` too).
fn owner_and_id<'a>(key: &'a str, prefix: &str) -> Option<(&'a str, &'a str)> {
    let rest = key.strip_prefix(prefix)?.strip_prefix('/')?;
    let (user_id, file) = rest.split_once('/')?;
    let id = file.split('.').next()?;
    (!user_id.is_empty() && !id.is_empty() && !file.contains('/')).then_some((user_id, id))
}

#[cfg(test)]
mod tests {
    use super::{ALL_IMAGES, owner_and_id};

    fn image_of(key: &str) -> Option<(&str, &str)> {
        owner_and_id(key, ALL_IMAGES)
    }

    #[test]
    fn object_keys_name_their_image() {
        assert_eq!(image_of("users/u1/01J.png"), Some(("u1", "01J")));
        assert_eq!(image_of("users/u1/01J.thumb.jpg"), Some(("u1", "01J")));
        assert_eq!(image_of("other/u1/01J.png"), None);
        assert_eq!(image_of("users/u1/x/01J.png"), None);
        assert_eq!(
            owner_and_id("drafts/u1/01D.jpg", "drafts"),
            Some(("u1", "01D"))
        );
        assert_eq!(owner_and_id("draftsx/u1/01D.jpg", "drafts"), None);
    }
}
