//! The serverless metadata backend: two DynamoDB tables, every read a
//! `GetItem` or a `Query` (never a `Scan`), every must-be-unique write a
//! conditional or transactional write.
//!
//! Users table (`pk`, `sk`): `USER#id/PROFILE` (profile and counters),
//! `EMAIL#email/EMAIL` (uniqueness), `SESSION#sha256/SESSION`,
//! `USER#id/USAGE#yyyy-mm`, `USER#id/IDEMPOTENCY#key`, `RATE#key/<window>`;
//! short-lived items carry `expires_at` for DynamoDB's TTL. Images table
//! (`user_id`, `image_id`): image ids are ULIDs, so a descending `Query` over
//! one user's partition is the gallery, newest first.
//!
//! The trash: a trashed image carries `trashed_at` (Unix ms) and two entries
//! in the users table, written in the same transaction: `USER#id/TRASH#<ms>#<image>`
//! (a descending `Query` is the user's trash, most recently trashed first) and
//! `TRASH/<ms>#<image>#<user>` (the sweep queries it for what has expired).
//!
//! The sweep's work lists, in the users table: `DELETING/<user>#<image>` for
//! every delete begun and not finished, and `RESERVED/<generation id>` for
//! every generation counted against its month and not recorded yet.
//!
//! Collections (`collections.rs`): `USER#id/COLLECTION#<id>` with its live
//! image count, `USER#id/COLLNAME#<lower-cased name>` (uniqueness), and one
//! `USER#id/MEMBER#<collection>#<image>` entry per membership (a descending
//! `Query` is the collection's page); the image item lists its
//! `collection_ids`, changed in the same transaction as the entry.
//!
//! API keys (`api_keys.rs`): `APIKEY#<id>/APIKEY` (found by the id the
//! secret carries), `USER#id/APIKEY#<id>` (the owner's list) and
//! `USER#id/APIKEYS` (the owner's key count).
//!
//! Share links (`shares.rs`): `SHARE#<id>/SHARE` (found by the id the token
//! carries) and `USER#id/SHARE#<kind>#<target>` (one per shared thing).
//!
//! Each concern is in the file of its trait (`accounts.rs`, `sessions.rs`,
//! `gallery.rs`, `collections.rs`, `quotas.rs`, `guards.rs`); this module
//! holds the client, the attribute helpers and the transaction retry they share.

mod accounts;
mod api_keys;
mod collections;
mod drafts;
mod exports;
mod gallery;
mod guards;
mod quotas;
mod sessions;
mod shares;
mod statistics;

use std::{collections::HashMap, str::FromStr, time::Duration};

use anyhow::anyhow;
use aws_sdk_dynamodb::{
    Client,
    config::http::HttpResponse,
    error::{DisplayErrorContext, SdkError},
    operation::transact_write_items::TransactWriteItemsError,
    types::{AttributeValue, Delete, TransactWriteItem, builders::UpdateBuilder},
};
use time::{OffsetDateTime, format_description::well_known::Rfc3339};

use super::{ImageRecord, StoreError, StoreResult, rules::from_millis};

type Item = HashMap<String, AttributeValue>;

/// The partition (in the users table) holding every reservation of monthly
/// generations not recorded or given back, by generation id (a ULID, so
/// oldest first): what a crash leaves here, the sweep gives back.
const RESERVED_PK: &str = "RESERVED";
/// Sort key prefix of a collection membership: `MEMBER#<collection>#<image>`.
const MEMBER_ENTRY: &str = "MEMBER#";
/// Transactions cancelled by a concurrent one are retried this often.
const TRANSACTION_ATTEMPTS: usize = 5;

#[derive(Clone)]
pub struct DynamoStore {
    client: Client,
    users_table: String,
    images_table: String,
    /// Most bytes of originals one user may keep; `None` for no limit.
    storage_quota: Option<u64>,
}

impl DynamoStore {
    /// Caps the bytes of originals each user may keep (`None`: no cap).
    pub fn with_storage_quota(mut self, bytes: Option<u64>) -> Self {
        self.storage_quota = bytes;
        self
    }

