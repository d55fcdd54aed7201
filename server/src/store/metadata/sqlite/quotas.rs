//! Usage and monthly generation reservations in SQLite, counted in the same
//! transactions that record and delete images.

use async_trait::async_trait;
use rusqlite::{OptionalExtension, params};
use time::OffsetDateTime;

use super::{
    SqliteStore,
    statistics::{FAILURE_PREFIX, add_to_counter},
};
use crate::store::metadata::{
    MonthCaps, MonthCounter, Quotas, Reservation, Reserved, StoreResult, Usage,
    rules::{day_of, first_id_at},
};

/// Money and counts are stored as SQLite integers (i64).
fn as_sql_count(value: u64) -> i64 {
    i64::try_from(value).unwrap_or(i64::MAX)
}

#[async_trait]
impl Quotas for SqliteStore {
    async fn usage(&self, user_id: &str, month: &str) -> StoreResult<Usage> {
        let (user_id, month) = (user_id.to_owned(), month.to_owned());
        self.read(move |conn| {
            conn.query_row(
                "SELECT u.images, u.storage_bytes, COALESCE(m.generations, 0),
                     t.images, COALESCE(t.bytes, 0), COALESCE(m.drafts, 0),
                     COALESCE(m.cost_micros, 0)
                 FROM users u LEFT JOIN monthly_usage m ON m.user_id = u.id AND m.month = ?2,
                     (SELECT COUNT(*) AS images, SUM(bytes) AS bytes FROM images
                      WHERE user_id = ?1 AND trashed_at IS NOT NULL) t
                 WHERE u.id = ?1",
                params![user_id, month],
                |row| {
                    Ok(Usage {
                        images: row.get::<_, i64>(0)? as u64,
                        storage_bytes: row.get::<_, i64>(1)? as u64,
                        generations_this_month: row.get::<_, i64>(2)? as u64,
                        trash_images: row.get::<_, i64>(3)? as u64,
                        trash_bytes: row.get::<_, i64>(4)? as u64,
                        drafts_this_month: row.get::<_, i64>(5)? as u64,
                        cost_this_month_micros: row.get::<_, i64>(6)? as u64,
                    })
                },
            )
            .optional()
            .map(Option::unwrap_or_default)
        })
        .await
    }

    async fn reserve(&self, reservation: &Reservation, caps: MonthCaps) -> StoreResult<Reserved> {
        let reservation = reservation.clone();
        let counter = reservation.counter.name();
        let budget = caps.budget_micros.map_or(i64::MAX, as_sql_count);
        self.write(move |conn| {
            let tx = conn.transaction()?;
            let (count, cost) = (
                i64::from(reservation.count),
                as_sql_count(reservation.cost_micros),
            );
            let (used, spent): (i64, i64) = tx
                .query_row(
                    &format!(
                        "SELECT {counter}, cost_micros FROM monthly_usage
                         WHERE user_id = ?1 AND month = ?2"
                    ),
                    params![reservation.user_id, reservation.month],
                    |row| Ok((row.get(0)?, row.get(1)?)),
                )
                .optional()?
                .unwrap_or((0, 0));
            if used + count > i64::from(caps.quota) {
                return Ok(Reserved::OverQuota);
            }
            if spent.saturating_add(cost) > budget {
                return Ok(Reserved::OverBudget);
            }
            let (generations, drafts) = match reservation.counter {
                MonthCounter::Generations => (count, 0),
                MonthCounter::Drafts => (0, count),
            };
            tx.execute(
                "INSERT INTO monthly_usage (user_id, month, generations, drafts, cost_micros)
                 VALUES (?1, ?2, ?3, ?4, ?5)
                 ON CONFLICT (user_id, month) DO UPDATE
                 SET generations = generations + ?3, drafts = drafts + ?4,
                     cost_micros = cost_micros + ?5",
                params![
                    reservation.user_id,
                    reservation.month,
                    generations,
                    drafts,
                    cost
                ],
            )?;
            tx.execute(
                "INSERT INTO generation_reservations (id, user_id, month, count, counter, cost_micros)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                params![
                    reservation.id,
                    reservation.user_id,
                    reservation.month,
                    count,
                    counter,
                    cost
                ],
            )?;
            tx.commit()?;
            Ok(Reserved::Held)
        })
        .await
    }

    async fn release_generations(
        &self,
        reservation: &Reservation,
        failure: &str,
    ) -> StoreResult<()> {
        let reservation = reservation.clone();
        let failure = format!("{FAILURE_PREFIX}{failure}");
        let today = day_of(OffsetDateTime::now_utc());
        self.write(move |conn| {
            let tx = conn.transaction()?;
            // What was counted is read back from the reservation itself.
            let held: Option<(String, i64, i64)> = tx
                .query_row(
                    "DELETE FROM generation_reservations WHERE id = ?1 AND user_id = ?2
                     RETURNING counter, count, cost_micros",
                    params![reservation.id, reservation.user_id],
                    |row| Ok((row.get(0)?, row.get(1)?, row.get(2)?)),
                )
                .optional()?;
            if let Some((counter, count, cost)) = held {
                let counter = MonthCounter::from_name(&counter).unwrap_or_default().name();
                tx.execute(
                    &format!(
                        "UPDATE monthly_usage SET {counter} = MAX({counter} - ?3, 0),
                             cost_micros = MAX(cost_micros - ?4, 0)
                         WHERE user_id = ?1 AND month = ?2"
                    ),
                    params![reservation.user_id, reservation.month, count, cost],
                )?;
                add_to_counter(&tx, &today, &failure, 1)?;
            }
            tx.commit()?;
            Ok(())
        })
        .await
    }

    async fn settle_reservation(&self, reservation: &Reservation) -> StoreResult<()> {
        let (id, user_id) = (reservation.id.clone(), reservation.user_id.clone());
        self.write(move |conn| {
            conn.execute(
                "DELETE FROM generation_reservations WHERE id = ?1 AND user_id = ?2",
                params![id, user_id],
            )
            .map(drop)
        })
        .await
    }

    async fn stale_reservations(
        &self,
        before: OffsetDateTime,
        limit: u32,
    ) -> StoreResult<Vec<Reservation>> {
        let before = first_id_at(before);
        self.read(move |conn| {
            let mut statement = conn.prepare_cached(
                "SELECT id, user_id, month, count, counter, cost_micros
                 FROM generation_reservations WHERE id < ?1 ORDER BY id LIMIT ?2",
            )?;
            let rows = statement.query_map(params![before, limit], |row| {
                Ok(Reservation {
                    id: row.get(0)?,
                    user_id: row.get(1)?,
                    month: row.get(2)?,
                    count: row.get(3)?,
                    counter: MonthCounter::from_name(&row.get::<_, String>(4)?).unwrap_or_default(),
                    cost_micros: row.get::<_, i64>(5)?.max(0) as u64,
                })
            })?;
            rows.collect()
        })
        .await
    }
}
