//! The operator's figures, written once for every metadata backend: counted
//! in the same writes as what they count, exactly once, and read back as
//! totals, days and models.

use std::{collections::BTreeMap, sync::Arc};

use promptcanvas::store::metadata::{
    DayFigures, DayTally, Figures, MetadataStore, MonthCounter, Reservation, rules::day_of,
};
use time::OffsetDateTime;

use crate::metadata_cases::{image, new_id, signed_up};

type Store = Arc<dyn MetadataStore>;

/// Days no other case writes on: the AWS backends share their tables
/// between the tests of a run, so each case keeps to days of its own and
/// compares the shared totals before and after.
const WRITTEN_DAY: &str = "2030-01-01";
const ACTIVE_DAYS: [&str; 4] = ["2031-03-01", "2031-03-02", "2031-03-03", "2031-03-04"];
const TALLY_DAY: &str = "2032-05-05";

fn day<'a>(figures: &'a Figures, day: &str) -> Option<&'a DayFigures> {
    figures.days.iter().find(|figures| figures.day == day)
}

fn model<'a>(figures: &'a Figures, name: &str) -> Option<(&'a str, u64, u64)> {
    figures
        .models
        .iter()
        .find(|model| model.model == name)
        .map(|model| (model.provider.as_str(), model.generations, model.images))
}

pub async fn generations_users_images_and_bytes_are_counted_as_they_are_written(store: Store) {
    let before = store.statistics(WRITTEN_DAY, WRITTEN_DAY).await.unwrap();
    assert!(day(&before, WRITTEN_DAY).is_none());
    let (offline, flux) = (format!("m-{}", new_id()), format!("f-{}", new_id()));

    let (ada, bob) = (signed_up(&store).await, signed_up(&store).await);
    let made_on = OffsetDateTime::parse(
        &format!("{WRITTEN_DAY}T12:00:00Z"),
        &time::format_description::well_known::Rfc3339,
    )
    .unwrap();
    let three: Vec<_> = (0..3)
        .map(|index| {
            let mut record = image(&ada.id, &new_id(), "lighthouse", 100 + index);
            record.model = offline.clone();
            record.created_at = made_on;
            record
        })
        .collect();
    let generation = three[0].generation_id.clone();
    let three: Vec<_> = three
        .into_iter()
        .map(|mut record| {
            record.generation_id = generation.clone();
            record
        })
        .collect();
    store.insert_images(&three).await.unwrap();
    let mut other = image(&bob.id, &new_id(), "harbour", 1000);
    other.provider = "together".into();
    other.model = flux.clone();
    other.created_at = made_on;
    store.insert_images(&[other]).await.unwrap();

    let figures = store.statistics(WRITTEN_DAY, WRITTEN_DAY).await.unwrap();
    assert_eq!(
        (
            figures.users - before.users,
            figures.images - before.images,
            figures.storage_bytes - before.storage_bytes
        ),
        (2, 4, 1303)
    );
    let counted = day(&figures, WRITTEN_DAY).expect("the images' day is counted");
    assert_eq!((counted.generations, counted.images), (2, 4));
    assert_eq!(model(&figures, &offline), Some(("offline", 1, 3)));
    assert_eq!(model(&figures, &flux), Some(("together", 1, 1)));
    let order: Vec<&str> = figures
        .models
        .iter()
        .map(|model| model.model.as_str())
        .collect();
    let (first, second) = (
        order.iter().position(|name| *name == offline),
        order.iter().position(|name| *name == flux),
    );
    assert!(first < second, "most images first: {order:?}");

    // Deleting takes the image out of the totals; the day's history stays.
    let gone = &three[0];
    store.hide_image(&ada.id, &gone.id).await.unwrap();
    store.delete_image(&ada.id, &gone.id).await.unwrap();
    let after = store.statistics(WRITTEN_DAY, WRITTEN_DAY).await.unwrap();
    assert_eq!(
        (
            after.images - before.images,
            after.storage_bytes - before.storage_bytes
        ),
        (3, 1203)
    );
    assert_eq!(day(&after, WRITTEN_DAY).unwrap().images, 4);

    // Days outside the range are left out.
    let later = store.statistics("2030-01-02", "2030-01-31").await.unwrap();
    assert!(later.days.is_empty(), "{later:?}");
}

