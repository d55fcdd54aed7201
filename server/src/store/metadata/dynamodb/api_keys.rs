//! API keys on DynamoDB: `APIKEY#<id>/APIKEY` is what signing a request in
//! reads (one `GetItem` by the id the secret carries), `USER#id/APIKEY#<id>`
//! the same record in its owner's list, and `USER#id/APIKEYS` counts the
//! owner's keys so the limit holds under concurrent creations. The three
//! change together, in transactions.

use async_trait::async_trait;
use aws_sdk_dynamodb::types::{Delete, Put, TransactWriteItem, Update};
use time::OffsetDateTime;

use super::{DynamoStore, Item, build_error, get_n, get_s, malformed, n, opt_n, s, user_pk};
use crate::store::metadata::{
    Accounts, ApiKeyRecord, ApiKeys, StoreResult, User,
    rules::{from_millis, millis},
};

const KEY_ENTRY: &str = "APIKEY#";
const LOOKUP_SK: &str = "APIKEY";
const COUNTER_SK: &str = "APIKEYS";

fn lookup_pk(key_id: &str) -> String {
    format!("{KEY_ENTRY}{key_id}")
}

fn lookup_key(key_id: &str) -> Item {
    Item::from([
        ("pk".into(), s(lookup_pk(key_id))),
        ("sk".into(), s(LOOKUP_SK)),
    ])
}

fn listing_key(user_id: &str, key_id: &str) -> Item {
    Item::from([
        ("pk".into(), s(user_pk(user_id))),
        ("sk".into(), s(format!("{KEY_ENTRY}{key_id}"))),
    ])
}

fn counter_key(user_id: &str) -> Item {
    Item::from([
        ("pk".into(), s(user_pk(user_id))),
        ("sk".into(), s(COUNTER_SK)),
    ])
}

/// The record's attributes under the given keys.
fn key_item(key: &ApiKeyRecord, at: Item) -> Item {
    let mut item = at;
    item.extend([
        ("key_id".into(), s(&key.id)),
        ("user_id".into(), s(&key.user_id)),
        ("name".into(), s(&key.name)),
        ("prefix".into(), s(&key.prefix)),
        ("secret_sha256".into(), s(hex::encode(key.secret_hash))),
        ("created_ms".into(), n(millis(key.created_at))),
    ]);
    if let Some(expires_at) = key.expires_at {
        item.insert("expires_ms".into(), n(millis(expires_at)));
    }
    if let Some(last_used_at) = key.last_used_at {
        item.insert("last_used_ms".into(), n(millis(last_used_at)));
    }
    item
}

fn key_from_item(item: &Item) -> StoreResult<ApiKeyRecord> {
    let secret_hash = hex::decode(get_s(item, "secret_sha256")?)
        .ok()
        .and_then(|bytes| <[u8; 32]>::try_from(bytes).ok())
        .ok_or_else(|| malformed("secret_sha256"))?;
    Ok(ApiKeyRecord {
        id: get_s(item, "key_id")?,
        user_id: get_s(item, "user_id")?,
        name: get_s(item, "name")?,
        prefix: get_s(item, "prefix")?,
        secret_hash,
        created_at: from_millis(get_n(item, "created_ms")?),
        expires_at: opt_n(item, "expires_ms")?.map(from_millis),
        last_used_at: opt_n(item, "last_used_ms")?.map(from_millis),
    })
}

impl DynamoStore {
    pub(super) fn put_entry(
        &self,
        item: Item,
        condition: Option<&str>,
    ) -> StoreResult<TransactWriteItem> {
        let put = Put::builder()
            .table_name(&self.users_table)
            .set_item(Some(item))
            .set_condition_expression(condition.map(str::to_owned))
            .build()
            .map_err(build_error)?;
        Ok(TransactWriteItem::builder().put(put).build())
    }

    /// Adds `by` to the owner's key count, on `condition` if one is given.
    fn count_keys(
        &self,
        user_id: &str,
        by: i64,
        condition: Option<(&str, u32)>,
    ) -> StoreResult<TransactWriteItem> {
        let mut update = Update::builder()
            .table_name(&self.users_table)
            .set_key(Some(counter_key(user_id)))
            .update_expression("ADD #live :by")
            .expression_attribute_names("#live", "live")
            .expression_attribute_values(":by", n(by));
        if let Some((condition, max)) = condition {
            update = update
                .condition_expression(condition)
                .expression_attribute_values(":max", n(max));
        }
        Ok(TransactWriteItem::builder()
            .update(update.build().map_err(build_error)?)
            .build())
    }

