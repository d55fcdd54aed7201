//! The embedded metadata backend: one SQLite file in the data directory.
//!
//! WAL mode lets readers run beside the single writer, so the store keeps one
//! write connection and a few read connections. Writes and searches run on
//! the blocking pool; the short indexed reads that make up most requests run
//! in place (see `SqliteStore::read`).

use std::{
    path::Path,
    sync::{
        Arc, Mutex,
        atomic::{AtomicUsize, Ordering},
    },
};

use anyhow::Context;
use async_trait::async_trait;
use rusqlite::{
    Connection, OpenFlags, OptionalExtension, Row, params, params_from_iter, types::Value,
};
use time::{OffsetDateTime, format_description::well_known::Rfc3339};

use super::{
    Admission, CollectionChanges, CollectionRecord, Credentials, IdempotencyClaim, ImagePage,
    ImageQuery, ImageRecord, ImageRef, Membership, MetadataStore, NewSession, Reservation,
    StoreError, StoreResult, TrashOutcome, Usage, User,
    rules::{
        ABANDONED_CLAIM_SECS, IDEMPOTENCY_RETENTION_SECS, PRUNE_BATCH, TrashPosition,
        collection_name_key, first_id_at, from_millis, millis, normalise_email, search_terms,
        search_words,
    },
};

