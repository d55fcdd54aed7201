//! The metadata contract, written once: every backend must give these answers.

use std::{collections::HashSet, sync::Arc};

use promptcanvas::store::metadata::{
    Admission, IdempotencyClaim, ImageQuery, ImageRecord, ImageRef, MetadataStore, MonthCounter,
    NewSession, Reservation, StoreError, TrashOutcome, User,
};
use time::{Duration, OffsetDateTime};

type Store = Arc<dyn MetadataStore>;

pub fn new_id() -> String {
    ulid::Ulid::new().to_string()
}

pub fn new_user() -> User {
    let id = new_id();
    User {
        email: format!("{}@example.com", id.to_lowercase()),
        id,
        display_name: Some("Ada".into()),
        created_at: OffsetDateTime::from_unix_timestamp(1_790_000_000).unwrap(),
    }
}

pub async fn signed_up(store: &Store) -> User {
    let user = new_user();
    store.create_user(&user, Some("hash")).await.unwrap();
    user
}

pub fn image(user_id: &str, id: &str, prompt: &str, bytes: u64) -> ImageRecord {
    ImageRecord {
        id: id.to_owned(),
        user_id: user_id.to_owned(),
        generation_id: new_id(),
        prompt: prompt.to_owned(),
        negative_prompt: Some("blurry".into()),
        model: "offline-preview".into(),
        provider: "offline".into(),
        width: 512,
        height: 512,
        steps: 4,
        seed: u64::MAX - 7,
        style: "none".into(),
        created_at: OffsetDateTime::from_unix_timestamp(1_790_000_000).unwrap(),
        favorite: false,
        content_type: "image/png".into(),
        bytes,
        object_key: format!("users/{user_id}/{id}.png"),
        thumbnail_key: format!("users/{user_id}/{id}.thumb.jpg"),
        thumbnail_width: 256,
        thumbnail_height: 256,
        placeholder: "#336699".into(),
        inference_ms: Some(12),
        total_ms: Some(40),
        cost_micros: Some(708),
        upstream_id: None,
        trashed_at: None,
        collection_ids: Vec::new(),
    }
}

/// `count` images for `user`, recorded a generation (up to 4 images) at a time,
/// with time-ordered ids. Returns the ids, oldest first.
pub async fn record_images(
    store: &Store,
    user: &User,
    count: usize,
    prompt: impl Fn(usize) -> String,
) -> Vec<String> {
    let mut generator = ulid::Generator::new();
    let records: Vec<ImageRecord> = (0..count)
        .map(|index| {
            let id = generator.generate().unwrap().to_string();
            image(&user.id, &id, &prompt(index), 100 + index as u64)
        })
        .collect();
    for generation in records.chunks(4) {
        store.insert_images(generation).await.unwrap();
    }
    records.into_iter().map(|record| record.id).collect()
}

/// Follows cursors to the end; panics on a page larger than asked.
pub async fn all_pages(store: &Store, user: &User, mut query: ImageQuery) -> (Vec<String>, usize) {
    let mut ids = Vec::new();
    let mut pages = 0;
    loop {
        let page = store.list_images(&user.id, &query).await.unwrap();
        pages += 1;
        assert!(page.items.len() <= query.limit as usize);
        ids.extend(page.items.iter().map(|image| image.id.clone()));
        match page.next_after {
            Some(after) => query.after = Some(after),
            None => return (ids, pages),
        }
        assert!(pages < 1000, "pagination does not end");
    }
}

pub async fn a_user_is_found_by_id_and_by_email_in_any_case(store: Store) {
    let user = signed_up(&store).await;
    assert_eq!(
        store.user_by_id(&user.id).await.unwrap(),
        Some(user.clone())
    );
    let credentials = store
        .credentials_by_email(&user.email.to_uppercase())
        .await
        .unwrap()
        .expect("found by email");
    assert_eq!(credentials.user, user);
    assert_eq!(credentials.password_hash, "hash");
    assert!(store.user_by_id(&new_id()).await.unwrap().is_none());
    assert!(
        store
            .credentials_by_email("nobody@example.com")
            .await
            .unwrap()
            .is_none()
    );
}

pub async fn an_account_without_a_password_cannot_sign_in_with_one(store: Store) {
    let user = new_user();
    store.create_user(&user, None).await.unwrap();
    assert!(
        store
            .credentials_by_email(&user.email)
            .await
            .unwrap()
            .is_none()
    );
    assert_eq!(store.user_by_id(&user.id).await.unwrap(), Some(user));
}

pub async fn an_email_is_registered_once_whatever_its_case(store: Store) {
    let user = signed_up(&store).await;
    let mut twin = new_user();
    twin.email = user.email.to_uppercase();
    assert!(matches!(
        store.create_user(&twin, Some("other")).await,
        Err(StoreError::EmailTaken)
    ));
    assert!(store.user_by_id(&twin.id).await.unwrap().is_none());
}

