//! The collections contract, written once for every metadata backend:
//! names unique per user whatever their case, memberships that page and
//! filter like the gallery, and counts that stay exact under races, the
//! trash and deletes.

use std::collections::HashSet;

use promptcanvas::store::metadata::{
    CollectionChanges, CollectionRecord, ImageQuery, Membership, MetadataStore, StoreError, User,
};
use time::{Duration, OffsetDateTime};

use crate::metadata_cases::{all_pages, new_id, record_images, signed_up, trash, trash_clock};

type Store = std::sync::Arc<dyn MetadataStore>;

fn clock(seconds: i64) -> OffsetDateTime {
    OffsetDateTime::from_unix_timestamp(1_790_000_000).unwrap() + Duration::seconds(seconds)
}

async fn created(store: &Store, user: &User, name: &str, at: i64) -> CollectionRecord {
    let collection = CollectionRecord {
        id: new_id(),
        user_id: user.id.clone(),
        name: name.to_owned(),
        description: None,
        cover_image_id: None,
        image_count: 0,
        created_at: clock(at),
        updated_at: clock(at),
    };
    store.create_collection(&collection).await.unwrap();
    collection
}

async fn add(store: &Store, user: &User, collection: &str, image: &str) -> Membership {
    store
        .add_to_collection(&user.id, collection, image, clock(100))
        .await
        .unwrap()
}

async fn count(store: &Store, user: &User, collection: &str) -> u64 {
    store
        .get_collection(&user.id, collection)
        .await
        .unwrap()
        .expect("collection")
        .image_count
}

fn in_collection(collection: &str, limit: u32) -> ImageQuery {
    ImageQuery {
        limit,
        collection: Some(collection.to_owned()),
        ..Default::default()
    }
}

fn names(collections: &[CollectionRecord]) -> Vec<&str> {
    collections.iter().map(|c| c.name.as_str()).collect()
}

pub async fn collections_are_named_once_per_user_renamed_and_deleted(store: Store) {
    let ada = signed_up(&store).await;
    let bob = signed_up(&store).await;
    let trips = created(&store, &ada, "Trips", 1).await;
    let cats = created(&store, &ada, "Cats", 2).await;
    // Another user may use the name; the same user may not, in any case.
    created(&store, &bob, "trips", 3).await;
    let clash = CollectionRecord {
        id: new_id(),
        name: "TRIPS".into(),
        ..trips.clone()
    };
    assert!(matches!(
        store.create_collection(&clash).await,
        Err(StoreError::CollectionNameTaken)
    ));
    assert_eq!(
        names(&store.list_collections(&ada.id).await.unwrap()),
        ["Cats", "Trips"],
        "most recently changed first"
    );
    assert_eq!(
        store.get_collection(&ada.id, &trips.id).await.unwrap(),
        Some(trips.clone())
    );
    assert_eq!(
        store.get_collection(&bob.id, &trips.id).await.unwrap(),
        None
    );
    assert!(store.owns_collection(&ada.id, &trips.id).await.unwrap());
    assert!(!store.owns_collection(&bob.id, &trips.id).await.unwrap());

    // Renaming onto another collection's name is refused and changes nothing.
    let onto_cats = CollectionChanges {
        name: Some("cats".into()),
        ..Default::default()
    };
    assert!(matches!(
        store
            .update_collection(&ada.id, &trips.id, &onto_cats, clock(5))
            .await,
        Err(StoreError::CollectionNameTaken)
    ));
    // A change of case only, a description and a cover.
    let changes = CollectionChanges {
        name: Some("TRIPS".into()),
        description: Some(Some("Summer 2026".into())),
        cover_image_id: Some(Some("01J0000000000000000000000".into())),
    };
    let renamed = store
        .update_collection(&ada.id, &trips.id, &changes, clock(6))
        .await
        .unwrap()
        .expect("updated");
    assert_eq!(renamed.name, "TRIPS");
    assert_eq!(renamed.description.as_deref(), Some("Summer 2026"));
    assert_eq!(
        renamed.cover_image_id.as_deref(),
        Some("01J0000000000000000000000")
    );
    assert_eq!(
        (renamed.created_at, renamed.updated_at),
        (clock(1), clock(6))
    );
    assert_eq!(
        names(&store.list_collections(&ada.id).await.unwrap()),
        ["TRIPS", "Cats"]
    );
    // Cleared again; the old name is free after a real rename.
    let cleared = CollectionChanges {
        name: Some("Journeys".into()),
        description: Some(None),
        cover_image_id: Some(None),
    };
    let journeys = store
        .update_collection(&ada.id, &trips.id, &cleared, clock(7))
        .await
        .unwrap()
        .expect("updated");
    assert_eq!(
        (journeys.description, journeys.cover_image_id),
        (None, None)
    );
    created(&store, &ada, "Trips", 8).await;
    // Nobody changes or deletes another user's collection.
    assert_eq!(
        store
            .update_collection(&bob.id, &cats.id, &onto_cats, clock(9))
            .await
            .unwrap(),
        None
    );
    assert!(!store.delete_collection(&bob.id, &cats.id).await.unwrap());
    assert!(store.delete_collection(&ada.id, &cats.id).await.unwrap());
    assert!(!store.delete_collection(&ada.id, &cats.id).await.unwrap());
    assert_eq!(store.get_collection(&ada.id, &cats.id).await.unwrap(), None);
    assert!(!store.owns_collection(&ada.id, &cats.id).await.unwrap());
    created(&store, &ada, "Cats", 10).await;
}

