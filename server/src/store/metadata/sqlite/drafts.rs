//! Drafts in SQLite: the `drafts` table, written in the same transaction
//! that removes the reservation which counted the draft.

use async_trait::async_trait;
use rusqlite::{OptionalExtension, Row, params};
use time::OffsetDateTime;

use super::{SqliteStore, parse_timestamp, timestamp};
use crate::store::metadata::{
    DraftRecord, DraftRef, Drafts, StoreResult,
    rules::{from_millis, millis},
};

const DRAFT_COLUMNS: &str = "id, user_id, prompt, negative_prompt, model, provider, width, \
     height, steps, seed, style, created_at, expires_at, content_type, bytes, object_key, \
     provider_ms, total_ms, cost_micros, kept_image_id";

fn draft_from_row(row: &Row<'_>) -> rusqlite::Result<DraftRecord> {
    let whole = |index: usize| row.get::<_, i64>(index).map(|value| value.max(0) as u64);
    Ok(DraftRecord {
        id: row.get(0)?,
        user_id: row.get(1)?,
        prompt: row.get(2)?,
        negative_prompt: row.get(3)?,
        model: row.get(4)?,
        provider: row.get(5)?,
        width: row.get(6)?,
        height: row.get(7)?,
        steps: row.get(8)?,
        seed: row.get::<_, i64>(9)? as u64,
        style: row.get(10)?,
        created_at: parse_timestamp(row, 11)?,
        expires_at: from_millis(row.get(12)?),
        content_type: row.get(13)?,
        bytes: whole(14)?,
        object_key: row.get(15)?,
        provider_ms: whole(16)?,
        total_ms: whole(17)?,
        cost_micros: whole(18)?,
        kept_image_id: row.get(19)?,
    })
}

#[async_trait]
impl Drafts for SqliteStore {
    async fn insert_draft(&self, draft: &DraftRecord) -> StoreResult<()> {
        let draft = draft.clone();
        self.write(move |conn| {
            let tx = conn.transaction()?;
            tx.execute(
                &format!(
                    "INSERT INTO drafts ({DRAFT_COLUMNS}) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, \
                     ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20)"
                ),
                params![
                    draft.id,
                    draft.user_id,
                    draft.prompt,
                    draft.negative_prompt,
                    draft.model,
                    draft.provider,
                    draft.width,
                    draft.height,
                    draft.steps,
                    draft.seed as i64,
                    draft.style,
                    timestamp(&draft.created_at),
                    millis(draft.expires_at),
                    draft.content_type,
                    draft.bytes as i64,
                    draft.object_key,
                    draft.provider_ms as i64,
                    draft.total_ms as i64,
                    draft.cost_micros as i64,
                    draft.kept_image_id,
                ],
            )?;
            // Recorded, the draft's reservation has served.
            tx.execute(
                "DELETE FROM generation_reservations WHERE id = ?1",
                params![draft.id],
            )?;
            tx.commit()
        })
        .await
    }

    async fn draft(&self, user_id: &str, draft_id: &str) -> StoreResult<Option<DraftRecord>> {
        let (user_id, draft_id) = (user_id.to_owned(), draft_id.to_owned());
        self.read(move |conn| {
            conn.prepare_cached(&format!(
                "SELECT {DRAFT_COLUMNS} FROM drafts WHERE id = ?1 AND user_id = ?2"
            ))?
            .query_row(params![draft_id, user_id], draft_from_row)
            .optional()
        })
        .await
    }

    async fn claim_draft(
        &self,
        user_id: &str,
        draft_id: &str,
        image_id: &str,
    ) -> StoreResult<Option<String>> {
        let (user_id, draft_id, image_id) =
            (user_id.to_owned(), draft_id.to_owned(), image_id.to_owned());
        self.write(move |conn| {
            conn.query_row(
                "UPDATE drafts SET kept_image_id = COALESCE(kept_image_id, ?3)
                 WHERE id = ?1 AND user_id = ?2 RETURNING kept_image_id",
                params![draft_id, user_id, image_id],
                |row| row.get(0),
            )
            .optional()
        })
        .await
    }

    async fn expired_drafts(&self, now: OffsetDateTime, limit: u32) -> StoreResult<Vec<DraftRef>> {
        self.read(move |conn| {
            let mut statement = conn.prepare_cached(
                "SELECT user_id, id, object_key, expires_at FROM drafts
                 WHERE expires_at <= ?1 ORDER BY expires_at LIMIT ?2",
            )?;
            let rows = statement.query_map(params![millis(now), limit], |row| {
                Ok(DraftRef {
                    user_id: row.get(0)?,
                    draft_id: row.get(1)?,
                    object_key: row.get(2)?,
                    expires_at: from_millis(row.get(3)?),
                })
            })?;
            rows.collect()
        })
        .await
    }

    async fn delete_draft(&self, draft: &DraftRef) -> StoreResult<()> {
        let draft = draft.clone();
        self.write(move |conn| {
            conn.execute(
                "DELETE FROM drafts WHERE id = ?1 AND user_id = ?2",
                params![draft.draft_id, draft.user_id],
            )
            .map(drop)
        })
        .await
    }
}
