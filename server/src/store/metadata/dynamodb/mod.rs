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

mod collections;

use std::{collections::HashMap, str::FromStr, time::Duration};

use anyhow::anyhow;
use async_trait::async_trait;
use aws_sdk_dynamodb::{
    Client,
    config::http::HttpResponse,
    error::{DisplayErrorContext, SdkError},
    operation::transact_write_items::TransactWriteItemsError,
    types::{
        AttributeValue, Delete, KeysAndAttributes, Put, ReturnValue, TransactWriteItem, Update,
        builders::UpdateBuilder,
    },
};
use time::{OffsetDateTime, format_description::well_known::Rfc3339};

use collections::CollectionCounts;

use super::{
    Admission, CollectionChanges, CollectionRecord, Credentials, IdempotencyClaim, ImagePage,
    ImageQuery, ImageRecord, ImageRef, Membership, MetadataStore, NewSession, Reservation,
    StoreError, StoreResult, TrashOutcome, Usage, User,
    rules::{
        ABANDONED_CLAIM_SECS, IDEMPOTENCY_RETENTION_SECS, MAX_SEARCH_TERMS, TrashPosition,
        first_id_at, fold, from_millis, is_search_term, millis, normalise_email, search_words,
    },
};

type Item = HashMap<String, AttributeValue>;