    pub fn new(client: Client, users_table: &str, images_table: &str) -> Self {
        Self {
            client,
            users_table: users_table.to_owned(),
            images_table: images_table.to_owned(),
            storage_quota: None,
        }
    }

    async fn get_user_item(&self, pk: String, sk: &str) -> StoreResult<Option<Item>> {
        let output = self
            .client
            .get_item()
            .table_name(&self.users_table)
            .key("pk", s(pk))
            .key("sk", s(sk))
            .consistent_read(true)
            .send()
            .await
            .map_err(backend)?;
        Ok(output.item)
    }

    /// Every item of the user's partition whose sort key starts with
    /// `prefix`, all pages, read consistently.
    async fn user_entries(&self, user_id: &str, prefix: &str) -> StoreResult<Vec<Item>> {
        self.client
            .query()
            .table_name(&self.users_table)
            .key_condition_expression("pk = :pk AND begins_with(sk, :prefix)")
            .expression_attribute_values(":pk", s(user_pk(user_id)))
            .expression_attribute_values(":prefix", s(prefix))
            .consistent_read(true)
            .into_paginator()
            .items()
            .send()
            .try_collect()
            .await
            .map_err(backend)
    }

    /// Up to `limit` items of the users table's `pk` partition whose sort key
    /// sorts before `before`, in order: the listings the sweep reads
    /// (reservations, drafts and exports by time).
    async fn entries_before(&self, pk: &str, before: String, limit: u32) -> StoreResult<Vec<Item>> {
        let output = self
            .client
            .query()
            .table_name(&self.users_table)
            .key_condition_expression("pk = :pk AND sk < :before")
            .expression_attribute_values(":pk", s(pk))
            .expression_attribute_values(":before", s(before))
            .consistent_read(true)
            .limit(limit.clamp(1, i32::MAX as u32) as i32)
            .send()
            .await
            .map_err(backend)?;
        Ok(output.items.unwrap_or_default())
    }

    async fn profile(&self, user_id: &str) -> StoreResult<Option<Item>> {
        self.get_user_item(user_pk(user_id), "PROFILE").await
    }

    async fn get_image_item(&self, user_id: &str, image_id: &str) -> StoreResult<Option<Item>> {
        let output = self
            .client
            .get_item()
            .table_name(&self.images_table)
            .key("user_id", s(user_id))
            .key("image_id", s(image_id))
            .consistent_read(true)
            .send()
            .await
            .map_err(backend)?;
        Ok(output.item)
    }

    /// Runs a transaction, retrying when a concurrent transaction on the same
    /// items cancelled it. `Ok(false)` when a condition failed.
    async fn transact(&self, items: Vec<TransactWriteItem>) -> StoreResult<bool> {
        Ok(self.transact_checked(items).await?.is_ok())
    }

    /// [`Self::transact`], telling which items' conditions failed (their
    /// positions in `items`) when the transaction was refused.
    async fn transact_checked(
        &self,
        items: Vec<TransactWriteItem>,
    ) -> StoreResult<Result<(), Vec<usize>>> {
        self.transact_with_token(items, None).await
    }

    /// [`Self::transact_checked`] with a `ClientRequestToken` made from
    /// `token`: when an answer is lost and the SDK sends the transaction
    /// again, DynamoDB answers the repeat with the first one's success
    /// instead of failing its conditions against its own writes. An answer
    /// that never comes is [`StoreError::OutcomeUnknown`].
    async fn transact_with_token(
        &self,
        items: Vec<TransactWriteItem>,
        token: Option<&str>,
    ) -> StoreResult<Result<(), Vec<usize>>> {
        for attempt in 0..TRANSACTION_ATTEMPTS {
            // A refused attempt wrote nothing; the next one is a new request.
            let token = token.map(|token| format!("{token}.{attempt}"));
            let result = self
                .client
                .transact_write_items()
                .set_transact_items(Some(items.clone()))
                .set_client_request_token(token.clone())
                .send()
                .await;
            let error = match result {
                Ok(_) => return Ok(Ok(())),
                Err(error) => error,
            };
            if let Some(TransactWriteItemsError::TransactionCanceledException(cancelled)) =
                error.as_service_error()
            {
                let codes: Vec<&str> = cancelled
                    .cancellation_reasons()
                    .iter()
                    .map(|reason| reason.code().unwrap_or("None"))
                    .collect();
                let failed: Vec<usize> = codes
                    .iter()
                    .enumerate()
                    .filter(|(_, code)| **code == "ConditionalCheckFailed")
                    .map(|(position, _)| position)
                    .collect();
                if !failed.is_empty() {
                    return Ok(Err(failed));
                }
                if codes.contains(&"TransactionConflict") && attempt + 1 < TRANSACTION_ATTEMPTS {
                    tokio::time::sleep(Duration::from_millis(20 << attempt)).await;
                    continue;
                }
            }
            if token.is_some() && outcome_unknown(&error) {
                return Err(StoreError::OutcomeUnknown(anyhow!(
                    "dynamodb: {}",
                    DisplayErrorContext(&error)
                )));
            }
            return Err(backend(error));
        }
        unreachable!("the last attempt returns")
    }