    /// Forgets one of the user's keys: `false` when it was not theirs or
    /// is already gone (then nothing is counted down).
    async fn remove_key(&self, user_id: &str, key_id: &str) -> StoreResult<bool> {
        let lookup = Delete::builder()
            .table_name(&self.users_table)
            .set_key(Some(lookup_key(key_id)))
            .condition_expression("user_id = :user")
            .expression_attribute_values(":user", s(user_id))
            .build()
            .map_err(build_error)?;
        let lookup = TransactWriteItem::builder().delete(lookup).build();
        let items = vec![
            lookup,
            self.remove_entry(&listing_key(user_id, key_id), None)?,
            self.count_keys(user_id, -1, None)?,
        ];
        self.transact(items).await
    }
}

#[async_trait]
impl ApiKeys for DynamoStore {
    async fn create_api_key(
        &self,
        key: &ApiKeyRecord,
        max_live: u32,
        now: OffsetDateTime,
    ) -> StoreResult<bool> {
        for old in self.list_api_keys(&key.user_id).await? {
            if old.has_expired(now) {
                self.remove_key(&old.user_id, &old.id).await?;
            }
        }
        let items = vec![
            self.count_keys(
                &key.user_id,
                1,
                Some(("attribute_not_exists(#live) OR #live < :max", max_live)),
            )?,
            self.put_entry(
                key_item(key, lookup_key(&key.id)),
                Some("attribute_not_exists(pk)"),
            )?,
            self.put_entry(key_item(key, listing_key(&key.user_id, &key.id)), None)?,
        ];
        match self.transact_checked(items).await? {
            Ok(()) => Ok(true),
            Err(failed) if failed == [0] => Ok(false),
            Err(_) => Err(anyhow::anyhow!("an API key with this id exists").into()),
        }
    }

    async fn list_api_keys(&self, user_id: &str) -> StoreResult<Vec<ApiKeyRecord>> {
        let items = self.user_entries(user_id, KEY_ENTRY).await?;
        let mut keys = items
            .iter()
            .map(key_from_item)
            .collect::<StoreResult<Vec<_>>>()?;
        keys.sort_by(|a, b| b.id.cmp(&a.id));
        Ok(keys)
    }

    async fn revoke_api_key(&self, user_id: &str, key_id: &str) -> StoreResult<bool> {
        self.remove_key(user_id, key_id).await
    }

    async fn api_key(&self, key_id: &str) -> StoreResult<Option<(ApiKeyRecord, User)>> {
        let Some(item) = self.get_user_item(lookup_pk(key_id), LOOKUP_SK).await? else {
            return Ok(None);
        };
        let key = key_from_item(&item)?;
        Ok(self.user_by_id(&key.user_id).await?.map(|user| (key, user)))
    }

    async fn note_api_key_use(
        &self,
        key: &ApiKeyRecord,
        now: OffsetDateTime,
        unless_since: OffsetDateTime,
    ) -> StoreResult<()> {
        let (key_id, user_id) = (key.id.as_str(), key.user_id.as_str());
        let update = |key: Item, since: Option<OffsetDateTime>| -> StoreResult<TransactWriteItem> {
            let condition = match since {
                Some(_) => {
                    "attribute_exists(pk) AND (attribute_not_exists(#used) OR #used < :since)"
                }
                None => "attribute_exists(pk)",
            };
            let update = Update::builder()
                .table_name(&self.users_table)
                .set_key(Some(key))
                .update_expression("SET #used = :now")
                .condition_expression(condition)
                .expression_attribute_names("#used", "last_used_ms")
                .set_expression_attribute_values(Some(
                    [(":now", now)]
                        .into_iter()
                        .chain(since.map(|since| (":since", since)))
                        .map(|(name, at)| (name.to_owned(), n(millis(at))))
                        .collect(),
                ))
                .build()
                .map_err(build_error)?;
            Ok(TransactWriteItem::builder().update(update).build())
        };
        let items = vec![
            update(lookup_key(key_id), Some(unless_since))?,
            update(listing_key(user_id, key_id), None)?,
        ];
        // Refused: used within the minute (or revoked) — nothing to write.
        self.transact(items).await.map(drop)
    }
}
