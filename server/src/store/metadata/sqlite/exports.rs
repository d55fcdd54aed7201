//! Exports in SQLite: the `exports` table, read by owner for the list and by
//! expiry for the sweep.

use async_trait::async_trait;
use rusqlite::{OptionalExtension, Row, params};
use time::OffsetDateTime;

use super::SqliteStore;
use crate::store::metadata::{
    ExportRecord, Exports, StoreResult,
    rules::{from_millis, millis},
};

const EXPORT_COLUMNS: &str = "id, user_id, object_key, image_count, bytes, created_at, expires_at";

fn export_from_row(row: &Row<'_>) -> rusqlite::Result<ExportRecord> {
    Ok(ExportRecord {
        id: row.get(0)?,
        user_id: row.get(1)?,
        object_key: row.get(2)?,
        image_count: row.get::<_, i64>(3)?.max(0) as u64,
        bytes: row.get::<_, i64>(4)?.max(0) as u64,
        created_at: from_millis(row.get(5)?),
        expires_at: from_millis(row.get(6)?),
    })
}

#[async_trait]
impl Exports for SqliteStore {
    async fn insert_export(&self, export: &ExportRecord) -> StoreResult<()> {
        let export = export.clone();
        self.write(move |conn| {
            conn.execute(
                &format!(
                    "INSERT INTO exports ({EXPORT_COLUMNS}) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)"
                ),
                params![
                    export.id,
                    export.user_id,
                    export.object_key,
                    export.image_count as i64,
                    export.bytes as i64,
                    millis(export.created_at),
                    millis(export.expires_at),
                ],
            )
            .map(drop)
        })
        .await
    }

    async fn list_exports(
        &self,
        user_id: &str,
        now: OffsetDateTime,
    ) -> StoreResult<Vec<ExportRecord>> {
        let user_id = user_id.to_owned();
        self.read(move |conn| {
            let mut statement = conn.prepare_cached(&format!(
                "SELECT {EXPORT_COLUMNS} FROM exports
                 WHERE user_id = ?1 AND expires_at > ?2 ORDER BY created_at DESC, id DESC"
            ))?;
            let rows = statement.query_map(params![user_id, millis(now)], export_from_row)?;
            rows.collect()
        })
        .await
    }

    async fn export(&self, user_id: &str, export_id: &str) -> StoreResult<Option<ExportRecord>> {
        let (user_id, export_id) = (user_id.to_owned(), export_id.to_owned());
        self.read(move |conn| {
            conn.query_row(
                &format!("SELECT {EXPORT_COLUMNS} FROM exports WHERE id = ?1 AND user_id = ?2"),
                params![export_id, user_id],
                export_from_row,
            )
            .optional()
        })
        .await
    }

    async fn expired_exports(
        &self,
        now: OffsetDateTime,
        limit: u32,
    ) -> StoreResult<Vec<ExportRecord>> {
        self.read(move |conn| {
            let mut statement = conn.prepare_cached(&format!(
                "SELECT {EXPORT_COLUMNS} FROM exports
                 WHERE expires_at <= ?1 ORDER BY expires_at LIMIT ?2"
            ))?;
            let rows = statement.query_map(params![millis(now), limit], export_from_row)?;
            rows.collect()
        })
        .await
    }

    async fn delete_export(&self, export: &ExportRecord) -> StoreResult<()> {
        let export = export.clone();
        self.write(move |conn| {
            conn.execute(
                "DELETE FROM exports WHERE id = ?1 AND user_id = ?2",
                params![export.id, export.user_id],
            )
            .map(drop)
        })
        .await
    }
}