pub async fn concurrent_signups_with_one_email_let_exactly_one_win(store: Store) {
    let email = format!("{}@example.com", new_id().to_lowercase());
    let attempts = (0..8).map(|_| {
        let store = store.clone();
        let mut user = new_user();
        user.email = email.clone();
        tokio::spawn(async move {
            let result = store.create_user(&user, Some("hash")).await;
            (user.id, result)
        })
    });
    let results = futures::future::join_all(attempts).await;
    let winners: Vec<String> = results
        .iter()
        .filter_map(|result| match result.as_ref().unwrap() {
            (id, Ok(())) => Some(id.clone()),
            (_, Err(StoreError::EmailTaken)) => None,
            (_, Err(error)) => panic!("unexpected error: {error:?}"),
        })
        .collect();
    assert_eq!(winners.len(), 1, "exactly one signup wins");
    let owner = store.credentials_by_email(&email).await.unwrap().unwrap();
    assert_eq!(owner.user.id, winners[0]);
}

pub async fn a_session_lasts_until_it_expires_or_is_deleted(store: Store) {
    let user = signed_up(&store).await;
    let now = OffsetDateTime::now_utc();
    let live = NewSession {
        token_hash: rand::random(),
        user_id: user.id.clone(),
        expires_at: now + Duration::hours(1),
    };
    let expired = NewSession {
        token_hash: rand::random(),
        user_id: user.id.clone(),
        expires_at: now - Duration::seconds(1),
    };
    store.create_session(&live).await.unwrap();
    store.create_session(&expired).await.unwrap();
    assert_eq!(
        store.session_user(&live.token_hash, now).await.unwrap(),
        Some(user.clone())
    );
    // Expiry is checked on read (DynamoDB's TTL deletes late).
    assert_eq!(
        store.session_user(&expired.token_hash, now).await.unwrap(),
        None
    );
    assert_eq!(
        store
            .session_user(&live.token_hash, now + Duration::hours(2))
            .await
            .unwrap(),
        None
    );
    store.delete_session(&live.token_hash).await.unwrap();
    assert_eq!(
        store.session_user(&live.token_hash, now).await.unwrap(),
        None
    );
    assert_eq!(
        store.session_user(&rand::random(), now).await.unwrap(),
        None
    );
}

pub async fn a_gallery_pages_newest_first_without_duplicates_or_gaps(store: Store) {
    let user = signed_up(&store).await;
    let mut ids = record_images(&store, &user, 53, |i| format!("picture number {i}")).await;
    ids.reverse();
    for limit in [1, 7, 10, 53, 100] {
        let (listed, pages) = all_pages(
            &store,
            &user,
            ImageQuery {
                limit,
                ..Default::default()
            },
        )
        .await;
        assert_eq!(listed, ids, "limit {limit}");
        assert_eq!(pages, 53usize.div_ceil(limit as usize), "limit {limit}");
    }
    let first = store
        .list_images(
            &user.id,
            &ImageQuery {
                limit: 3,
                ..Default::default()
            },
        )
        .await
        .unwrap();
    let stored = store.get_image(&user.id, &ids[0]).await.unwrap().unwrap();
    assert_eq!(first.items[0], stored, "list and get give the same record");
    assert_eq!(stored.seed, u64::MAX - 7);
}

pub async fn users_never_see_each_others_images(store: Store) {
    let alice = signed_up(&store).await;
    let bob = signed_up(&store).await;
    let alices = record_images(&store, &alice, 5, |_| "a red fox".into()).await;
    let bobs = record_images(&store, &bob, 3, |_| "a red fox".into()).await;
    let (listed, _) = all_pages(
        &store,
        &bob,
        ImageQuery {
            limit: 100,
            ..Default::default()
        },
    )
    .await;
    assert_eq!(listed.iter().collect::<HashSet<_>>(), bobs.iter().collect());
    let (found, _) = all_pages(
        &store,
        &bob,
        ImageQuery {
            limit: 100,
            search: Some("fox".into()),
            ..Default::default()
        },
    )
    .await;
    assert_eq!(found.len(), 3);
    assert!(
        store
            .get_image(&bob.id, &alices[0])
            .await
            .unwrap()
            .is_none()
    );
    assert!(
        store
            .set_favorite(&bob.id, &alices[0], true)
            .await
            .unwrap()
            .is_none()
    );
    assert!(
        store
            .hide_image(&bob.id, &alices[0])
            .await
            .unwrap()
            .is_none()
    );
    store.delete_image(&bob.id, &alices[0]).await.unwrap();
    assert!(
        store
            .get_image(&alice.id, &alices[0])
            .await
            .unwrap()
            .is_some()
    );
    assert_eq!(store.usage(&alice.id, "2026-11").await.unwrap().images, 5);
}

