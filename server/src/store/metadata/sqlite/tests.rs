//! The SQLite store's own behaviour: migrations from earlier layouts, the
//! search index and the connections searches run on.

use rusqlite::params_from_iter;

use super::{
    gallery::{fts_query, listing_statement, owner_key, owner_words},
    migrations::MIGRATIONS,
    *,
};
use crate::store::metadata::{
    CollectionRecord, Collections, Gallery, Guards, ImagePage, ImageQuery, Membership, Quotas,
    TrashOutcome,
    rules::{IDEMPOTENCY_RETENTION_SECS, PRUNE_BATCH, TrashPosition, from_millis},
};

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

/// A database as the version before the operator's figures wrote it: its
/// images become the history of their days and models, its users count, and
/// each user is active on the day of their newest image.
#[tokio::test]
async fn a_database_from_before_the_figures_opens_with_its_history_counted() {
    use crate::store::metadata::Statistics;

    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("promptcanvas.db");
    previous_layout(&path, 8);
    let store = SqliteStore::open(&path).unwrap();
    let figures = store.statistics("2026-10-31", "2026-11-30").await.unwrap();
    assert_eq!(
        (figures.users, figures.images, figures.storage_bytes),
        (1, 2, 300)
    );
    let days: Vec<(&str, u64, u64, u64)> = figures
        .days
        .iter()
        .map(|day| {
            (
                day.day.as_str(),
                day.generations,
                day.images,
                day.last_active_users,
            )
        })
        .collect();
    assert_eq!(days, [("2026-11-01", 1, 1, 0), ("2026-11-02", 1, 1, 1)]);
    assert_eq!(figures.models.len(), 1);
    assert_eq!(
        (
            figures.models[0].provider.as_str(),
            figures.models[0].model.as_str(),
            figures.models[0].generations,
            figures.models[0].images
        ),
        ("offline", "m", 2, 2)
    );
    // The user's next active day moves them out of the one counted from their images.
    store.mark_active("u1", "2026-11-20").await.unwrap();
    let figures = store.statistics("2026-11-02", "2026-11-20").await.unwrap();
    let active: Vec<(&str, u64)> = figures
        .days
        .iter()
        .map(|day| (day.day.as_str(), day.last_active_users))
        .collect();
    assert_eq!(active, [("2026-11-02", 0), ("2026-11-20", 1)]);
}

/// A database as the version before drafts and costs wrote it: its images
/// have no time or cost, its month's count and a reservation a crash left
/// carry on, and the reservation gives back to the count it came from.
#[tokio::test]
async fn a_database_from_before_drafts_and_costs_keeps_its_counts_and_reservations() {
    use crate::store::metadata::{MonthCaps, MonthCounter, Reservation, Reserved};

    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("promptcanvas.db");
    previous_layout(&path, 9);
    Connection::open(&path)
        .unwrap()
        .execute_batch(
            "INSERT INTO monthly_usage (user_id, month, generations) VALUES ('u1', '2026-11', 5);
             INSERT INTO generation_reservations (id, user_id, month, count)
             VALUES ('01JR', 'u1', '2026-11', 3);",
        )
        .unwrap();
    let store = SqliteStore::open(&path).unwrap();

    let image = store.get_image("u1", "01JA").await.unwrap().unwrap();
    assert_eq!((image.cost_micros, image.total_ms), (None, None));
    let usage = store.usage("u1", "2026-11").await.unwrap();
    assert_eq!(
        (
            usage.generations_this_month,
            usage.drafts_this_month,
            usage.cost_this_month_micros
        ),
        (5, 0, 0)
    );
    let stale = store
        .stale_reservations(OffsetDateTime::now_utc(), 10)
        .await
        .unwrap();
    assert_eq!(
        stale,
        [Reservation {
            id: "01JR".into(),
            user_id: "u1".into(),
            month: "2026-11".into(),
            count: 3,
            counter: MonthCounter::Generations,
            cost_micros: 0,
        }]
    );
    store
        .release_generations(&stale[0], "interrupted")
        .await
        .unwrap();
    let draft = Reservation {
        id: "01JS".into(),
        user_id: "u1".into(),
        month: "2026-11".into(),
        count: 1,
        counter: MonthCounter::Drafts,
        cost_micros: 708,
    };
    let caps = MonthCaps {
        quota: 1,
        budget_micros: Some(1_000),
    };
    assert_eq!(store.reserve(&draft, caps).await.unwrap(), Reserved::Held);
    let usage = store.usage("u1", "2026-11").await.unwrap();
    assert_eq!(
        (
            usage.generations_this_month,
            usage.drafts_this_month,
            usage.cost_this_month_micros
        ),
        (2, 1, 708)
    );
}

