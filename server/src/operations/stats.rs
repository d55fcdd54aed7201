//! The operator's statistics (`GET /api/admin/stats`, `promptcanvas stats`):
//! read from the store's aggregate counters, so they cost the same with ten
//! users or a million, and laid out day by day for the last 30 days.

use serde::Serialize;
use time::{Date, Duration, OffsetDateTime};
use utoipa::ToSchema;

use crate::{
    store::metadata::{DayFigures, DayTally, Figures, MetadataStore, StoreResult, rules::day_of},
    telemetry::metrics::Metrics,
};

/// Days the statistics cover, today included.
pub const DAYS: usize = 30;
/// Failure codes listed, most frequent first.
pub const TOP_FAILURE_CODES: usize = 10;

#[derive(Debug, Serialize, ToSchema, PartialEq, Eq)]
pub struct OperatorStats {
    pub users: UserCounts,
    /// Stored images, the trashed ones included.
    pub images: u64,
    /// Bytes of stored originals.
    pub storage_bytes: u64,
    /// The last 30 days (UTC), oldest first, today last.
    pub generations_by_day: Vec<DayStats>,
    /// Every model ever used, most images first (all time).
    pub by_model: Vec<ModelStats>,
    /// Over the same 30 days.
    pub errors: ErrorCounts,
}

/// Accounts, and how many made something lately.
#[derive(Debug, Serialize, ToSchema, PartialEq, Eq)]
pub struct UserCounts {
    pub total: u64,
    /// Made at least one generation today (UTC).
    pub active_1d: u64,
    /// ... in the last 7 days, today included.
    pub active_7d: u64,
    pub active_30d: u64,
}

#[derive(Debug, Serialize, ToSchema, PartialEq, Eq)]
pub struct DayStats {
    /// `YYYY-MM-DD`, UTC.
    pub day: String,
    /// Generations recorded, and their images.
    pub generations: u64,
    pub images: u64,
    /// Generations that failed after their quota was reserved.
    pub failures: u64,
    /// Requests refused by a rate limit or quota.
    pub rate_limited: u64,
    /// Errors the web app reported.
    pub client_errors: u64,
}

#[derive(Debug, Serialize, ToSchema, PartialEq, Eq)]
pub struct ModelStats {
    pub provider: String,
    pub model: String,
    pub generations: u64,
    pub images: u64,
}

#[derive(Debug, Serialize, ToSchema, PartialEq, Eq)]
pub struct ErrorCounts {
    pub generation_failures: u64,
    pub rate_limited: u64,
    pub client_errors: u64,
    /// Why generations failed, most frequent first.
    pub top_failure_codes: Vec<FailureCount>,
}

#[derive(Debug, Serialize, ToSchema, PartialEq, Eq)]
pub struct FailureCount {
    pub code: String,
    pub count: u64,
}

/// Adds the refusals and error reports this process counted to today's
/// figures. What a failed write could not add is kept for the next call.
pub async fn save_unsaved(metadata: &dyn MetadataStore, metrics: &Metrics) -> StoreResult<()> {
    let unsaved = metrics.take_unsaved();
    let (rate_limited, client_errors) = unsaved;
    if rate_limited == 0 && client_errors == 0 {
        return Ok(());
    }
    let today = day_of(OffsetDateTime::now_utc());
    let tally = DayTally {
        rate_limited,
        client_errors,
    };
    if let Err(error) = metadata.add_to_day(&today, tally).await {
        metrics.keep_unsaved(unsaved);
        return Err(error);
    }
    Ok(())
}

/// The statistics as of `today`, with this process's unsaved counts saved
/// first so they are included.
pub async fn operator_stats(
    metadata: &dyn MetadataStore,
    metrics: &Metrics,
    today: Date,
) -> StoreResult<OperatorStats> {
    if let Err(error) = save_unsaved(metadata, metrics).await {
        tracing::warn!(%error, "could not save today's refusals and error reports");
    }
    let days: Vec<String> = (0..DAYS)
        .rev()
        .map(|back| {
            day_of(
                (today - Duration::days(back as i64))
                    .midnight()
                    .assume_utc(),
            )
        })
        .collect();
    let figures = metadata.statistics(&days[0], &days[DAYS - 1]).await?;
    Ok(assemble(&figures, &days))
}