/// Items one gallery `Query` reads when a filter (search, favourites) may drop many.
const FILTERED_QUERY_PAGE: i32 = 200;
/// Most `Query` calls one gallery page may make; past that the page is
/// returned short, with a cursor where the reading stopped.
const MAX_QUERIES_PER_PAGE: usize = 8;
/// Most keys one `BatchGetItem` may ask for.
const BATCH_GET_MAX: i32 = 100;
/// Sort key prefix of a trash entry in its owner's partition: `TRASH#<position>`.
const TRASH_ENTRY: &str = "TRASH#";
/// Partition of the expiry queue: `<position>#<user id>` for every trashed image.
const TRASH_EXPIRY_PK: &str = "TRASH";
/// The partition (in the users table) listing every image whose delete has
/// begun and not finished, as `<user>#<image>`: the sweep's work list.
const DELETING_PK: &str = "DELETING";
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

    /// Fills a page from reads of at most `wanted` items each, up to
    /// `MAX_QUERIES_PER_PAGE` of them; past that the page is returned short,
    /// with a cursor where the reading stopped, so the next page goes on from there.
    async fn fill_page(
        &self,
        user_id: &str,
        listing: &Listing<'_>,
        limit: usize,
        mut start: Option<String>,
    ) -> StoreResult<ImagePage> {
        let mut page: Vec<(String, ImageRecord)> = Vec::with_capacity(limit + 1);
        for _ in 0..MAX_QUERIES_PER_PAGE {
            let wanted = limit + 1 - page.len();
            let batch = match listing {
                Listing::Gallery {
                    filters,
                    values,
                    filtered,
                } => {
                    self.read_gallery(user_id, start.clone(), wanted, filters, values, *filtered)
                        .await?
                }
                Listing::Entries(entries) => {
                    self.read_entries(user_id, entries, start.clone(), wanted)
                        .await?
                }
            };
            page.extend(batch.records.into_iter().take(wanted));
            if page.len() > limit {
                page.truncate(limit);
                let next_after = page.last().map(|(position, _)| position.clone());
                return Ok(ImagePage {
                    items: page.into_iter().map(|(_, image)| image).collect(),
                    next_after,
                });
            }
            start = batch.stopped_at;
            if start.is_none() {
                break;
            }
        }
        Ok(ImagePage {
            items: page.into_iter().map(|(_, image)| image).collect(),
            next_after: start,
        })
    }

    /// One read of the gallery: a `Query` of the owner's images, newest first.
    async fn read_gallery(
        &self,
        user_id: &str,
        start: Option<String>,
        wanted: usize,
        filters: &[String],
        values: &Item,
        filtered: bool,
    ) -> StoreResult<Batch> {
        let mut request = self
            .client
            .query()
            .table_name(&self.images_table)
            .key_condition_expression("user_id = :user")
            .filter_expression(filters.join(" AND "))
            .set_expression_attribute_names(Some(aliases(filters)))
            .set_expression_attribute_values(Some(values.clone()))
            .scan_index_forward(false)
            .limit(if filtered {
                FILTERED_QUERY_PAGE
            } else {
                wanted as i32
            });
        if let Some(after) = &start {
            request = request
                .exclusive_start_key("user_id", s(user_id))
                .exclusive_start_key("image_id", s(after));
        }
        let output = request.send().await.map_err(backend)?;
        Ok(Batch {
            records: output
                .items
                .unwrap_or_default()
                .iter()
                .map(|item| image_from_item(item).map(|image| (image.id.clone(), image)))
                .collect::<StoreResult<_>>()?,
            stopped_at: last_evaluated(&output.last_evaluated_key, "image_id"),
        })
    }

    /// One read of the trash or a collection: a page of the owner's entries
    /// under the listing's prefix, last first, and their images in one
    /// `BatchGetItem`, kept as the listing says. An entry's position is its
    /// sort key after the prefix.
    async fn read_entries(
        &self,
        user_id: &str,
        listing: &EntryListing<'_>,
        start: Option<String>,
        wanted: usize,
    ) -> StoreResult<Batch> {
        let EntryListing {
            prefix,
            favorites_only,
            terms,
            ..
        } = *listing;
        let filtered = favorites_only || !terms.is_empty();
        let mut request = self
            .client
            .query()
            .table_name(&self.users_table)
            .key_condition_expression("pk = :pk AND begins_with(sk, :prefix)")
            .expression_attribute_values(":pk", s(user_pk(user_id)))
            .expression_attribute_values(":prefix", s(prefix))
            .scan_index_forward(false)
            .consistent_read(true)
            .limit(if filtered {
                BATCH_GET_MAX
            } else {
                wanted.min(BATCH_GET_MAX as usize) as i32
            });
        if let Some(after) = &start {
            request = request
                .exclusive_start_key("pk", s(user_pk(user_id)))
                .exclusive_start_key("sk", s(format!("{prefix}{after}")));
        }
        let output = request.send().await.map_err(backend)?;
        let entries = output.items.unwrap_or_default();
        let ids = entries
            .iter()
            .map(|entry| get_s(entry, "image_id"))
            .collect::<StoreResult<Vec<_>>>()?;
        let mut found = self.batch_get_images(user_id, &ids).await?;
        let mut records = Vec::with_capacity(entries.len());
        for (entry, id) in entries.iter().zip(&ids) {
            let Some(item) = found.remove(id) else {
                continue;
            };
            if listing.keeps(&item) {
                let position = get_s(entry, "sk")?
                    .strip_prefix(prefix)
                    .map(str::to_owned)
                    .ok_or_else(|| malformed("sk"))?;
                records.push((position, image_from_item(&item)?));
            }
        }
        Ok(Batch {
            records,
            stopped_at: last_evaluated(&output.last_evaluated_key, "sk")
                .and_then(|sk| sk.strip_prefix(prefix).map(str::to_owned)),
        })
    }

    /// One user's images by id, read consistently, however many calls
    /// DynamoDB needs to hand back every key.
    async fn batch_get_images(
        &self,
        user_id: &str,
        ids: &[String],
    ) -> StoreResult<HashMap<String, Item>> {
        let mut found = HashMap::with_capacity(ids.len());
        if ids.is_empty() {
            return Ok(found);
        }
        let keys = ids
            .iter()
            .map(|id| Item::from([("user_id".into(), s(user_id)), ("image_id".into(), s(id))]))
            .collect();
        let mut request = KeysAndAttributes::builder()
            .set_keys(Some(keys))
            .consistent_read(true)
            .build()
            .map_err(build_error)?;
        for attempt in 0..TRANSACTION_ATTEMPTS {
            let output = self
                .client
                .batch_get_item()
                .request_items(&self.images_table, request)
                .send()
                .await
                .map_err(backend)?;
            let items = output
                .responses
                .and_then(|mut tables| tables.remove(&self.images_table))
                .unwrap_or_default();
            for item in items {
                found.insert(get_s(&item, "image_id")?, item);
            }
            match output
                .unprocessed_keys
                .and_then(|mut tables| tables.remove(&self.images_table))
            {
                Some(rest) if !rest.keys().is_empty() => {
                    request = rest;
                    tokio::time::sleep(Duration::from_millis(20 << attempt)).await;
                }
                _ => return Ok(found),
            }
        }
        Err(StoreError::Backend(anyhow!(
            "DynamoDB kept keys unprocessed"
        )))
    }

    /// The two entries that index a trashed image: in its owner's trash
    /// (listing) and in the expiry queue of every user's trash (the sweep).
    fn trash_entries(
        &self,
        user_id: &str,
        position: &TrashPosition,
        entering: bool,
    ) -> StoreResult<Vec<TransactWriteItem>> {
        let keys = [
            (
                user_pk(user_id),
                format!("{TRASH_ENTRY}{}", position.encode()),
            ),
            (
                TRASH_EXPIRY_PK.to_owned(),
                format!("{}#{user_id}", position.encode()),
            ),
        ];
        keys.into_iter()
            .map(|(pk, sk)| {
                Ok(if entering {
                    TransactWriteItem::builder()
                        .put(
                            Put::builder()
                                .table_name(&self.users_table)
                                .item("pk", s(pk))
                                .item("sk", s(sk))
                                .item("user_id", s(user_id))
                                .item("image_id", s(&position.image_id))
                                .build()
                                .map_err(build_error)?,
                        )
                        .build()
                } else {
                    TransactWriteItem::builder()
                        .delete(
                            Delete::builder()
                                .table_name(&self.users_table)
                                .key("pk", s(pk))
                                .key("sk", s(sk))
                                .build()
                                .map_err(build_error)?,
                        )
                        .build()
                })
            })
            .collect()
    }

    /// Adds to counters of a user's profile, which must exist.
    fn count_on_profile(
        &self,
        user_id: &str,
        changes: &[(&str, i64)],
    ) -> StoreResult<TransactWriteItem> {
        let mut update = Update::builder()
            .table_name(&self.users_table)
            .key("pk", s(user_pk(user_id)))
            .key("sk", s("PROFILE"))
            .condition_expression("attribute_exists(pk)");
        let mut adds = Vec::with_capacity(changes.len());
        for (index, (counter, change)) in changes.iter().enumerate() {
            adds.push(format!("#c{index} :c{index}"));
            update = update
                .expression_attribute_names(format!("#c{index}"), *counter)
                .expression_attribute_values(format!(":c{index}"), n(change));
        }
        Ok(TransactWriteItem::builder()
            .update(
                update
                    .update_expression(format!("ADD {}", adds.join(", ")))
                    .build()
                    .map_err(build_error)?,
            )
            .build())
    }

    /// Sets or removes an image's `trashed_at`, on the condition that the
    /// image is as it was read (not hidden, still trashed or not, favourite
    /// and in the collections as it was), so the index entries and counters
    /// written beside it agree.
    fn mark_trashed(
        &self,
        record: &ImageRecord,
        collections_rev: u64,
        trashed_ms: Option<i64>,
    ) -> StoreResult<TransactWriteItem> {
        let mut update = Update::builder()
            .table_name(&self.images_table)
            .key("user_id", s(&record.user_id))
            .key("image_id", s(&record.id))
            .expression_attribute_names("#hidden", "hidden")
            .expression_attribute_names("#trashed_at", "trashed_at");
        let (change, was) = match (trashed_ms, record.trashed_at) {
            (Some(ms), None) => {
                update = update.expression_attribute_values(":at", n(ms));
                ("SET #trashed_at = :at", "attribute_not_exists(#trashed_at)")
            }
            (None, Some(at)) => {
                update = update.expression_attribute_values(":was", n(millis(at)));
                ("REMOVE #trashed_at", "#trashed_at = :was")
            }
            _ => {
                return Err(StoreError::Backend(anyhow!(
                    "an image changes trash state one way"
                )));
            }
        };
        let favorite = if record.favorite {
            "#favorite = :true"
        } else {
            "(attribute_not_exists(#favorite) OR #favorite = :false)"
        };
        update = update
            .expression_attribute_names("#favorite", "favorite")
            .expression_attribute_values(
                if record.favorite { ":true" } else { ":false" },
                AttributeValue::Bool(record.favorite),
            );
        let (update, collections) = same_collections(update, collections_rev);
        Ok(TransactWriteItem::builder()
            .update(
                update
                    .update_expression(change)
                    .condition_expression(format!(
                        "attribute_exists(image_id) AND attribute_not_exists(#hidden) AND {was} AND {favorite} AND {collections}"
                    ))
                    .build()
                    .map_err(build_error)?,
            )
            .build())
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

    /// The writes that delete a hidden image's record for good: the record,
    /// its trash entries and its share of the owner's counters. The record's
    /// delete comes first, so a refused transaction says whether it was there.
    fn deletion(&self, record: &ImageRecord) -> StoreResult<Vec<TransactWriteItem>> {
        let (user_id, image_id) = (record.user_id.as_str(), record.id.as_str());
        let bytes = record.bytes as i64;
        let mut items = vec![
            TransactWriteItem::builder()
                .delete(
                    Delete::builder()
                        .table_name(&self.images_table)
                        .key("user_id", s(user_id))
                        .key("image_id", s(image_id))
                        .condition_expression("attribute_exists(image_id)")
                        .build()
                        .map_err(build_error)?,
                )
                .build(),
        ];
        let mut counters = vec![("image_count", -1), ("storage_bytes", -bytes)];
        if let Some(trashed_at) = record.trashed_at {
            let position = TrashPosition::of(image_id, trashed_at);
            items.extend(self.trash_entries(user_id, &position, false)?);
            counters.extend([("trash_images", -1), ("trash_bytes", -bytes)]);
        }
        items.push(self.count_on_profile(user_id, &counters)?);
        let entry = deleting_entry(user_id, image_id);
        items.push(self.remove_entry(&entry, None)?);
        Ok(items)
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

#[async_trait]
impl MetadataStore for DynamoStore {
    async fn create_user(&self, user: &User, password_hash: Option<&str>) -> StoreResult<()> {
        let mut profile = Item::from([
            ("pk".into(), s(user_pk(&user.id))),
            ("sk".into(), s("PROFILE")),
            ("email".into(), s(&user.email)),
            ("created_at".into(), s(timestamp(&user.created_at))),
            ("image_count".into(), n(0)),
            ("storage_bytes".into(), n(0)),
        ]);
        if let Some(name) = &user.display_name {
            profile.insert("display_name".into(), s(name));
        }
        if let Some(hash) = password_hash {
            profile.insert("password_hash".into(), s(hash));
        }
        let email = Item::from([
            ("pk".into(), s(email_pk(&user.email))),
            ("sk".into(), s("EMAIL")),
            ("user_id".into(), s(&user.id)),
        ]);
        let put = |item: Item| -> StoreResult<TransactWriteItem> {
            Ok(TransactWriteItem::builder()
                .put(
                    Put::builder()
                        .table_name(&self.users_table)
                        .set_item(Some(item))
                        .condition_expression("attribute_not_exists(pk)")
                        .build()
                        .map_err(build_error)?,
                )
                .build())
        };
        if self.transact(vec![put(profile)?, put(email)?]).await? {
            Ok(())
        } else {
            Err(StoreError::EmailTaken)
        }
    }

    async fn credentials_by_email(&self, email: &str) -> StoreResult<Option<Credentials>> {
        let Some(claim) = self.get_user_item(email_pk(email), "EMAIL").await? else {
            return Ok(None);
        };
        let user_id = get_s(&claim, "user_id")?;
        let Some(profile) = self.profile(&user_id).await? else {
            return Ok(None);
        };
        let Some(password_hash) = opt_s(&profile, "password_hash") else {
            return Ok(None);
        };
        Ok(Some(Credentials {
            user: user_from_profile(&user_id, &profile)?,
            password_hash,
        }))
    }

    async fn user_by_id(&self, user_id: &str) -> StoreResult<Option<User>> {
        self.profile(user_id)
            .await?
            .map(|profile| user_from_profile(user_id, &profile))
            .transpose()
    }

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

    async fn insert_images(&self, images: &[ImageRecord]) -> StoreResult<()> {
        let Some(first) = images.first() else {
            return Ok(());
        };
        if images.iter().any(|image| image.user_id != first.user_id) {
            return Err(StoreError::Backend(anyhow!(
                "one generation's images belong to one user"
            )));
        }
        let mut items = Vec::with_capacity(images.len() + 2);
        for image in images {
            items.push(
                TransactWriteItem::builder()
                    .put(
                        Put::builder()
                            .table_name(&self.images_table)
                            .set_item(Some(image_item(image)))
                            .condition_expression("attribute_not_exists(image_id)")
                            .build()
                            .map_err(build_error)?,
                    )
                    .build(),
            );
        }
        let bytes: u64 = images.iter().map(|image| image.bytes).sum();
        // The quota is a condition of the counter update in the same
        // transaction, so concurrent generations cannot pass it together.
        let room = match self.storage_quota {
            Some(quota) if bytes > quota => return Err(StoreError::StorageQuotaExceeded),
            Some(quota) => quota - bytes,
            None => i64::MAX as u64,
        };
        items.push(
            TransactWriteItem::builder()
                .update(
                    Update::builder()
                        .table_name(&self.users_table)
                        .key("pk", s(user_pk(&first.user_id)))
                        .key("sk", s("PROFILE"))
                        .update_expression("ADD #image_count :count, #storage_bytes :bytes")
                        .expression_attribute_names("#image_count", "image_count")
                        .expression_attribute_names("#storage_bytes", "storage_bytes")
                        .condition_expression(
                            "attribute_exists(pk) AND \
                             (attribute_not_exists(#storage_bytes) OR #storage_bytes <= :room)",
                        )
                        .expression_attribute_values(":count", n(images.len()))
                        .expression_attribute_values(":bytes", n(bytes))
                        .expression_attribute_values(":room", n(room))
                        .build()
                        .map_err(build_error)?,
                )
                .build(),
        );
        // Recorded, the generation's reservation has served.
        items.push(self.remove_entry(
            &Item::from([
                ("pk".into(), s(RESERVED_PK)),
                ("sk".into(), s(&first.generation_id)),
            ]),
            None,
        )?);
        // The images' ids are new, so the first one names this transaction.
        if self
            .transact_with_token(items, Some(&first.id))
            .await?
            .is_ok()
        {
            return Ok(());
        }
        // A condition failed: tell the quota apart from a missing owner or a taken id.
        let stored = match self.profile(&first.user_id).await? {
            Some(profile) => get_n::<i64>(&profile, "storage_bytes")?.max(0) as u64,
            None => 0,
        };
        if self.storage_quota.is_some() && stored > room {
            return Err(StoreError::StorageQuotaExceeded);
        }
        Err(StoreError::Backend(anyhow!(
            "recording images: the owner does not exist or an id is taken"
        )))
    }

    async fn list_images(&self, user_id: &str, query: &ImageQuery) -> StoreResult<ImagePage> {
        let terms = match query.search.as_deref().map(str::trim) {
            Some("") | None => Vec::new(),
            Some(text) => {
                let terms = search_terms(text);
                if terms.is_empty() {
                    // Nothing searchable (only punctuation): nothing can match.
                    return Ok(ImagePage {
                        items: Vec::new(),
                        next_after: None,
                    });
                }
                terms
            }
        };
        let mut filters = vec!["attribute_not_exists(#hidden)".to_owned()];
        let mut values = Item::from([(":user".to_owned(), s(user_id))]);
        if query.favorites_only {
            filters.push("#favorite = :favorite".into());
            values.insert(":favorite".into(), AttributeValue::Bool(true));
        }
        for (index, term) in terms.iter().enumerate() {
            values.insert(format!(":term{index}"), s(format!(" {}", term.folded)));
            if term.folded == term.as_typed {
                filters.push(format!("contains(#prompt_words, :term{index})"));
            } else {
                // Images recorded before accents were folded keep their words as
                // typed: they still match the word as it is written.
                filters.push(format!(
                    "(contains(#prompt_words, :term{index}) OR contains(#prompt_words, :typed{index}))"
                ));
                values.insert(format!(":typed{index}"), s(format!(" {}", term.as_typed)));
            }
        }
        let filtered = query.favorites_only || !terms.is_empty();
        let limit = query.limit.max(1) as usize;
        let members;
        let listing = if query.trashed {
            Listing::Entries(EntryListing {
                prefix: TRASH_ENTRY,
                trashed: true,
                member_of: query.collection.as_deref(),
                favorites_only: query.favorites_only,
                terms: &terms,
            })
        } else if let Some(collection_id) = &query.collection {
            members = member_prefix(collection_id);
            Listing::Entries(EntryListing {
                prefix: &members,
                trashed: false,
                member_of: None,
                favorites_only: query.favorites_only,
                terms: &terms,
            })
        } else {
            filters.push("attribute_not_exists(#trashed_at)".into());
            Listing::Gallery {
                filters: &filters,
                values: &values,
                filtered,
            }
        };
        self.fill_page(user_id, &listing, limit, query.after.clone())
            .await
    }

    async fn get_image(&self, user_id: &str, image_id: &str) -> StoreResult<Option<ImageRecord>> {
        match self.get_image_item(user_id, image_id).await? {
            Some(item) if !item.contains_key("hidden") => Ok(Some(image_from_item(&item)?)),
            _ => Ok(None),
        }
    }

    async fn set_favorite(
        &self,
        user_id: &str,
        image_id: &str,
        favorite: bool,
    ) -> StoreResult<Option<ImageRecord>> {
        let result = self
            .client
            .update_item()
            .table_name(&self.images_table)
            .key("user_id", s(user_id))
            .key("image_id", s(image_id))
            .update_expression("SET #favorite = :favorite")
            .condition_expression("attribute_exists(image_id) AND attribute_not_exists(#hidden)")
            .expression_attribute_names("#favorite", "favorite")
            .expression_attribute_names("#hidden", "hidden")
            .expression_attribute_values(":favorite", AttributeValue::Bool(favorite))
            .return_values(ReturnValue::AllNew)
            .send()
            .await;
        match result {
            Ok(output) => output
                .attributes
                .map(|item| image_from_item(&item))
                .transpose(),
            Err(error) if condition_failed(&error) => Ok(None),
            Err(error) => Err(backend(error)),
        }
    }

    async fn trash_image(
        &self,
        user_id: &str,
        image_id: &str,
        include_favorites: bool,
        now: OffsetDateTime,
    ) -> StoreResult<TrashOutcome> {
        let trashed_ms = millis(now);
        // Read, then write on the condition that nothing changed in between;
        // a concurrent change means reading again.
        let mut gone_collections = Vec::new();
        for _ in 0..TRANSACTION_ATTEMPTS {
            let (mut record, rev) = match self.get_image_item(user_id, image_id).await? {
                Some(item) if !item.contains_key("hidden") => {
                    (image_from_item(&item)?, collections_rev(&item)?)
                }
                _ => return Ok(TrashOutcome::NotFound),
            };
            if record.trashed_at.is_some() {
                return Ok(TrashOutcome::Trashed(Box::new(record)));
            }
            if record.favorite && !include_favorites {
                return Ok(TrashOutcome::FavoriteProtected);
            }
            let position = TrashPosition {
                trashed_ms,
                image_id: image_id.to_owned(),
            };
            let mut items = vec![self.mark_trashed(&record, rev, Some(trashed_ms))?];
            items.extend(self.trash_entries(user_id, &position, true)?);
            items.push(self.count_on_profile(
                user_id,
                &[("trash_images", 1), ("trash_bytes", record.bytes as i64)],
            )?);
            let counted = self.count_in_collections(
                user_id,
                &record.collection_ids,
                &gone_collections,
                -1,
                &mut items,
            )?;
            match self.transact_checked(items).await? {
                Ok(()) => {
                    record.trashed_at = Some(from_millis(trashed_ms));
                    return Ok(TrashOutcome::Trashed(Box::new(record)));
                }
                Err(failed) => gone_collections.extend(counted.failed(&failed)),
            }
        }
        Err(StoreError::Backend(anyhow!(
            "the image kept changing while being trashed"
        )))
    }

    async fn restore_image(
        &self,
        user_id: &str,
        image_id: &str,
    ) -> StoreResult<Option<ImageRecord>> {
        let mut gone_collections = Vec::new();
        for _ in 0..TRANSACTION_ATTEMPTS {
            let (mut record, rev) = match self.get_image_item(user_id, image_id).await? {
                Some(item) if !item.contains_key("hidden") => {
                    (image_from_item(&item)?, collections_rev(&item)?)
                }
                _ => return Ok(None),
            };
            let Some(trashed_at) = record.trashed_at else {
                return Ok(Some(record));
            };
            let position = TrashPosition::of(image_id, trashed_at);
            let mut items = vec![self.mark_trashed(&record, rev, None)?];
            items.extend(self.trash_entries(user_id, &position, false)?);
            items.push(self.count_on_profile(
                user_id,
                &[
                    ("trash_images", -1),
                    ("trash_bytes", -(record.bytes as i64)),
                ],
            )?);
            let counted = self.count_in_collections(
                user_id,
                &record.collection_ids,
                &gone_collections,
                1,
                &mut items,
            )?;
            match self.transact_checked(items).await? {
                Ok(()) => {
                    record.trashed_at = None;
                    return Ok(Some(record));
                }
                Err(failed) => gone_collections.extend(counted.failed(&failed)),
            }
        }
        Err(StoreError::Backend(anyhow!(
            "the image kept changing while being restored"
        )))
    }

    async fn expired_trash(
        &self,
        trashed_before: OffsetDateTime,
        limit: u32,
    ) -> StoreResult<Vec<ImageRef>> {
        let output = self
            .client
            .query()
            .table_name(&self.users_table)
            .key_condition_expression("pk = :pk AND sk < :before")
            .expression_attribute_values(":pk", s(TRASH_EXPIRY_PK))
            .expression_attribute_values(":before", s(format!("{:013}", millis(trashed_before))))
            .consistent_read(true)
            .limit(limit.clamp(1, i32::MAX as u32) as i32)
            .send()
            .await
            .map_err(backend)?;
        image_refs(output.items)
    }

    async fn hide_image(&self, user_id: &str, image_id: &str) -> StoreResult<Option<ImageRecord>> {
        // Hidden and listed for the sweep together, so a delete stopped
        // after this step is always finished by someone.
        let hide = TransactWriteItem::builder()
            .update(
                Update::builder()
                    .table_name(&self.images_table)
                    .key("user_id", s(user_id))
                    .key("image_id", s(image_id))
                    .update_expression("SET #hidden = :hidden")
                    .expression_attribute_names("#hidden", "hidden")
                    .expression_attribute_values(":hidden", AttributeValue::Bool(true))
                    .condition_expression("attribute_exists(image_id)")
                    .build()
                    .map_err(build_error)?,
            )
            .build();
        let listed = TransactWriteItem::builder()
            .put(
                Put::builder()
                    .table_name(&self.users_table)
                    .set_item(Some(deleting_entry(user_id, image_id)))
                    .build()
                    .map_err(build_error)?,
            )
            .build();
        if !self.transact(vec![hide, listed]).await? {
            return Ok(None);
        }
        self.get_image_item(user_id, image_id)
            .await?
            .map(|item| image_from_item(&item))
            .transpose()
    }

    async fn unfinished_deletes(&self, limit: u32) -> StoreResult<Vec<ImageRef>> {
        let output = self
            .client
            .query()
            .table_name(&self.users_table)
            .key_condition_expression("pk = :pk")
            .expression_attribute_values(":pk", s(DELETING_PK))
            .consistent_read(true)
            .limit(limit.clamp(1, i32::MAX as u32) as i32)
            .send()
            .await
            .map_err(backend)?;
        image_refs(output.items)
    }

    async fn delete_image(&self, user_id: &str, image_id: &str) -> StoreResult<()> {
        let mut gone_collections = Vec::new();
        for _ in 0..TRANSACTION_ATTEMPTS {
            let Some(item) = self.get_image_item(user_id, image_id).await? else {
                return Ok(());
            };
            // Hidden, the record no longer changes: its trash state and its
            // collections are final (a deleted collection may still take
            // itself off, which only makes its entry here a no-op).
            let record = image_from_item(&item)?;
            let mut items = self.deletion(&record)?;
            items.extend(self.member_entries_removal(&record)?);
            let counted = if record.trashed_at.is_none() {
                self.count_in_collections(
                    user_id,
                    &record.collection_ids,
                    &gone_collections,
                    -1,
                    &mut items,
                )?
            } else {
                CollectionCounts::default()
            };
            match self.transact_checked(items).await? {
                Ok(()) => return Ok(()),
                // The record itself is gone: a concurrent delete got there first.
                Err(failed) if failed.contains(&0) => return Ok(()),
                Err(failed) => gone_collections.extend(counted.failed(&failed)),
            }
        }
        Err(StoreError::Backend(anyhow!(
            "the image's collections kept changing while it was deleted"
        )))
    }

    async fn create_collection(&self, collection: &CollectionRecord) -> StoreResult<()> {
        self.put_collection(collection).await
    }

    async fn list_collections(&self, user_id: &str) -> StoreResult<Vec<CollectionRecord>> {
        self.query_collections(user_id).await
    }

    async fn get_collection(
        &self,
        user_id: &str,
        collection_id: &str,
    ) -> StoreResult<Option<CollectionRecord>> {
        self.read_collection(user_id, collection_id).await
    }

    async fn owns_collection(&self, user_id: &str, collection_id: &str) -> StoreResult<bool> {
        Ok(self
            .read_collection(user_id, collection_id)
            .await?
            .is_some())
    }

    async fn update_collection(
        &self,
        user_id: &str,
        collection_id: &str,
        changes: &CollectionChanges,
        now: OffsetDateTime,
    ) -> StoreResult<Option<CollectionRecord>> {
        self.change_collection(user_id, collection_id, changes, now)
            .await
    }

    async fn delete_collection(&self, user_id: &str, collection_id: &str) -> StoreResult<bool> {
        self.remove_collection(user_id, collection_id).await
    }

    async fn add_to_collection(
        &self,
        user_id: &str,
        collection_id: &str,
        image_id: &str,
        now: OffsetDateTime,
    ) -> StoreResult<Membership> {
        self.change_membership(user_id, collection_id, image_id, now, true)
            .await
    }

    async fn remove_from_collection(
        &self,
        user_id: &str,
        collection_id: &str,
        image_id: &str,
        now: OffsetDateTime,
    ) -> StoreResult<Membership> {
        self.change_membership(user_id, collection_id, image_id, now, false)
            .await
    }

    async fn usage(&self, user_id: &str, month: &str) -> StoreResult<Usage> {
        let month_sk = usage_sk(month);
        let (profile, month) = futures::try_join!(
            self.profile(user_id),
            self.get_user_item(user_pk(user_id), &month_sk)
        )?;
        let Some(profile) = profile else {
            return Ok(Usage::default());
        };
        Ok(Usage {
            images: get_n::<i64>(&profile, "image_count")?.max(0) as u64,
            storage_bytes: get_n::<i64>(&profile, "storage_bytes")?.max(0) as u64,
            generations_this_month: match month {
                Some(item) => get_n::<i64>(&item, "generations")?.max(0) as u64,
                None => 0,
            },
            trash_images: opt_n::<i64>(&profile, "trash_images")?.unwrap_or(0).max(0) as u64,
            trash_bytes: opt_n::<i64>(&profile, "trash_bytes")?.unwrap_or(0).max(0) as u64,
        })
    }

    async fn reserve_generations(
        &self,
        reservation: &Reservation,
        quota: u32,
    ) -> StoreResult<bool> {
        let count = reservation.count;
        if count > quota {
            return Ok(false);
        }
        let counted = Update::builder()
            .table_name(&self.users_table)
            .key("pk", s(user_pk(&reservation.user_id)))
            .key("sk", s(usage_sk(&reservation.month)))
            .update_expression("ADD #generations :count")
            .condition_expression("attribute_not_exists(#generations) OR #generations <= :room")
            .expression_attribute_names("#generations", "generations")
            .expression_attribute_values(":count", n(count))
            .expression_attribute_values(":room", n(quota - count))
            .build()
            .map_err(build_error)?;
        let held = Put::builder()
            .table_name(&self.users_table)
            .set_item(Some(reservation_entry(reservation)))
            .build()
            .map_err(build_error)?;
        let items = vec![
            TransactWriteItem::builder().update(counted).build(),
            TransactWriteItem::builder().put(held).build(),
        ];
        // The id is new, so it names the transaction: a repeat after a lost
        // answer cannot count the generations twice.
        Ok(self
            .transact_with_token(items, Some(&reservation.id))
            .await?
            .is_ok())
    }

    async fn release_generations(&self, reservation: &Reservation) -> StoreResult<()> {
        let entry = reservation_entry(reservation);
        let given_back = Update::builder()
            .table_name(&self.users_table)
            .key("pk", s(user_pk(&reservation.user_id)))
            .key("sk", s(usage_sk(&reservation.month)))
            .update_expression("ADD #generations :minus")
            .condition_expression("#generations >= :count")
            .expression_attribute_names("#generations", "generations")
            .expression_attribute_values(":minus", n(-i64::from(reservation.count)))
            .expression_attribute_values(":count", n(reservation.count))
            .build()
            .map_err(build_error)?;
        let items = vec![
            self.remove_entry(&entry, Some("attribute_exists(pk)"))?,
            TransactWriteItem::builder().update(given_back).build(),
        ];
        match self.transact_checked(items).await? {
            // Gone: recorded, or given back already.
            Ok(()) => Ok(()),
            Err(failed) if failed.contains(&0) => Ok(()),
            // Fewer than `count` left to give back: the reservation goes alone.
            Err(_) => {
                self.transact(vec![self.remove_entry(&entry, None)?])
                    .await?;
                Ok(())
            }
        }
    }

    async fn stale_reservations(
        &self,
        before: OffsetDateTime,
        limit: u32,
    ) -> StoreResult<Vec<Reservation>> {
        let output = self
            .client
            .query()
            .table_name(&self.users_table)
            .key_condition_expression("pk = :pk AND sk < :before")
            .expression_attribute_values(":pk", s(RESERVED_PK))
            .expression_attribute_values(":before", s(first_id_at(before)))
            .consistent_read(true)
            .limit(limit.clamp(1, i32::MAX as u32) as i32)
            .send()
            .await
            .map_err(backend)?;
        output
            .items
            .unwrap_or_default()
            .iter()
            .map(|entry| {
                Ok(Reservation {
                    id: get_s(entry, "sk")?,
                    user_id: get_s(entry, "user_id")?,
                    month: get_s(entry, "month")?,
                    count: get_n(entry, "count")?,
                })
            })
            .collect()
    }

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

    async fn image_record_exists(&self, user_id: &str, image_id: &str) -> StoreResult<bool> {
        Ok(self.get_image_item(user_id, image_id).await?.is_some())
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

fn email_pk(email: &str) -> String {
    format!("EMAIL#{}", normalise_email(email))
}

fn session_pk(token_hash: &[u8; 32]) -> String {
    format!("SESSION#{}", hex::encode(token_hash))
}

fn member_prefix(collection_id: &str) -> String {
    format!("{MEMBER_ENTRY}{collection_id}#")
}

fn member_sk(collection_id: &str, image_id: &str) -> String {
    format!("{MEMBER_ENTRY}{collection_id}#{image_id}")
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

fn usage_sk(month: &str) -> String {
    format!("USAGE#{month}")
}

fn idempotency_sk(key: &str) -> String {
    format!("IDEMPOTENCY#{key}")
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

fn user_from_profile(user_id: &str, profile: &Item) -> StoreResult<User> {
    Ok(User {
        id: user_id.to_owned(),
        email: get_s(profile, "email")?,
        display_name: opt_s(profile, "display_name"),
        created_at: get_time(profile, "created_at")?,
    })
}

/// The images a sweep work list (trash expiry, unfinished deletes) names.
fn image_refs(entries: Option<Vec<Item>>) -> StoreResult<Vec<ImageRef>> {
    entries
        .unwrap_or_default()
        .iter()
        .map(|entry| {
            Ok(ImageRef {
                user_id: get_s(entry, "user_id")?,
                image_id: get_s(entry, "image_id")?,
            })
        })
        .collect()
}

/// The entry that lists an image whose delete has begun for the sweep.
fn deleting_entry(user_id: &str, image_id: &str) -> Item {
    Item::from([
        ("pk".into(), s(DELETING_PK)),
        ("sk".into(), s(format!("{user_id}#{image_id}"))),
        ("user_id".into(), s(user_id)),
        ("image_id".into(), s(image_id)),
    ])
}

/// The entry that keeps a reservation until its generation is recorded.
fn reservation_entry(reservation: &Reservation) -> Item {
    Item::from([
        ("pk".into(), s(RESERVED_PK)),
        ("sk".into(), s(&reservation.id)),
        ("user_id".into(), s(&reservation.user_id)),
        ("month".into(), s(&reservation.month)),
        ("count".into(), n(reservation.count)),
    ])
}

/// One word of a search: folded as prompts are stored now, and lower-cased
/// as typed, which is how images recorded before folding stored it.
struct SearchTerm {
    folded: String,
    as_typed: String,
}

/// What a search looks for (the shared rule): each term must begin a word of the prompt.
fn search_terms(text: &str) -> Vec<SearchTerm> {
    text.split(|c: char| !c.is_alphanumeric())
        .filter_map(|word| {
            let folded = fold(word);
            is_search_term(&folded).then(|| SearchTerm {
                folded,
                as_typed: word.to_lowercase(),
            })
        })
        .take(MAX_SEARCH_TERMS)
        .collect()
}

/// The prompt as ` word word … ` (folded), so `contains(prompt_words, " ligh")`
/// is a word-prefix match, the same rule as SQLite's prefix search.
fn prompt_words(prompt: &str) -> String {
    let mut out = String::with_capacity(prompt.len() + 2);
    for word in search_words(prompt) {
        out.push(' ');
        out.push_str(&word);
    }
    out.push(' ');
    out
}

fn image_item(image: &ImageRecord) -> Item {
    let mut item = Item::from([
        ("user_id".into(), s(&image.user_id)),
        ("image_id".into(), s(&image.id)),
        ("generation_id".into(), s(&image.generation_id)),
        ("prompt".into(), s(&image.prompt)),
        ("prompt_words".into(), s(prompt_words(&image.prompt))),
        ("model".into(), s(&image.model)),
        ("provider".into(), s(&image.provider)),
        ("width".into(), n(image.width)),
        ("height".into(), n(image.height)),
        ("steps".into(), n(image.steps)),
        ("seed".into(), n(image.seed)),
        ("style".into(), s(&image.style)),
        ("created_at".into(), s(timestamp(&image.created_at))),
        ("favorite".into(), AttributeValue::Bool(image.favorite)),
        ("content_type".into(), s(&image.content_type)),
        ("bytes".into(), n(image.bytes)),
        ("object_key".into(), s(&image.object_key)),
        ("thumbnail_key".into(), s(&image.thumbnail_key)),
        ("thumbnail_width".into(), n(image.thumbnail_width)),
        ("thumbnail_height".into(), n(image.thumbnail_height)),
        ("placeholder".into(), s(&image.placeholder)),
    ]);
    if let Some(negative) = &image.negative_prompt {
        item.insert("negative_prompt".into(), s(negative));
    }
    if let Some(ms) = image.inference_ms {
        item.insert("inference_ms".into(), n(ms));
    }
    if let Some(upstream) = &image.upstream_id {
        item.insert("upstream_id".into(), s(upstream));
    }
    item
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
        upstream_id: opt_s(item, "upstream_id"),
        trashed_at: opt_n(item, "trashed_at")?.map(from_millis),
        collection_ids: item
            .get("collection_ids")
            .and_then(|value| value.as_ss().ok())
            .cloned()
            .unwrap_or_default(),
    })
}

/// What one read of a listing found, in order, each record with the
/// position a cursor would name it by, and where DynamoDB stopped reading.
struct Batch {
    records: Vec<(String, ImageRecord)>,
    stopped_at: Option<String>,
}

/// Which listing a page is read from.
enum Listing<'a> {
    /// The gallery: a `Query` of the images table with a filter expression.
    Gallery {
        filters: &'a [String],
        values: &'a Item,
        filtered: bool,
    },
    /// The trash or a collection: the owner's entries, their images read in a batch.
    Entries(EntryListing<'a>),
}

/// A listing read from index entries in the users table.
#[derive(Clone, Copy)]
struct EntryListing<'a> {
    /// Sort key prefix of the entries: the trash's, or a collection's.
    prefix: &'a str,
    /// The trash lists trashed images; a collection, the others.
    trashed: bool,
    /// Only images in this collection (the trash of one collection).
    member_of: Option<&'a str>,
    favorites_only: bool,
    terms: &'a [SearchTerm],
}

impl EntryListing<'_> {
    /// Whether an entry's image belongs on the page as it is now.
    fn keeps(&self, item: &Item) -> bool {
        let in_collection = self.member_of.is_none_or(|collection_id| {
            item.get("collection_ids")
                .and_then(|value| value.as_ss().ok())
                .is_some_and(|ids| ids.iter().any(|id| id == collection_id))
        });
        item.contains_key("trashed_at") == self.trashed
            && !item.contains_key("hidden")
            && in_collection
            && matches_filters(item, self.favorites_only, self.terms)
    }
}

/// The sort key attribute a `Query` stopped at, when there is more to read.
fn last_evaluated(key: &Option<Item>, attribute: &str) -> Option<String> {
    key.as_ref()?.get(attribute)?.as_s().ok().cloned()
}

/// The gallery's favourite and search filters, applied to an item in memory
/// exactly as the `Query` filter expression applies them.
fn matches_filters(item: &Item, favorites_only: bool, terms: &[SearchTerm]) -> bool {
    let favorite = matches!(item.get("favorite"), Some(AttributeValue::Bool(true)));
    let words = item
        .get("prompt_words")
        .and_then(|value| value.as_s().ok())
        .map_or("", String::as_str);
    (favorite || !favorites_only)
        && terms.iter().all(|term| {
            words.contains(&format!(" {}", term.folded))
                || words.contains(&format!(" {}", term.as_typed))
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
mod tests {
    use super::*;

    #[test]
    fn search_is_a_word_prefix_match() {
        let stored = prompt_words("A Lighthouse at night, stormy-sea!");
        assert_eq!(stored, " a lighthouse at night stormy sea ");
        for term in search_terms("LIGHT sto") {
            assert!(stored.contains(&format!(" {}", term.folded)));
        }
        assert!(!stored.contains(&format!(" {}", search_terms("house")[0].folded)));
        assert!(search_terms("!!! ---").is_empty());
        let accented = search_terms("Café");
        assert_eq!(
            (accented[0].folded.as_str(), accented[0].as_typed.as_str()),
            ("cafe", "café")
        );
        assert_eq!(prompt_words("Crème brûlée"), " creme brulee ");
    }

    #[test]
    fn keys_follow_the_documented_layout() {
        assert_eq!(user_pk("u1"), "USER#u1");
        assert_eq!(email_pk(" Ann@Example.COM "), "EMAIL#ann@example.com");
        assert_eq!(
            session_pk(&[0xab; 32]),
            format!("SESSION#{}", "ab".repeat(32))
        );
        assert_eq!(usage_sk("2026-11"), "USAGE#2026-11");
        assert_eq!(idempotency_sk("k"), "IDEMPOTENCY#k");
    }
}
