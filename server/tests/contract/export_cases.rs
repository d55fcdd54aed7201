//! Export records on every metadata store: listed for their owner until
//! they expire, found by id, and found for the sweep across users once
//! expired, oldest first.

use std::sync::Arc;

use promptcanvas::store::metadata::{ExportRecord, MetadataStore, rules::from_millis};
use time::Duration;

use crate::metadata_cases::{new_id, signed_up};

type Store = Arc<dyn MetadataStore>;

fn export(user_id: &str, created_ms: i64, lasts: Duration) -> ExportRecord {
    let id = new_id();
    ExportRecord {
        object_key: format!("exports/{user_id}/{id}.zip"),
        id,
        user_id: user_id.to_owned(),
        image_count: 3,
        bytes: 123_456,
        created_at: from_millis(created_ms),
        expires_at: from_millis(created_ms) + lasts,
    }
}

pub async fn an_export_is_listed_until_it_expires_and_swept_once(store: Store) {
    let ada = signed_up(&store).await;
    let bob = signed_up(&store).await;
    // Far in the past, so no other test's exports expired before these.
    let t0 = 1_000_000_000_000;
    let now = from_millis(t0) + Duration::hours(2);
    let old = export(&ada.id, t0, Duration::hours(1));
    let fresh = export(&ada.id, t0 + 1000, Duration::hours(24));
    let bobs = export(&bob.id, t0 + 2000, Duration::minutes(30));
    for record in [&old, &fresh, &bobs] {
        store.insert_export(record).await.unwrap();
    }

    assert_eq!(
        store.list_exports(&ada.id, now).await.unwrap(),
        vec![fresh.clone()],
        "an expired export leaves its owner's list"
    );
    assert_eq!(
        store.list_exports(&ada.id, from_millis(t0)).await.unwrap(),
        vec![fresh.clone(), old.clone()],
        "newest first"
    );
    assert_eq!(
        store.export(&ada.id, &old.id).await.unwrap(),
        Some(old.clone())
    );
    assert_eq!(store.export(&bob.id, &old.id).await.unwrap(), None);

    let expired = store.expired_exports(now, 100).await.unwrap();
    let ours: Vec<_> = expired
        .iter()
        .filter(|record| record.user_id == ada.id || record.user_id == bob.id)
        .cloned()
        .collect();
    assert_eq!(
        ours,
        vec![bobs.clone(), old.clone()],
        "across users, by expiry"
    );

    for record in &ours {
        store.delete_export(record).await.unwrap();
        store.delete_export(record).await.unwrap();
    }
    let left = store.expired_exports(now, 100).await.unwrap();
    assert!(
        left.iter()
            .all(|record| record.user_id != ada.id && record.user_id != bob.id)
    );
    assert_eq!(store.export(&ada.id, &old.id).await.unwrap(), None);
    assert_eq!(
        store.list_exports(&ada.id, from_millis(t0)).await.unwrap(),
        vec![fresh]
    );
}
