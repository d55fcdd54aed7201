//! Collections on DynamoDB, in the users table beside their owner:
//!
//! - `USER#id/COLLECTION#<collection>`: name, description, chosen cover,
//!   `image_count` (the members not in the trash), times in Unix ms;
//! - `USER#id/COLLNAME#<lower-cased name>`: claims the name, written in the
//!   same transaction as the collection, so two "Trips" cannot both exist;
//! - `USER#id/MEMBER#<collection>#<image>`: one per membership. A collection
//!   page is a descending `Query` of these (image ULIDs sort by time) and one
//!   `BatchGetItem` of the images.
//!
//! The image item lists its `collection_ids` (a string set) and counts their
//! changes in `collections_rev`. A membership change writes the entry, the
//! image and the collection's count in one transaction; trashing, restoring
//! and deleting an image adjust the counts of the collections it lists, on
//! the condition that `collections_rev` is as read. So counts stay exact
//! under any interleaving.

use anyhow::anyhow;
use futures::{StreamExt, TryStreamExt, stream};
use time::OffsetDateTime;

use super::{
    DynamoStore, Item, MEMBER_ENTRY, TRANSACTION_ATTEMPTS, build_error, collections_rev, get_n,
    get_s, image_from_item, member_prefix, n, opt_s, s, same_collections, user_pk,
};
use crate::store::metadata::{
    CollectionChanges, CollectionRecord, Collections, Membership, StoreError, StoreResult,
    rules::{collection_name_key, from_millis, millis},
};
use async_trait::async_trait;
use aws_sdk_dynamodb::types::{
    AttributeValue, Delete, Put, TransactWriteItem, Update, builders::TransactWriteItemBuilder,
};

const COLLECTION_ITEM: &str = "COLLECTION#";
const COLLECTION_NAME: &str = "COLLNAME#";
/// Memberships of a deleted collection removed at once.
const CLEAN_UP_CONCURRENCY: usize = 8;

fn collection_sk(collection_id: &str) -> String {
    format!("{COLLECTION_ITEM}{collection_id}")
}

fn name_sk(name: &str) -> String {
    format!("{COLLECTION_NAME}{}", collection_name_key(name))
}

/// Which items of a transaction adjust which collection's count, so a
/// refused transaction tells which collections are gone.
#[derive(Debug, Default)]
pub(super) struct CollectionCounts {
    positions: Vec<(usize, String)>,
}

impl CollectionCounts {
    /// The collections whose count update was refused: they no longer exist.
    pub(super) fn failed(&self, failed: &[usize]) -> Vec<String> {
        self.positions
            .iter()
            .filter(|(position, _)| failed.contains(position))
            .map(|(_, id)| id.clone())
            .collect()
    }
}

fn collection_from_item(user_id: &str, item: &Item) -> StoreResult<CollectionRecord> {
    Ok(CollectionRecord {
        id: get_s(item, "collection_id")?,
        user_id: user_id.to_owned(),
        name: get_s(item, "name")?,
        description: opt_s(item, "description"),
        cover_image_id: opt_s(item, "cover_image_id"),
        image_count: get_n::<i64>(item, "image_count")?.max(0) as u64,
        created_at: from_millis(get_n(item, "created_at")?),
        updated_at: from_millis(get_n(item, "updated_at")?),
    })
}

/// One item of a transaction.
fn write(
    item: impl FnOnce(TransactWriteItemBuilder) -> TransactWriteItemBuilder,
) -> TransactWriteItem {
    item(TransactWriteItem::builder()).build()
}

impl DynamoStore {
    /// Adds `change` to the count of each of `collection_ids` but those
    /// known to be gone, appending the updates to `items`.
    pub(super) fn count_in_collections(
        &self,
        user_id: &str,
        collection_ids: &[String],
        gone: &[String],
        change: i64,
        items: &mut Vec<TransactWriteItem>,
    ) -> StoreResult<CollectionCounts> {
        let mut counts = CollectionCounts::default();
        for collection_id in collection_ids.iter().filter(|id| !gone.contains(id)) {
            counts.positions.push((items.len(), collection_id.clone()));
            items.push(self.count_in_collection(user_id, collection_id, change, None)?);
        }
        Ok(counts)
    }

    /// Adds to one collection's count (and marks it changed at `now`, when
    /// given), on the condition that it exists.
    fn count_in_collection(
        &self,
        user_id: &str,
        collection_id: &str,
        change: i64,
        now: Option<OffsetDateTime>,
    ) -> StoreResult<TransactWriteItem> {
        let mut update = Update::builder()
            .table_name(&self.users_table)
            .key("pk", s(user_pk(user_id)))
            .key("sk", s(collection_sk(collection_id)))
            .expression_attribute_names("#image_count", "image_count")
            .expression_attribute_values(":change", n(change))
            .condition_expression("attribute_exists(pk)");
        let expression = match now {
            Some(now) => {
                update = update
                    .expression_attribute_names("#updated_at", "updated_at")
                    .expression_attribute_values(":now", n(millis(now)));
                "ADD #image_count :change SET #updated_at = :now"
            }
            None => "ADD #image_count :change",
        };
        let update = update
            .update_expression(expression)
            .build()
            .map_err(build_error)?;
        Ok(write(|item| item.update(update)))
    }

