//! Images in SQLite: recording a generation, the gallery, collection and
//! trash listings (searches through the owner-scoped FTS5 index), favourites,
//! the trash and the two-step delete.

use async_trait::async_trait;
use rusqlite::{Connection, OptionalExtension, Row, params, params_from_iter, types::Value};
use time::OffsetDateTime;

use super::{
    IMAGE_COLUMNS, STORED_IMAGE_COLUMNS, SqliteStore, parse_timestamp,
    statistics::count_generation, timestamp,
};
use crate::store::metadata::{
    Gallery, ImagePage, ImageQuery, ImageRecord, ImageRef, StoreError, StoreResult, TrashOutcome,
    rules::{TrashPosition, from_millis, millis, search_terms, search_words},
};

/// Adds an image's words to the search index.
pub(super) const INDEX_WORDS: &str = "INSERT INTO images_search (rowid, words) VALUES (?1, ?2)";

/// A fixed-width key for a user in the search index: the first 12 hex
/// digits of the SHA-256 of the id. Being fixed-width, a key and the word
/// after it cannot be read another way. Two users sharing a key would only
/// share index entries: every search still keeps its owner's rows alone.
pub(super) fn owner_key(user_id: &str) -> String {
    use sha2::{Digest, Sha256};
    let digest = Sha256::digest(user_id.as_bytes());
    digest[..6]
        .iter()
        .map(|byte| format!("{byte:02x}"))
        .collect()
}

/// A prompt's words as the search index holds them: folded, each behind the
/// owner's key (`3fa9c1d07e22lighthouse`).
pub(super) fn owner_words(user_id: &str, prompt: &str) -> String {
    let key = owner_key(user_id);
    search_words(prompt)
        .map(|word| format!("{key}{word}"))
        .collect::<Vec<_>>()
        .join(" ")
}

fn image_from_row(row: &Row<'_>) -> rusqlite::Result<ImageRecord> {
    Ok(ImageRecord {
        id: row.get(0)?,
        user_id: row.get(1)?,
        generation_id: row.get(2)?,
        prompt: row.get(3)?,
        negative_prompt: row.get(4)?,
        model: row.get(5)?,
        provider: row.get(6)?,
        width: row.get(7)?,
        height: row.get(8)?,
        steps: row.get(9)?,
        seed: row.get::<_, i64>(10)? as u64,
        style: row.get(11)?,
        created_at: parse_timestamp(row, 12)?,
        favorite: row.get(13)?,
        content_type: row.get(14)?,
        bytes: row.get::<_, i64>(15)? as u64,
        object_key: row.get(16)?,
        thumbnail_key: row.get(17)?,
        thumbnail_width: row.get(18)?,
        thumbnail_height: row.get(19)?,
        placeholder: row.get(20)?,
        inference_ms: row.get::<_, Option<i64>>(21)?.map(|ms| ms as u64),
        upstream_id: row.get(22)?,
        trashed_at: row.get::<_, Option<i64>>(23)?.map(from_millis),
        total_ms: row.get::<_, Option<i64>>(24)?.map(|ms| ms.max(0) as u64),
        cost_micros: row
            .get::<_, Option<i64>>(25)?
            .map(|micros| micros.max(0) as u64),
        collection_ids: row
            .get::<_, Option<String>>(26)?
            .map(|ids| ids.split(',').map(str::to_owned).collect())
            .unwrap_or_default(),
    })
}

/// `(user_id, id)` of an image, as the sweep's work lists read it.
fn image_ref_from_row(row: &Row<'_>) -> rusqlite::Result<ImageRef> {
    Ok(ImageRef {
        user_id: row.get(0)?,
        image_id: row.get(1)?,
    })
}

/// Turns free text into an FTS5 query that matches every word as a prefix
/// of one of the owner's words. Each word is quoted, so operators and
/// SQL-looking input are plain text.
pub(super) fn fts_query(user_id: &str, search: &str) -> Option<String> {
    let key = owner_key(user_id);
    let words: Vec<String> = search_terms(search)
        .into_iter()
        .map(|word| format!("\"{key}{word}\"*"))
        .collect();
    (!words.is_empty()).then(|| words.join(" "))
}