pub async fn a_collection_pages_its_images_and_counts_those_not_in_the_trash(store: Store) {
    let ada = signed_up(&store).await;
    let bob = signed_up(&store).await;
    let ids = record_images(&store, &ada, 7, |index| {
        if index % 2 == 0 {
            "red fox"
        } else {
            "blue whale"
        }
        .into()
    })
    .await;
    let bobs = record_images(&store, &bob, 1, |_| "red fox".into()).await;
    let trips = created(&store, &ada, "Trips", 1).await;
    let other = created(&store, &ada, "Other", 2).await;
    for id in &ids[1..6] {
        assert_eq!(add(&store, &ada, &trips.id, id).await, Membership::Done);
    }
    // Repeating is harmless; strangers' images and collections are not found.
    assert_eq!(
        add(&store, &ada, &trips.id, &ids[1]).await,
        Membership::Done
    );
    assert_eq!(
        add(&store, &ada, &trips.id, &bobs[0]).await,
        Membership::ImageNotFound
    );
    assert_eq!(
        add(&store, &bob, &trips.id, &bobs[0]).await,
        Membership::CollectionNotFound
    );
    assert_eq!(
        add(&store, &ada, &other.id, &ids[2]).await,
        Membership::Done
    );
    assert_eq!(count(&store, &ada, &trips.id).await, 5);

    let (listed, pages) = all_pages(&store, &ada, in_collection(&trips.id, 2)).await;
    let newest_first: Vec<String> = ids[1..6].iter().rev().cloned().collect();
    assert_eq!((listed, pages), (newest_first, 3));
    let foxes = ImageQuery {
        search: Some("fox".into()),
        ..in_collection(&trips.id, 10)
    };
    assert_eq!(
        all_pages(&store, &ada, foxes).await.0,
        [ids[4].clone(), ids[2].clone()]
    );
    store.set_favorite(&ada.id, &ids[3], true).await.unwrap();
    let favourites = ImageQuery {
        favorites_only: true,
        ..in_collection(&trips.id, 10)
    };
    assert_eq!(
        all_pages(&store, &ada, favourites).await.0,
        [ids[3].clone()]
    );

    // An image knows its collections.
    let both: HashSet<String> = store
        .get_image(&ada.id, &ids[2])
        .await
        .unwrap()
        .unwrap()
        .collection_ids
        .into_iter()
        .collect();
    assert_eq!(both, HashSet::from([trips.id.clone(), other.id.clone()]));

    // The trash takes an image out of the count and the pages, not out of
    // the collection; its trash can be listed on its own.
    trash(&store, &ada, &ids[2], trash_clock(1)).await;
    assert_eq!(count(&store, &ada, &trips.id).await, 4);
    assert_eq!(count(&store, &ada, &other.id).await, 0);
    assert!(
        !all_pages(&store, &ada, in_collection(&trips.id, 10))
            .await
            .0
            .contains(&ids[2])
    );
    let trashed_here = ImageQuery {
        trashed: true,
        ..in_collection(&trips.id, 10)
    };
    assert_eq!(
        all_pages(&store, &ada, trashed_here).await.0,
        [ids[2].clone()]
    );
    assert_eq!(
        add(&store, &ada, &trips.id, &ids[0]).await,
        Membership::Done,
        "an image in the gallery joins"
    );
    trash(&store, &ada, &ids[0], trash_clock(2)).await;
    assert_eq!(
        add(&store, &ada, &other.id, &ids[0]).await,
        Membership::ImageNotFound,
        "an image in the trash does not join"
    );
    store.restore_image(&ada.id, &ids[2]).await.unwrap();
    assert_eq!(count(&store, &ada, &trips.id).await, 5);
    assert_eq!(count(&store, &ada, &other.id).await, 1);

    // Taking out: a trashed member leaves without changing the count.
    let remove = |collection: &str, image: &str| {
        let (store, user, collection, image) = (
            store.clone(),
            ada.id.clone(),
            collection.to_owned(),
            image.to_owned(),
        );
        async move {
            store
                .remove_from_collection(&user, &collection, &image, clock(200))
                .await
                .unwrap()
        }
    };
    assert_eq!(remove(&trips.id, &ids[0]).await, Membership::Done);
    assert_eq!(remove(&trips.id, &ids[1]).await, Membership::Done);
    assert_eq!(remove(&trips.id, &ids[1]).await, Membership::Done);
    assert_eq!(count(&store, &ada, &trips.id).await, 4);
    let trips_now = store
        .get_collection(&ada.id, &trips.id)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        trips_now.updated_at,
        clock(200),
        "a membership change is a change"
    );
    assert!(
        store
            .get_image(&ada.id, &ids[1])
            .await
            .unwrap()
            .unwrap()
            .collection_ids
            .is_empty()
    );
}

