//! Images on DynamoDB: recording a generation, the gallery and trash
//! listings, favourites, the trash entries and the two-step delete.

use std::{collections::HashMap, time::Duration};

use anyhow::anyhow;
use async_trait::async_trait;
use aws_sdk_dynamodb::types::{
    AttributeValue, Delete, KeysAndAttributes, Put, ReturnValue, TransactWriteItem, Update,
};
use time::OffsetDateTime;

use super::collections::CollectionCounts;
use super::{
    DynamoStore, Item, RESERVED_PK, TRANSACTION_ATTEMPTS, aliases, backend, build_error,
    collections_rev, condition_failed, get_n, get_s, image_from_item, malformed, member_prefix, n,
    s, same_collections, timestamp, user_pk,
};
use crate::store::metadata::{
    Gallery, ImagePage, ImageQuery, ImageRecord, ImageRef, StoreError, StoreResult, TrashOutcome,
    rules::{
        MAX_SEARCH_TERMS, TrashPosition, fold, from_millis, is_search_term, millis, search_words,
    },
};

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

/// One word of a search: folded as prompts are stored now, and lower-cased
/// as typed, which is how images recorded before folding stored it.
pub(super) struct SearchTerm {
    pub(super) folded: String,
    pub(super) as_typed: String,
}

/// What a search looks for (the shared rule): each term must begin a word of the prompt.
pub(super) fn search_terms(text: &str) -> Vec<SearchTerm> {
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
pub(super) fn prompt_words(prompt: &str) -> String {
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
    let optional_numbers = [
        ("inference_ms", image.inference_ms),
        ("total_ms", image.total_ms),
        ("cost_micros", image.cost_micros),
    ];
    for (name, value) in optional_numbers {
        if let Some(value) = value {
            item.insert(name.into(), n(value));
        }
    }
    if let Some(upstream) = &image.upstream_id {
        item.insert("upstream_id".into(), s(upstream));
    }
    item
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

impl DynamoStore {
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
        items.push(self.totals_write(user_id, &[("images", -1), ("storage_bytes", -bytes)])?);
        let entry = deleting_entry(user_id, image_id);
        items.push(self.remove_entry(&entry, None)?);
        Ok(items)
    }
}

#[async_trait]
impl Gallery for DynamoStore {
    async fn insert_images(&self, images: &[ImageRecord]) -> StoreResult<()> {
        let Some(first) = images.first() else {
            return Ok(());
        };
        if images.iter().any(|image| image.user_id != first.user_id) {
            return Err(StoreError::Backend(anyhow!(
                "one generation's images belong to one user"
            )));
        }
        let mut items = Vec::with_capacity(images.len() + 5);
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
        items.extend(self.generation_counts(images)?);
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

    async fn image_record_exists(&self, user_id: &str, image_id: &str) -> StoreResult<bool> {
        Ok(self.get_image_item(user_id, image_id).await?.is_some())
    }
}