/// The `SELECT` of one gallery, collection or trash page (`limit + 1` rows,
/// so the caller knows whether another page follows), and its arguments.
pub(super) fn listing_statement(
    user_id: &str,
    query: &ImageQuery,
    fts: Option<String>,
) -> (String, Vec<Value>) {
    let mut args: Vec<Value> = Vec::with_capacity(5);
    let matches_lead = query.collection.is_none() && fts.is_some();
    let mut sql = match (&query.collection, &fts) {
        // The memberships lead, in image order, so a page reads only the
        // collection's own rows whatever the size of the gallery.
        (Some(collection), _) => {
            args.push(collection.clone().into());
            format!(
                "SELECT {IMAGE_COLUMNS} FROM collection_images AS member \
                 CROSS JOIN images ON images.rowid = member.image_rowid \
                 WHERE member.collection_id = ? AND user_id = ? AND hidden = 0"
            )
        }
        // The owner's matches lead: a search reads the images it found,
        // not the gallery's index until enough of them turn up. Only their
        // sort keys are sorted; the page's rows are read after (see below).
        (None, Some(fts)) => {
            args.push(fts.clone().into());
            "SELECT images.rowid AS hit, id AS hit_id, trashed_at AS hit_trashed FROM \
             (SELECT rowid FROM images_search WHERE images_search MATCH ?) AS found \
             CROSS JOIN images ON images.rowid = found.rowid \
             WHERE user_id = ? AND hidden = 0"
                .to_owned()
        }
        (None, None) => {
            format!("SELECT {IMAGE_COLUMNS} FROM images WHERE user_id = ? AND hidden = 0")
        }
    };
    args.push(user_id.to_owned().into());
    if query.trashed {
        sql.push_str(" AND trashed_at IS NOT NULL");
        if let Some(after) = &query.after {
            // A cursor from the gallery cannot name a place in the trash.
            let position = TrashPosition::decode(after).unwrap_or(TrashPosition {
                trashed_ms: i64::MAX,
                image_id: String::new(),
            });
            sql.push_str(" AND (trashed_at, id) < (?, ?)");
            args.extend([position.trashed_ms.into(), position.image_id.into()]);
        }
    } else {
        sql.push_str(" AND trashed_at IS NULL");
        if let Some(after) = &query.after {
            sql.push_str(if query.collection.is_some() {
                " AND member.image_id < ?"
            } else {
                " AND id < ?"
            });
            args.push(after.clone().into());
        }
    }
    if query.favorites_only {
        sql.push_str(" AND favorite = 1");
    }
    if let (Some(fts), Some(_)) = (fts, &query.collection) {
        sql.push_str(
            " AND images.rowid IN (SELECT rowid FROM images_search WHERE images_search MATCH ?)",
        );
        args.push(fts.into());
    }
    sql.push_str(if query.trashed {
        " ORDER BY trashed_at DESC, id DESC LIMIT ?"
    } else if query.collection.is_some() {
        " ORDER BY member.image_id DESC LIMIT ?"
    } else {
        " ORDER BY id DESC LIMIT ?"
    });
    args.push((i64::from(query.limit.max(1)) + 1).into());
    if matches_lead {
        // Whole rows only for the page: sorting every match's whole row cost
        // more than the search itself.
        let order = if query.trashed {
            "page.hit_trashed DESC, page.hit_id DESC"
        } else {
            "page.hit_id DESC"
        };
        sql = format!(
            "SELECT {IMAGE_COLUMNS} FROM ({sql}) AS page \
             CROSS JOIN images ON images.rowid = page.hit ORDER BY {order}"
        );
    }
    (sql, args)
}