    /// Deletes a users-table entry (its `pk` and `sk` taken from `entry`)
    /// within a transaction, on `condition` if one is given.
    fn remove_entry(
        &self,
        entry: &Item,
        condition: Option<&str>,
    ) -> StoreResult<TransactWriteItem> {
        let delete = Delete::builder()
            .table_name(&self.users_table)
            .key("pk", entry["pk"].clone())
            .key("sk", entry["sk"].clone())
            .set_condition_expression(condition.map(str::to_owned))
            .build()
            .map_err(build_error)?;
        Ok(TransactWriteItem::builder().delete(delete).build())
    }
}

/// `#name` → `name` for every alias in the expressions: DynamoDB reserves
/// hundreds of words (`hidden`, `response`, `bytes`…), so names are always aliased.
fn aliases(expressions: &[String]) -> HashMap<String, String> {
    expressions
        .iter()
        .flat_map(|expression| {
            expression.split(|c: char| !(c.is_alphanumeric() || c == '_' || c == '#'))
        })
        .filter_map(|token| {
            token
                .strip_prefix('#')
                .map(|name| (token.to_owned(), name.to_owned()))
        })
        .collect()
}

fn user_pk(user_id: &str) -> String {
    format!("USER#{user_id}")
}

fn member_prefix(collection_id: &str) -> String {
    format!("{MEMBER_ENTRY}{collection_id}#")
}

/// How often an image's collections have changed: writes that must agree
/// with its collections as read check this did not move.
fn collections_rev(item: &Item) -> StoreResult<u64> {
    Ok(opt_n(item, "collections_rev")?.unwrap_or(0))
}

/// The condition (and its names and values) that an image's collections are
/// still as read.
fn same_collections(update: UpdateBuilder, rev: u64) -> (UpdateBuilder, &'static str) {
    let update = update.expression_attribute_names("#collections_rev", "collections_rev");
    if rev == 0 {
        (update, "attribute_not_exists(#collections_rev)")
    } else {
        (
            update.expression_attribute_values(":collections_rev", n(rev)),
            "#collections_rev = :collections_rev",
        )
    }
}

fn s(value: impl Into<String>) -> AttributeValue {
    AttributeValue::S(value.into())
}

fn n(value: impl ToString) -> AttributeValue {
    AttributeValue::N(value.to_string())
}

fn timestamp(value: &OffsetDateTime) -> String {
    value.format(&Rfc3339).unwrap_or_default()
}

fn get_s(item: &Item, name: &str) -> StoreResult<String> {
    opt_s(item, name).ok_or_else(|| malformed(name))
}

fn opt_s(item: &Item, name: &str) -> Option<String> {
    item.get(name).and_then(|value| value.as_s().ok()).cloned()
}

fn get_n<T: FromStr>(item: &Item, name: &str) -> StoreResult<T> {
    opt_n(item, name)?.ok_or_else(|| malformed(name))
}

fn opt_n<T: FromStr>(item: &Item, name: &str) -> StoreResult<Option<T>> {
    match item.get(name).map(|value| value.as_n()) {
        None => Ok(None),
        Some(Ok(text)) => text.parse().map(Some).map_err(|_| malformed(name)),
        Some(Err(_)) => Err(malformed(name)),
    }
}