pub async fn search_matches_word_prefixes_and_pages_through_sparse_matches(store: Store) {
    let user = signed_up(&store).await;
    let ids = record_images(&store, &user, 40, |i| match i % 4 {
        0 => format!("A Lighthouse at night, number {i}"),
        1 => format!("a greenhouse in spring {i}"),
        _ => format!("desert dunes {i}"),
    })
    .await;
    let mut lighthouses: Vec<String> = ids.iter().step_by(4).cloned().collect();
    lighthouses.reverse();
    let search = |text: &str, limit: u32| ImageQuery {
        limit,
        search: Some(text.into()),
        ..Default::default()
    };
    let (found, _) = all_pages(&store, &user, search("LIGHT", 3)).await;
    assert_eq!(found, lighthouses);
    let (found, _) = all_pages(&store, &user, search("light nig", 4)).await;
    assert_eq!(found, lighthouses, "every word must match");
    assert!(
        all_pages(&store, &user, search("house", 10))
            .await
            .0
            .is_empty(),
        "prefixes only"
    );
    assert!(
        all_pages(&store, &user, search("light spring", 10))
            .await
            .0
            .is_empty()
    );
    assert!(
        all_pages(&store, &user, search("!!! --", 10))
            .await
            .0
            .is_empty()
    );
    assert!(
        all_pages(&store, &user, search("x' OR 1=1; --", 10))
            .await
            .0
            .is_empty()
    );
}

pub async fn a_delete_stopped_half_way_is_listed_for_the_sweep_until_it_finishes(store: Store) {
    let (ada, bo) = (signed_up(&store).await, signed_up(&store).await);
    let adas = record_images(&store, &ada, 2, |i| format!("ada {i}")).await;
    let bos = record_images(&store, &bo, 1, |i| format!("bo {i}")).await;
    let ours = |entries: Vec<ImageRef>| -> Vec<(String, String)> {
        let mut ours: Vec<_> = entries
            .into_iter()
            .filter(|entry| entry.user_id == ada.id || entry.user_id == bo.id)
            .map(|entry| (entry.user_id, entry.image_id))
            .collect();
        ours.sort();
        ours
    };
    assert!(ours(store.unfinished_deletes(1000).await.unwrap()).is_empty());

    for (user, image) in [(&ada, &adas[0]), (&bo, &bos[0]), (&ada, &adas[0])] {
        let hidden = store.hide_image(&user.id, image).await.unwrap();
        assert_eq!(hidden.map(|record| record.id).as_ref(), Some(image));
    }
    assert!(
        store
            .hide_image(&ada.id, "01NOSUCHIMAGE")
            .await
            .unwrap()
            .is_none()
    );
    let mut both = vec![
        (ada.id.clone(), adas[0].clone()),
        (bo.id.clone(), bos[0].clone()),
    ];
    both.sort();
    assert_eq!(ours(store.unfinished_deletes(1000).await.unwrap()), both);

    store.delete_image(&ada.id, &adas[0]).await.unwrap();
    assert_eq!(
        ours(store.unfinished_deletes(1000).await.unwrap()),
        vec![(bo.id.clone(), bos[0].clone())]
    );
    assert!(store.get_image(&ada.id, &adas[1]).await.unwrap().is_some());
}

pub async fn a_search_ignores_single_letters_and_words_past_the_eighth(store: Store) {
    let user = signed_up(&store).await;
    let ids = record_images(&store, &user, 2, |i| match i {
        0 => "a red lighthouse by the sea".to_owned(),
        _ => "a blue boat".to_owned(),
    })
    .await;
    let search = |text: &str| ImageQuery {
        limit: 10,
        search: Some(text.into()),
        ..Default::default()
    };
    let lighthouse = vec![ids[0].clone()];
    // "x" begins no word of either prompt; a single letter is no search term.
    assert_eq!(
        all_pages(&store, &user, search("x light")).await.0,
        lighthouse
    );
    // Eight terms that match, then a ninth that would not.
    let nine = "red lighthouse by the sea red light by nowhere";
    assert_eq!(all_pages(&store, &user, search(nine)).await.0, lighthouse);
    // Nothing left to search for: nothing matches, as with punctuation.
    assert!(all_pages(&store, &user, search("a b")).await.0.is_empty());
}

pub async fn search_folds_case_and_accents_both_ways(store: Store) {
    let user = signed_up(&store).await;
    let ids = record_images(&store, &user, 3, |i| match i {
        0 => "Crème brûlée at the Café".to_owned(),
        1 => "a plain cafe counter".to_owned(),
        _ => "ÉCOLE door".to_owned(),
    })
    .await;
    let search = |text: &str| ImageQuery {
        limit: 10,
        search: Some(text.into()),
        ..Default::default()
    };
    let both_cafes = vec![ids[1].clone(), ids[0].clone()];
    assert_eq!(all_pages(&store, &user, search("cafe")).await.0, both_cafes);
    assert_eq!(all_pages(&store, &user, search("CAFÉ")).await.0, both_cafes);
    assert_eq!(
        all_pages(&store, &user, search("creme brul")).await.0,
        vec![ids[0].clone()]
    );
    assert_eq!(
        all_pages(&store, &user, search("école")).await.0,
        vec![ids[2].clone()]
    );
}