pub async fn concurrent_membership_changes_keep_the_count_exact(store: Store) {
    let ada = signed_up(&store).await;
    let ids = record_images(&store, &ada, 6, |_| "storm".into()).await;
    let trips = created(&store, &ada, "Trips", 1).await;
    for id in &ids[..3] {
        add(&store, &ada, &trips.id, id).await;
    }
    let (store_ref, user, collection) = (&store, ada.id.as_str(), trips.id.as_str());
    // Every image is added twice, taken out and trashed or restored at once.
    futures::future::join_all(ids.iter().enumerate().flat_map(|(index, id)| {
        type Race<'a> = std::pin::Pin<Box<dyn std::future::Future<Output = ()> + Send + 'a>>;
        let races: [Race<'_>; 4] = [
            Box::pin(async move {
                store_ref
                    .add_to_collection(user, collection, id, clock(10))
                    .await
                    .unwrap();
            }),
            Box::pin(async move {
                store_ref
                    .add_to_collection(user, collection, id, clock(11))
                    .await
                    .unwrap();
            }),
            Box::pin(async move {
                store_ref
                    .remove_from_collection(user, collection, id, clock(12))
                    .await
                    .unwrap();
            }),
            Box::pin(async move {
                if index % 2 == 0 {
                    store_ref
                        .trash_image(user, id, true, trash_clock(index as i64))
                        .await
                        .unwrap();
                } else {
                    store_ref.restore_image(user, id).await.unwrap();
                }
            }),
        ];
        races
    }))
    .await;
    let listed = all_pages(&store, &ada, in_collection(&trips.id, 100))
        .await
        .0;
    assert_eq!(count(&store, &ada, &trips.id).await, listed.len() as u64);
    for id in &ids {
        let image = store.get_image(&ada.id, id).await.unwrap().unwrap();
        let member = image.collection_ids.contains(&trips.id);
        assert_eq!(
            member && image.trashed_at.is_none(),
            listed.contains(id),
            "{id}"
        );
    }
}

pub async fn deleting_an_image_or_a_collection_fixes_the_other_side(store: Store) {
    let ada = signed_up(&store).await;
    let ids = record_images(&store, &ada, 3, |_| "harbour".into()).await;
    let trips = created(&store, &ada, "Trips", 1).await;
    let best = created(&store, &ada, "Best", 2).await;
    for id in &ids {
        add(&store, &ada, &trips.id, id).await;
        add(&store, &ada, &best.id, id).await;
    }
    // Deleted for good (hidden, then removed): gone from both collections.
    store.hide_image(&ada.id, &ids[0]).await.unwrap();
    store.delete_image(&ada.id, &ids[0]).await.unwrap();
    // A trashed image deleted for good leaves counts as they were.
    trash(&store, &ada, &ids[1], trash_clock(1)).await;
    store.hide_image(&ada.id, &ids[1]).await.unwrap();
    store.delete_image(&ada.id, &ids[1]).await.unwrap();
    for collection in [&trips, &best] {
        assert_eq!(count(&store, &ada, &collection.id).await, 1);
        assert_eq!(
            all_pages(&store, &ada, in_collection(&collection.id, 10))
                .await
                .0,
            [ids[2].clone()]
        );
    }
    // A deleted collection leaves its images in the gallery and in the others.
    assert!(store.delete_collection(&ada.id, &trips.id).await.unwrap());
    let kept = store.get_image(&ada.id, &ids[2]).await.unwrap().unwrap();
    assert_eq!(kept.collection_ids, std::slice::from_ref(&best.id));
    assert_eq!(count(&store, &ada, &best.id).await, 1);
    // Deleting the last image of a collection empties it.
    store.hide_image(&ada.id, &ids[2]).await.unwrap();
    store.delete_image(&ada.id, &ids[2]).await.unwrap();
    assert_eq!(count(&store, &ada, &best.id).await, 0);
    // A collection made again with the old name starts empty.
    let again = created(&store, &ada, "Trips", 3).await;
    assert_eq!(count(&store, &ada, &again.id).await, 0);
}