pub async fn a_failed_generation_is_counted_once_under_its_code(store: Store) {
    let user = signed_up(&store).await;
    let reservation = |count| Reservation {
        id: new_id(),
        user_id: user.id.clone(),
        month: "2026-09".into(),
        count,
        counter: MonthCounter::Generations,
        cost_micros: 0,
    };
    // Codes of this case alone: today is every case's day.
    let suffix = new_id().to_lowercase();
    let (upstream, timeout, never) = (
        format!("upstream_{suffix}"),
        format!("timeout_{suffix}"),
        format!("never_{suffix}"),
    );
    let (failed, timed_out, recorded) = (reservation(2), reservation(1), reservation(1));
    for held in [&failed, &timed_out, &recorded] {
        assert!(store.reserve_generations(held, 100).await.unwrap());
    }
    let mut made = image(&user.id, &new_id(), "kept", 10);
    made.generation_id = recorded.id.clone();
    store.insert_images(&[made]).await.unwrap();

    store.release_generations(&failed, &upstream).await.unwrap();
    store.release_generations(&failed, &upstream).await.unwrap();
    store
        .release_generations(&timed_out, &timeout)
        .await
        .unwrap();
    // Recorded: nothing to give back, so no failure either.
    store.release_generations(&recorded, &never).await.unwrap();

    let today = day_of(OffsetDateTime::now_utc());
    let figures = store.statistics(&today, &today).await.unwrap();
    let failures: BTreeMap<&str, u64> = day(&figures, &today)
        .expect("today has failures")
        .failures
        .iter()
        .filter(|(code, _)| code.ends_with(&suffix))
        .map(|(code, count)| (code.as_str(), *count))
        .collect();
    assert_eq!(
        failures,
        BTreeMap::from([(upstream.as_str(), 1), (timeout.as_str(), 1)])
    );
}

pub async fn each_user_counts_in_the_day_they_were_last_active(store: Store) {
    let (ada, bob) = (signed_up(&store).await, signed_up(&store).await);
    let [first, second, third, fourth] = ACTIVE_DAYS;
    let active = |figures: &Figures| -> Vec<(String, u64)> {
        figures
            .days
            .iter()
            .filter(|day| day.last_active_users > 0)
            .map(|day| (day.day.clone(), day.last_active_users))
            .collect()
    };
    store.mark_active(&ada.id, first).await.unwrap();
    store.mark_active(&bob.id, first).await.unwrap();
    store.mark_active(&ada.id, first).await.unwrap();
    let figures = store.statistics(first, fourth).await.unwrap();
    assert_eq!(active(&figures), [(first.to_owned(), 2)]);

    store.mark_active(&ada.id, third).await.unwrap();
    // An earlier day than the last one changes nothing.
    store.mark_active(&ada.id, second).await.unwrap();
    // Nor does a user the store does not know.
    store.mark_active(&new_id(), third).await.unwrap();
    let figures = store.statistics(first, fourth).await.unwrap();
    assert_eq!(
        active(&figures),
        [(first.to_owned(), 1), (third.to_owned(), 1)]
    );

    // Instances racing to move one user move them once.
    let racers: Vec<_> = (0..8)
        .map(|_| {
            let (store, id) = (store.clone(), bob.id.clone());
            tokio::spawn(async move { store.mark_active(&id, fourth).await })
        })
        .collect();
    for racer in racers {
        racer.await.unwrap().unwrap();
    }
    let figures = store.statistics(first, fourth).await.unwrap();
    assert_eq!(
        active(&figures),
        [(third.to_owned(), 1), (fourth.to_owned(), 1)]
    );
}

pub async fn refusals_and_client_errors_add_up_per_day(store: Store) {
    let tally = |rate_limited, client_errors| DayTally {
        rate_limited,
        client_errors,
    };
    store.add_to_day(TALLY_DAY, tally(2, 0)).await.unwrap();
    store.add_to_day(TALLY_DAY, tally(1, 3)).await.unwrap();
    store.add_to_day("2032-05-06", tally(0, 1)).await.unwrap();
    store.add_to_day(TALLY_DAY, tally(0, 0)).await.unwrap();
    let figures = store.statistics(TALLY_DAY, TALLY_DAY).await.unwrap();
    let counted = day(&figures, TALLY_DAY).unwrap();
    assert_eq!((counted.rate_limited, counted.client_errors), (3, 3));
    assert_eq!(figures.days.len(), 1);
}
