//! Drafts and the month's budget on every metadata store: what the live
//! Generate page and the cost figures rely on.

use std::sync::Arc;

use promptcanvas::store::metadata::{
    DraftRecord, DraftRef, MetadataStore, MonthCaps, MonthCounter, Reservation, Reserved,
};
use time::{Duration, OffsetDateTime};

use crate::metadata_cases::{image, new_id, reservation, signed_up};

type Store = Arc<dyn MetadataStore>;

fn priced(user_id: &str, month: &str, counter: MonthCounter, cost_micros: u64) -> Reservation {
    Reservation {
        counter,
        cost_micros,
        ..reservation(user_id, month, 1)
    }
}

fn caps(quota: u32, budget_micros: Option<u64>) -> MonthCaps {
    MonthCaps {
        quota,
        budget_micros,
    }
}

fn draft(user_id: &str, id: &str, expires_at: OffsetDateTime) -> DraftRecord {
    DraftRecord {
        id: id.to_owned(),
        user_id: user_id.to_owned(),
        prompt: "a red fox in the snow".into(),
        negative_prompt: None,
        model: "offline-preview".into(),
        provider: "offline".into(),
        width: 512,
        height: 512,
        steps: 1,
        seed: 7,
        style: "none".into(),
        created_at: OffsetDateTime::from_unix_timestamp(1_790_000_000).unwrap(),
        expires_at,
        content_type: "image/jpeg".into(),
        bytes: 12_345,
        object_key: format!("drafts/{user_id}/{id}.jpg"),
        provider_ms: 9,
        total_ms: 14,
        cost_micros: 708,
        kept_image_id: None,
    }
}

/// Generations and drafts count against their own quotas and one shared
/// budget; a refusal counts nothing and says which bound refused; giving
/// back returns the count and the cost.
pub async fn drafts_and_generations_share_one_budget_and_keep_their_own_quotas(store: Store) {
    let user = signed_up(&store).await;
    let month = "2030-03";
    let budget = Some(10_000);
    let first = priced(&user.id, month, MonthCounter::Generations, 6_000);
    assert_eq!(
        store.reserve(&first, caps(5, budget)).await.unwrap(),
        Reserved::Held
    );
    let draft = priced(&user.id, month, MonthCounter::Drafts, 3_000);
    assert_eq!(
        store.reserve(&draft, caps(1, budget)).await.unwrap(),
        Reserved::Held
    );
    let usage = store.usage(&user.id, month).await.unwrap();
    assert_eq!(
        (
            usage.generations_this_month,
            usage.drafts_this_month,
            usage.cost_this_month_micros
        ),
        (1, 1, 9_000)
    );

    let second_draft = priced(&user.id, month, MonthCounter::Drafts, 0);
    assert_eq!(
        store.reserve(&second_draft, caps(1, budget)).await.unwrap(),
        Reserved::OverQuota
    );
    let too_dear = priced(&user.id, month, MonthCounter::Generations, 1_001);
    assert_eq!(
        store.reserve(&too_dear, caps(5, budget)).await.unwrap(),
        Reserved::OverBudget
    );
    let exactly = priced(&user.id, month, MonthCounter::Generations, 1_000);
    assert_eq!(
        store.reserve(&exactly, caps(5, budget)).await.unwrap(),
        Reserved::Held
    );
    let unbounded = priced(&user.id, month, MonthCounter::Generations, 50_000);
    assert_eq!(
        store.reserve(&unbounded, caps(5, None)).await.unwrap(),
        Reserved::Held
    );

    store
        .release_generations(&draft, "upstream_error")
        .await
        .unwrap();
    store
        .release_generations(&unbounded, "upstream_error")
        .await
        .unwrap();
    let usage = store.usage(&user.id, month).await.unwrap();
    assert_eq!(
        (
            usage.generations_this_month,
            usage.drafts_this_month,
            usage.cost_this_month_micros
        ),
        (2, 0, 7_000)
    );
    // A reservation the sweep finds is given back to its own counter.
    let crashed = priced(&user.id, month, MonthCounter::Drafts, 500);
    assert_eq!(
        store.reserve(&crashed, caps(1, budget)).await.unwrap(),
        Reserved::Held
    );
    let stale = store
        .stale_reservations(OffsetDateTime::now_utc() + Duration::minutes(1), 1000)
        .await
        .unwrap();
    let found = stale.iter().find(|held| held.id == crashed.id).unwrap();
    assert_eq!(
        (found.counter, found.cost_micros),
        (MonthCounter::Drafts, 500)
    );
    store
        .release_generations(found, "interrupted")
        .await
        .unwrap();
    let usage = store.usage(&user.id, month).await.unwrap();
    assert_eq!(
        (usage.drafts_this_month, usage.cost_this_month_micros),
        (0, 7_000)
    );
}