#[async_trait]
impl Gallery for SqliteStore {
    async fn insert_images(&self, images: &[ImageRecord]) -> StoreResult<()> {
        let images = images.to_vec();
        // The quota check is part of the counter update, inside the one writer's
        // transaction, so concurrent generations cannot pass it together.
        let quota = self
            .storage_quota
            .map_or(i64::MAX, |bytes| bytes.min(i64::MAX as u64) as i64);
        let stored = self
            .write(move |conn| {
                let tx = conn.transaction()?;
                {
                    let mut insert = tx.prepare_cached(&format!(
                        "INSERT INTO images ({STORED_IMAGE_COLUMNS}) VALUES \
                     (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, \
                      ?18, ?19, ?20, ?21, ?22, ?23, ?24, ?25, ?26)"
                    ))?;
                    let mut count = tx.prepare_cached(
                        "UPDATE users SET images = images + 1, storage_bytes = storage_bytes + ?2
                     WHERE id = ?1 AND storage_bytes + ?2 <= ?3",
                    )?;
                    let mut index = tx.prepare_cached(INDEX_WORDS)?;
                    for image in &images {
                        let rowid = insert.insert(params![
                            image.id,
                            image.user_id,
                            image.generation_id,
                            image.prompt,
                            image.negative_prompt,
                            image.model,
                            image.provider,
                            image.width,
                            image.height,
                            image.steps,
                            image.seed as i64,
                            image.style,
                            timestamp(&image.created_at),
                            image.favorite,
                            image.content_type,
                            image.bytes as i64,
                            image.object_key,
                            image.thumbnail_key,
                            image.thumbnail_width,
                            image.thumbnail_height,
                            image.placeholder,
                            image.inference_ms.map(|ms| ms as i64),
                            image.upstream_id,
                            image.trashed_at.map(millis),
                            image.total_ms.map(|ms| ms as i64),
                            image.cost_micros.map(|micros| micros as i64),
                        ])?;
                        index
                            .execute(params![rowid, owner_words(&image.user_id, &image.prompt)])?;
                        if count.execute(params![image.user_id, image.bytes as i64, quota])? == 0 {
                            // Dropping the transaction rolls back the images before this one.
                            return Ok(false);
                        }
                    }
                    if let Some(first) = images.first() {
                        // Recorded, the generation's reservation has served.
                        tx.prepare_cached("DELETE FROM generation_reservations WHERE id = ?1")?
                            .execute(params![first.generation_id])?;
                        count_generation(&tx, first, images.len())?;
                    }
                }
                tx.commit()?;
                Ok(true)
            })
            .await?;
        if stored {
            Ok(())
        } else {
            Err(StoreError::StorageQuotaExceeded)
        }
    }

    async fn list_images(&self, user_id: &str, query: &ImageQuery) -> StoreResult<ImagePage> {
        let search = match query.search.as_deref().map(str::trim) {
            Some("") | None => None,
            Some(text) => match fts_query(user_id, text) {
                Some(fts) => Some(fts),
                // Nothing searchable (only punctuation): nothing can match.
                None => {
                    return Ok(ImagePage {
                        items: Vec::new(),
                        next_after: None,
                    });
                }
            },
        };
        let limit = query.limit.max(1);
        let searching = search.is_some();
        let (sql, args) = listing_statement(user_id, query, search);
        let page = move |conn: &Connection| {
            conn.prepare_cached(&sql)?
                .query_map(params_from_iter(args), image_from_row)?
                .collect::<rusqlite::Result<Vec<_>>>()
        };
        let mut items = if searching {
            self.search(page).await?
        } else {
            self.read(page).await?
        };
        let next_after = if items.len() > limit as usize {
            items.truncate(limit as usize);
            items.last().map(|image| match image.trashed_at {
                Some(at) if query.trashed => TrashPosition::of(&image.id, at).encode(),
                _ => image.id.clone(),
            })
        } else {
            None
        };
        Ok(ImagePage { items, next_after })
    }

    async fn gallery_version(&self, user_id: &str) -> StoreResult<Option<u64>> {
        let user_id = user_id.to_owned();
        self.read(move |conn| {
            conn.prepare_cached("SELECT gallery_version FROM users WHERE id = ?1")?
                .query_row([user_id], |row| row.get::<_, i64>(0))
                .optional()
        })
        .await
        .map(|version| version.map(|version| version as u64))
    }

    async fn get_image(&self, user_id: &str, image_id: &str) -> StoreResult<Option<ImageRecord>> {
        let (user_id, image_id) = (user_id.to_owned(), image_id.to_owned());
        self.read(move |conn| {
            conn.prepare_cached(&format!(
                "SELECT {IMAGE_COLUMNS} FROM images WHERE id = ?1 AND user_id = ?2 AND hidden = 0"
            ))?
            .query_row(params![image_id, user_id], image_from_row)
            .optional()
        })
        .await
    }

    async fn set_favorite(
        &self,
        user_id: &str,
        image_id: &str,
        favorite: bool,
    ) -> StoreResult<Option<ImageRecord>> {
        let (user_id, image_id) = (user_id.to_owned(), image_id.to_owned());
        self.write(move |conn| {
            conn.prepare_cached(&format!(
                "UPDATE images SET favorite = ?3 WHERE id = ?1 AND user_id = ?2 AND hidden = 0
                 RETURNING {IMAGE_COLUMNS}"
            ))?
            .query_row(params![image_id, user_id, favorite], image_from_row)
            .optional()
        })
        .await
    }