pub async fn favourites_filter_and_survive_reads(store: Store) {
    let user = signed_up(&store).await;
    let ids = record_images(&store, &user, 12, |i| format!("boat {i}")).await;
    for id in ids.iter().step_by(3) {
        let updated = store
            .set_favorite(&user.id, id, true)
            .await
            .unwrap()
            .unwrap();
        assert!(updated.favorite);
    }
    store
        .set_favorite(&user.id, &ids[3], false)
        .await
        .unwrap()
        .unwrap();
    let (favourites, _) = all_pages(
        &store,
        &user,
        ImageQuery {
            limit: 2,
            favorites_only: true,
            ..Default::default()
        },
    )
    .await;
    assert_eq!(
        favourites,
        vec![ids[9].clone(), ids[6].clone(), ids[0].clone()]
    );
    assert!(
        store
            .get_image(&user.id, &ids[9])
            .await
            .unwrap()
            .unwrap()
            .favorite
    );
    assert!(
        store
            .set_favorite(&user.id, &new_id(), true)
            .await
            .unwrap()
            .is_none()
    );
}

pub async fn deleting_hides_first_then_removes_the_record_and_its_counts(store: Store) {
    let user = signed_up(&store).await;
    let ids = record_images(&store, &user, 3, |_| "tree".into()).await;
    let usage = store.usage(&user.id, "2026-11").await.unwrap();
    assert_eq!((usage.images, usage.storage_bytes), (3, 100 + 101 + 102));

    let hidden = store
        .hide_image(&user.id, &ids[1])
        .await
        .unwrap()
        .expect("hidden");
    assert_eq!(hidden.id, ids[1]);
    assert!(store.get_image(&user.id, &ids[1]).await.unwrap().is_none());
    assert!(
        store
            .set_favorite(&user.id, &ids[1], true)
            .await
            .unwrap()
            .is_none()
    );
    let (listed, _) = all_pages(
        &store,
        &user,
        ImageQuery {
            limit: 10,
            ..Default::default()
        },
    )
    .await;
    assert_eq!(listed, vec![ids[2].clone(), ids[0].clone()]);
    assert!(store.image_record_exists(&user.id, &ids[1]).await.unwrap());
    // A delete that failed after hiding is re-run from the start.
    assert_eq!(
        store
            .hide_image(&user.id, &ids[1])
            .await
            .unwrap()
            .unwrap()
            .id,
        ids[1]
    );

    store.delete_image(&user.id, &ids[1]).await.unwrap();
    store.delete_image(&user.id, &ids[1]).await.unwrap();
    assert!(!store.image_record_exists(&user.id, &ids[1]).await.unwrap());
    assert!(store.hide_image(&user.id, &ids[1]).await.unwrap().is_none());
    let usage = store.usage(&user.id, "2026-11").await.unwrap();
    assert_eq!((usage.images, usage.storage_bytes), (2, 100 + 102));
}

pub async fn images_of_an_unknown_user_are_refused(store: Store) {
    let ghost = new_id();
    assert!(
        store
            .insert_images(&[image(&ghost, &new_id(), "x", 1)])
            .await
            .is_err()
    );
    assert!(
        all_pages(
            &store,
            &User {
                id: ghost,
                ..new_user()
            },
            ImageQuery {
                limit: 5,
                ..Default::default()
            }
        )
        .await
        .0
        .is_empty()
    );
}

/// A reservation of `count` generations of `month` for `user_id`, under a new id.
pub fn reservation(user_id: &str, month: &str, count: u32) -> Reservation {
    Reservation {
        id: new_id(),
        user_id: user_id.to_owned(),
        month: month.to_owned(),
        count,
        counter: MonthCounter::Generations,
        cost_micros: 0,
    }
}

async fn generations_in(store: &Store, user_id: &str, month: &str) -> u64 {
    store
        .usage(user_id, month)
        .await
        .unwrap()
        .generations_this_month
}

pub async fn the_monthly_quota_is_reserved_atomically(store: Store) {
    let user = signed_up(&store).await;
    let november = |count| reservation(&user.id, "2026-11", count);
    assert!(store.reserve_generations(&november(3), 5).await.unwrap());
    assert!(!store.reserve_generations(&november(3), 5).await.unwrap());
    let last_two = november(2);
    assert!(store.reserve_generations(&last_two, 5).await.unwrap());
    assert!(!store.reserve_generations(&november(1), 5).await.unwrap());
    assert!(
        store
            .reserve_generations(&reservation(&user.id, "2026-12", 1), 5)
            .await
            .unwrap()
    );
    assert_eq!(generations_in(&store, &user.id, "2026-11").await, 5);
    store
        .release_generations(&last_two, "upstream_error")
        .await
        .unwrap();
    assert_eq!(generations_in(&store, &user.id, "2026-11").await, 3);

    let racer = signed_up(&store).await;
    let attempts = (0..10).map(|_| {
        let (store, mine) = (store.clone(), reservation(&racer.id, "2026-11", 1));
        tokio::spawn(async move { store.reserve_generations(&mine, 4).await.unwrap() })
    });
    let granted = futures::future::join_all(attempts)
        .await
        .into_iter()
        .filter(|granted| *granted.as_ref().unwrap())
        .count();
    assert_eq!(granted, 4);
    assert_eq!(generations_in(&store, &racer.id, "2026-11").await, 4);
}

