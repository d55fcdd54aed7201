//! Local sign-in sessions in SQLite, keyed by the SHA-256 of their token.

use async_trait::async_trait;
use rusqlite::{OptionalExtension, params};
use time::OffsetDateTime;

use super::{SqliteStore, user_from_row};
use crate::store::metadata::{NewSession, Sessions, StoreResult, User};

#[async_trait]
impl Sessions for SqliteStore {
    async fn create_session(&self, session: &NewSession) -> StoreResult<()> {
        let session = session.clone();
        self.write(move |conn| {
            conn.execute(
                "INSERT INTO sessions (token_hash, user_id, expires_at) VALUES (?1, ?2, ?3)",
                params![
                    session.token_hash.as_slice(),
                    session.user_id,
                    session.expires_at.unix_timestamp()
                ],
            )?;
            // Keep the table small: sessions past their expiry are useless.
            conn.execute(
                "DELETE FROM sessions WHERE expires_at < ?1",
                [OffsetDateTime::now_utc().unix_timestamp()],
            )?;
            Ok(())
        })
        .await
    }

    async fn session_user(
        &self,
        token_hash: &[u8; 32],
        now: OffsetDateTime,
    ) -> StoreResult<Option<User>> {
        let token_hash = *token_hash;
        self.read(move |conn| {
            let mut statement = conn.prepare_cached(
                "SELECT u.id, u.email, u.display_name, u.created_at
                 FROM sessions s JOIN users u ON u.id = s.user_id
                 WHERE s.token_hash = ?1 AND s.expires_at > ?2",
            )?;
            statement
                .query_row(
                    params![token_hash.as_slice(), now.unix_timestamp()],
                    user_from_row,
                )
                .optional()
        })
        .await
    }

    async fn delete_session(&self, token_hash: &[u8; 32]) -> StoreResult<()> {
        let token_hash = *token_hash;
        self.write(move |conn| {
            conn.execute(
                "DELETE FROM sessions WHERE token_hash = ?1",
                [token_hash.as_slice()],
            )?;
            Ok(())
        })
        .await
    }
}
