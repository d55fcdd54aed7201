//! Fixed-window rate limit counters and idempotency keys in SQLite; each
//! write also prunes a few expired rows.

use async_trait::async_trait;
use rusqlite::params;
use time::OffsetDateTime;

use super::SqliteStore;
use crate::store::metadata::{
    Admission, Guards, IdempotencyClaim, StoreResult,
    rules::{ABANDONED_CLAIM_SECS, IDEMPOTENCY_RETENTION_SECS, PRUNE_BATCH},
};

#[async_trait]
impl Guards for SqliteStore {
    async fn hit_rate_limit(
        &self,
        key: &str,
        window_start: i64,
        window_secs: u64,
        limit: u32,
        now: i64,
    ) -> StoreResult<Admission> {
        let key = key.to_owned();
        let window_end = window_start + window_secs as i64;
        self.write(move |conn| {
            let hits: u32 = conn
                .prepare_cached(
                    "INSERT INTO rate_limits (key, window_start, hits, expires_at)
                     VALUES (?1, ?2, 1, ?3)
                     ON CONFLICT (key, window_start) DO UPDATE SET hits = hits + 1
                     RETURNING hits",
                )?
                .query_row(params![key, window_start, window_end], |row| row.get(0))?;
            if hits == 1 {
                // First hit of a window: a cheap moment to forget finished
                // windows, of every key, a batch at a time.
                conn.prepare_cached(
                    "DELETE FROM rate_limits WHERE (key, window_start) IN
                     (SELECT key, window_start FROM rate_limits WHERE expires_at <= ?1 LIMIT ?2)",
                )?
                .execute(params![now, PRUNE_BATCH])?;
            }
            Ok(if hits > limit {
                Admission::Refused {
                    retry_after_secs: (window_end - now).max(1) as u64,
                }
            } else {
                Admission::Allowed
            })
        })
        .await
    }

    async fn claim_idempotency_key(
        &self,
        user_id: &str,
        key: &str,
        request_hash: &str,
        now: OffsetDateTime,
    ) -> StoreResult<IdempotencyClaim> {
        let (user_id, key, request_hash) =
            (user_id.to_owned(), key.to_owned(), request_hash.to_owned());
        let now = now.unix_timestamp();
        self.write(move |conn| {
            let tx = conn.transaction()?;
            let forgotten = now - IDEMPOTENCY_RETENTION_SECS;
            // A key past its retention is free again, as if never used.
            let inserted = tx.execute(
                "INSERT INTO idempotency_keys (user_id, key, request_hash, claimed_at)
                 VALUES (?1, ?2, ?3, ?4)
                 ON CONFLICT (user_id, key) DO UPDATE SET
                     request_hash = excluded.request_hash, response = NULL,
                     claimed_at = excluded.claimed_at
                 WHERE idempotency_keys.claimed_at <= ?5",
                params![user_id, key, request_hash, now, forgotten],
            )?;
            let claim = if inserted == 1 {
                tx.prepare_cached(
                    "DELETE FROM idempotency_keys WHERE (user_id, key) IN
                     (SELECT user_id, key FROM idempotency_keys WHERE claimed_at <= ?1 LIMIT ?2)",
                )?
                .execute(params![forgotten, PRUNE_BATCH])?;
                IdempotencyClaim::Claimed
            } else {
                let (stored_hash, response, claimed_at): (String, Option<String>, i64) = tx
                    .query_row(
                        "SELECT request_hash, response, claimed_at FROM idempotency_keys
                         WHERE user_id = ?1 AND key = ?2",
                        params![user_id, key],
                        |row| Ok((row.get(0)?, row.get(1)?, row.get(2)?)),
                    )?;
                if stored_hash != request_hash {
                    IdempotencyClaim::Mismatch
                } else if let Some(response) = response {
                    IdempotencyClaim::Replay(response)
                } else if claimed_at < now - ABANDONED_CLAIM_SECS {
                    tx.execute(
                        "UPDATE idempotency_keys SET claimed_at = ?3 WHERE user_id = ?1 AND key = ?2",
                        params![user_id, key, now],
                    )?;
                    IdempotencyClaim::Claimed
                } else {
                    IdempotencyClaim::InProgress
                }
            };
            tx.commit()?;
            Ok(claim)
        })
        .await
    }

    async fn complete_idempotency_key(
        &self,
        user_id: &str,
        key: &str,
        response: &str,
    ) -> StoreResult<()> {
        let (user_id, key, response) = (user_id.to_owned(), key.to_owned(), response.to_owned());
        self.write(move |conn| {
            conn.execute(
                "UPDATE idempotency_keys SET response = ?3 WHERE user_id = ?1 AND key = ?2",
                params![user_id, key, response],
            )?;
            Ok(())
        })
        .await
    }

    async fn release_idempotency_key(&self, user_id: &str, key: &str) -> StoreResult<()> {
        let (user_id, key) = (user_id.to_owned(), key.to_owned());
        self.write(move |conn| {
            conn.execute(
                "DELETE FROM idempotency_keys WHERE user_id = ?1 AND key = ?2 AND response IS NULL",
                params![user_id, key],
            )?;
            Ok(())
        })
        .await
    }
}
