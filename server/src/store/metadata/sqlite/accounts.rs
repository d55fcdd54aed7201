//! Users and their sign-in details in SQLite: the email is unique by a
//! `UNIQUE` index on its normalised form.

use async_trait::async_trait;
use rusqlite::{OptionalExtension, params};

use super::{SqliteStore, timestamp, user_from_row};
use crate::store::metadata::{
    Accounts, Credentials, StoreError, StoreResult, User, rules::normalise_email,
};

fn email_key(email: &str) -> String {
    normalise_email(email)
}

#[async_trait]
impl Accounts for SqliteStore {
    async fn create_user(&self, user: &User, password_hash: Option<&str>) -> StoreResult<()> {
        let user = user.clone();
        let password_hash = password_hash.map(str::to_owned);
        let inserted = self
            .write(move |conn| {
                conn.execute(
                    "INSERT INTO users (id, email, email_key, display_name, password_hash, created_at)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6) ON CONFLICT (email_key) DO NOTHING",
                    params![
                        user.id,
                        user.email,
                        email_key(&user.email),
                        user.display_name,
                        password_hash,
                        timestamp(&user.created_at)
                    ],
                )
            })
            .await?;
        if inserted == 0 {
            return Err(StoreError::EmailTaken);
        }
        Ok(())
    }

    async fn credentials_by_email(&self, email: &str) -> StoreResult<Option<Credentials>> {
        let key = email_key(email);
        self.read(move |conn| {
            conn.query_row(
                "SELECT id, email, display_name, created_at, password_hash FROM users
                 WHERE email_key = ?1 AND password_hash IS NOT NULL",
                [key],
                |row| {
                    Ok(Credentials {
                        user: user_from_row(row)?,
                        password_hash: row.get(4)?,
                    })
                },
            )
            .optional()
        })
        .await
    }

    async fn user_by_id(&self, user_id: &str) -> StoreResult<Option<User>> {
        let user_id = user_id.to_owned();
        self.read(move |conn| {
            conn.query_row(
                "SELECT id, email, display_name, created_at FROM users WHERE id = ?1",
                [user_id],
                user_from_row,
            )
            .optional()
        })
        .await
    }
}