    /// Deletes of a hidden image's membership entries, one per collection it lists.
    pub(super) fn member_entries_removal(
        &self,
        record: &crate::store::metadata::ImageRecord,
    ) -> StoreResult<Vec<TransactWriteItem>> {
        record
            .collection_ids
            .iter()
            .map(|collection_id| {
                self.member_entry(&record.user_id, collection_id, &record.id, false)
            })
            .collect()
    }

    /// Puts (`entering`) or deletes one membership entry; a put only when
    /// there is none.
    fn member_entry(
        &self,
        user_id: &str,
        collection_id: &str,
        image_id: &str,
        entering: bool,
    ) -> StoreResult<TransactWriteItem> {
        let (pk, sk) = (user_pk(user_id), member_sk(collection_id, image_id));
        Ok(if entering {
            let put = Put::builder()
                .table_name(&self.users_table)
                .item("pk", s(pk))
                .item("sk", s(sk))
                .item("image_id", s(image_id))
                .condition_expression("attribute_not_exists(pk)")
                .build()
                .map_err(build_error)?;
            write(|item| item.put(put))
        } else {
            let delete = Delete::builder()
                .table_name(&self.users_table)
                .key("pk", s(pk))
                .key("sk", s(sk))
                .build()
                .map_err(build_error)?;
            write(|item| item.delete(delete))
        })
    }

    pub(super) async fn put_collection(&self, collection: &CollectionRecord) -> StoreResult<()> {
        let pk = user_pk(&collection.user_id);
        let mut item = Item::from([
            ("pk".to_owned(), s(&pk)),
            ("sk".to_owned(), s(collection_sk(&collection.id))),
            ("collection_id".to_owned(), s(&collection.id)),
            ("name".to_owned(), s(&collection.name)),
            ("image_count".to_owned(), n(0)),
            ("created_at".to_owned(), n(millis(collection.created_at))),
            ("updated_at".to_owned(), n(millis(collection.updated_at))),
        ]);
        if let Some(description) = &collection.description {
            item.insert("description".into(), s(description));
        }
        let collection_put = Put::builder()
            .table_name(&self.users_table)
            .set_item(Some(item))
            .condition_expression("attribute_not_exists(pk)")
            .build()
            .map_err(build_error)?;
        let name_claim = Put::builder()
            .table_name(&self.users_table)
            .item("pk", s(&pk))
            .item("sk", s(name_sk(&collection.name)))
            .item("collection_id", s(&collection.id))
            .condition_expression("attribute_not_exists(pk)")
            .build()
            .map_err(build_error)?;
        let items = vec![
            write(|item| item.put(collection_put)),
            write(|item| item.put(name_claim)),
        ];
        match self.transact_checked(items).await? {
            Ok(()) => Ok(()),
            Err(failed) if failed.contains(&1) => Err(StoreError::CollectionNameTaken),
            Err(_) => Err(StoreError::Backend(anyhow!("a collection id was taken"))),
        }
    }

    pub(super) async fn query_collections(
        &self,
        user_id: &str,
    ) -> StoreResult<Vec<CollectionRecord>> {
        let items = self.user_entries(user_id, COLLECTION_ITEM).await?;
        let mut collections = items
            .iter()
            .map(|item| collection_from_item(user_id, item))
            .collect::<StoreResult<Vec<_>>>()?;
        collections.sort_by(|a, b| (b.updated_at, &b.id).cmp(&(a.updated_at, &a.id)));
        Ok(collections)
    }

    pub(super) async fn read_collection(
        &self,
        user_id: &str,
        collection_id: &str,
    ) -> StoreResult<Option<CollectionRecord>> {
        self.get_user_item(user_pk(user_id), &collection_sk(collection_id))
            .await?
            .map(|item| collection_from_item(user_id, &item))
            .transpose()
    }

