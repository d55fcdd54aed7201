//! The SQLite schema and its history: each change is applied once, in
//! order, at start-up, so a database from any earlier version opens.

use anyhow::Context;
use rusqlite::{Connection, params};

use super::gallery::{INDEX_WORDS, owner_words};

/// One schema change: SQL, or code where the change needs our own rules
/// (how search folds words).
pub(super) enum Migration {
    Sql(&'static str),
    Code(fn(&Connection) -> rusqlite::Result<()>),
}

impl Migration {
    pub(super) fn apply(&self, conn: &Connection) -> rusqlite::Result<()> {
        match self {
            Migration::Sql(sql) => conn.execute_batch(sql),
            Migration::Code(change) => change(conn),
        }
    }
}

/// Schema changes, applied in order, each exactly once.
pub(super) const MIGRATIONS: &[Migration] = &[
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
    // The operator's figures: named counters per day, counters per model, and
    // each user's last active day. Filled from the images already stored, so
    // an upgraded database starts with its history.
    Migration::Sql(
        r#"
CREATE TABLE daily_stats (
    day     TEXT NOT NULL,
    counter TEXT NOT NULL,
    count   INTEGER NOT NULL,
    PRIMARY KEY (day, counter)
) WITHOUT ROWID;
CREATE TABLE model_stats (
    provider    TEXT NOT NULL,
    model       TEXT NOT NULL,
    generations INTEGER NOT NULL,
    images      INTEGER NOT NULL,
    PRIMARY KEY (provider, model)
) WITHOUT ROWID;
ALTER TABLE users ADD COLUMN last_active_day TEXT;
INSERT INTO daily_stats (day, counter, count)
    SELECT substr(created_at, 1, 10), 'generations', COUNT(DISTINCT generation_id)
    FROM images GROUP BY 1;
INSERT INTO daily_stats (day, counter, count)
    SELECT substr(created_at, 1, 10), 'images', COUNT(*) FROM images GROUP BY 1;
INSERT INTO model_stats (provider, model, generations, images)
    SELECT provider, model, COUNT(DISTINCT generation_id), COUNT(*)
    FROM images GROUP BY provider, model;
UPDATE users SET last_active_day =
    (SELECT MAX(substr(created_at, 1, 10)) FROM images WHERE images.user_id = users.id);
INSERT INTO daily_stats (day, counter, count)
    SELECT last_active_day, 'active', COUNT(*) FROM users
    WHERE last_active_day IS NOT NULL GROUP BY 1;
"#,
    ),
    // 10: time and cost of each image, drafts, and the month's drafts and cost.
    Migration::Sql(
        r#"
ALTER TABLE images ADD COLUMN total_ms INTEGER;
ALTER TABLE images ADD COLUMN cost_micros INTEGER;
ALTER TABLE monthly_usage ADD COLUMN drafts INTEGER NOT NULL DEFAULT 0;
ALTER TABLE monthly_usage ADD COLUMN cost_micros INTEGER NOT NULL DEFAULT 0;
ALTER TABLE generation_reservations ADD COLUMN counter TEXT NOT NULL DEFAULT 'generations';
ALTER TABLE generation_reservations ADD COLUMN cost_micros INTEGER NOT NULL DEFAULT 0;
CREATE TABLE drafts (
    id              TEXT PRIMARY KEY,
    user_id         TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    prompt          TEXT NOT NULL,
    negative_prompt TEXT,
    model           TEXT NOT NULL,
    provider        TEXT NOT NULL,
    width           INTEGER NOT NULL,
    height          INTEGER NOT NULL,
    steps           INTEGER NOT NULL,
    seed            INTEGER NOT NULL,
    style           TEXT NOT NULL,
    created_at      TEXT NOT NULL,
    expires_at      INTEGER NOT NULL,
    content_type    TEXT NOT NULL,
    bytes           INTEGER NOT NULL,
    object_key      TEXT NOT NULL,
    provider_ms     INTEGER NOT NULL,
    total_ms        INTEGER NOT NULL,
    cost_micros     INTEGER NOT NULL,
    kept_image_id   TEXT
);
CREATE INDEX drafts_by_expiry ON drafts(expires_at);
"#,
    ),
    // 11: API keys, found by id; only the SHA-256 of the secret is kept.
    Migration::Sql(
        r#"
CREATE TABLE api_keys (
    id           TEXT PRIMARY KEY,
    user_id      TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    name         TEXT NOT NULL,
    prefix       TEXT NOT NULL,
    secret_hash  BLOB NOT NULL,
    created_at   INTEGER NOT NULL,
    expires_at   INTEGER,
    last_used_at INTEGER
);
CREATE INDEX api_keys_by_user ON api_keys(user_id, id);
"#,
    ),
    // 12: share links, one per shared image or collection.
    Migration::Sql(
        r#"
CREATE TABLE shares (
    id          TEXT PRIMARY KEY,
    user_id     TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    kind        TEXT NOT NULL,
    target_id   TEXT NOT NULL,
    show_prompt INTEGER NOT NULL,
    created_at  INTEGER NOT NULL,
    UNIQUE (user_id, kind, target_id)
);
"#,
    ),
    // 13: exports (ZIPs of a user's images), until the sweep removes them.
    Migration::Sql(
        r#"
CREATE TABLE exports (
    id          TEXT PRIMARY KEY,
    user_id     TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    object_key  TEXT NOT NULL,
    image_count INTEGER NOT NULL,
    bytes       INTEGER NOT NULL,
    created_at  INTEGER NOT NULL,
    expires_at  INTEGER NOT NULL
);
CREATE INDEX exports_by_user ON exports(user_id, id);
CREATE INDEX exports_by_expiry ON exports(expires_at);
"#,
    ),
    // 14: a version of each user's gallery, bumped by every change to one of
    // their image rows (memberships and trash moves change the row too), so a
    // page read before can be known unchanged without reading it again.
    Migration::Sql(
        r#"
ALTER TABLE users ADD COLUMN gallery_version INTEGER NOT NULL DEFAULT 0;
CREATE TRIGGER gallery_version_after_insert AFTER INSERT ON images BEGIN
    UPDATE users SET gallery_version = gallery_version + 1 WHERE id = new.user_id;
END;
CREATE TRIGGER gallery_version_after_update AFTER UPDATE ON images BEGIN
    UPDATE users SET gallery_version = gallery_version + 1 WHERE id = new.user_id;
END;
CREATE TRIGGER gallery_version_after_delete AFTER DELETE ON images BEGIN
    UPDATE users SET gallery_version = gallery_version + 1 WHERE id = old.user_id;
END;
"#,
    ),
    // 15: the search index also keeps every word's first two and three
    // letters behind its owner's key (12 + 2 and 12 + 3 bytes), so the
    // short word beginnings people type read one list instead of merging
    // the lists of every word that starts so.
    Migration::Code(search_by_word_beginnings),
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
    index_every_image(conn)
}

/// Migration 15: the search index again, with prefix indexes for the
/// owner's key followed by two and by three letters.
fn search_by_word_beginnings(conn: &Connection) -> rusqlite::Result<()> {
    conn.execute_batch(
        "DROP TRIGGER images_search_after_delete;
         DROP TABLE images_search;
         CREATE VIRTUAL TABLE images_search USING fts5(
             words, content='', contentless_delete=1,
             tokenize='unicode61 remove_diacritics 2', prefix='14 15'
         );
         CREATE TRIGGER images_search_after_delete AFTER DELETE ON images BEGIN
             DELETE FROM images_search WHERE rowid = old.rowid;
         END;",
    )?;
    index_every_image(conn)
}

/// Puts every image's words into a new, empty search index.
fn index_every_image(conn: &Connection) -> rusqlite::Result<()> {
    let mut index = conn.prepare(INDEX_WORDS)?;
    let mut images = conn.prepare("SELECT rowid, user_id, prompt FROM images")?;
    let mut rows = images.query([])?;
    while let Some(row) = rows.next()? {
        let words = owner_words(&row.get::<_, String>(1)?, &row.get::<_, String>(2)?);
        index.execute(params![row.get::<_, i64>(0)?, words])?;
    }
    Ok(())
}

pub(super) fn migrate(conn: &mut Connection) -> anyhow::Result<()> {
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
