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
    Quotas, Reservation, StoreResult, Usage,
    rules::{day_of, first_id_at},
};

#[async_trait]
impl Quotas for SqliteStore {
    async fn usage(&self, user_id: &str, month: &str) -> StoreResult<Usage> {
        let (user_id, month) = (user_id.to_owned(), month.to_owned());
        self.read(move |conn| {
            conn.query_row(
                "SELECT u.images, u.storage_bytes, COALESCE(m.generations, 0),
                     t.images, COALESCE(t.bytes, 0)
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
                    })
                },
            )
            .optional()
            .map(Option::unwrap_or_default)
        })
        .await
    }

    async fn reserve_generations(
        &self,
        reservation: &Reservation,
        quota: u32,
    ) -> StoreResult<bool> {
        let reservation = reservation.clone();
        self.write(move |conn| {
            let tx = conn.transaction()?;
            let changed = tx.execute(
                "INSERT INTO monthly_usage (user_id, month, generations)
                 SELECT ?1, ?2, ?3 WHERE ?3 <= ?4
                 ON CONFLICT (user_id, month) DO UPDATE SET generations = generations + ?3
                 WHERE generations + ?3 <= ?4",
                params![
                    reservation.user_id,
                    reservation.month,
                    reservation.count,
                    quota
                ],
            )?;
            if changed == 0 {
                return Ok(false);
            }
            tx.execute(
                "INSERT INTO generation_reservations (id, user_id, month, count)
                 VALUES (?1, ?2, ?3, ?4)",
                params![
                    reservation.id,
                    reservation.user_id,
                    reservation.month,
                    reservation.count
                ],
            )?;
            tx.commit()?;
            Ok(true)
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
            let held = tx.execute(
                "DELETE FROM generation_reservations WHERE id = ?1 AND user_id = ?2",
                params![reservation.id, reservation.user_id],
            )?;
            if held == 1 {
                tx.execute(
                    "UPDATE monthly_usage SET generations = MAX(generations - ?3, 0)
                     WHERE user_id = ?1 AND month = ?2",
                    params![reservation.user_id, reservation.month, reservation.count],
                )?;
                add_to_counter(&tx, &today, &failure, 1)?;
            }
            tx.commit()?;
            Ok(())
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
                "SELECT id, user_id, month, count FROM generation_reservations
                 WHERE id < ?1 ORDER BY id LIMIT ?2",
            )?;
            let rows = statement.query_map(params![before, limit], |row| {
                Ok(Reservation {
                    id: row.get(0)?,
                    user_id: row.get(1)?,
                    month: row.get(2)?,
                    count: row.get(3)?,
                })
            })?;
            rows.collect()
        })
        .await
    }
}
