//! The operator's figures in SQLite: named counters per day (`daily_stats`),
//! counters per model (`model_stats`) and each user's last active day, all
//! written inside the transactions of the records they count.

use std::collections::BTreeMap;

use async_trait::async_trait;
use rusqlite::{Connection, OptionalExtension, Transaction, params};

use super::SqliteStore;
use crate::store::metadata::{
    DayFigures, DayTally, Figures, ImageRecord, ModelFigures, Statistics, StoreResult,
    rules::day_of,
};

/// A failed generation is counted as `failure:<error code>`.
pub(super) const FAILURE_PREFIX: &str = "failure:";

/// Adds `by` to one named counter of a day.
pub(super) fn add_to_counter(
    tx: &Transaction<'_>,
    day: &str,
    counter: &str,
    by: i64,
) -> rusqlite::Result<()> {
    tx.prepare_cached(
        "INSERT INTO daily_stats (day, counter, count) VALUES (?1, ?2, ?3)
         ON CONFLICT (day, counter) DO UPDATE SET count = count + ?3",
    )?
    .execute(params![day, counter, by])?;
    Ok(())
}

/// Counts one recorded generation of `images` images, made like `first`.
pub(super) fn count_generation(
    tx: &Transaction<'_>,
    first: &ImageRecord,
    images: usize,
) -> rusqlite::Result<()> {
    let day = day_of(first.created_at);
    add_to_counter(tx, &day, "generations", 1)?;
    add_to_counter(tx, &day, "images", images as i64)?;
    tx.prepare_cached(
        "INSERT INTO model_stats (provider, model, generations, images) VALUES (?1, ?2, 1, ?3)
         ON CONFLICT (provider, model)
         DO UPDATE SET generations = generations + 1, images = images + ?3",
    )?
    .execute(params![first.provider, first.model, images as i64])?;
    Ok(())
}

/// The user's last active day: `None` for no such user, `Some(None)` for a
/// user not active yet.
fn last_active_day(conn: &Connection, user_id: &str) -> rusqlite::Result<Option<Option<String>>> {
    conn.prepare_cached("SELECT last_active_day FROM users WHERE id = ?1")?
        .query_row(params![user_id], |row| row.get(0))
        .optional()
}

/// Whether a user last active on `last` moves to `day`: they exist and were
/// not counted in that day or a later one.
fn needs_moving(last: Option<Option<String>>, day: &str) -> bool {
    match last {
        None => false,
        Some(last) => last.is_none_or(|last| *last < *day),
    }
}

#[async_trait]
impl Statistics for SqliteStore {
    async fn add_to_day(&self, day: &str, tally: DayTally) -> StoreResult<()> {
        let day = day.to_owned();
        self.write(move |conn| {
            let tx = conn.transaction()?;
            for (counter, by) in [
                ("rate_limited", tally.rate_limited),
                ("client_errors", tally.client_errors),
            ] {
                if by > 0 {
                    add_to_counter(&tx, &day, counter, by as i64)?;
                }
            }
            tx.commit()
        })
        .await
    }

    async fn mark_active(&self, user_id: &str, day: &str) -> StoreResult<()> {
        // Most generations are not a user's first of the day: a reader says
        // so without waiting for the one writer.
        let moved = {
            let (user_id, day) = (user_id.to_owned(), day.to_owned());
            self.read(move |conn| {
                last_active_day(conn, &user_id).map(|last| needs_moving(last, &day))
            })
            .await?
        };
        if !moved {
            return Ok(());
        }
        let (user_id, day) = (user_id.to_owned(), day.to_owned());
        self.write(move |conn| {
            let tx = conn.transaction()?;
            let last = last_active_day(&tx, &user_id)?;
            if !needs_moving(last.clone(), &day) {
                return Ok(());
            }
            let last = last.flatten();
            tx.execute(
                "UPDATE users SET last_active_day = ?2 WHERE id = ?1",
                params![user_id, day],
            )?;
            add_to_counter(&tx, &day, "active", 1)?;
            if let Some(last) = last {
                add_to_counter(&tx, &last, "active", -1)?;
            }
            tx.commit()
        })
        .await
    }

    async fn statistics(&self, first_day: &str, last_day: &str) -> StoreResult<Figures> {
        let (first_day, last_day) = (first_day.to_owned(), last_day.to_owned());
        self.read(move |conn| {
            let (users, images, storage_bytes) = conn.query_row(
                "SELECT COUNT(*), COALESCE(SUM(images), 0), COALESCE(SUM(storage_bytes), 0)
                 FROM users",
                [],
                |row| {
                    Ok((
                        row.get::<_, i64>(0)? as u64,
                        row.get::<_, i64>(1)?.max(0) as u64,
                        row.get::<_, i64>(2)?.max(0) as u64,
                    ))
                },
            )?;
            let mut days: BTreeMap<String, DayFigures> = BTreeMap::new();
            let mut counters = conn.prepare_cached(
                "SELECT day, counter, count FROM daily_stats
                 WHERE day BETWEEN ?1 AND ?2 AND count != 0",
            )?;
            let mut rows = counters.query(params![first_day, last_day])?;
            while let Some(row) = rows.next()? {
                let day: String = row.get(0)?;
                let counter: String = row.get(1)?;
                let count = row.get::<_, i64>(2)?.max(0) as u64;
                let figures = days.entry(day.clone()).or_insert_with(|| DayFigures {
                    day,
                    ..DayFigures::default()
                });
                match counter.as_str() {
                    "generations" => figures.generations = count,
                    "images" => figures.images = count,
                    "rate_limited" => figures.rate_limited = count,
                    "client_errors" => figures.client_errors = count,
                    "active" => figures.last_active_users = count,
                    other => {
                        if let Some(code) = other.strip_prefix(FAILURE_PREFIX) {
                            figures.failures.insert(code.to_owned(), count);
                        }
                    }
                }
            }
            let mut models = conn.prepare_cached(
                "SELECT provider, model, generations, images FROM model_stats
                 ORDER BY images DESC, provider, model",
            )?;
            let models = models
                .query_map([], |row| {
                    Ok(ModelFigures {
                        provider: row.get(0)?,
                        model: row.get(1)?,
                        generations: row.get::<_, i64>(2)? as u64,
                        images: row.get::<_, i64>(3)? as u64,
                    })
                })?
                .collect::<rusqlite::Result<_>>()?;
            Ok(Figures {
                users,
                images,
                storage_bytes,
                days: days.into_values().collect(),
                models,
            })
        })
        .await
    }
}
