//! Collections in SQLite: a row per collection and one per membership;
//! the memberships' triggers keep each image's list of collections.

use async_trait::async_trait;
use rusqlite::{Connection, OptionalExtension, Row, params};
use time::OffsetDateTime;

use super::SqliteStore;
use crate::store::metadata::{
    CollectionChanges, CollectionRecord, Collections, Membership, StoreError, StoreResult,
    rules::{collection_name_key, from_millis, millis},
};

/// A collection's columns, its live image count included: counted on read,
/// it cannot drift from the memberships. Like the owner's usage, an image
/// counts until its delete completes.
const COLLECTION_COLUMNS: &str = "id, user_id, name, description, cover_image_id, created_at, \
     updated_at, \
     (SELECT COUNT(*) FROM collection_images AS member \
      JOIN images ON images.rowid = member.image_rowid \
      WHERE member.collection_id = collections.id AND images.trashed_at IS NULL)";

fn collection_from_row(row: &Row<'_>) -> rusqlite::Result<CollectionRecord> {
    Ok(CollectionRecord {
        id: row.get(0)?,
        user_id: row.get(1)?,
        name: row.get(2)?,
        description: row.get(3)?,
        cover_image_id: row.get(4)?,
        created_at: from_millis(row.get(5)?),
        updated_at: from_millis(row.get(6)?),
        image_count: row.get::<_, i64>(7)? as u64,
    })
}

/// Whether a failed statement broke a uniqueness rule.
fn is_unique_violation(error: &rusqlite::Error) -> bool {
    matches!(
        error,
        rusqlite::Error::SqliteFailure(failure, _)
            if failure.extended_code == rusqlite::ffi::SQLITE_CONSTRAINT_UNIQUE
                || failure.extended_code == rusqlite::ffi::SQLITE_CONSTRAINT_PRIMARYKEY
    )
}

/// One collection of one user, read on the writer inside its transaction.
fn collection_in(
    conn: &Connection,
    user_id: &str,
    collection_id: &str,
) -> rusqlite::Result<Option<CollectionRecord>> {
    conn.prepare_cached(&format!(
        "SELECT {COLLECTION_COLUMNS} FROM collections WHERE id = ?1 AND user_id = ?2"
    ))?
    .query_row(params![collection_id, user_id], collection_from_row)
    .optional()
}

/// Marks a collection changed at `now` (never back in time).
fn touch_collection(
    conn: &Connection,
    collection_id: &str,
    now: OffsetDateTime,
) -> rusqlite::Result<()> {
    conn.prepare_cached("UPDATE collections SET updated_at = MAX(updated_at, ?2) WHERE id = ?1")?
        .execute(params![collection_id, millis(now)])?;
    Ok(())
}

impl SqliteStore {
    /// Adds an image to a collection or takes it out, in one transaction on
    /// the single writer: both must be the user's, and an image only joins
    /// while it is in the gallery.
    async fn change_membership(
        &self,
        user_id: &str,
        collection_id: &str,
        image_id: &str,
        now: OffsetDateTime,
        adding: bool,
    ) -> StoreResult<Membership> {
        let (user_id, collection_id, image_id) = (
            user_id.to_owned(),
            collection_id.to_owned(),
            image_id.to_owned(),
        );
        self.write(move |conn| {
            let tx = conn.transaction()?;
            let collection_exists = tx
                .prepare_cached("SELECT 1 FROM collections WHERE id = ?1 AND user_id = ?2")?
                .exists(params![collection_id, user_id])?;
            if !collection_exists {
                return Ok(Membership::CollectionNotFound);
            }
            let image_exists = tx
                .prepare_cached(if adding {
                    "SELECT 1 FROM images WHERE id = ?1 AND user_id = ?2 AND hidden = 0
                     AND trashed_at IS NULL"
                } else {
                    "SELECT 1 FROM images WHERE id = ?1 AND user_id = ?2 AND hidden = 0"
                })?
                .exists(params![image_id, user_id])?;
            if !image_exists {
                return Ok(Membership::ImageNotFound);
            }
            let changed = tx
                .prepare_cached(if adding {
                    "INSERT INTO collection_images (collection_id, image_id, image_rowid)
                     SELECT ?1, id, rowid FROM images WHERE id = ?2
                     ON CONFLICT DO NOTHING"
                } else {
                    "DELETE FROM collection_images WHERE collection_id = ?1 AND image_id = ?2"
                })?
                .execute(params![collection_id, image_id])?;
            if changed > 0 {
                touch_collection(&tx, &collection_id, now)?;
            }
            tx.commit()?;
            Ok(Membership::Done)
        })
        .await
    }
}