    async fn trash_image(
        &self,
        user_id: &str,
        image_id: &str,
        include_favorites: bool,
        now: OffsetDateTime,
    ) -> StoreResult<TrashOutcome> {
        let (user_id, image_id) = (user_id.to_owned(), image_id.to_owned());
        self.write(move |conn| {
            let trashed = conn
                .prepare_cached(&format!(
                    "UPDATE images SET trashed_at = COALESCE(trashed_at, ?3)
                     WHERE id = ?1 AND user_id = ?2 AND hidden = 0
                       AND (favorite = 0 OR ?4 OR trashed_at IS NOT NULL)
                     RETURNING {IMAGE_COLUMNS}"
                ))?
                .query_row(
                    params![image_id, user_id, millis(now), include_favorites],
                    image_from_row,
                )
                .optional()?;
            if let Some(record) = trashed {
                return Ok(TrashOutcome::Trashed(Box::new(record)));
            }
            // Nothing changed: the writer is ours, so this read sees why.
            let exists = conn
                .prepare_cached(
                    "SELECT 1 FROM images WHERE id = ?1 AND user_id = ?2 AND hidden = 0",
                )?
                .exists(params![image_id, user_id])?;
            Ok(if exists {
                TrashOutcome::FavoriteProtected
            } else {
                TrashOutcome::NotFound
            })
        })
        .await
    }

    async fn restore_image(
        &self,
        user_id: &str,
        image_id: &str,
    ) -> StoreResult<Option<ImageRecord>> {
        let (user_id, image_id) = (user_id.to_owned(), image_id.to_owned());
        self.write(move |conn| {
            conn.prepare_cached(&format!(
                "UPDATE images SET trashed_at = NULL WHERE id = ?1 AND user_id = ?2 AND hidden = 0
                 RETURNING {IMAGE_COLUMNS}"
            ))?
            .query_row(params![image_id, user_id], image_from_row)
            .optional()
        })
        .await
    }

    async fn expired_trash(
        &self,
        trashed_before: OffsetDateTime,
        limit: u32,
    ) -> StoreResult<Vec<ImageRef>> {
        self.read(move |conn| {
            conn.prepare_cached(
                "SELECT user_id, id FROM images WHERE trashed_at IS NOT NULL AND trashed_at < ?1
                 ORDER BY trashed_at LIMIT ?2",
            )?
            .query_map(params![millis(trashed_before), limit], image_ref_from_row)?
            .collect()
        })
        .await
    }

    async fn hide_image(&self, user_id: &str, image_id: &str) -> StoreResult<Option<ImageRecord>> {
        let (user_id, image_id) = (user_id.to_owned(), image_id.to_owned());
        self.write(move |conn| {
            conn.prepare_cached(&format!(
                "UPDATE images SET hidden = 1 WHERE id = ?1 AND user_id = ?2
                 RETURNING {IMAGE_COLUMNS}"
            ))?
            .query_row(params![image_id, user_id], image_from_row)
            .optional()
        })
        .await
    }

    async fn delete_image(&self, user_id: &str, image_id: &str) -> StoreResult<()> {
        let (user_id, image_id) = (user_id.to_owned(), image_id.to_owned());
        self.write(move |conn| {
            let tx = conn.transaction()?;
            let bytes: Option<i64> = tx
                .query_row(
                    "DELETE FROM images WHERE id = ?1 AND user_id = ?2 RETURNING bytes",
                    params![image_id, user_id],
                    |row| row.get(0),
                )
                .optional()?;
            if let Some(bytes) = bytes {
                tx.execute(
                    "UPDATE users SET images = MAX(images - 1, 0),
                     storage_bytes = MAX(storage_bytes - ?2, 0) WHERE id = ?1",
                    params![user_id, bytes],
                )?;
            }
            tx.commit()
        })
        .await
    }

    async fn unfinished_deletes(&self, limit: u32) -> StoreResult<Vec<ImageRef>> {
        self.read(move |conn| {
            conn.prepare_cached("SELECT user_id, id FROM images WHERE hidden = 1 LIMIT ?1")?
                .query_map([limit], image_ref_from_row)?
                .collect()
        })
        .await
    }

    async fn image_record_exists(&self, user_id: &str, image_id: &str) -> StoreResult<bool> {
        let (user_id, image_id) = (user_id.to_owned(), image_id.to_owned());
        self.read(move |conn| {
            conn.query_row(
                "SELECT EXISTS (SELECT 1 FROM images WHERE id = ?1 AND user_id = ?2)",
                params![image_id, user_id],
                |row| row.get(0),
            )
        })
        .await
    }
}