/// One schema change: SQL, or code where the change needs our own rules
/// (how search folds words).
enum Migration {
    Sql(&'static str),
    Code(fn(&Connection) -> rusqlite::Result<()>),
}

impl Migration {
    fn apply(&self, conn: &Connection) -> rusqlite::Result<()> {
        match self {
            Migration::Sql(sql) => conn.execute_batch(sql),
            Migration::Code(change) => change(conn),
        }
    }
}

/// Schema changes, applied in order, each exactly once.
const MIGRATIONS: &[Migration] = &[
    Migration::Sql(
        r#"
CREATE TABLE users (
    id            TEXT PRIMARY KEY,
    email         TEXT NOT NULL,
    email_key     TEXT NOT NULL UNIQUE,
    display_name  TEXT,
    password_hash TEXT,
    created_at    TEXT NOT NULL,
    images        INTEGER NOT NULL DEFAULT 0,
    storage_bytes INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE sessions (
    token_hash BLOB PRIMARY KEY,
    user_id    TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    expires_at INTEGER NOT NULL
) WITHOUT ROWID;
CREATE INDEX sessions_by_expiry ON sessions(expires_at);
CREATE TABLE images (
    rowid            INTEGER PRIMARY KEY,
    id               TEXT NOT NULL UNIQUE,
    user_id          TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    generation_id    TEXT NOT NULL,
    prompt           TEXT NOT NULL,
    negative_prompt  TEXT,
    model            TEXT NOT NULL,
    provider         TEXT NOT NULL,
    width            INTEGER NOT NULL,
    height           INTEGER NOT NULL,
    steps            INTEGER NOT NULL,
    seed             INTEGER NOT NULL,
    style            TEXT NOT NULL,
    created_at       TEXT NOT NULL,
    favorite         INTEGER NOT NULL DEFAULT 0,
    content_type     TEXT NOT NULL,
    bytes            INTEGER NOT NULL,
    object_key       TEXT NOT NULL,
    thumbnail_key    TEXT NOT NULL,
    thumbnail_width  INTEGER NOT NULL,
    thumbnail_height INTEGER NOT NULL,
    placeholder      TEXT NOT NULL,
    inference_ms     INTEGER,
    upstream_id      TEXT,
    hidden           INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX images_by_owner ON images(user_id, hidden, id);
CREATE INDEX images_favorites_by_owner ON images(user_id, hidden, favorite, id);
CREATE VIRTUAL TABLE images_fts USING fts5(
    prompt, content='images', content_rowid='rowid', tokenize='unicode61 remove_diacritics 2'
);
CREATE TRIGGER images_fts_insert AFTER INSERT ON images BEGIN
    INSERT INTO images_fts(rowid, prompt) VALUES (new.rowid, new.prompt);
END;
CREATE TRIGGER images_fts_delete AFTER DELETE ON images BEGIN
    INSERT INTO images_fts(images_fts, rowid, prompt) VALUES ('delete', old.rowid, old.prompt);
END;
CREATE TABLE monthly_usage (
    user_id     TEXT NOT NULL,
    month       TEXT NOT NULL,
    generations INTEGER NOT NULL,
    PRIMARY KEY (user_id, month)
) WITHOUT ROWID;
CREATE TABLE rate_limits (
    key          TEXT NOT NULL,
    window_start INTEGER NOT NULL,
    hits         INTEGER NOT NULL,
    expires_at   INTEGER NOT NULL,
    PRIMARY KEY (key, window_start)
) WITHOUT ROWID;
CREATE TABLE idempotency_keys (
    user_id      TEXT NOT NULL,
    key          TEXT NOT NULL,
    request_hash TEXT NOT NULL,
    response     TEXT,
    claimed_at   INTEGER NOT NULL,
    PRIMARY KEY (user_id, key)
) WITHOUT ROWID;
"#,
    ),
    Migration::Sql(
        r#"
CREATE INDEX rate_limits_by_expiry ON rate_limits(expires_at);
CREATE INDEX idempotency_keys_by_age ON idempotency_keys(claimed_at);
"#,
    ),
    // The trash: `trashed_at` in Unix milliseconds. The gallery indexes only
    // hold what the gallery shows, so trashed images cost its pages nothing.
    Migration::Sql(
        r#"
ALTER TABLE images ADD COLUMN trashed_at INTEGER;
DROP INDEX images_by_owner;
DROP INDEX images_favorites_by_owner;
CREATE INDEX images_in_gallery ON images(user_id, id) WHERE hidden = 0 AND trashed_at IS NULL;
CREATE INDEX favorites_in_gallery ON images(user_id, id)
    WHERE hidden = 0 AND trashed_at IS NULL AND favorite = 1;
CREATE INDEX images_in_trash ON images(user_id, trashed_at, id) WHERE trashed_at IS NOT NULL;
CREATE INDEX trash_by_age ON images(trashed_at) WHERE trashed_at IS NOT NULL;
"#,
    ),
    // Collections. `name_key` is the lower-cased name, so the unique index
    // refuses a second "Trips" however it is written. Times are Unix
    // milliseconds, which sort as they should. Memberships go with either side.
    Migration::Sql(
        r#"
CREATE TABLE collections (
    id             TEXT PRIMARY KEY,
    user_id        TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    name           TEXT NOT NULL,
    name_key       TEXT NOT NULL,
    description    TEXT,
    cover_image_id TEXT,
    created_at     INTEGER NOT NULL,
    updated_at     INTEGER NOT NULL,
    UNIQUE (user_id, name_key)
) WITHOUT ROWID;
CREATE INDEX collections_by_change ON collections(user_id, updated_at, id);
CREATE TABLE collection_images (
    collection_id TEXT NOT NULL REFERENCES collections(id) ON DELETE CASCADE,
    image_id      TEXT NOT NULL REFERENCES images(id) ON DELETE CASCADE,
    PRIMARY KEY (collection_id, image_id)
) WITHOUT ROWID;
CREATE INDEX collections_of_image ON collection_images(image_id, collection_id);
"#,
    ),
    // The collections that hold an image, kept on the image row by triggers,
    // so a page reads them with the image instead of a subquery per image
    // (in collection-id order, as the memberships' index lists them). And a
    // membership names its image's row, so a collection page goes from each
    // membership straight to the image.
    Migration::Sql(
        r#"
ALTER TABLE collection_images ADD COLUMN image_rowid INTEGER;
UPDATE collection_images SET image_rowid = (
    SELECT rowid FROM images WHERE images.id = collection_images.image_id
);
ALTER TABLE images ADD COLUMN collection_ids TEXT;
UPDATE images SET collection_ids = (
    SELECT group_concat(collection_id) FROM collection_images WHERE image_id = images.id
) WHERE id IN (SELECT image_id FROM collection_images);
CREATE TRIGGER collection_ids_after_join AFTER INSERT ON collection_images BEGIN
    UPDATE images SET collection_ids = (
        SELECT group_concat(collection_id) FROM collection_images WHERE image_id = new.image_id
    ) WHERE id = new.image_id;
END;
CREATE TRIGGER collection_ids_after_leave AFTER DELETE ON collection_images BEGIN
    UPDATE images SET collection_ids = (
        SELECT group_concat(collection_id) FROM collection_images WHERE image_id = old.image_id
    ) WHERE id = old.image_id;
END;
"#,
    ),
    Migration::Code(search_by_owner),
    // The images whose delete has begun, for the sweep to finish.
    Migration::Sql("CREATE INDEX images_being_deleted ON images(user_id, id) WHERE hidden = 1;"),
    // Generations counted against a month whose images are not recorded yet;
    // what a crash leaves here, the sweep gives back.
    Migration::Sql(
        "CREATE TABLE generation_reservations (
            id      TEXT PRIMARY KEY,
            user_id TEXT NOT NULL,
            month   TEXT NOT NULL,
            count   INTEGER NOT NULL
        ) WITHOUT ROWID;",
    ),
];

/// Migration 6: the search index holds every word behind its owner's key
/// (see [`owner_words`]), so a search reads its owner's words and no one
/// else's. It replaces an index of bare prompts, where a search found every
/// user's matches before keeping its owner's.
fn search_by_owner(conn: &Connection) -> rusqlite::Result<()> {
    conn.execute_batch(
        "DROP TRIGGER images_fts_insert;
         DROP TRIGGER images_fts_delete;
         DROP TABLE images_fts;
         CREATE VIRTUAL TABLE images_search USING fts5(
             words, content='', contentless_delete=1,
             tokenize='unicode61 remove_diacritics 2'
         );
         CREATE TRIGGER images_search_after_delete AFTER DELETE ON images BEGIN
             DELETE FROM images_search WHERE rowid = old.rowid;
         END;",
    )?;
    let mut index = conn.prepare(INDEX_WORDS)?;
    let mut images = conn.prepare("SELECT rowid, user_id, prompt FROM images")?;
    let mut rows = images.query([])?;
    while let Some(row) = rows.next()? {
        let words = owner_words(&row.get::<_, String>(1)?, &row.get::<_, String>(2)?);
        index.execute(params![row.get::<_, i64>(0)?, words])?;
    }
    Ok(())
}

/// Adds an image's words to the search index.
const INDEX_WORDS: &str = "INSERT INTO images_search (rowid, words) VALUES (?1, ?2)";

/// A fixed-width key for a user in the search index: the first 12 hex
/// digits of the SHA-256 of the id. Being fixed-width, a key and the word
/// after it cannot be read another way. Two users sharing a key would only
/// share index entries: every search still keeps its owner's rows alone.
fn owner_key(user_id: &str) -> String {
    use sha2::{Digest, Sha256};
    let digest = Sha256::digest(user_id.as_bytes());
    digest[..6]
        .iter()
        .map(|byte| format!("{byte:02x}"))
        .collect()
}

/// A prompt's words as the search index holds them: folded, each behind the
/// owner's key (`3fa9c1d07e22lighthouse`).
fn owner_words(user_id: &str, prompt: &str) -> String {
    let key = owner_key(user_id);
    search_words(prompt)
        .map(|word| format!("{key}{word}"))
        .collect::<Vec<_>>()
        .join(" ")
}

const READERS: usize = 8;
/// Connections for searches, whose cost grows with the owner's gallery:
/// half the cores (at least one), so searches alone cannot take every core
/// from the short reads.
fn searchers() -> usize {
    std::thread::available_parallelism().map_or(1, |cores| (cores.get() / 2).max(1))
}

/// The columns an image is stored in, in `image_from_row`'s order.
macro_rules! stored_image_columns {
    () => {
        "id, user_id, generation_id, prompt, negative_prompt, model, provider, width, height, \
         steps, seed, style, created_at, favorite, content_type, bytes, object_key, \
         thumbnail_key, thumbnail_width, thumbnail_height, placeholder, inference_ms, \
         upstream_id, trashed_at"
    };
}
const STORED_IMAGE_COLUMNS: &str = stored_image_columns!();
/// What an image is read as: its columns and the collections that hold it,
/// which the memberships' triggers keep.
const IMAGE_COLUMNS: &str = concat!(stored_image_columns!(), ", collection_ids");

/// A collection's columns, its live image count included: counted on read,
/// it cannot drift from the memberships. Like the owner's usage, an image
/// counts until its delete completes.
const COLLECTION_COLUMNS: &str = "id, user_id, name, description, cover_image_id, created_at, \
     updated_at, \
     (SELECT COUNT(*) FROM collection_images AS member \
      JOIN images ON images.rowid = member.image_rowid \
      WHERE member.collection_id = collections.id AND images.trashed_at IS NULL)";

#[derive(Clone)]
pub struct SqliteStore {
    inner: Arc<Connections>,
    /// Most bytes of originals one user may keep; `None` for no limit.
    storage_quota: Option<u64>,
}

struct Connections {
    writer: Mutex<Connection>,
    readers: Vec<Mutex<Connection>>,
    next_reader: AtomicUsize,
    searchers: Vec<Mutex<Connection>>,
    /// One permit per searcher: searches beyond them wait here, holding no
    /// thread.
    search_permits: Arc<tokio::sync::Semaphore>,
}

impl SqliteStore {
    /// Opens (creating if needed) the database file and brings its schema up to date.
    pub fn open(path: &Path) -> anyhow::Result<Self> {
        let mut writer = Connection::open(path)
            .with_context(|| format!("opening database {}", path.display()))?;
        configure(&writer)?;
        migrate(&mut writer)?;
        let read_only = |count: usize| {
            (0..count)
                .map(|_| {
                    let reader = Connection::open_with_flags(
                        path,
                        OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
                    )?;
                    configure(&reader)?;
                    Ok(Mutex::new(reader))
                })
                .collect::<anyhow::Result<Vec<_>>>()
        };
        let searchers = searchers();
        Ok(Self {
            inner: Arc::new(Connections {
                writer: Mutex::new(writer),
                readers: read_only(READERS)?,
                next_reader: AtomicUsize::new(0),
                searchers: read_only(searchers)?,
                search_permits: Arc::new(tokio::sync::Semaphore::new(searchers)),
            }),
            storage_quota: None,
        })
    }

    /// Caps the bytes of originals each user may keep (`None`: no cap).
    pub fn with_storage_quota(mut self, bytes: Option<u64>) -> Self {
        self.storage_quota = bytes;
        self
    }

    /// Runs a read on the calling thread. Reads are short indexed lookups (tens
    /// of microseconds), cheaper to run in place than to hand to the blocking
    /// pool and back; there are more read connections than async workers, so
    /// a reader never waits for another.
    async fn read<T, F>(&self, query: F) -> StoreResult<T>
    where
        F: FnOnce(&Connection) -> rusqlite::Result<T>,
    {
        let start = self.inner.next_reader.fetch_add(1, Ordering::Relaxed);
        let readers = &self.inner.readers;
        let conn = (0..readers.len())
            .find_map(|offset| readers[(start + offset) % readers.len()].try_lock().ok())
            .unwrap_or_else(|| {
                readers[start % readers.len()]
                    .lock()
                    .unwrap_or_else(|poisoned| poisoned.into_inner())
            });
        let result = query(&conn);
        result.map_err(|error| StoreError::Backend(anyhow::Error::new(error).context("sqlite")))
    }

    /// Runs a search: on the blocking pool, on connections of its own. A
    /// search's cost grows with the owner's gallery, so however many run or
    /// wait, they hold no async worker and no connection the short reads use.
    async fn search<T, F>(&self, query: F) -> StoreResult<T>
    where
        T: Send + 'static,
        F: FnOnce(&Connection) -> rusqlite::Result<T> + Send + 'static,
    {
        let permit = self
            .inner
            .search_permits
            .clone()
            .acquire_owned()
            .await
            .map_err(|closed| StoreError::Backend(anyhow::Error::new(closed)))?;
        let inner = self.inner.clone();
        run_blocking(move || {
            let _permit = permit;
            let searchers = &inner.searchers;
            let conn = searchers
                .iter()
                .find_map(|searcher| searcher.try_lock().ok())
                .unwrap_or_else(|| {
                    searchers[0]
                        .lock()
                        .unwrap_or_else(|poisoned| poisoned.into_inner())
                });
            query(&conn)
        })
        .await
    }

    /// Holds every search connection, as long-running searches would.
    #[cfg(test)]
    fn occupy_searchers(&self) -> Vec<std::sync::MutexGuard<'_, Connection>> {
        self.inner
            .searchers
            .iter()
            .map(|searcher| searcher.lock().unwrap())
            .collect()
    }

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

    async fn write<T, F>(&self, change: F) -> StoreResult<T>
    where
        T: Send + 'static,
        F: FnOnce(&mut Connection) -> rusqlite::Result<T> + Send + 'static,
    {
        let inner = self.inner.clone();
        run_blocking(move || {
            let mut conn = inner
                .writer
                .lock()
                .unwrap_or_else(|poisoned| poisoned.into_inner());
            change(&mut conn)
        })
        .await
    }
}

async fn run_blocking<T, F>(work: F) -> StoreResult<T>
where
    T: Send + 'static,
    F: FnOnce() -> rusqlite::Result<T> + Send + 'static,
{
    match tokio::task::spawn_blocking(work).await {
        Ok(Ok(value)) => Ok(value),
        Ok(Err(error)) => Err(StoreError::Backend(
            anyhow::Error::new(error).context("sqlite"),
        )),
        Err(join) => Err(StoreError::Backend(
            anyhow::Error::new(join).context("sqlite task"),
        )),
    }
}

fn configure(conn: &Connection) -> rusqlite::Result<()> {
    conn.pragma_update(None, "busy_timeout", 5000)?;
    conn.pragma_update(None, "foreign_keys", "ON")?;
    conn.pragma_update(None, "synchronous", "NORMAL")?;
    conn.pragma_update(None, "cache_size", -16000)?;
    Ok(())
}

fn migrate(conn: &mut Connection) -> anyhow::Result<()> {
    conn.pragma_update(None, "journal_mode", "WAL")?;
    let tx = conn.transaction()?;
    tx.execute_batch("CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY)")?;
    let applied: usize = tx.query_row("SELECT COUNT(*) FROM schema_migrations", [], |row| {
        row.get(0)
    })?;
    for (version, migration) in MIGRATIONS.iter().enumerate().skip(applied) {
        migration
            .apply(&tx)
            .with_context(|| format!("applying migration {}", version + 1))?;
        tx.execute(
            "INSERT INTO schema_migrations (version) VALUES (?1)",
            [version + 1],
        )?;
    }
    tx.commit()?;
    Ok(())
}

fn email_key(email: &str) -> String {
    normalise_email(email)
}

fn timestamp(value: &OffsetDateTime) -> String {
    value.format(&Rfc3339).unwrap_or_default()
}

fn parse_timestamp(row: &Row<'_>, index: usize) -> rusqlite::Result<OffsetDateTime> {
    let text: String = row.get(index)?;
    OffsetDateTime::parse(&text, &Rfc3339).map_err(|error| {
        rusqlite::Error::FromSqlConversionFailure(index, rusqlite::types::Type::Text, error.into())
    })
}

fn user_from_row(row: &Row<'_>) -> rusqlite::Result<User> {
    Ok(User {
        id: row.get(0)?,
        email: row.get(1)?,
        display_name: row.get(2)?,
        created_at: parse_timestamp(row, 3)?,
    })
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
        collection_ids: row
            .get::<_, Option<String>>(24)?
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

/// Turns free text into an FTS5 query that matches every word as a prefix
/// of one of the owner's words. Each word is quoted, so operators and
/// SQL-looking input are plain text.
fn fts_query(user_id: &str, search: &str) -> Option<String> {
    let key = owner_key(user_id);
    let words: Vec<String> = search_terms(search)
        .into_iter()
        .map(|word| format!("\"{key}{word}\"*"))
        .collect();
    (!words.is_empty()).then(|| words.join(" "))
}

/// The `SELECT` of one gallery, collection or trash page (`limit + 1` rows,
/// so the caller knows whether another page follows), and its arguments.
fn listing_statement(
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

#[async_trait]
impl MetadataStore for SqliteStore {
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

    async fn create_session(&self, session: &NewSession) -> StoreResult<()> {
        let session = session.clone();
        self.write(move |conn| {
            conn.execute(
                "INSERT INTO sessions (token_hash, user_id, expires_at) VALUES (?1, ?2, ?3)",
                params![
                    session.token_hash.as_slice(),
                    session.user_id,
                    session.expires_at.unix_timestamp()
                ],
            )?;
            // Keep the table small: sessions past their expiry are useless.
            conn.execute(
                "DELETE FROM sessions WHERE expires_at < ?1",
                [OffsetDateTime::now_utc().unix_timestamp()],
            )?;
            Ok(())
        })
        .await
    }

    async fn session_user(
        &self,
        token_hash: &[u8; 32],
        now: OffsetDateTime,
    ) -> StoreResult<Option<User>> {
        let token_hash = *token_hash;
        self.read(move |conn| {
            let mut statement = conn.prepare_cached(
                "SELECT u.id, u.email, u.display_name, u.created_at
                 FROM sessions s JOIN users u ON u.id = s.user_id
                 WHERE s.token_hash = ?1 AND s.expires_at > ?2",
            )?;
            statement
                .query_row(
                    params![token_hash.as_slice(), now.unix_timestamp()],
                    user_from_row,
                )
                .optional()
        })
        .await
    }

    async fn delete_session(&self, token_hash: &[u8; 32]) -> StoreResult<()> {
        let token_hash = *token_hash;
        self.write(move |conn| {
            conn.execute(
                "DELETE FROM sessions WHERE token_hash = ?1",
                [token_hash.as_slice()],
            )?;
            Ok(())
        })
        .await
    }

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
                      ?18, ?19, ?20, ?21, ?22, ?23, ?24)"
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

    async fn unfinished_deletes(&self, limit: u32) -> StoreResult<Vec<ImageRef>> {
        self.read(move |conn| {
            conn.prepare_cached("SELECT user_id, id FROM images WHERE hidden = 1 LIMIT ?1")?
                .query_map([limit], image_ref_from_row)?
                .collect()
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

    async fn usage(&self, user_id: &str, month: &str) -> StoreResult<Usage> {
        let (user_id, month) = (user_id.to_owned(), month.to_owned());
        self.read(move |conn| {
            conn.query_row(
                "SELECT u.images, u.storage_bytes, COALESCE(m.generations, 0),
                     t.images, COALESCE(t.bytes, 0)
                 FROM users u LEFT JOIN monthly_usage m ON m.user_id = u.id AND m.month = ?2,
                     (SELECT COUNT(*) AS images, SUM(bytes) AS bytes FROM images
                      WHERE user_id = ?1 AND trashed_at IS NOT NULL) t
                 WHERE u.id = ?1",
                params![user_id, month],
                |row| {
                    Ok(Usage {
                        images: row.get::<_, i64>(0)? as u64,
                        storage_bytes: row.get::<_, i64>(1)? as u64,
                        generations_this_month: row.get::<_, i64>(2)? as u64,
                        trash_images: row.get::<_, i64>(3)? as u64,
                        trash_bytes: row.get::<_, i64>(4)? as u64,
                    })
                },
            )
            .optional()
            .map(Option::unwrap_or_default)
        })
        .await
    }

    async fn reserve_generations(
        &self,
        reservation: &Reservation,
        quota: u32,
    ) -> StoreResult<bool> {
        let reservation = reservation.clone();
        self.write(move |conn| {
            let tx = conn.transaction()?;
            let changed = tx.execute(
                "INSERT INTO monthly_usage (user_id, month, generations)
                 SELECT ?1, ?2, ?3 WHERE ?3 <= ?4
                 ON CONFLICT (user_id, month) DO UPDATE SET generations = generations + ?3
                 WHERE generations + ?3 <= ?4",
                params![
                    reservation.user_id,
                    reservation.month,
                    reservation.count,
                    quota
                ],
            )?;
            if changed == 0 {
                return Ok(false);
            }
            tx.execute(
                "INSERT INTO generation_reservations (id, user_id, month, count)
                 VALUES (?1, ?2, ?3, ?4)",
                params![
                    reservation.id,
                    reservation.user_id,
                    reservation.month,
                    reservation.count
                ],
            )?;
            tx.commit()?;
            Ok(true)
        })
        .await
    }

    async fn release_generations(&self, reservation: &Reservation) -> StoreResult<()> {
        let reservation = reservation.clone();
        self.write(move |conn| {
            let tx = conn.transaction()?;
            let held = tx.execute(
                "DELETE FROM generation_reservations WHERE id = ?1 AND user_id = ?2",
                params![reservation.id, reservation.user_id],
            )?;
            if held == 1 {
                tx.execute(
                    "UPDATE monthly_usage SET generations = MAX(generations - ?3, 0)
                     WHERE user_id = ?1 AND month = ?2",
                    params![reservation.user_id, reservation.month, reservation.count],
                )?;
            }
            tx.commit()?;
            Ok(())
        })
        .await
    }

    async fn stale_reservations(
        &self,
        before: OffsetDateTime,
        limit: u32,
    ) -> StoreResult<Vec<Reservation>> {
        let before = first_id_at(before);
        self.read(move |conn| {
            let mut statement = conn.prepare_cached(
                "SELECT id, user_id, month, count FROM generation_reservations
                 WHERE id < ?1 ORDER BY id LIMIT ?2",
            )?;
            let rows = statement.query_map(params![before, limit], |row| {
                Ok(Reservation {
                    id: row.get(0)?,
                    user_id: row.get(1)?,
                    month: row.get(2)?,
                    count: row.get(3)?,
                })
            })?;
            rows.collect()
        })
        .await
    }

    async fn hit_rate_limit(
        &self,
        key: &str,
        window_start: i64,
        window_secs: u64,
        limit: u32,
        now: i64,
    ) -> StoreResult<Admission> {
        let key = key.to_owned();
        let window_end = window_start + window_secs as i64;
        self.write(move |conn| {
            let hits: u32 = conn
                .prepare_cached(
                    "INSERT INTO rate_limits (key, window_start, hits, expires_at)
                     VALUES (?1, ?2, 1, ?3)
                     ON CONFLICT (key, window_start) DO UPDATE SET hits = hits + 1
                     RETURNING hits",
                )?
                .query_row(params![key, window_start, window_end], |row| row.get(0))?;
            if hits == 1 {
                // First hit of a window: a cheap moment to forget finished
                // windows, of every key, a batch at a time.
                conn.prepare_cached(
                    "DELETE FROM rate_limits WHERE (key, window_start) IN
                     (SELECT key, window_start FROM rate_limits WHERE expires_at <= ?1 LIMIT ?2)",
                )?
                .execute(params![now, PRUNE_BATCH])?;
            }
            Ok(if hits > limit {
                Admission::Refused {
                    retry_after_secs: (window_end - now).max(1) as u64,
                }
            } else {
                Admission::Allowed
            })
        })
        .await
    }

    async fn claim_idempotency_key(
        &self,
        user_id: &str,
        key: &str,
        request_hash: &str,
        now: OffsetDateTime,
    ) -> StoreResult<IdempotencyClaim> {
        let (user_id, key, request_hash) =
            (user_id.to_owned(), key.to_owned(), request_hash.to_owned());
        let now = now.unix_timestamp();
        self.write(move |conn| {
            let tx = conn.transaction()?;
            let forgotten = now - IDEMPOTENCY_RETENTION_SECS;
            // A key past its retention is free again, as if never used.
            let inserted = tx.execute(
                "INSERT INTO idempotency_keys (user_id, key, request_hash, claimed_at)
                 VALUES (?1, ?2, ?3, ?4)
                 ON CONFLICT (user_id, key) DO UPDATE SET
                     request_hash = excluded.request_hash, response = NULL,
                     claimed_at = excluded.claimed_at
                 WHERE idempotency_keys.claimed_at <= ?5",
                params![user_id, key, request_hash, now, forgotten],
            )?;
            let claim = if inserted == 1 {
                tx.prepare_cached(
                    "DELETE FROM idempotency_keys WHERE (user_id, key) IN
                     (SELECT user_id, key FROM idempotency_keys WHERE claimed_at <= ?1 LIMIT ?2)",
                )?
                .execute(params![forgotten, PRUNE_BATCH])?;
                IdempotencyClaim::Claimed
            } else {
                let (stored_hash, response, claimed_at): (String, Option<String>, i64) = tx
                    .query_row(
                        "SELECT request_hash, response, claimed_at FROM idempotency_keys
                         WHERE user_id = ?1 AND key = ?2",
                        params![user_id, key],
                        |row| Ok((row.get(0)?, row.get(1)?, row.get(2)?)),
                    )?;
                if stored_hash != request_hash {
                    IdempotencyClaim::Mismatch
                } else if let Some(response) = response {
                    IdempotencyClaim::Replay(response)
                } else if claimed_at < now - ABANDONED_CLAIM_SECS {
                    tx.execute(
                        "UPDATE idempotency_keys SET claimed_at = ?3 WHERE user_id = ?1 AND key = ?2",
                        params![user_id, key, now],
                    )?;
                    IdempotencyClaim::Claimed
                } else {
                    IdempotencyClaim::InProgress
                }
            };
            tx.commit()?;
            Ok(claim)
        })
        .await
    }

    async fn complete_idempotency_key(
        &self,
        user_id: &str,
        key: &str,
        response: &str,
    ) -> StoreResult<()> {
        let (user_id, key, response) = (user_id.to_owned(), key.to_owned(), response.to_owned());
        self.write(move |conn| {
            conn.execute(
                "UPDATE idempotency_keys SET response = ?3 WHERE user_id = ?1 AND key = ?2",
                params![user_id, key, response],
            )?;
            Ok(())
        })
        .await
    }

    async fn release_idempotency_key(&self, user_id: &str, key: &str) -> StoreResult<()> {
        let (user_id, key) = (user_id.to_owned(), key.to_owned());
        self.write(move |conn| {
            conn.execute(
                "DELETE FROM idempotency_keys WHERE user_id = ?1 AND key = ?2 AND response IS NULL",
                params![user_id, key],
            )?;
            Ok(())
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn search_text_becomes_quoted_prefix_terms_behind_the_owners_key() {
        let key = owner_key("u1");
        assert_eq!(key.len(), 12);
        assert_eq!(
            fts_query("u1", "Light house!"),
            Some(format!("\"{key}light\"* \"{key}house\"*"))
        );
        assert_eq!(
            fts_query("u1", "x' OR 1=1; --"),
            Some(format!("\"{key}or\"*"))
        );
        assert_eq!(fts_query("u1", "!!! ---"), None);
        assert_eq!(
            owner_words("u1", "Old LIGHTHOUSE, café"),
            format!("{key}old {key}lighthouse {key}cafe")
        );
    }

    /// How many entries of the search index a search for `text` by
    /// `user_id` reads.
    fn index_matches(path: &Path, user_id: &str, text: &str) -> i64 {
        Connection::open(path)
            .unwrap()
            .query_row(
                "SELECT COUNT(*) FROM images_search WHERE images_search MATCH ?1",
                [fts_query(user_id, text).unwrap()],
                |row| row.get(0),
            )
            .unwrap()
    }

    /// A database as the version before searches were scoped to their owner
    /// wrote it: its prompts move to the owner-keyed index, each user's
    /// search reads only their own entries, and the index follows later
    /// inserts and deletes.
    #[tokio::test]
    async fn a_database_from_before_owner_scoped_search_is_searched_per_owner() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("promptcanvas.db");
        previous_layout(&path, 5);
        Connection::open(&path)
            .unwrap()
            .execute_batch(
                "INSERT INTO users (id, email, email_key, created_at)
                 VALUES ('u2', 'bo@example.com', 'bo@example.com', '2026-11-01T08:00:00Z');
                 INSERT INTO images (id, user_id, generation_id, prompt, model, provider, width,
                     height, steps, seed, style, created_at, content_type, bytes, object_key,
                     thumbnail_key, thumbnail_width, thumbnail_height, placeholder)
                 VALUES ('01JC', 'u2', 'g3', 'a lighthouse too', 'm', 'offline', 512, 512, 4, 3,
                     'none', '2026-11-03T08:00:00Z', 'image/png', 100, 'users/u2/01JC.png',
                     'users/u2/01JC.thumb.jpg', 256, 256, '#000000');",
            )
            .unwrap();
        let store = SqliteStore::open(&path).unwrap();
        let search = |user: &'static str, text: &'static str| {
            let store = store.clone();
            async move {
                let query = ImageQuery {
                    limit: 10,
                    search: Some(text.into()),
                    ..ImageQuery::default()
                };
                let page = store.list_images(user, &query).await.unwrap();
                page.items
                    .into_iter()
                    .map(|image| image.id)
                    .collect::<Vec<_>>()
            }
        };
        assert_eq!(search("u1", "LIGHT").await, ["01JA"]);
        assert_eq!(search("u2", "light").await, ["01JC"]);
        assert_eq!(index_matches(&path, "u1", "light"), 1);
        assert_eq!(index_matches(&path, "u1", "old"), 2);

        store.delete_image("u1", "01JA").await.unwrap();
        assert!(search("u1", "light").await.is_empty());
        assert_eq!(index_matches(&path, "u1", "light"), 0);
        assert_eq!(index_matches(&path, "u2", "light"), 1);
    }

    /// Searches waiting for their connections hold no async worker: with one
    /// worker and every search connection busy, a gallery page still answers.
    #[tokio::test(flavor = "multi_thread", worker_threads = 1)]
    async fn waiting_searches_leave_the_gallery_answering() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("promptcanvas.db");
        previous_layout(&path, 5);
        let store = SqliteStore::open(&path).unwrap();
        let query = |search: Option<&str>| ImageQuery {
            limit: 10,
            search: search.map(str::to_owned),
            ..ImageQuery::default()
        };
        let busy = store.occupy_searchers();
        let searches: Vec<_> = (0..4)
            .map(|_| {
                let store = store.clone();
                tokio::spawn(async move { store.list_images("u1", &query(Some("harbour"))).await })
            })
            .collect();
        tokio::task::yield_now().await;
        let gallery = {
            let store = store.clone();
            tokio::spawn(async move { store.list_images("u1", &query(None)).await })
        };
        let page = tokio::time::timeout(std::time::Duration::from_secs(10), gallery)
            .await
            .expect("the gallery answers while searches wait")
            .unwrap()
            .unwrap();
        assert_eq!(page.items.len(), 2);
        drop(busy);
        for search in searches {
            let found = search.await.unwrap().unwrap();
            assert_eq!(found.items.len(), 1);
            assert_eq!(found.items[0].id, "01JB");
        }
    }

    /// Writes a database as the version with the first `migrations` schema
    /// changes left it: one user and two images (01JA a favourite).
    fn previous_layout(path: &Path, migrations: usize) {
        {
            let conn = Connection::open(path).unwrap();
            conn.execute_batch("CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY)")
                .unwrap();
            for (version, migration) in MIGRATIONS[..migrations].iter().enumerate() {
                migration.apply(&conn).unwrap();
                conn.execute("INSERT INTO schema_migrations VALUES (?1)", [version + 1])
                    .unwrap();
            }
            conn.execute_batch(
                "INSERT INTO users (id, email, email_key, created_at, images, storage_bytes)
                 VALUES ('u1', 'ada@example.com', 'ada@example.com', '2026-11-01T08:00:00Z', 2, 300);
                 INSERT INTO images (id, user_id, generation_id, prompt, model, provider, width,
                     height, steps, seed, style, created_at, favorite, content_type, bytes,
                     object_key, thumbnail_key, thumbnail_width, thumbnail_height, placeholder)
                 VALUES
                 ('01JA', 'u1', 'g1', 'old lighthouse', 'm', 'offline', 512, 512, 4, 1, 'none',
                  '2026-11-01T08:00:00Z', 1, 'image/png', 100, 'users/u1/01JA.png',
                  'users/u1/01JA.thumb.jpg', 256, 256, '#000000'),
                 ('01JB', 'u1', 'g2', 'old harbour', 'm', 'offline', 512, 512, 4, 2, 'none',
                  '2026-11-02T08:00:00Z', 0, 'image/png', 200, 'users/u1/01JB.png',
                  'users/u1/01JB.thumb.jpg', 256, 256, '#ffffff');",
            )
            .unwrap();
        }
    }

    /// A database as the version before the trash wrote it: its images are
    /// all in the gallery, and can be searched, favourited and trashed.
    #[tokio::test]
    async fn a_database_from_before_the_trash_opens_with_every_image_in_the_gallery() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("promptcanvas.db");
        previous_layout(&path, 2);
        let store = SqliteStore::open(&path).unwrap();
        let ids = |page: ImagePage| {
            page.items
                .into_iter()
                .map(|image| image.id)
                .collect::<Vec<_>>()
        };
        let gallery = |search: Option<&str>, favorites_only: bool, trashed: bool| ImageQuery {
            limit: 10,
            search: search.map(str::to_owned),
            favorites_only,
            trashed,
            ..ImageQuery::default()
        };
        let page = store
            .list_images("u1", &gallery(None, false, false))
            .await
            .unwrap();
        assert!(page.items.iter().all(|image| image.trashed_at.is_none()));
        assert_eq!(ids(page), ["01JB", "01JA"]);
        let found = store
            .list_images("u1", &gallery(Some("lighth"), false, false))
            .await;
        assert_eq!(ids(found.unwrap()), ["01JA"]);
        let favourites = store.list_images("u1", &gallery(None, true, false)).await;
        assert_eq!(ids(favourites.unwrap()), ["01JA"]);

        let now = OffsetDateTime::now_utc();
        let outcome = store.trash_image("u1", "01JB", false, now).await.unwrap();
        assert!(matches!(outcome, TrashOutcome::Trashed(_)));
        let page = store.list_images("u1", &gallery(None, false, false)).await;
        assert_eq!(ids(page.unwrap()), ["01JA"]);
        let trash = store.list_images("u1", &gallery(None, false, true)).await;
        assert_eq!(ids(trash.unwrap()), ["01JB"]);
        let usage = store.usage("u1", "2026-11").await.unwrap();
        assert_eq!(
            (
                usage.images,
                usage.storage_bytes,
                usage.trash_images,
                usage.trash_bytes
            ),
            (2, 300, 1, 200)
        );
    }

    /// A database as the version before collections wrote it (a trashed image
    /// included): no image is in a collection, and they can all join one.
    #[tokio::test]
    async fn a_database_from_before_collections_opens_with_no_image_in_one() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("promptcanvas.db");
        previous_layout(&path, 3);
        Connection::open(&path)
            .unwrap()
            .execute("UPDATE images SET trashed_at = 5 WHERE id = '01JA'", [])
            .unwrap();
        let store = SqliteStore::open(&path).unwrap();
        assert!(store.list_collections("u1").await.unwrap().is_empty());
        for id in ["01JA", "01JB"] {
            let image = store.get_image("u1", id).await.unwrap().unwrap();
            assert!(image.collection_ids.is_empty());
        }
        let now = from_millis(1_790_000_000_000);
        let trips = CollectionRecord {
            id: "c1".into(),
            user_id: "u1".into(),
            name: "Trips".into(),
            description: None,
            cover_image_id: None,
            image_count: 0,
            created_at: now,
            updated_at: now,
        };
        store.create_collection(&trips).await.unwrap();
        let joined = store.add_to_collection("u1", "c1", "01JB", now).await;
        assert_eq!(joined.unwrap(), Membership::Done);
        let trashed = store.add_to_collection("u1", "c1", "01JA", now).await;
        assert_eq!(trashed.unwrap(), Membership::ImageNotFound);
        store.restore_image("u1", "01JA").await.unwrap();
        let restored = store.add_to_collection("u1", "c1", "01JA", now).await;
        assert_eq!(restored.unwrap(), Membership::Done);
        let collection = store.get_collection("u1", "c1").await.unwrap().unwrap();
        assert_eq!(collection.image_count, 2);
        let image = store.get_image("u1", "01JB").await.unwrap().unwrap();
        assert_eq!(image.collection_ids, ["c1"]);
    }

    /// A database as the version that first had collections wrote it: each
    /// collection keeps its pages and count, each image the collections that
    /// held it, and the kept list follows every later join, leave and
    /// collection delete.
    #[tokio::test]
    async fn a_database_from_before_kept_collection_lists_keeps_its_memberships() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("promptcanvas.db");
        previous_layout(&path, 4);
        Connection::open(&path)
            .unwrap()
            .execute_batch(
                "INSERT INTO collections (id, user_id, name, name_key, created_at, updated_at)
                 VALUES ('c1', 'u1', 'Trips', 'trips', 1, 1), ('c2', 'u1', 'Sea', 'sea', 1, 1);
                 INSERT INTO collection_images (collection_id, image_id)
                 VALUES ('c2', '01JA'), ('c1', '01JA'), ('c2', '01JB');",
            )
            .unwrap();
        let store = SqliteStore::open(&path).unwrap();
        let collections_of = |id: &'static str| {
            let store = store.clone();
            async move {
                let image = store.get_image("u1", id).await.unwrap().unwrap();
                let listed = store
                    .list_images(
                        "u1",
                        &ImageQuery {
                            limit: 10,
                            ..ImageQuery::default()
                        },
                    )
                    .await
                    .unwrap()
                    .items
                    .into_iter()
                    .find(|listed| listed.id == id)
                    .unwrap();
                assert_eq!(image.collection_ids, listed.collection_ids);
                image.collection_ids
            }
        };
        assert_eq!(collections_of("01JA").await, ["c1", "c2"]);
        assert_eq!(collections_of("01JB").await, ["c2"]);
        let sea = ImageQuery {
            limit: 10,
            collection: Some("c2".into()),
            ..ImageQuery::default()
        };
        let page = store.list_images("u1", &sea).await.unwrap().items;
        let ids: Vec<_> = page.iter().map(|image| image.id.as_str()).collect();
        assert_eq!(ids, ["01JB", "01JA"]);
        let sea_count = store.get_collection("u1", "c2").await.unwrap().unwrap();
        assert_eq!(sea_count.image_count, 2);

        let now = from_millis(1_790_000_000_000);
        store
            .add_to_collection("u1", "c1", "01JB", now)
            .await
            .unwrap();
        assert_eq!(collections_of("01JB").await, ["c1", "c2"]);
        store
            .remove_from_collection("u1", "c2", "01JB", now)
            .await
            .unwrap();
        assert_eq!(collections_of("01JB").await, ["c1"]);
        assert!(store.delete_collection("u1", "c1").await.unwrap());
        assert_eq!(collections_of("01JA").await, ["c2"]);
        assert!(collections_of("01JB").await.is_empty());
    }

    /// Each listing reads its own partial index, in order, rather than
    /// sorting or stepping over the images of other listings.
    #[tokio::test]
    async fn every_listing_reads_its_own_index() {
        let dir = tempfile::tempdir().unwrap();
        let store = SqliteStore::open(&dir.path().join("db")).unwrap();
        let cases = [
            (ImageQuery::default(), "images_in_gallery"),
            (
                ImageQuery {
                    after: Some("01JD".into()),
                    ..ImageQuery::default()
                },
                "images_in_gallery",
            ),
            (
                ImageQuery {
                    favorites_only: true,
                    ..ImageQuery::default()
                },
                "favorites_in_gallery",
            ),
            (
                ImageQuery {
                    trashed: true,
                    ..ImageQuery::default()
                },
                "images_in_trash",
            ),
            (
                ImageQuery {
                    trashed: true,
                    after: Some(
                        TrashPosition {
                            trashed_ms: 5,
                            image_id: "01JD".into(),
                        }
                        .encode(),
                    ),
                    ..ImageQuery::default()
                },
                "images_in_trash",
            ),
            // A collection's page follows its memberships in image order.
            (
                ImageQuery {
                    collection: Some("c1".into()),
                    ..ImageQuery::default()
                },
                "SEARCH member USING PRIMARY KEY (collection_id=?)",
            ),
            (
                ImageQuery {
                    collection: Some("c1".into()),
                    after: Some("01JD".into()),
                    ..ImageQuery::default()
                },
                "SEARCH member USING PRIMARY KEY (collection_id=? AND image_id<?)",
            ),
        ];
        for (query, index) in cases {
            let (sql, args) = listing_statement("u1", &query, None);
            let plan = store
                .read(move |conn| {
                    conn.prepare(&format!("EXPLAIN QUERY PLAN {sql}"))?
                        .query_map(params_from_iter(args), |row| row.get::<_, String>(3))?
                        .collect::<rusqlite::Result<Vec<_>>>()
                })
                .await
                .unwrap()
                .join("; ");
            assert!(plan.contains(index), "{query:?}: {plan}");
            assert!(!plan.contains("TEMP B-TREE"), "{query:?} sorts: {plan}");
        }
    }

    async fn rows(store: &SqliteStore, table: &'static str) -> i64 {
        store
            .read(move |conn| {
                conn.query_row(&format!("SELECT COUNT(*) FROM {table}"), [], |row| {
                    row.get(0)
                })
            })
            .await
            .unwrap()
    }

    #[tokio::test]
    async fn finished_rate_windows_of_every_key_are_forgotten() {
        let dir = tempfile::tempdir().unwrap();
        let store = SqliteStore::open(&dir.path().join("db")).unwrap();
        let keys = PRUNE_BATCH * 2 + 10;
        for index in 0..keys {
            let key = format!("once:{index}");
            store
                .hit_rate_limit(&key, 1_000, 60, 5, 1_000)
                .await
                .unwrap();
        }
        assert_eq!(rows(&store, "rate_limits").await, i64::from(keys));
        // Later hits of other keys clear the finished windows a batch at a time.
        for round in 0..3 {
            let key = format!("later:{round}");
            store
                .hit_rate_limit(&key, 2_000, 60, 5, 2_000)
                .await
                .unwrap();
        }
        assert_eq!(rows(&store, "rate_limits").await, 3);
    }

    #[tokio::test]
    async fn idempotency_keys_past_their_retention_are_removed() {
        let dir = tempfile::tempdir().unwrap();
        let store = SqliteStore::open(&dir.path().join("db")).unwrap();
        let then = OffsetDateTime::from_unix_timestamp(1_790_000_000).unwrap();
        for index in 0..10 {
            let key = format!("old-{index}");
            store
                .claim_idempotency_key("u", &key, "h", then)
                .await
                .unwrap();
        }
        let later = then + time::Duration::seconds(IDEMPOTENCY_RETENTION_SECS + 1);
        store
            .claim_idempotency_key("u", "new", "h", later)
            .await
            .unwrap();
        assert_eq!(rows(&store, "idempotency_keys").await, 1);
    }
}