    pub(super) async fn change_collection(
        &self,
        user_id: &str,
        collection_id: &str,
        changes: &CollectionChanges,
        now: OffsetDateTime,
    ) -> StoreResult<Option<CollectionRecord>> {
        for _ in 0..TRANSACTION_ATTEMPTS {
            let Some(current) = self.read_collection(user_id, collection_id).await? else {
                return Ok(None);
            };
            let name = changes.name.as_ref().unwrap_or(&current.name);
            let mut sets = vec!["#name = :name", "#updated_at = :now"];
            let mut removes = Vec::new();
            let mut update = Update::builder()
                .table_name(&self.users_table)
                .key("pk", s(user_pk(user_id)))
                .key("sk", s(collection_sk(collection_id)))
                .expression_attribute_names("#name", "name")
                .expression_attribute_names("#updated_at", "updated_at")
                .expression_attribute_values(":name", s(name))
                .expression_attribute_values(":was", s(&current.name))
                .expression_attribute_values(":now", n(millis(now.max(current.updated_at))))
                // The name as read: its claim is the one this transaction moves.
                .condition_expression("attribute_exists(pk) AND #name = :was");
            for (attribute, change) in [
                ("description", &changes.description),
                ("cover_image_id", &changes.cover_image_id),
            ] {
                match change {
                    None => {}
                    Some(Some(value)) => {
                        update = update
                            .expression_attribute_names(format!("#{attribute}"), attribute)
                            .expression_attribute_values(format!(":{attribute}"), s(value));
                        sets.push(if attribute == "description" {
                            "#description = :description"
                        } else {
                            "#cover_image_id = :cover_image_id"
                        });
                    }
                    Some(None) => {
                        update =
                            update.expression_attribute_names(format!("#{attribute}"), attribute);
                        removes.push(format!("#{attribute}"));
                    }
                }
            }
            let mut expression = format!("SET {}", sets.join(", "));
            if !removes.is_empty() {
                expression.push_str(&format!(" REMOVE {}", removes.join(", ")));
            }
            let update = update
                .update_expression(expression)
                .build()
                .map_err(build_error)?;
            let mut items = vec![write(|item| item.update(update))];
            let renamed = collection_name_key(name) != collection_name_key(&current.name);
            if renamed {
                let release = Delete::builder()
                    .table_name(&self.users_table)
                    .key("pk", s(user_pk(user_id)))
                    .key("sk", s(name_sk(&current.name)))
                    .build()
                    .map_err(build_error)?;
                let claim = Put::builder()
                    .table_name(&self.users_table)
                    .item("pk", s(user_pk(user_id)))
                    .item("sk", s(name_sk(name)))
                    .item("collection_id", s(collection_id))
                    .condition_expression("attribute_not_exists(pk)")
                    .build()
                    .map_err(build_error)?;
                items.push(write(|item| item.delete(release)));
                items.push(write(|item| item.put(claim)));
            }
            match self.transact_checked(items).await? {
                Ok(()) => return self.read_collection(user_id, collection_id).await,
                Err(failed) if renamed && failed.contains(&2) && !failed.contains(&0) => {
                    return Err(StoreError::CollectionNameTaken);
                }
                // Renamed or deleted meanwhile: read it again.
                Err(_) => continue,
            }
        }
        Err(StoreError::Backend(anyhow!(
            "the collection kept changing while being updated"
        )))
    }

    /// Deletes the collection and its name in one transaction (it is gone
    /// from that moment), then takes its images out of it.
    pub(super) async fn remove_collection(
        &self,
        user_id: &str,
        collection_id: &str,
    ) -> StoreResult<bool> {
        let mut deleted = false;
        for _ in 0..TRANSACTION_ATTEMPTS {
            let Some(current) = self.read_collection(user_id, collection_id).await? else {
                break;
            };
            let collection = Delete::builder()
                .table_name(&self.users_table)
                .key("pk", s(user_pk(user_id)))
                .key("sk", s(collection_sk(collection_id)))
                .expression_attribute_names("#name", "name")
                .expression_attribute_values(":name", s(&current.name))
                .condition_expression("attribute_exists(pk) AND #name = :name")
                .build()
                .map_err(build_error)?;
            let name = Delete::builder()
                .table_name(&self.users_table)
                .key("pk", s(user_pk(user_id)))
                .key("sk", s(name_sk(&current.name)))
                .build()
                .map_err(build_error)?;
            let items = vec![
                write(|item| item.delete(collection)),
                write(|item| item.delete(name)),
            ];
            if self.transact(items).await? {
                deleted = true;
                break;
            }
        }
        if deleted {
            self.clean_up_members(user_id, collection_id).await?;
        }
        Ok(deleted)
    }

    /// Takes every image out of a deleted collection: its entries go, and the
    /// collection leaves each image's `collection_ids`.
    async fn clean_up_members(&self, user_id: &str, collection_id: &str) -> StoreResult<()> {
        let prefix = member_prefix(collection_id);
        let entries = self.user_entries(user_id, &prefix).await?;
        let image_ids = entries
            .iter()
            .map(|entry| get_s(entry, "image_id"))
            .collect::<StoreResult<Vec<_>>>()?;
        stream::iter(image_ids)
            .map(|image_id| async move {
                if !self
                    .leave_collection(user_id, collection_id, &image_id)
                    .await?
                {
                    // The image is gone already: only its entry is left.
                    let entry = self.member_entry(user_id, collection_id, &image_id, false)?;
                    self.transact(vec![entry]).await?;
                }
                Ok::<_, StoreError>(())
            })
            .buffer_unordered(CLEAN_UP_CONCURRENCY)
            .try_collect::<()>()
            .await?;
        Ok(())
    }