#[async_trait]
impl Collections for SqliteStore {
    async fn create_collection(&self, collection: &CollectionRecord) -> StoreResult<()> {
        let collection = collection.clone();
        let inserted = self
            .write(move |conn| {
                conn.prepare_cached(
                    "INSERT INTO collections
                     (id, user_id, name, name_key, description, created_at, updated_at)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)
                     ON CONFLICT (user_id, name_key) DO NOTHING",
                )?
                .execute(params![
                    collection.id,
                    collection.user_id,
                    collection.name,
                    collection_name_key(&collection.name),
                    collection.description,
                    millis(collection.created_at),
                    millis(collection.updated_at),
                ])
            })
            .await?;
        if inserted == 0 {
            return Err(StoreError::CollectionNameTaken);
        }
        Ok(())
    }

    async fn list_collections(&self, user_id: &str) -> StoreResult<Vec<CollectionRecord>> {
        let user_id = user_id.to_owned();
        self.read(move |conn| {
            conn.prepare_cached(&format!(
                "SELECT {COLLECTION_COLUMNS} FROM collections WHERE user_id = ?1
                 ORDER BY updated_at DESC, id DESC"
            ))?
            .query_map(params![user_id], collection_from_row)?
            .collect()
        })
        .await
    }

    async fn get_collection(
        &self,
        user_id: &str,
        collection_id: &str,
    ) -> StoreResult<Option<CollectionRecord>> {
        self.read(|conn| collection_in(conn, user_id, collection_id))
            .await
    }

    async fn owns_collection(&self, user_id: &str, collection_id: &str) -> StoreResult<bool> {
        self.read(|conn| {
            conn.prepare_cached("SELECT 1 FROM collections WHERE id = ?1 AND user_id = ?2")?
                .exists(params![collection_id, user_id])
        })
        .await
    }

    async fn update_collection(
        &self,
        user_id: &str,
        collection_id: &str,
        changes: &CollectionChanges,
        now: OffsetDateTime,
    ) -> StoreResult<Option<CollectionRecord>> {
        let (user_id, collection_id) = (user_id.to_owned(), collection_id.to_owned());
        let changes = changes.clone();
        self.write(move |conn| {
            let tx = conn.transaction()?;
            let Some(current) = collection_in(&tx, &user_id, &collection_id)? else {
                return Ok(Ok(None));
            };
            let name = changes.name.unwrap_or(current.name);
            let description = changes.description.unwrap_or(current.description);
            let cover = changes.cover_image_id.unwrap_or(current.cover_image_id);
            let updated = tx
                .prepare_cached(
                    "UPDATE collections SET name = ?3, name_key = ?4, description = ?5,
                         cover_image_id = ?6, updated_at = MAX(updated_at, ?7)
                         WHERE id = ?1 AND user_id = ?2",
                )?
                .execute(params![
                    collection_id,
                    user_id,
                    name,
                    collection_name_key(&name),
                    description,
                    cover,
                    millis(now),
                ]);
            match updated {
                Err(error) if is_unique_violation(&error) => {
                    return Ok(Err(StoreError::CollectionNameTaken));
                }
                other => other?,
            };
            let collection = collection_in(&tx, &user_id, &collection_id)?;
            tx.commit()?;
            Ok(Ok(collection))
        })
        .await?
    }

    async fn delete_collection(&self, user_id: &str, collection_id: &str) -> StoreResult<bool> {
        let (user_id, collection_id) = (user_id.to_owned(), collection_id.to_owned());
        self.write(move |conn| {
            Ok(conn
                .prepare_cached("DELETE FROM collections WHERE id = ?1 AND user_id = ?2")?
                .execute(params![collection_id, user_id])?
                > 0)
        })
        .await
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