/// Lays the figures out over `days` (oldest first), zeros where nothing was counted.
fn assemble(figures: &Figures, days: &[String]) -> OperatorStats {
    let counted = |day: &str| figures.days.iter().find(|figures| figures.day == day);
    let active_since = |back: usize| -> u64 {
        days[days.len() - back..]
            .iter()
            .filter_map(|day| counted(day))
            .map(|figures| figures.last_active_users)
            .sum()
    };
    let mut failure_codes = std::collections::BTreeMap::<&str, u64>::new();
    for figures in &figures.days {
        for (code, count) in &figures.failures {
            *failure_codes.entry(code).or_default() += count;
        }
    }
    let mut top_failure_codes: Vec<FailureCount> = failure_codes
        .into_iter()
        .map(|(code, count)| FailureCount {
            code: code.to_owned(),
            count,
        })
        .collect();
    top_failure_codes.sort_by(|a, b| b.count.cmp(&a.count).then_with(|| a.code.cmp(&b.code)));
    top_failure_codes.truncate(TOP_FAILURE_CODES);
    let generations_by_day: Vec<DayStats> = days
        .iter()
        .map(|day| {
            let empty = DayFigures::default();
            let figures = counted(day).unwrap_or(&empty);
            DayStats {
                day: day.clone(),
                generations: figures.generations,
                images: figures.images,
                failures: figures.failures.values().sum(),
                rate_limited: figures.rate_limited,
                client_errors: figures.client_errors,
            }
        })
        .collect();
    let total = |field: fn(&DayStats) -> u64| generations_by_day.iter().map(field).sum();
    OperatorStats {
        users: UserCounts {
            total: figures.users,
            active_1d: active_since(1),
            active_7d: active_since(7),
            active_30d: active_since(DAYS),
        },
        images: figures.images,
        storage_bytes: figures.storage_bytes,
        errors: ErrorCounts {
            generation_failures: total(|day| day.failures),
            rate_limited: total(|day| day.rate_limited),
            client_errors: total(|day| day.client_errors),
            top_failure_codes,
        },
        by_model: figures
            .models
            .iter()
            .map(|model| ModelStats {
                provider: model.provider.clone(),
                model: model.model.clone(),
                generations: model.generations,
                images: model.images,
            })
            .collect(),
        generations_by_day,
    }
}

/// The statistics for a terminal: `promptcanvas stats`.
pub fn as_text(stats: &OperatorStats) -> String {
    use std::fmt::Write as _;
    let mut out = String::new();
    let users = &stats.users;
    let _ = writeln!(
        out,
        "users: {} (active today {}, 7 days {}, 30 days {})",
        users.total, users.active_1d, users.active_7d, users.active_30d
    );
    let _ = writeln!(
        out,
        "images: {} ({} bytes of originals)",
        stats.images, stats.storage_bytes
    );
    let errors = &stats.errors;
    let _ = writeln!(
        out,
        "last {DAYS} days: {} generation failures, {} refused by a rate limit or quota, {} web app errors",
        errors.generation_failures, errors.rate_limited, errors.client_errors
    );
    for failure in &errors.top_failure_codes {
        let _ = writeln!(out, "  {}: {}", failure.code, failure.count);
    }
    let _ = writeln!(out, "\nday          generations   images  failures");
    for day in &stats.generations_by_day {
        let _ = writeln!(
            out,
            "{}  {:>11}  {:>7}  {:>8}",
            day.day, day.generations, day.images, day.failures
        );
    }
    if !stats.by_model.is_empty() {
        let _ = writeln!(
            out,
            "\nmodel (all time)                          generations   images"
        );
        for model in &stats.by_model {
            let name = format!("{}/{}", model.provider, model.model);
            let _ = writeln!(
                out,
                "{name:<40}  {:>11}  {:>7}",
                model.generations, model.images
            );
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(day: &str, active: u64, failures: &[(&str, u64)]) -> DayFigures {
        DayFigures {
            day: day.to_owned(),
            generations: 2,
            images: 3,
            failures: failures
                .iter()
                .map(|(code, count)| ((*code).to_owned(), *count))
                .collect(),
            rate_limited: 1,
            client_errors: 0,
            last_active_users: active,
        }
    }

    #[test]
    fn days_are_laid_out_oldest_first_with_zeros_between() {
        let days: Vec<String> = (1..=30).map(|d| format!("2026-11-{d:02}")).collect();
        let figures = Figures {
            users: 9,
            days: vec![
                day("2026-11-02", 4, &[("upstream_error", 2)]),
                day("2026-11-25", 2, &[("upstream_error", 1), ("timeout", 3)]),
                day("2026-11-30", 1, &[]),
            ],
            ..Figures::default()
        };
        let stats = assemble(&figures, &days);
        assert_eq!(stats.generations_by_day.len(), 30);
        assert_eq!(stats.generations_by_day[0].generations, 0);
        assert_eq!(stats.generations_by_day[1].images, 3);
        assert_eq!(stats.generations_by_day[29].day, "2026-11-30");
        assert_eq!(
            (
                stats.users.active_1d,
                stats.users.active_7d,
                stats.users.active_30d
            ),
            (1, 3, 7)
        );
        assert_eq!(stats.errors.generation_failures, 6);
        assert_eq!(stats.errors.rate_limited, 3);
        let codes: Vec<(&str, u64)> = stats
            .errors
            .top_failure_codes
            .iter()
            .map(|failure| (failure.code.as_str(), failure.count))
            .collect();
        assert_eq!(codes, [("timeout", 3), ("upstream_error", 3)]);
    }
}