/// What a crash leaves: reservations neither recorded, given back nor
/// settled are listed once they are old enough, and giving one back counts
/// it once, whatever happened to it first (a settled one keeps its count).
pub async fn a_reservation_stays_until_its_generation_is_recorded_or_given_back(store: Store) {
    let user = signed_up(&store).await;
    let month = "2031-05";
    let recorded = reservation(&user.id, month, 2);
    let crashed = reservation(&user.id, month, 3);
    let failed = reservation(&user.id, month, 1);
    // A reproduction: made, counted, never recorded.
    let settled = reservation(&user.id, month, 1);
    for held in [&recorded, &crashed, &failed, &settled] {
        assert!(store.reserve_generations(held, 100).await.unwrap());
    }
    store.settle_reservation(&settled).await.unwrap();
    store.settle_reservation(&settled).await.unwrap();
    let images: Vec<ImageRecord> = (0..2)
        .map(|_| ImageRecord {
            generation_id: recorded.id.clone(),
            ..image(&user.id, &new_id(), "kept", 10)
        })
        .collect();
    store.insert_images(&images).await.unwrap();
    store
        .release_generations(&failed, "upstream_error")
        .await
        .unwrap();
    let ours = |all: Vec<Reservation>| -> Vec<Reservation> {
        all.into_iter()
            .filter(|held| held.user_id == user.id)
            .collect()
    };
    let later = OffsetDateTime::now_utc() + Duration::seconds(1);

    assert_eq!(
        ours(store.stale_reservations(later, 1000).await.unwrap()),
        vec![crashed.clone()]
    );
    assert!(
        ours(
            store
                .stale_reservations(OffsetDateTime::now_utc() - Duration::hours(1), 1000)
                .await
                .unwrap()
        )
        .is_empty(),
        "a reservation younger than the cutoff may still be running"
    );
    assert_eq!(generations_in(&store, &user.id, month).await, 6);

    store
        .release_generations(&settled, "upstream_error")
        .await
        .unwrap();
    store
        .release_generations(&crashed, "upstream_error")
        .await
        .unwrap();
    store
        .release_generations(&crashed, "upstream_error")
        .await
        .unwrap();
    store
        .release_generations(&recorded, "upstream_error")
        .await
        .unwrap();
    store
        .release_generations(&failed, "upstream_error")
        .await
        .unwrap();

    assert_eq!(generations_in(&store, &user.id, month).await, 3);
    assert!(ours(store.stale_reservations(later, 1000).await.unwrap()).is_empty());
}

pub async fn a_fixed_window_admits_up_to_its_limit(store: Store) {
    let key = format!("generate:{}", new_id());
    for _ in 0..3 {
        assert_eq!(
            store
                .hit_rate_limit(&key, 6_000, 60, 3, 6_010)
                .await
                .unwrap(),
            Admission::Allowed
        );
    }
    assert_eq!(
        store
            .hit_rate_limit(&key, 6_000, 60, 3, 6_010)
            .await
            .unwrap(),
        Admission::Refused {
            retry_after_secs: 50
        }
    );
    assert_eq!(
        store
            .hit_rate_limit(&key, 6_060, 60, 3, 6_061)
            .await
            .unwrap(),
        Admission::Allowed
    );
}

pub async fn an_idempotency_key_moves_from_claimed_to_replayed(store: Store) {
    let user = signed_up(&store).await;
    let now = OffsetDateTime::now_utc();
    let claim = |key: &'static str, hash: &'static str| {
        let (store, id) = (store.clone(), user.id.clone());
        async move {
            store
                .claim_idempotency_key(&id, key, hash, now)
                .await
                .unwrap()
        }
    };
    assert_eq!(claim("k1", "h1").await, IdempotencyClaim::Claimed);
    assert_eq!(claim("k1", "h1").await, IdempotencyClaim::InProgress);
    assert_eq!(claim("k1", "h2").await, IdempotencyClaim::Mismatch);
    store
        .complete_idempotency_key(&user.id, "k1", "{\"ok\":1}")
        .await
        .unwrap();
    store.release_idempotency_key(&user.id, "k1").await.unwrap();
    assert_eq!(
        claim("k1", "h1").await,
        IdempotencyClaim::Replay("{\"ok\":1}".into())
    );
    assert_eq!(claim("k1", "h2").await, IdempotencyClaim::Mismatch);

    assert_eq!(claim("k2", "h1").await, IdempotencyClaim::Claimed);
    store.release_idempotency_key(&user.id, "k2").await.unwrap();
    assert_eq!(claim("k2", "h1").await, IdempotencyClaim::Claimed);
    // A claim whose request died long ago can be taken over.
    let later = now + Duration::minutes(11);
    assert_eq!(
        store
            .claim_idempotency_key(&user.id, "k2", "h1", later)
            .await
            .unwrap(),
        IdempotencyClaim::Claimed
    );
    // Keys belong to one user.
    let other = signed_up(&store).await;
    assert_eq!(
        store
            .claim_idempotency_key(&other.id, "k1", "h9", now)
            .await
            .unwrap(),
        IdempotencyClaim::Claimed
    );
}

