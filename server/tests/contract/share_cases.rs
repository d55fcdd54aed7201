//! Share links on every metadata store: one share per shared thing, found by
//! id for the public page and by owner for the owner's list, gone at once
//! when unshared.

use std::sync::Arc;

use promptcanvas::store::metadata::{MetadataStore, ShareKind, ShareRecord, rules::from_millis};

use crate::metadata_cases::{new_id, signed_up};

type Store = Arc<dyn MetadataStore>;

fn share(user_id: &str, kind: ShareKind, target_id: &str, show_prompt: bool) -> ShareRecord {
    ShareRecord {
        id: new_id(),
        user_id: user_id.to_owned(),
        kind,
        target_id: target_id.to_owned(),
        show_prompt,
        created_at: from_millis(1_800_000_000_000),
    }
}

/// Sharing twice keeps the first link (its id) and takes the second's
/// `show_prompt`; an image and a collection of the same id are different
/// things; each owner sees only their own shares.
pub async fn a_thing_is_shared_once_and_found_by_id_and_by_owner(store: Store) {
    let ada = signed_up(&store).await;
    let bob = signed_up(&store).await;
    let target = new_id();

    let first = share(&ada.id, ShareKind::Image, &target, false);
    let (made, created) = store.put_share(&first).await.unwrap();
    assert!(created);
    assert_eq!(made, first);
    let again = share(&ada.id, ShareKind::Image, &target, true);
    let (standing, created) = store.put_share(&again).await.unwrap();
    assert!(!created);
    assert_eq!(
        standing,
        ShareRecord {
            show_prompt: true,
            ..first.clone()
        }
    );
    let collection = share(&ada.id, ShareKind::Collection, &target, false);
    assert!(store.put_share(&collection).await.unwrap().1);
    let bobs = share(&bob.id, ShareKind::Image, &target, false);
    assert!(store.put_share(&bobs).await.unwrap().1);

    assert_eq!(
        store.share_by_id(&first.id).await.unwrap(),
        Some(standing.clone())
    );
    assert_eq!(store.share_by_id(&again.id).await.unwrap(), None);
    assert_eq!(
        store
            .share_of(&ada.id, ShareKind::Image, &target)
            .await
            .unwrap(),
        Some(standing.clone())
    );
    let listed = store.list_shares(&ada.id).await.unwrap();
    let mut expected = vec![standing, collection];
    expected.sort_by(|a, b| b.id.cmp(&a.id));
    assert_eq!(listed, expected);
    assert_eq!(store.list_shares(&bob.id).await.unwrap(), [bobs]);
}

/// Unsharing removes the link at once for every read; only the owner can,
/// and doing it again finds nothing.
pub async fn unsharing_removes_the_link_at_once(store: Store) {
    let ada = signed_up(&store).await;
    let bob = signed_up(&store).await;
    let target = new_id();
    let shared = share(&ada.id, ShareKind::Collection, &target, true);
    store.put_share(&shared).await.unwrap();

    assert!(
        !store
            .delete_share(&bob.id, ShareKind::Collection, &target)
            .await
            .unwrap()
    );
    assert!(
        !store
            .delete_share(&ada.id, ShareKind::Image, &target)
            .await
            .unwrap()
    );
    assert!(
        store
            .delete_share(&ada.id, ShareKind::Collection, &target)
            .await
            .unwrap()
    );
    assert!(
        !store
            .delete_share(&ada.id, ShareKind::Collection, &target)
            .await
            .unwrap()
    );
    assert_eq!(store.share_by_id(&shared.id).await.unwrap(), None);
    assert!(store.list_shares(&ada.id).await.unwrap().is_empty());

    // Shared again: a new link, not the revoked one.
    let renewed = share(&ada.id, ShareKind::Collection, &target, false);
    let (standing, created) = store.put_share(&renewed).await.unwrap();
    assert!(created);
    assert_ne!(standing.id, shared.id);
}

/// Concurrent first shares of one thing: one link stands, and every
/// answer names it.
pub async fn concurrent_shares_of_one_thing_make_one_link(store: Store) {
    let ada = signed_up(&store).await;
    let target = new_id();
    let attempts: Vec<_> = (0..5)
        .map(|_| {
            let (store, user_id, target) = (store.clone(), ada.id.clone(), target.clone());
            tokio::spawn(async move {
                let attempt = share(&user_id, ShareKind::Image, &target, false);
                store.put_share(&attempt).await.unwrap()
            })
        })
        .collect();
    let mut ids = Vec::new();
    let mut created = 0;
    for attempt in attempts {
        let (standing, made) = attempt.await.unwrap();
        ids.push(standing.id);
        created += usize::from(made);
    }
    assert_eq!(created, 1);
    assert!(ids.iter().all(|id| *id == ids[0]));
    assert_eq!(store.list_shares(&ada.id).await.unwrap().len(), 1);
}
