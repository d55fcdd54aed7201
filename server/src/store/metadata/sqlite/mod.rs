//! The embedded metadata backend: one SQLite file in the data directory.
//!
//! WAL mode lets readers run beside the single writer, so the store keeps one
//! write connection and a few read connections. Writes and searches run on
//! the blocking pool; the short indexed reads that make up most requests run
//! in place (see `SqliteStore::read`).
//!
//! Each concern is in the file of its trait (`accounts.rs`, `sessions.rs`,
//! `gallery.rs`, `collections.rs`, `quotas.rs`, `guards.rs`, `drafts.rs`), the schema in
//! `migrations.rs`; this module holds the connections and the row helpers.

mod accounts;
mod api_keys;
mod collections;
mod drafts;
mod exports;
mod gallery;
mod guards;
mod migrations;
mod quotas;
mod sessions;
mod shares;
mod statistics;

use std::{
    path::Path,
    sync::{
        Arc, Mutex,
        atomic::{AtomicUsize, Ordering},
    },
};

use anyhow::Context;
use rusqlite::{Connection, OpenFlags, Row};
use time::{OffsetDateTime, format_description::well_known::Rfc3339};

use super::{StoreError, StoreResult, User};
use migrations::migrate;

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
         upstream_id, trashed_at, total_ms, cost_micros"
    };
}
const STORED_IMAGE_COLUMNS: &str = stored_image_columns!();
/// What an image is read as: its columns and the collections that hold it,
/// which the memberships' triggers keep.
const IMAGE_COLUMNS: &str = concat!(stored_image_columns!(), ", collection_ids");

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

#[cfg(test)]
mod tests;