pub async fn an_idempotency_key_is_kept_a_week_then_free_again(store: Store) {
    let user = signed_up(&store).await;
    let then = OffsetDateTime::now_utc();
    let claim = |hash: &'static str, at: OffsetDateTime| {
        let (store, id) = (store.clone(), user.id.clone());
        async move {
            store
                .claim_idempotency_key(&id, "weekly", hash, at)
                .await
                .unwrap()
        }
    };
    assert_eq!(claim("h1", then).await, IdempotencyClaim::Claimed);
    store
        .complete_idempotency_key(&user.id, "weekly", "{\"ok\":1}")
        .await
        .unwrap();
    let six_days = then + Duration::days(6);
    assert_eq!(
        claim("h1", six_days).await,
        IdempotencyClaim::Replay("{\"ok\":1}".into())
    );
    assert_eq!(claim("h2", six_days).await, IdempotencyClaim::Mismatch);
    // After the retention the key is forgotten: any request may use it anew.
    let eight_days = then + Duration::days(8);
    assert_eq!(claim("h2", eight_days).await, IdempotencyClaim::Claimed);
    assert_eq!(claim("h2", eight_days).await, IdempotencyClaim::InProgress);
}

pub async fn concurrent_identical_claims_let_exactly_one_run(store: Store) {
    let user = signed_up(&store).await;
    let now = OffsetDateTime::now_utc();
    let claims = (0..8).map(|_| {
        let (store, id) = (store.clone(), user.id.clone());
        tokio::spawn(async move {
            store
                .claim_idempotency_key(&id, "same", "hash", now)
                .await
                .unwrap()
        })
    });
    let results: Vec<IdempotencyClaim> = futures::future::join_all(claims)
        .await
        .into_iter()
        .map(Result::unwrap)
        .collect();
    assert_eq!(
        results
            .iter()
            .filter(|c| **c == IdempotencyClaim::Claimed)
            .count(),
        1
    );
    assert_eq!(
        results
            .iter()
            .filter(|c| **c == IdempotencyClaim::InProgress)
            .count(),
        7
    );
}

pub async fn the_storage_quota_refuses_whole_generations_atomically(store: Store) {
    let quota = crate::backends::STORAGE_QUOTA;
    let user = signed_up(&store).await;
    let big = |user: &User| image(&user.id, &new_id(), "big", quota * 2 / 5);

    // Two fit; a generation that would pass the quota records none of its images.
    store.insert_images(&[big(&user)]).await.unwrap();
    store.insert_images(&[big(&user)]).await.unwrap();
    let generation = [image(&user.id, &new_id(), "small", 1), big(&user)];
    let refused = store.insert_images(&generation).await;
    assert!(matches!(refused, Err(StoreError::StorageQuotaExceeded)));
    let usage = store.usage(&user.id, "2026-11").await.unwrap();
    assert_eq!((usage.images, usage.storage_bytes), (2, quota * 4 / 5));
    let (ids, _) = all_pages(
        &store,
        &user,
        ImageQuery {
            limit: 10,
            ..Default::default()
        },
    )
    .await;
    assert_eq!(ids.len(), 2);

    // Concurrent generations cannot pass it together: room for exactly three.
    let other = signed_up(&store).await;
    let third = |user: &User| image(&user.id, &new_id(), "third", quota * 3 / 10);
    let outcomes = futures::future::join_all((0..5).map(|_| {
        let store = store.clone();
        let record = third(&other);
        async move { store.insert_images(&[record]).await }
    }))
    .await;
    let stored = outcomes.iter().filter(|outcome| outcome.is_ok()).count();
    assert_eq!(stored, 3, "{outcomes:?}");
    assert!(
        outcomes
            .iter()
            .all(|outcome| matches!(outcome, Ok(()) | Err(StoreError::StorageQuotaExceeded)))
    );
    let usage = store.usage(&other.id, "2026-11").await.unwrap();
    assert_eq!((usage.images, usage.storage_bytes), (3, quota * 9 / 10));
}

/// A moment on the trash's clock, `seconds` after a fixed start, to the millisecond.
pub fn trash_clock(seconds: i64) -> OffsetDateTime {
    OffsetDateTime::from_unix_timestamp(1_790_000_000).unwrap()
        + Duration::seconds(seconds)
        + Duration::milliseconds(123)
}

pub async fn trash(store: &Store, user: &User, id: &str, at: OffsetDateTime) -> ImageRecord {
    match store.trash_image(&user.id, id, true, at).await.unwrap() {
        TrashOutcome::Trashed(record) => *record,
        other => panic!("not trashed: {other:?}"),
    }
}

fn trash_query(limit: u32) -> ImageQuery {
    ImageQuery {
        limit,
        trashed: true,
        ..Default::default()
    }
}