fn get_time(item: &Item, name: &str) -> StoreResult<OffsetDateTime> {
    OffsetDateTime::parse(&get_s(item, name)?, &Rfc3339).map_err(|_| malformed(name))
}

fn malformed(name: &str) -> StoreError {
    StoreError::Backend(anyhow!("stored item has a missing or malformed `{name}`"))
}

/// Whether a transaction that failed this way may still have been applied:
/// it was sent but its answer never came, was DynamoDB's own failure (5xx),
/// or says the same token's first sending is still being applied.
fn outcome_unknown(error: &SdkError<TransactWriteItemsError, HttpResponse>) -> bool {
    match error {
        SdkError::ConstructionFailure(_) => false,
        SdkError::DispatchFailure(failure) => !failure.is_user(),
        SdkError::ServiceError(service) => {
            service.raw().status().is_server_error()
                || matches!(
                    service.err(),
                    TransactWriteItemsError::TransactionInProgressException(_)
                )
        }
        _ => true,
    }
}

fn backend<E, R>(error: SdkError<E, R>) -> StoreError
where
    E: std::error::Error + Send + Sync + 'static,
    R: std::fmt::Debug + Send + Sync + 'static,
{
    StoreError::Backend(anyhow!("dynamodb: {}", DisplayErrorContext(&error)))
}

fn build_error(error: aws_sdk_dynamodb::error::BuildError) -> StoreError {
    StoreError::Backend(anyhow::Error::new(error).context("building a DynamoDB request"))
}

/// Whether a single-item write was refused by its condition expression.
fn condition_failed<E, R>(error: &SdkError<E, R>) -> bool
where
    E: aws_sdk_dynamodb::error::ProvideErrorMetadata,
{
    error
        .as_service_error()
        .is_some_and(|service| service.code() == Some("ConditionalCheckFailedException"))
}

fn image_from_item(item: &Item) -> StoreResult<ImageRecord> {
    Ok(ImageRecord {
        id: get_s(item, "image_id")?,
        user_id: get_s(item, "user_id")?,
        generation_id: get_s(item, "generation_id")?,
        prompt: get_s(item, "prompt")?,
        negative_prompt: opt_s(item, "negative_prompt"),
        model: get_s(item, "model")?,
        provider: get_s(item, "provider")?,
        width: get_n(item, "width")?,
        height: get_n(item, "height")?,
        steps: get_n(item, "steps")?,
        seed: get_n(item, "seed")?,
        style: get_s(item, "style")?,
        created_at: get_time(item, "created_at")?,
        favorite: item
            .get("favorite")
            .and_then(|value| value.as_bool().ok())
            .copied()
            .unwrap_or(false),
        content_type: get_s(item, "content_type")?,
        bytes: get_n(item, "bytes")?,
        object_key: get_s(item, "object_key")?,
        thumbnail_key: get_s(item, "thumbnail_key")?,
        thumbnail_width: get_n(item, "thumbnail_width")?,
        thumbnail_height: get_n(item, "thumbnail_height")?,
        placeholder: get_s(item, "placeholder")?,
        inference_ms: opt_n(item, "inference_ms")?,
        total_ms: opt_n(item, "total_ms")?,
        cost_micros: opt_n(item, "cost_micros")?,
        upstream_id: opt_s(item, "upstream_id"),
        trashed_at: opt_n(item, "trashed_at")?.map(from_millis),
        collection_ids: item
            .get("collection_ids")
            .and_then(|value| value.as_ss().ok())
            .cloned()
            .unwrap_or_default(),
    })
}

/// Opens the store on the tables named in the settings, with the SDK's
/// standard configuration.
pub fn from_sdk_config(
    config: &aws_config::SdkConfig,
    users_table: &str,
    images_table: &str,
) -> anyhow::Result<DynamoStore> {
    anyhow::ensure!(
        !users_table.is_empty() && !images_table.is_empty(),
        "DYNAMODB_TABLE_USERS and DYNAMODB_TABLE_IMAGES must both be set"
    );
    Ok(DynamoStore::new(
        Client::new(config),
        users_table,
        images_table,
    ))
}

#[cfg(test)]
mod tests;