    /// Puts an image into a collection (`adding`) or takes it out: the entry,
    /// the image's `collection_ids` and the collection's count in one
    /// transaction, on the condition that the image is as read.
    pub(super) async fn change_membership(
        &self,
        user_id: &str,
        collection_id: &str,
        image_id: &str,
        now: OffsetDateTime,
        adding: bool,
    ) -> StoreResult<Membership> {
        for _ in 0..TRANSACTION_ATTEMPTS {
            let item = match self.get_image_item(user_id, image_id).await? {
                Some(item) if !item.contains_key("hidden") => item,
                _ => return Ok(Membership::ImageNotFound),
            };
            let record = image_from_item(&item)?;
            let trashed = record.trashed_at.is_some();
            if adding && trashed {
                return Ok(Membership::ImageNotFound);
            }
            if record.collection_ids.iter().any(|id| id == collection_id) == adding {
                // Already as asked, if the collection is there at all.
                return Ok(match self.read_collection(user_id, collection_id).await? {
                    Some(_) => Membership::Done,
                    None => Membership::CollectionNotFound,
                });
            }
            let rev = collections_rev(&item)?;
            let image = Update::builder()
                .table_name(&self.images_table)
                .key("user_id", s(user_id))
                .key("image_id", s(image_id))
                .expression_attribute_names("#ids", "collection_ids")
                .expression_attribute_names("#hidden", "hidden")
                .expression_attribute_names("#trashed_at", "trashed_at")
                .expression_attribute_values(
                    ":ids",
                    AttributeValue::Ss(vec![collection_id.to_owned()]),
                )
                .expression_attribute_values(":one", n(1));
            let (image, same) = same_collections(image, rev);
            let trash_state = if trashed {
                "attribute_exists(#trashed_at)"
            } else {
                "attribute_not_exists(#trashed_at)"
            };
            let image = image
                .update_expression(if adding {
                    "ADD #ids :ids, #collections_rev :one"
                } else {
                    "DELETE #ids :ids ADD #collections_rev :one"
                })
                .condition_expression(format!(
                    "attribute_exists(image_id) AND attribute_not_exists(#hidden) AND {trash_state} AND {same}"
                ))
                .build()
                .map_err(build_error)?;
            let change = match (adding, trashed) {
                (true, _) => 1,
                (false, false) => -1,
                (false, true) => 0,
            };
            let items = vec![
                self.count_in_collection(user_id, collection_id, change, Some(now))?,
                write(|item| item.update(image)),
                self.member_entry(user_id, collection_id, image_id, adding)?,
            ];
            match self.transact_checked(items).await? {
                Ok(()) => return Ok(Membership::Done),
                Err(failed) if failed.contains(&0) => {
                    if !adding {
                        self.leave_collection(user_id, collection_id, image_id)
                            .await?;
                    }
                    return Ok(Membership::CollectionNotFound);
                }
                // The image changed meanwhile: read it again.
                Err(_) => continue,
            }
        }
        Err(StoreError::Backend(anyhow!(
            "the image kept changing while its collections were changed"
        )))
    }

    /// Takes an image out of a collection that no longer exists (so there is
    /// no count to keep): its entry and its `collection_ids`. `false` when
    /// the image does not exist.
    async fn leave_collection(
        &self,
        user_id: &str,
        collection_id: &str,
        image_id: &str,
    ) -> StoreResult<bool> {
        let leave = Update::builder()
            .table_name(&self.images_table)
            .key("user_id", s(user_id))
            .key("image_id", s(image_id))
            .update_expression("DELETE #ids :ids ADD #rev :one")
            .expression_attribute_names("#ids", "collection_ids")
            .expression_attribute_names("#rev", "collections_rev")
            .expression_attribute_values(":ids", AttributeValue::Ss(vec![collection_id.to_owned()]))
            .expression_attribute_values(":one", n(1))
            .condition_expression("attribute_exists(image_id)")
            .build()
            .map_err(build_error)?;
        let entry = self.member_entry(user_id, collection_id, image_id, false)?;
        self.transact(vec![entry, write(|item| item.update(leave))])
            .await
    }
}

fn member_sk(collection_id: &str, image_id: &str) -> String {
    format!("{MEMBER_ENTRY}{collection_id}#{image_id}")
}

#[async_trait]
impl Collections for DynamoStore {
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
}