/// A database as the version before API keys wrote it: its owner can make
/// a key at once, and the key signs them in.
#[tokio::test]
async fn a_database_from_before_api_keys_makes_and_finds_keys() {
    use crate::store::metadata::{ApiKeyRecord, ApiKeys};

    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("promptcanvas.db");
    previous_layout(&path, 10);
    let store = SqliteStore::open(&path).unwrap();

    let now = crate::store::metadata::rules::from_millis(1_800_000_000_000);
    let key = ApiKeyRecord {
        id: "01KEY".into(),
        user_id: "u1".into(),
        name: "laptop".into(),
        prefix: "pcp_abcdefgh".into(),
        secret_hash: [7; 32],
        created_at: now,
        expires_at: None,
        last_used_at: None,
    };
    assert!(store.create_api_key(&key, 20, now).await.unwrap());
    let (found, owner) = store.api_key("01KEY").await.unwrap().unwrap();
    assert_eq!(found, key);
    assert_eq!(owner.email, "ada@example.com");
    assert_eq!(
        store.get_image("u1", "01JB").await.unwrap().unwrap().bytes,
        200
    );
}

/// A database as the version before exports wrote it: an export of its
/// images is recorded, listed and found for the sweep.
#[tokio::test]
async fn a_database_from_before_exports_records_and_lists_them() {
    use crate::store::metadata::{ExportRecord, Exports, rules::from_millis};

    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("promptcanvas.db");
    previous_layout(&path, 12);
    let store = SqliteStore::open(&path).unwrap();

    let made = from_millis(1_800_000_000_000);
    let export = ExportRecord {
        id: "01EXP".into(),
        user_id: "u1".into(),
        object_key: "exports/u1/01EXP.zip".into(),
        image_count: 2,
        bytes: 4096,
        created_at: made,
        expires_at: made + time::Duration::hours(24),
    };
    store.insert_export(&export).await.unwrap();
    assert_eq!(
        store.list_exports("u1", made).await.unwrap(),
        vec![export.clone()]
    );
    assert_eq!(
        store
            .expired_exports(made + time::Duration::hours(25), 10)
            .await
            .unwrap(),
        vec![export]
    );
    assert_eq!(
        store.get_image("u1", "01JA").await.unwrap().unwrap().prompt,
        "old lighthouse"
    );
}

/// A database from before gallery versions: its users start at a version,
/// and every change to one of their images (and only theirs) moves it on,
/// memberships and a collection's delete included.
#[tokio::test]
async fn a_database_from_before_gallery_versions_counts_every_change_to_an_image() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("promptcanvas.db");
    previous_layout(&path, 13);
    let store = SqliteStore::open(&path).unwrap();
    store
        .write(|conn| {
            conn.execute_batch(
                "INSERT INTO users (id, email, email_key, created_at, images, storage_bytes)
                 VALUES ('u2', 'bob@example.com', 'bob@example.com', '2026-11-01T08:00:00Z', 0, 0)",
            )
        })
        .await
        .unwrap();
    let version = |user: &'static str| {
        let store = store.clone();
        async move { store.gallery_version(user).await.unwrap().unwrap() }
    };
    let start = version("u1").await;
    let now = from_millis(1_800_000_000_000);
    let mut seen = vec![start];
    store.set_favorite("u1", "01JB", true).await.unwrap();
    seen.push(version("u1").await);
    let collection = CollectionRecord {
        id: "c1".into(),
        user_id: "u1".into(),
        name: "Lights".into(),
        description: None,
        cover_image_id: None,
        image_count: 0,
        created_at: now,
        updated_at: now,
    };
    store.create_collection(&collection).await.unwrap();
    store
        .add_to_collection("u1", "c1", "01JA", now)
        .await
        .unwrap();
    seen.push(version("u1").await);
    store.delete_collection("u1", "c1").await.unwrap();
    seen.push(version("u1").await);
    store.trash_image("u1", "01JA", true, now).await.unwrap();
    seen.push(version("u1").await);
    store.hide_image("u1", "01JA").await.unwrap();
    seen.push(version("u1").await);
    store.delete_image("u1", "01JA").await.unwrap();
    seen.push(version("u1").await);
    assert!(
        seen.windows(2).all(|pair| pair[0] < pair[1]),
        "each change moves the version on: {seen:?}"
    );
    assert_eq!(
        version("u2").await,
        0,
        "another user's changes are not theirs"
    );
    assert_eq!(store.gallery_version("nobody").await.unwrap(), None);
}

/// A database from before the word-beginning indexes: its images are
/// indexed again, found by two and three letters as by whole words.
#[tokio::test]
async fn a_database_from_before_word_beginning_indexes_finds_its_images_by_their_first_letters() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("promptcanvas.db");
    previous_layout(&path, 14);
    let store = SqliteStore::open(&path).unwrap();
    let schema: String = store
        .read(|conn| {
            conn.query_row(
                "SELECT sql FROM sqlite_master WHERE name = 'images_search'",
                [],
                |row| row.get(0),
            )
        })
        .await
        .unwrap();
    assert!(schema.contains("prefix='14 15'"), "{schema}");
    for (search, expected) in [
        ("li", vec!["01JA"]),
        ("har", vec!["01JB"]),
        ("harbour", vec!["01JB"]),
        ("ol", vec!["01JB", "01JA"]),
        ("old ha", vec!["01JB"]),
        ("lo", vec![]),
    ] {
        let query = ImageQuery {
            limit: 10,
            search: Some(search.into()),
            ..ImageQuery::default()
        };
        let found: Vec<String> = store
            .list_images("u1", &query)
            .await
            .unwrap()
            .items
            .into_iter()
            .map(|image| image.id)
            .collect();
        assert_eq!(found, expected, "{search}");
    }
}