pub async fn trashed_images_leave_every_list_and_come_back_when_restored(store: Store) {
    let user = signed_up(&store).await;
    let ids = record_images(&store, &user, 4, |i| format!("harbour {i}")).await;
    store.set_favorite(&user.id, &ids[1], true).await.unwrap();
    let trashed = trash(&store, &user, &ids[1], trash_clock(0)).await;
    assert_eq!(trashed.trashed_at, Some(trash_clock(0)));
    trash(&store, &user, &ids[2], trash_clock(5)).await;

    for query in [
        ImageQuery {
            limit: 10,
            ..Default::default()
        },
        ImageQuery {
            limit: 10,
            favorites_only: true,
            ..Default::default()
        },
        ImageQuery {
            limit: 10,
            search: Some("harbour".into()),
            ..Default::default()
        },
    ] {
        let (listed, _) = all_pages(&store, &user, query.clone()).await;
        assert!(
            !listed.contains(&ids[1]) && !listed.contains(&ids[2]),
            "{query:?}: {listed:?}"
        );
    }
    let (in_trash, _) = all_pages(&store, &user, trash_query(10)).await;
    assert_eq!(
        in_trash,
        vec![ids[2].clone(), ids[1].clone()],
        "most recently trashed first"
    );
    // A trashed image can still be read (to show and restore it) and keeps its settings.
    let read = store.get_image(&user.id, &ids[1]).await.unwrap().unwrap();
    assert_eq!(
        (read.trashed_at, read.favorite),
        (Some(trash_clock(0)), true)
    );

    let usage = store.usage(&user.id, "2026-11").await.unwrap();
    assert_eq!(
        (usage.images, usage.storage_bytes),
        (4, 100 + 101 + 102 + 103)
    );
    assert_eq!(
        (usage.trash_images, usage.trash_bytes),
        (2, 101 + 102),
        "trash counts"
    );

    let restored = store
        .restore_image(&user.id, &ids[1])
        .await
        .unwrap()
        .unwrap();
    assert_eq!((restored.trashed_at, restored.favorite), (None, true));
    // Restoring what is not in the trash changes nothing.
    let again = store
        .restore_image(&user.id, &ids[1])
        .await
        .unwrap()
        .unwrap();
    assert_eq!(again.trashed_at, None);
    let (listed, _) = all_pages(
        &store,
        &user,
        ImageQuery {
            limit: 10,
            ..Default::default()
        },
    )
    .await;
    assert_eq!(listed, vec![ids[3].clone(), ids[1].clone(), ids[0].clone()]);
    let usage = store.usage(&user.id, "2026-11").await.unwrap();
    assert_eq!((usage.trash_images, usage.trash_bytes), (1, 102));
    assert!(
        store
            .restore_image(&user.id, &new_id())
            .await
            .unwrap()
            .is_none()
    );
}

pub async fn favourites_are_trashed_only_when_included_and_the_first_time_stands(store: Store) {
    let user = signed_up(&store).await;
    let stranger = signed_up(&store).await;
    let ids = record_images(&store, &user, 2, |_| "lake".into()).await;
    store.set_favorite(&user.id, &ids[0], true).await.unwrap();
    assert_eq!(
        store
            .trash_image(&user.id, &ids[0], false, trash_clock(0))
            .await
            .unwrap(),
        TrashOutcome::FavoriteProtected
    );
    assert_eq!(
        store
            .get_image(&user.id, &ids[0])
            .await
            .unwrap()
            .unwrap()
            .trashed_at,
        None
    );
    let plain = store
        .trash_image(&user.id, &ids[1], false, trash_clock(1))
        .await
        .unwrap();
    assert!(
        matches!(plain, TrashOutcome::Trashed(ref record) if record.trashed_at == Some(trash_clock(1)))
    );
    trash(&store, &user, &ids[0], trash_clock(2)).await;
    // Trashing again is harmless: the retention still counts from the first time.
    let again = trash(&store, &user, &ids[1], trash_clock(60)).await;
    assert_eq!(again.trashed_at, Some(trash_clock(1)));
    let usage = store.usage(&user.id, "2026-11").await.unwrap();
    assert_eq!(usage.trash_images, 2, "counted once");

    for (owner, id) in [(&stranger.id, &ids[1]), (&user.id, &new_id())] {
        assert_eq!(
            store
                .trash_image(owner, id, true, trash_clock(3))
                .await
                .unwrap(),
            TrashOutcome::NotFound
        );
        assert!(store.restore_image(owner, id).await.unwrap().is_none());
    }
    let (strangers_trash, _) = all_pages(&store, &stranger, trash_query(10)).await;
    assert!(strangers_trash.is_empty());
}

