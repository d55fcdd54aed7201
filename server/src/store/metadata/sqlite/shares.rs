//! Share links in SQLite: the `shares` table, one row per shared image or
//! collection (a unique index on owner, kind and target).

use async_trait::async_trait;
use rusqlite::{OptionalExtension, Row, params};

use super::SqliteStore;
use crate::store::metadata::{
    ShareKind, ShareRecord, Shares, StoreResult,
    rules::{from_millis, millis},
};

const SHARE_COLUMNS: &str = "id, user_id, kind, target_id, show_prompt, created_at";

fn share_from_row(row: &Row<'_>) -> rusqlite::Result<ShareRecord> {
    let kind: String = row.get(2)?;
    Ok(ShareRecord {
        id: row.get(0)?,
        user_id: row.get(1)?,
        kind: ShareKind::from_name(&kind).ok_or_else(|| {
            rusqlite::Error::FromSqlConversionFailure(
                2,
                rusqlite::types::Type::Text,
                format!("unknown share kind {kind:?}").into(),
            )
        })?,
        target_id: row.get(3)?,
        show_prompt: row.get(4)?,
        created_at: from_millis(row.get(5)?),
    })
}

#[async_trait]
impl Shares for SqliteStore {
    async fn put_share(&self, share: &ShareRecord) -> StoreResult<(ShareRecord, bool)> {
        let share = share.clone();
        self.write(move |conn| {
            let tx = conn.transaction()?;
            let made = tx.execute(
                &format!(
                    "INSERT INTO shares ({SHARE_COLUMNS}) VALUES (?1, ?2, ?3, ?4, ?5, ?6)
                     ON CONFLICT (user_id, kind, target_id) DO NOTHING"
                ),
                params![
                    share.id,
                    share.user_id,
                    share.kind.name(),
                    share.target_id,
                    share.show_prompt,
                    millis(share.created_at),
                ],
            )? == 1;
            let standing = tx.query_row(
                &format!(
                    "UPDATE shares SET show_prompt = ?4
                     WHERE user_id = ?1 AND kind = ?2 AND target_id = ?3
                     RETURNING {SHARE_COLUMNS}"
                ),
                params![
                    share.user_id,
                    share.kind.name(),
                    share.target_id,
                    share.show_prompt
                ],
                share_from_row,
            )?;
            tx.commit()?;
            Ok((standing, made))
        })
        .await
    }

    async fn share_of(
        &self,
        user_id: &str,
        kind: ShareKind,
        target_id: &str,
    ) -> StoreResult<Option<ShareRecord>> {
        let (user_id, target_id) = (user_id.to_owned(), target_id.to_owned());
        self.read(move |conn| {
            conn.prepare_cached(&format!(
                "SELECT {SHARE_COLUMNS} FROM shares
                 WHERE user_id = ?1 AND kind = ?2 AND target_id = ?3"
            ))?
            .query_row(params![user_id, kind.name(), target_id], share_from_row)
            .optional()
        })
        .await
    }

    async fn share_by_id(&self, share_id: &str) -> StoreResult<Option<ShareRecord>> {
        let share_id = share_id.to_owned();
        self.read(move |conn| {
            conn.prepare_cached(&format!("SELECT {SHARE_COLUMNS} FROM shares WHERE id = ?1"))?
                .query_row([share_id], share_from_row)
                .optional()
        })
        .await
    }

    async fn list_shares(&self, user_id: &str) -> StoreResult<Vec<ShareRecord>> {
        let user_id = user_id.to_owned();
        self.read(move |conn| {
            conn.prepare_cached(&format!(
                "SELECT {SHARE_COLUMNS} FROM shares WHERE user_id = ?1 ORDER BY id DESC"
            ))?
            .query_map([user_id], share_from_row)?
            .collect()
        })
        .await
    }

    async fn delete_share(
        &self,
        user_id: &str,
        kind: ShareKind,
        target_id: &str,
    ) -> StoreResult<bool> {
        let (user_id, target_id) = (user_id.to_owned(), target_id.to_owned());
        self.write(move |conn| {
            conn.execute(
                "DELETE FROM shares WHERE user_id = ?1 AND kind = ?2 AND target_id = ?3",
                params![user_id, kind.name(), target_id],
            )
            .map(|deleted| deleted > 0)
        })
        .await
    }
}
