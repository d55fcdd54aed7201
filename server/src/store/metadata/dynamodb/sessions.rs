//! Local sign-in sessions on DynamoDB: `SESSION#sha256/SESSION`, removed by
//! DynamoDB's TTL once expired.

use async_trait::async_trait;
use time::OffsetDateTime;

use super::{DynamoStore, backend, get_n, get_s, n, s};
use crate::store::metadata::{Accounts, NewSession, Sessions, StoreResult, User};

pub(super) fn session_pk(token_hash: &[u8; 32]) -> String {
    format!("SESSION#{}", hex::encode(token_hash))
}

#[async_trait]
impl Sessions for DynamoStore {
    async fn create_session(&self, session: &NewSession) -> StoreResult<()> {
        self.client
            .put_item()
            .table_name(&self.users_table)
            .item("pk", s(session_pk(&session.token_hash)))
            .item("sk", s("SESSION"))
            .item("user_id", s(&session.user_id))
            .item("expires_at", n(session.expires_at.unix_timestamp()))
            .send()
            .await
            .map_err(backend)?;
        Ok(())
    }

    async fn session_user(
        &self,
        token_hash: &[u8; 32],
        now: OffsetDateTime,
    ) -> StoreResult<Option<User>> {
        let Some(session) = self
            .get_user_item(session_pk(token_hash), "SESSION")
            .await?
        else {
            return Ok(None);
        };
        // TTL deletion is lazy (up to days late): expiry is checked on every read.
        if get_n::<i64>(&session, "expires_at")? <= now.unix_timestamp() {
            return Ok(None);
        }
        self.user_by_id(&get_s(&session, "user_id")?).await
    }

    async fn delete_session(&self, token_hash: &[u8; 32]) -> StoreResult<()> {
        self.client
            .delete_item()
            .table_name(&self.users_table)
            .key("pk", s(session_pk(token_hash)))
            .key("sk", s("SESSION"))
            .send()
            .await
            .map_err(backend)?;
        Ok(())
    }
}
