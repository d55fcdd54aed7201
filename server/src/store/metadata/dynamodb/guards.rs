//! Fixed-window rate limit counters (`RATE#key/<window>`) and idempotency
//! keys (`USER#id/IDEMPOTENCY#key`) on DynamoDB, expired by TTL.

use anyhow::anyhow;
use async_trait::async_trait;
use aws_sdk_dynamodb::types::ReturnValue;
use time::OffsetDateTime;

use super::{DynamoStore, backend, condition_failed, get_n, get_s, n, opt_s, s, user_pk};
use crate::store::metadata::{
    Admission, Guards, IdempotencyClaim, StoreError, StoreResult,
    rules::{ABANDONED_CLAIM_SECS, IDEMPOTENCY_RETENTION_SECS},
};

pub(super) fn idempotency_sk(key: &str) -> String {
    format!("IDEMPOTENCY#{key}")
}

#[async_trait]
impl Guards for DynamoStore {
    async fn hit_rate_limit(
        &self,
        key: &str,
        window_start: i64,
        window_secs: u64,
        limit: u32,
        now: i64,
    ) -> StoreResult<Admission> {
        let window_end = window_start + window_secs as i64;
        let output = self
            .client
            .update_item()
            .table_name(&self.users_table)
            .key("pk", s(format!("RATE#{key}")))
            .key("sk", s(window_start.to_string()))
            .update_expression("ADD #hits :one SET #expires_at = :end")
            .expression_attribute_names("#hits", "hits")
            .expression_attribute_names("#expires_at", "expires_at")
            .expression_attribute_values(":one", n(1))
            .expression_attribute_values(":end", n(window_end))
            .return_values(ReturnValue::UpdatedNew)
            .send()
            .await
            .map_err(backend)?;
        let hits: u32 = get_n(&output.attributes.unwrap_or_default(), "hits")?;
        Ok(if hits > limit {
            Admission::Refused {
                retry_after_secs: (window_end - now).max(1) as u64,
            }
        } else {
            Admission::Allowed
        })
    }

    async fn claim_idempotency_key(
        &self,
        user_id: &str,
        key: &str,
        request_hash: &str,
        now: OffsetDateTime,
    ) -> StoreResult<IdempotencyClaim> {
        let now = now.unix_timestamp();
        // A released claim can vanish between our failed put and our read: try again.
        for _ in 0..3 {
            let result = self
                .client
                .put_item()
                .table_name(&self.users_table)
                .item("pk", s(user_pk(user_id)))
                .item("sk", s(idempotency_sk(key)))
                .item("request_hash", s(request_hash))
                .item("state", s("pending"))
                .item("claimed_at", n(now))
                .item("expires_at", n(now + IDEMPOTENCY_RETENTION_SECS))
                // Free, or a pending claim of the same request whose owner died.
                .condition_expression(
                    "attribute_not_exists(pk) OR #expires_at <= :now OR \
                     (#state = :pending AND #request_hash = :hash AND #claimed_at < :stale)",
                )
                .expression_attribute_names("#state", "state")
                .expression_attribute_names("#expires_at", "expires_at")
                .expression_attribute_names("#request_hash", "request_hash")
                .expression_attribute_names("#claimed_at", "claimed_at")
                .expression_attribute_values(":pending", s("pending"))
                .expression_attribute_values(":hash", s(request_hash))
                .expression_attribute_values(":now", n(now))
                .expression_attribute_values(":stale", n(now - ABANDONED_CLAIM_SECS))
                .send()
                .await;
            match result {
                Ok(_) => return Ok(IdempotencyClaim::Claimed),
                Err(error) if condition_failed(&error) => {}
                Err(error) => return Err(backend(error)),
            }
            let Some(existing) = self
                .get_user_item(user_pk(user_id), &idempotency_sk(key))
                .await?
            else {
                continue;
            };
            return Ok(if get_s(&existing, "request_hash")? != request_hash {
                IdempotencyClaim::Mismatch
            } else if let Some(response) = opt_s(&existing, "response") {
                IdempotencyClaim::Replay(response)
            } else {
                IdempotencyClaim::InProgress
            });
        }
        Err(StoreError::Backend(anyhow!(
            "idempotency key kept changing while being claimed"
        )))
    }

    async fn complete_idempotency_key(
        &self,
        user_id: &str,
        key: &str,
        response: &str,
    ) -> StoreResult<()> {
        self.client
            .update_item()
            .table_name(&self.users_table)
            .key("pk", s(user_pk(user_id)))
            .key("sk", s(idempotency_sk(key)))
            .update_expression("SET #state = :done, #response = :response")
            .condition_expression("attribute_exists(pk)")
            .expression_attribute_names("#state", "state")
            .expression_attribute_names("#response", "response")
            .expression_attribute_values(":done", s("done"))
            .expression_attribute_values(":response", s(response))
            .send()
            .await
            .map_err(backend)?;
        Ok(())
    }

    async fn release_idempotency_key(&self, user_id: &str, key: &str) -> StoreResult<()> {
        let result = self
            .client
            .delete_item()
            .table_name(&self.users_table)
            .key("pk", s(user_pk(user_id)))
            .key("sk", s(idempotency_sk(key)))
            .condition_expression("attribute_not_exists(#response)")
            .expression_attribute_names("#response", "response")
            .send()
            .await;
        match result {
            Ok(_) => Ok(()),
            // Completed meanwhile: a finished answer is kept for replays.
            Err(error) if condition_failed(&error) => Ok(()),
            Err(error) => Err(backend(error)),
        }
    }
}
