//! API keys on every metadata store: what signing a script in, the
//! profile's key list and the limit of live keys rely on.

use std::sync::Arc;

use promptcanvas::{
    auth::api_keys,
    store::metadata::{MetadataStore, rules::from_millis},
};
use time::{Duration, OffsetDateTime};

use crate::metadata_cases::signed_up;

type Store = Arc<dyn MetadataStore>;

fn at(seconds: i64) -> OffsetDateTime {
    from_millis(1_800_000_000_000 + seconds * 1000)
}

/// A key is found by the id its secret carries, with its owner; the list
/// is newest first and shows only the owner's keys; revoking is at once,
/// once, and only by the owner.
pub async fn a_key_is_found_by_its_id_listed_for_its_owner_and_revoked_at_once(store: Store) {
    let ada = signed_up(&store).await;
    let bob = signed_up(&store).await;
    let (first, first_secret) = api_keys::new_key(&ada.id, "laptop".into(), at(0), None);
    let (second, _) = api_keys::new_key(&ada.id, "ci".into(), at(1), Some(at(86_400)));
    let (bobs, _) = api_keys::new_key(&bob.id, "bob".into(), at(2), None);
    for key in [&first, &second, &bobs] {
        assert!(store.create_api_key(key, 20, at(3)).await.unwrap());
    }

    let (found, owner) = store
        .api_key(api_keys::key_id(&first_secret).unwrap())
        .await
        .unwrap()
        .unwrap();
    assert_eq!((found, owner), (first.clone(), ada.clone()));
    assert!(api_keys::admits(&first, &first_secret, at(4)));

    let listed = store.list_api_keys(&ada.id).await.unwrap();
    assert_eq!(listed, [second.clone(), first.clone()]);

    assert!(!store.revoke_api_key(&bob.id, &first.id).await.unwrap());
    assert!(store.revoke_api_key(&ada.id, &first.id).await.unwrap());
    assert!(!store.revoke_api_key(&ada.id, &first.id).await.unwrap());
    assert_eq!(store.api_key(&first.id).await.unwrap(), None);
    assert_eq!(store.list_api_keys(&ada.id).await.unwrap(), [second]);
    assert_eq!(store.list_api_keys(&bob.id).await.unwrap(), [bobs]);
}

/// At most `max_live` keys that have not expired: a creation beyond is
/// refused and writes nothing; expired keys are removed by the next
/// creation and leave room; revoking leaves room too.
pub async fn live_keys_are_limited_and_expired_ones_make_room(store: Store) {
    let user = signed_up(&store).await;
    let (expiring, _) = api_keys::new_key(&user.id, "short".into(), at(0), Some(at(60)));
    assert!(store.create_api_key(&expiring, 3, at(0)).await.unwrap());
    let mut kept = Vec::new();
    for i in 0..2 {
        let (key, _) = api_keys::new_key(&user.id, format!("key {i}"), at(1 + i), None);
        assert!(store.create_api_key(&key, 3, at(1 + i)).await.unwrap());
        kept.push(key);
    }
    let (refused, _) = api_keys::new_key(&user.id, "one too many".into(), at(10), None);
    assert!(!store.create_api_key(&refused, 3, at(10)).await.unwrap());
    assert_eq!(store.api_key(&refused.id).await.unwrap(), None);
    assert_eq!(store.list_api_keys(&user.id).await.unwrap().len(), 3);

    // A minute on, the first key has expired: it stays listed until a
    // creation removes it, and that creation fits.
    let later = at(61);
    assert_eq!(store.list_api_keys(&user.id).await.unwrap().len(), 3);
    let (fits, _) = api_keys::new_key(&user.id, "fits".into(), later, None);
    assert!(store.create_api_key(&fits, 3, later).await.unwrap());
    assert_eq!(store.api_key(&expiring.id).await.unwrap(), None);
    let (over, _) = api_keys::new_key(&user.id, "over".into(), later, None);
    assert!(!store.create_api_key(&over, 3, later).await.unwrap());

    assert!(store.revoke_api_key(&user.id, &kept[0].id).await.unwrap());
    assert!(store.create_api_key(&over, 3, later).await.unwrap());
}

/// Concurrent creations at the limit: exactly as many succeed as fit.
pub async fn concurrent_creations_never_pass_the_limit(store: Store) {
    let user = signed_up(&store).await;
    let attempts: Vec<_> = (0..6)
        .map(|i| {
            let (store, user_id) = (store.clone(), user.id.clone());
            tokio::spawn(async move {
                let (key, _) = api_keys::new_key(&user_id, format!("key {i}"), at(i), None);
                store.create_api_key(&key, 4, at(10)).await.unwrap()
            })
        })
        .collect();
    let mut made = 0;
    for attempt in attempts {
        made += usize::from(attempt.await.unwrap());
    }
    assert_eq!(made, 4);
    assert_eq!(store.list_api_keys(&user.id).await.unwrap().len(), 4);
}

/// When the key was last used, as signing in and the owner's list read it.
async fn last_used(store: &Store, key_id: &str) -> Option<OffsetDateTime> {
    let (found, _) = store.api_key(key_id).await.unwrap().unwrap();
    let listed = store.list_api_keys(&found.user_id).await.unwrap();
    assert_eq!(listed[0].last_used_at, found.last_used_at);
    found.last_used_at
}

/// A key's use is recorded when none is recorded since `unless_since`, so a
/// busy key is written once a minute; the list shows the recorded time.
pub async fn a_keys_use_is_recorded_at_most_once_a_minute(store: Store) {
    let user = signed_up(&store).await;
    let (key, _) = api_keys::new_key(&user.id, "ci".into(), at(0), None);
    assert!(store.create_api_key(&key, 20, at(0)).await.unwrap());
    let minute = Duration::minutes(1);

    store
        .note_api_key_use(&key, at(5), at(5) - minute)
        .await
        .unwrap();
    store
        .note_api_key_use(&key, at(30), at(30) - minute)
        .await
        .unwrap();
    assert_eq!(last_used(&store, &key.id).await, Some(at(5)));
    store
        .note_api_key_use(&key, at(70), at(70) - minute)
        .await
        .unwrap();
    assert_eq!(last_used(&store, &key.id).await, Some(at(70)));

    // A revoked key's use is not recorded (and brings nothing back).
    assert!(store.revoke_api_key(&user.id, &key.id).await.unwrap());
    store
        .note_api_key_use(&key, at(200), at(200) - minute)
        .await
        .unwrap();
    assert_eq!(store.api_key(&key.id).await.unwrap(), None);
    assert!(store.list_api_keys(&user.id).await.unwrap().is_empty());
}
