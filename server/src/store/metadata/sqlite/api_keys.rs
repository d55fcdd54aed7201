//! API keys in SQLite: the `api_keys` table, found by id for signing in and
//! by owner for the profile's list.

use async_trait::async_trait;
use rusqlite::{OptionalExtension, Row, params};
use time::OffsetDateTime;

use super::{SqliteStore, parse_timestamp};
use crate::store::metadata::{
    ApiKeyRecord, ApiKeys, StoreResult, User,
    rules::{from_millis, millis},
};

const KEY_COLUMNS: &str =
    "k.id, k.user_id, k.name, k.prefix, k.secret_hash, k.created_at, k.expires_at, k.last_used_at";

fn key_from_row(row: &Row<'_>) -> rusqlite::Result<ApiKeyRecord> {
    let secret_hash: Vec<u8> = row.get(4)?;
    let secret_hash = secret_hash.try_into().map_err(|_| {
        rusqlite::Error::FromSqlConversionFailure(
            4,
            rusqlite::types::Type::Blob,
            "an API key hash is 32 bytes".into(),
        )
    })?;
    Ok(ApiKeyRecord {
        id: row.get(0)?,
        user_id: row.get(1)?,
        name: row.get(2)?,
        prefix: row.get(3)?,
        secret_hash,
        created_at: from_millis(row.get(5)?),
        expires_at: row.get::<_, Option<i64>>(6)?.map(from_millis),
        last_used_at: row.get::<_, Option<i64>>(7)?.map(from_millis),
    })
}

#[async_trait]
impl ApiKeys for SqliteStore {
    async fn create_api_key(
        &self,
        key: &ApiKeyRecord,
        max_live: u32,
        now: OffsetDateTime,
    ) -> StoreResult<bool> {
        let key = key.clone();
        self.write(move |conn| {
            let tx = conn.transaction()?;
            tx.execute(
                "DELETE FROM api_keys WHERE user_id = ?1 AND expires_at <= ?2",
                params![key.user_id, millis(now)],
            )?;
            let live: u32 = tx.query_row(
                "SELECT COUNT(*) FROM api_keys WHERE user_id = ?1",
                [&key.user_id],
                |row| row.get(0),
            )?;
            if live >= max_live {
                return Ok(false);
            }
            tx.execute(
                "INSERT INTO api_keys (id, user_id, name, prefix, secret_hash, created_at, \
                 expires_at, last_used_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
                params![
                    key.id,
                    key.user_id,
                    key.name,
                    key.prefix,
                    key.secret_hash.as_slice(),
                    millis(key.created_at),
                    key.expires_at.map(millis),
                    key.last_used_at.map(millis),
                ],
            )?;
            tx.commit()?;
            Ok(true)
        })
        .await
    }

    async fn list_api_keys(&self, user_id: &str) -> StoreResult<Vec<ApiKeyRecord>> {
        let user_id = user_id.to_owned();
        self.read(move |conn| {
            conn.prepare_cached(&format!(
                "SELECT {KEY_COLUMNS} FROM api_keys k WHERE k.user_id = ?1 ORDER BY k.id DESC"
            ))?
            .query_map([user_id], key_from_row)?
            .collect()
        })
        .await
    }

    async fn revoke_api_key(&self, user_id: &str, key_id: &str) -> StoreResult<bool> {
        let (user_id, key_id) = (user_id.to_owned(), key_id.to_owned());
        self.write(move |conn| {
            conn.execute(
                "DELETE FROM api_keys WHERE id = ?1 AND user_id = ?2",
                params![key_id, user_id],
            )
            .map(|deleted| deleted > 0)
        })
        .await
    }

    async fn api_key(&self, key_id: &str) -> StoreResult<Option<(ApiKeyRecord, User)>> {
        let key_id = key_id.to_owned();
        self.read(move |conn| {
            conn.prepare_cached(&format!(
                "SELECT {KEY_COLUMNS}, u.email, u.display_name, u.created_at
                 FROM api_keys k JOIN users u ON u.id = k.user_id WHERE k.id = ?1"
            ))?
            .query_row([key_id], |row| {
                let key = key_from_row(row)?;
                let user = User {
                    id: key.user_id.clone(),
                    email: row.get(8)?,
                    display_name: row.get(9)?,
                    created_at: parse_timestamp(row, 10)?,
                };
                Ok((key, user))
            })
            .optional()
        })
        .await
    }

    async fn note_api_key_use(
        &self,
        key: &ApiKeyRecord,
        now: OffsetDateTime,
        unless_since: OffsetDateTime,
    ) -> StoreResult<()> {
        let key_id = key.id.clone();
        self.write(move |conn| {
            conn.execute(
                "UPDATE api_keys SET last_used_at = ?2
                 WHERE id = ?1 AND (last_used_at IS NULL OR last_used_at < ?3)",
                params![key_id, millis(now), millis(unless_since)],
            )
            .map(drop)
        })
        .await
    }
}