pub async fn the_trash_pages_by_trashing_time_with_its_filters(store: Store) {
    let user = signed_up(&store).await;
    let ids = record_images(&store, &user, 7, |i| {
        if i % 2 == 0 {
            format!("red fox {i}")
        } else {
            format!("blue owl {i}")
        }
    })
    .await;
    // Trashed in an order unlike the gallery's; two at the same millisecond.
    let order = [3, 0, 6, 1, 5, 4];
    for (step, index) in order.iter().enumerate() {
        trash(&store, &user, &ids[*index], trash_clock(step.min(4) as i64)).await;
    }
    store.set_favorite(&user.id, &ids[0], true).await.unwrap();
    store.set_favorite(&user.id, &ids[5], true).await.unwrap();

    let (all, pages) = all_pages(&store, &user, trash_query(2)).await;
    // 5 and 4 share a time: the later id comes first.
    let expected: Vec<String> = [5, 4, 1, 6, 0, 3].iter().map(|i| ids[*i].clone()).collect();
    assert_eq!(all, expected);
    assert_eq!(pages, 3);
    let (foxes, _) = all_pages(
        &store,
        &user,
        ImageQuery {
            search: Some("fox".into()),
            ..trash_query(1)
        },
    )
    .await;
    assert_eq!(
        foxes,
        [4, 6, 0]
            .iter()
            .map(|i| ids[*i].clone())
            .collect::<Vec<_>>()
    );
    let (favourites, _) = all_pages(
        &store,
        &user,
        ImageQuery {
            favorites_only: true,
            ..trash_query(1)
        },
    )
    .await;
    assert_eq!(favourites, vec![ids[5].clone(), ids[0].clone()]);
    let (gallery, _) = all_pages(
        &store,
        &user,
        ImageQuery {
            limit: 10,
            ..Default::default()
        },
    )
    .await;
    assert_eq!(gallery, vec![ids[2].clone()]);
}

pub async fn expired_trash_is_found_across_users_and_deleting_clears_it(store: Store) {
    let first = signed_up(&store).await;
    let second = signed_up(&store).await;
    let a = record_images(&store, &first, 2, |_| "dune".into()).await;
    let b = record_images(&store, &second, 1, |_| "dune".into()).await;
    let day = 24 * 3600;
    trash(&store, &first, &a[0], trash_clock(0)).await;
    trash(&store, &second, &b[0], trash_clock(day)).await;
    trash(&store, &first, &a[1], trash_clock(40 * day)).await;

    let mine = |entries: Vec<ImageRef>| -> Vec<String> {
        entries
            .into_iter()
            .filter(|entry| [&first.id, &second.id].contains(&&entry.user_id))
            .map(|entry| format!("{}/{}", entry.user_id, entry.image_id))
            .collect()
    };
    // Other cases share the store: only this case's users are looked at, and
    // the cut-off sits before anything they trashed that is not expiring.
    let cutoff = trash_clock(2 * day);
    let expired = mine(store.expired_trash(cutoff, 1000).await.unwrap());
    assert_eq!(
        expired,
        vec![
            format!("{}/{}", first.id, a[0]),
            format!("{}/{}", second.id, b[0])
        ],
        "longest-trashed first, across users"
    );
    assert!(mine(store.expired_trash(trash_clock(0), 1000).await.unwrap()).is_empty());

    // Restored images are no longer due; deleted ones are gone from the trash.
    store
        .restore_image(&second.id, &b[0])
        .await
        .unwrap()
        .unwrap();
    store.hide_image(&first.id, &a[0]).await.unwrap().unwrap();
    store.delete_image(&first.id, &a[0]).await.unwrap();
    assert!(mine(store.expired_trash(cutoff, 1000).await.unwrap()).is_empty());
    let (in_trash, _) = all_pages(&store, &first, trash_query(10)).await;
    assert_eq!(in_trash, vec![a[1].clone()]);
    let usage = store.usage(&first.id, "2026-11").await.unwrap();
    assert_eq!(
        (usage.images, usage.trash_images, usage.trash_bytes),
        (1, 1, 101)
    );
}

pub async fn concurrent_trash_and_restore_keep_the_counts_exact(store: Store) {
    let user = signed_up(&store).await;
    let ids = record_images(&store, &user, 6, |_| "storm".into()).await;
    let store_ref = &store;
    let user_id = user.id.as_str();
    // Every image is trashed and restored by racing requests, some twice over.
    futures::future::join_all(ids.iter().enumerate().flat_map(|(index, id)| {
        let at = trash_clock(index as i64);
        [
            Box::pin(async move {
                store_ref.trash_image(user_id, id, true, at).await.unwrap();
            }) as std::pin::Pin<Box<dyn std::future::Future<Output = ()> + Send>>,
            Box::pin(async move {
                store_ref.trash_image(user_id, id, true, at).await.unwrap();
            }),
            Box::pin(async move {
                store_ref.restore_image(user_id, id).await.unwrap();
            }),
        ]
    }))
    .await;
    let (in_trash, _) = all_pages(&store, &user, trash_query(100)).await;
    let usage = store.usage(&user.id, "2026-11").await.unwrap();
    let bytes: u64 = in_trash
        .iter()
        .map(|id| 100 + ids.iter().position(|known| known == id).unwrap() as u64)
        .sum();
    assert_eq!(
        (usage.trash_images, usage.trash_bytes),
        (in_trash.len() as u64, bytes)
    );
    for id in &ids {
        let record = store.get_image(&user.id, id).await.unwrap().unwrap();
        assert_eq!(record.trashed_at.is_some(), in_trash.contains(id), "{id}");
    }
}