/// A draft is recorded with its reservation's end, read back whole by its
/// owner only, kept once whatever the number of keeps, listed for the sweep
/// once expired, and forgotten when deleted.
pub async fn a_draft_is_kept_once_and_swept_once_expired(store: Store) {
    let user = signed_up(&store).await;
    let stranger = signed_up(&store).await;
    // Stores keep times to the millisecond.
    let now =
        OffsetDateTime::from_unix_timestamp(OffsetDateTime::now_utc().unix_timestamp()).unwrap();
    let id = new_id();
    let held = Reservation {
        id: id.clone(),
        ..priced(&user.id, "2030-04", MonthCounter::Drafts, 708)
    };
    assert_eq!(
        store.reserve(&held, caps(10, None)).await.unwrap(),
        Reserved::Held
    );
    let made = draft(&user.id, &id, now + Duration::hours(1));
    store.insert_draft(&made).await.unwrap();

    // Recorded, the reservation is no longer the sweep's.
    let stale = store
        .stale_reservations(now + Duration::minutes(1), 1000)
        .await
        .unwrap();
    assert!(stale.iter().all(|reservation| reservation.id != id));
    assert_eq!(
        store.draft(&user.id, &id).await.unwrap(),
        Some(made.clone())
    );
    assert_eq!(store.draft(&stranger.id, &id).await.unwrap(), None);
    assert_eq!(
        store.claim_draft(&stranger.id, &id, "X").await.unwrap(),
        None
    );

    let first = new_id();
    assert_eq!(
        store.claim_draft(&user.id, &id, &first).await.unwrap(),
        Some(first.clone())
    );
    assert_eq!(
        store.claim_draft(&user.id, &id, &new_id()).await.unwrap(),
        Some(first.clone())
    );
    assert_eq!(
        store
            .draft(&user.id, &id)
            .await
            .unwrap()
            .unwrap()
            .kept_image_id,
        Some(first)
    );

    let listed = |at: OffsetDateTime| {
        let store = store.clone();
        let id = id.clone();
        async move {
            store
                .expired_drafts(at, 1000)
                .await
                .unwrap()
                .into_iter()
                .filter(|draft| draft.draft_id == id)
                .collect::<Vec<DraftRef>>()
        }
    };
    assert!(listed(now).await.is_empty());
    let expired = listed(now + Duration::hours(2)).await;
    assert_eq!(expired.len(), 1);
    assert_eq!(expired[0].object_key, made.object_key);
    assert_eq!(expired[0].user_id, user.id);
    store.delete_draft(&expired[0]).await.unwrap();
    store.delete_draft(&expired[0]).await.unwrap();
    assert_eq!(store.draft(&user.id, &id).await.unwrap(), None);
    assert!(listed(now + Duration::hours(2)).await.is_empty());
}

/// Each image keeps the time and cost it was recorded with.
pub async fn an_image_keeps_its_time_and_cost(store: Store) {
    let user = signed_up(&store).await;
    let mut priced = image(&user.id, &new_id(), "a priced image", 100);
    priced.cost_micros = Some(2_831);
    priced.total_ms = Some(812);
    let mut older = image(&user.id, &new_id(), "an older image", 100);
    older.cost_micros = None;
    older.total_ms = None;
    for record in [&priced, &older] {
        store
            .insert_images(std::slice::from_ref(record))
            .await
            .unwrap();
        let read = store
            .get_image(&user.id, &record.id)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(
            (read.cost_micros, read.total_ms),
            (record.cost_micros, record.total_ms)
        );
    }
}
