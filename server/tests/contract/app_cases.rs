//! Whole journeys and failures through the real HTTP API, written once and run
//! on local storage + SQLite and on S3 + DynamoDB.

use std::time::Duration;

use futures::future::join_all;
use promptcanvas::{
    gallery::sweep::{sweep_everything, sweep_orphans},
    store::metadata::Gallery,
};
use reqwest::StatusCode;
use serde_json::{Value, json};
use time::OffsetDateTime;

use crate::{
    app::App,
    backends::Backend,
    faults::{FaultyMetadata, FaultyObjects},
};

fn small(prompt: &str, n: u32) -> Value {
    json!({"prompt": prompt, "width": 256, "height": 256, "n": n})
}

pub async fn a_person_generates_lists_loads_and_deletes_images(backend: Backend) {
    let app = App::spawn(backend.media.clone(), backend.metadata.clone()).await;
    let person = app.person().await;
    let response = app
        .generate(&person, small("a lighthouse at dusk", 2), None)
        .await;
    assert_eq!(response.status(), StatusCode::CREATED);
    let generation: Value = response.json::<Value>().await.unwrap()["generation"].clone();
    let images = generation["images"].as_array().unwrap();
    assert_eq!(images.len(), 2);
    assert_eq!(
        app.files_of(&person).await.len(),
        4,
        "an original and a thumbnail each"
    );

    for image in images {
        for (field, expected_type) in [
            ("url", image["content_type"].as_str().unwrap()),
            ("thumbnail_url", "image/jpeg"),
        ] {
            let loaded = reqwest::get(app.url(image[field].as_str().unwrap()))
                .await
                .unwrap();
            assert_eq!(loaded.status(), StatusCode::OK, "{field}");
            assert_eq!(loaded.headers()["content-type"], expected_type, "{field}");
            let cache = loaded.headers()["cache-control"]
                .to_str()
                .unwrap()
                .to_owned();
            assert!(cache.contains("max-age="), "{cache}");
            let bytes = loaded.bytes().await.unwrap();
            image::load_from_memory(&bytes).expect("a real image");
        }
    }

    let first = images[0]["id"].as_str().unwrap();
    let deleted = person
        .client
        .delete(app.url(&format!("/api/images/{first}")))
        .send()
        .await
        .unwrap();
    assert_eq!(deleted.status(), StatusCode::NO_CONTENT);
    assert_eq!(
        app.gallery_ids(&person).await,
        vec![images[1]["id"].as_str().unwrap().to_owned()]
    );
    assert_eq!(app.files_of(&person).await.len(), 2);
    assert!(
        !backend
            .metadata
            .image_record_exists(&person.id, first)
            .await
            .unwrap()
    );
    let gone = reqwest::get(app.url(images[0]["url"].as_str().unwrap()))
        .await
        .unwrap();
    assert!(gone.status().is_client_error(), "{}", gone.status());
}

pub async fn concurrent_identical_requests_make_one_generation(backend: Backend) {
    let app = App::spawn(backend.media.clone(), backend.metadata.clone()).await;
    let person = app.person().await;
    let body = small("one and only", 2);
    let responses =
        join_all((0..5).map(|_| app.generate(&person, body.clone(), Some("retry-1")))).await;
    let mut generation_ids = Vec::new();
    for response in responses {
        match response.status() {
            StatusCode::CREATED => generation_ids.push(
                response.json::<Value>().await.unwrap()["generation"]["id"]
                    .as_str()
                    .unwrap()
                    .to_owned(),
            ),
            StatusCode::CONFLICT => {}
            other => panic!("unexpected {other}"),
        }
    }
    assert!(!generation_ids.is_empty());
    generation_ids.dedup();
    assert_eq!(
        generation_ids.len(),
        1,
        "every success is the same generation"
    );
    // A later retry replays it.
    let replay = app.generate(&person, body, Some("retry-1")).await;
    assert_eq!(replay.status(), StatusCode::CREATED);
    assert_eq!(
        replay.json::<Value>().await.unwrap()["generation"]["id"],
        generation_ids[0]
    );
    assert_eq!(app.gallery_ids(&person).await.len(), 2);
    assert_eq!(app.files_of(&person).await.len(), 4);
}

pub async fn a_failed_object_write_leaves_no_record_and_no_files(backend: Backend) {
    let objects = FaultyObjects::new(backend.media.objects());
    let app = App::spawn(
        backend.media.clone().with_objects(objects.clone()),
        backend.metadata.clone(),
    )
    .await;
    let person = app.person().await;
    objects.puts.fail_call(3, false);
    let response = app.generate(&person, small("doomed", 2), None).await;
    assert!(response.status().is_server_error(), "{}", response.status());
    assert!(app.gallery_ids(&person).await.is_empty());
    assert!(app.files_of(&person).await.is_empty());
    let me = app.me(&person).await;
    assert_eq!(me["usage"]["images"], 0);
    assert_eq!(
        me["usage"]["generations_this_month"], 0,
        "the reservation is given back"
    );
}

pub async fn a_failed_clean_up_never_hides_why_a_generation_failed(backend: Backend) {
    let metadata = FaultyMetadata::new(backend.metadata.clone());
    let app = App::spawn(backend.media.clone(), metadata.clone()).await;
    let person = app.person().await;
    // Giving back the reservation and the idempotency key both fail from now on.
    metadata.releases.fail_call(1, true);
    for attempt in 0..40 {
        let body = json!({"prompt": "fill the store", "width": 1024, "height": 1024, "n": 4});
        let key = format!("fill-{attempt}");
        let response = app.generate(&person, body, Some(&key)).await;
        if response.status() == StatusCode::CREATED {
            continue;
        }
        // The store's quota refused the images: that is the answer, not the clean-up's failure.
        let status = response.status();
        let problem: Value = response.json().await.unwrap();
        assert_eq!(status, StatusCode::TOO_MANY_REQUESTS, "{problem}");
        assert_eq!(problem["code"], "quota_exceeded", "{problem}");
        return;
    }
    panic!("the storage quota never refused a generation");
}

pub async fn files_orphaned_by_a_failed_record_are_swept_after_the_grace_period(backend: Backend) {
    let objects = FaultyObjects::new(backend.media.objects());
    let metadata = FaultyMetadata::new(backend.metadata.clone());
    let app = App::spawn(
        backend.media.clone().with_objects(objects.clone()),
        metadata.clone(),
    )
    .await;
    let person = app.person().await;
    let kept = app.generate(&person, small("kept", 1), None).await;
    assert_eq!(kept.status(), StatusCode::CREATED);

    // The record fails and so does the immediate clean-up, as in a crash.
    metadata.inserts.fail_call(1, false);
    objects.deletes.fail_call(1, true);
    let response = app.generate(&person, small("orphaned", 2), None).await;
    assert!(response.status().is_server_error());
    objects.deletes.heal();
    assert_eq!(app.gallery_ids(&person).await.len(), 1);
    assert_eq!(app.files_of(&person).await.len(), 2 + 4);

    let media = &app.state.media;
    let prefix = format!("users/{}", person.id);
    let report = sweep_orphans(
        media,
        metadata.as_ref(),
        &prefix,
        3600,
        OffsetDateTime::now_utc(),
    )
    .await
    .unwrap();
    assert!(
        report.removed.is_empty(),
        "young files may belong to a generation in progress"
    );
    let later = OffsetDateTime::now_utc() + Duration::from_secs(3601);
    let report = sweep_orphans(media, metadata.as_ref(), &prefix, 3600, later)
        .await
        .unwrap();
    assert_eq!(report.examined, 6);
    assert_eq!(report.removed.len(), 4);
    assert_eq!(
        app.files_of(&person).await.len(),
        2,
        "the recorded image keeps its files"
    );
    let kept_id = &app.gallery_ids(&person).await[0];
    let download = person
        .client
        .get(app.url(&format!("/api/images/{kept_id}/download")))
        .send()
        .await
        .unwrap();
    assert_eq!(download.status(), StatusCode::OK);
    image::load_from_memory(&download.bytes().await.unwrap()).expect("the kept image still loads");
}

/// When the answer to recording a generation's images is lost, the records
/// decide: written, the generation stands with its files; not written, the
/// files stay for the sweeper, since a late write could still name them.
pub async fn a_lost_answer_to_recording_images_never_loses_a_recorded_image(backend: Backend) {
    let metadata = FaultyMetadata::new(backend.metadata.clone());
    let app = App::spawn(backend.media.clone(), metadata.clone()).await;
    let person = app.person().await;

    metadata.inserts_applied_unanswered.fail_call(1, false);
    let applied = app.generate(&person, small("applied", 1), None).await;
    metadata.inserts_unapplied_unanswered.fail_call(1, false);
    let unapplied = app.generate(&person, small("unapplied", 1), None).await;

    assert_eq!(applied.status(), StatusCode::CREATED);
    assert!(unapplied.status().is_server_error());
    let kept = app.gallery_ids(&person).await;
    assert_eq!(kept.len(), 1);
    assert_eq!(app.files_of(&person).await.len(), 2 + 2);
    let download = person
        .client
        .get(app.url(&format!("/api/images/{}/download", kept[0])))
        .send()
        .await
        .unwrap();
    assert_eq!(download.status(), StatusCode::OK);
    let me = app.me(&person).await;
    assert_eq!(me["usage"]["generations_this_month"], 1, "{me}");

    let media = &app.state.media;
    let prefix = format!("users/{}", person.id);
    let later = OffsetDateTime::now_utc() + Duration::from_secs(3601);
    let report = sweep_orphans(media, metadata.as_ref(), &prefix, 3600, later)
        .await
        .unwrap();
    assert_eq!(report.removed.len(), 2);
    assert_eq!(app.files_of(&person).await.len(), 2);
}

pub async fn a_delete_that_fails_half_way_can_be_run_again(backend: Backend) {
    let objects = FaultyObjects::new(backend.media.objects());
    let metadata = FaultyMetadata::new(backend.metadata.clone());
    let app = App::spawn(
        backend.media.clone().with_objects(objects.clone()),
        metadata.clone(),
    )
    .await;
    let person = app.person().await;
    let generated: Value = app
        .generate(&person, small("brief", 1), None)
        .await
        .json()
        .await
        .unwrap();
    let id = generated["generation"]["images"][0]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let path = app.url(&format!("/api/images/{id}"));

    // The thumbnail's delete fails: the image is hidden, its record kept.
    objects.deletes.fail_call(2, false);
    let failed = person.client.delete(&path).send().await.unwrap();
    assert!(failed.status().is_server_error());
    assert!(app.gallery_ids(&person).await.is_empty());
    assert!(metadata.image_record_exists(&person.id, &id).await.unwrap());
    assert_eq!(app.files_of(&person).await.len(), 1);

    // Then the record's delete fails.
    metadata.deletes.fail_call(1, false);
    let failed = person.client.delete(&path).send().await.unwrap();
    assert!(failed.status().is_server_error());
    assert!(app.files_of(&person).await.is_empty());

    let done = person.client.delete(&path).send().await.unwrap();
    assert_eq!(done.status(), StatusCode::NO_CONTENT);
    assert!(!metadata.image_record_exists(&person.id, &id).await.unwrap());
    let me = app.me(&person).await;
    assert_eq!(me["usage"]["images"], 0);
    assert_eq!(me["usage"]["storage_bytes"], 0);
    let again = person.client.delete(&path).send().await.unwrap();
    assert_eq!(again.status(), StatusCode::NOT_FOUND);
}

/// A delete the process never finished (killed after hiding the image, or
/// after its first file) is finished by the sweep: record, files and counts.
pub async fn a_delete_stopped_half_way_is_finished_by_the_sweep(backend: Backend) {
    let app = App::spawn(backend.media.clone(), backend.metadata.clone()).await;
    let person = app.person().await;
    let response = app.generate(&person, small("three boats", 3), None).await;
    assert_eq!(response.status(), StatusCode::CREATED);
    let ids = app.gallery_ids(&person).await;
    let metadata = app.state.metadata.clone();

    // Stopped after hiding; stopped after removing the original.
    metadata
        .hide_image(&person.id, &ids[0])
        .await
        .unwrap()
        .unwrap();
    let second = metadata
        .hide_image(&person.id, &ids[1])
        .await
        .unwrap()
        .unwrap();
    app.state.media.delete(&second.object_key).await.unwrap();
    assert_eq!(app.gallery_ids(&person).await, vec![ids[2].clone()]);
    assert_eq!(app.me(&person).await["usage"]["images"], 3);

    let report = sweep_everything(
        app.state.metadata.as_ref(),
        &app.state.media,
        &app.state.config,
    )
    .await
    .unwrap();

    assert!(report.finished_deletes >= 2, "{report:?}");
    for id in &ids[..2] {
        assert!(!metadata.image_record_exists(&person.id, id).await.unwrap());
    }
    assert_eq!(
        app.files_of(&person).await.len(),
        2,
        "the kept image's two files"
    );
    let me = app.me(&person).await;
    assert_eq!(me["usage"]["images"], 1, "{me}");
    assert_eq!(app.gallery_ids(&person).await, vec![ids[2].clone()]);
    assert!(
        !metadata
            .unfinished_deletes(1000)
            .await
            .unwrap()
            .iter()
            .any(|entry| entry.user_id == person.id)
    );
}

pub async fn bulk_actions_trash_restore_and_delete_with_files_on_every_store(backend: Backend) {
    let app = App::spawn(backend.media.clone(), backend.metadata.clone()).await;
    let person = app.person().await;
    let response = app
        .generate(&person, small("a row of lanterns", 3), None)
        .await;
    assert_eq!(response.status(), StatusCode::CREATED);
    let mut ids = app.gallery_ids(&person).await;
    ids.sort_by(|a, b| b.cmp(a));
    let bulk = |body: Value| {
        let request = person.client.post(app.url("/api/images/bulk")).json(&body);
        async move {
            let response = request.send().await.unwrap();
            assert_eq!(response.status(), StatusCode::OK);
            response.json::<Value>().await.unwrap()
        }
    };
    bulk(json!({"action": "favorite", "ids": [ids[0]]})).await;
    let trashed = bulk(json!({"action": "trash", "ids": ids})).await;
    assert_eq!(trashed["succeeded"], json!([ids[1], ids[2]]));
    assert_eq!(
        trashed["failed"],
        json!([{"id": ids[0], "code": "favorite_protected"}])
    );
    assert_eq!(app.gallery_ids(&person).await, vec![ids[0].clone()]);
    let me = app.me(&person).await;
    assert_eq!(me["usage"]["trash_images"], 2);

    let restored = bulk(json!({"action": "restore", "ids": [ids[1]]})).await;
    assert_eq!(restored["succeeded"], json!([ids[1]]));
    let deleted = bulk(json!({"action": "delete", "ids": [ids[1], ids[2]]})).await;
    assert_eq!(deleted["succeeded"], json!([ids[1], ids[2]]));
    assert_eq!(app.gallery_ids(&person).await, vec![ids[0].clone()]);
    assert_eq!(
        app.files_of(&person).await.len(),
        2,
        "the deleted images' files are gone"
    );
    let me = app.me(&person).await;
    assert_eq!(
        (&me["usage"]["images"], &me["usage"]["trash_images"]),
        (&json!(1), &json!(0))
    );
}

/// What the operator's statistics show, on every store: what was made, what
/// failed and why, and what the web app reported, each counted once.
pub async fn an_operator_sees_what_was_made_and_what_failed(backend: Backend) {
    let objects = FaultyObjects::new(backend.media.objects());
    let app = App::spawn(
        backend.media.clone().with_objects(objects.clone()),
        backend.metadata.clone(),
    )
    .await;
    let operator = app.operator().await;
    let before = app.stats(&operator).await;
    let person = app.person().await;

    let made = app.generate(&person, small("kept", 2), None).await;
    assert_eq!(made.status(), StatusCode::CREATED);
    objects.puts.fail_call(1, false);
    let failed = app.generate(&person, small("doomed", 1), None).await;
    assert!(failed.status().is_server_error(), "{}", failed.status());
    let code = failed.json::<Value>().await.unwrap()["code"]
        .as_str()
        .unwrap()
        .to_owned();
    let reported = reqwest::Client::new()
        .post(app.url("/api/client-errors"))
        .json(&json!({"message": "TypeError: boom", "route": "/generate"}))
        .send()
        .await
        .unwrap();
    assert_eq!(reported.status(), StatusCode::ACCEPTED);
    let after = app.stats(&operator).await;

    let grew = |path: &str| {
        after.pointer(path).unwrap().as_u64().unwrap()
            - before.pointer(path).unwrap().as_u64().unwrap()
    };
    assert_eq!(grew("/users/total"), 1);
    assert_eq!(grew("/images"), 2);
    assert!(grew("/storage_bytes") > 0);
    assert_eq!(grew("/generations_by_day/29/generations"), 1);
    assert_eq!(grew("/generations_by_day/29/images"), 2);
    assert_eq!(grew("/generations_by_day/29/failures"), 1);
    assert_eq!(grew("/errors/generation_failures"), 1);
    assert_eq!(grew("/errors/client_errors"), 1);
    let failures = |stats: &Value| -> u64 {
        stats["errors"]["top_failure_codes"]
            .as_array()
            .unwrap()
            .iter()
            .find(|failure| failure["code"] == code.as_str())
            .map_or(0, |failure| failure["count"].as_u64().unwrap())
    };
    assert_eq!(failures(&after) - failures(&before), 1, "{after}");
    assert!(after["users"]["active_1d"].as_u64().unwrap() >= 1);
}

/// Live mode on every store: a draft is made outside the gallery, kept into
/// it once however many keeps arrive at once, and swept when it expires
/// while the kept image stays.
pub async fn a_draft_is_kept_into_the_gallery_once_and_swept_when_it_expires(backend: Backend) {
    let app = App::spawn(backend.media.clone(), backend.metadata.clone()).await;
    let person = app.person().await;
    let stranger = app.person().await;
    let made = person
        .client
        .post(app.url("/api/drafts"))
        .json(&json!({"prompt": "a red fox in the snow", "width": 256, "height": 256, "steps": 1}))
        .send()
        .await
        .unwrap();
    assert_eq!(made.status(), StatusCode::CREATED);
    let draft = made.json::<Value>().await.unwrap()["draft"].clone();
    let id = draft["id"].as_str().unwrap().to_owned();
    let picture = reqwest::get(app.url(draft["url"].as_str().unwrap()))
        .await
        .unwrap();
    assert_eq!(picture.status(), StatusCode::OK);
    assert!(app.gallery_ids(&person).await.is_empty());
    assert!(app.files_of(&person).await.is_empty());
    let usage = app.me(&person).await["usage"].clone();
    assert_eq!(
        (
            &usage["drafts_this_month"],
            &usage["storage_bytes"],
            &usage["generations_this_month"]
        ),
        (&json!(1), &json!(0), &json!(0)),
        "{usage}"
    );

    let keep = |who: &crate::app::Person| {
        who.client
            .post(app.url(&format!("/api/drafts/{id}/keep")))
            .send()
    };
    assert_eq!(
        keep(&stranger).await.unwrap().status(),
        StatusCode::NOT_FOUND
    );
    let kept = join_all([keep(&person), keep(&person)]).await;
    let mut image_ids = Vec::new();
    for answer in kept {
        let answer = answer.unwrap();
        assert_eq!(answer.status(), StatusCode::CREATED);
        let generation = answer.json::<Value>().await.unwrap()["generation"].clone();
        assert_eq!(generation["images"][0]["seed"], draft["seed"]);
        image_ids.push(generation["images"][0]["id"].as_str().unwrap().to_owned());
    }
    assert_eq!(image_ids[0], image_ids[1], "one image, however many keeps");
    assert_eq!(keep(&person).await.unwrap().status(), StatusCode::CREATED);
    assert_eq!(app.gallery_ids(&person).await, vec![image_ids[0].clone()]);
    assert_eq!(app.files_of(&person).await.len(), 2);
    let usage = app.me(&person).await["usage"].clone();
    assert_eq!(usage["generations_this_month"], 1, "{usage}");
    assert_eq!(usage["images"], 1, "{usage}");

    let record = app
        .state
        .metadata
        .draft(&person.id, &id)
        .await
        .unwrap()
        .unwrap();
    let later = OffsetDateTime::now_utc() + time::Duration::days(2);
    let removed = promptcanvas::gallery::sweep::delete_expired_drafts(
        app.state.metadata.as_ref(),
        &app.state.media,
        later,
    )
    .await
    .unwrap();
    assert!(removed >= 1);
    assert!(
        app.state
            .media
            .get(&record.object_key)
            .await
            .unwrap()
            .is_none()
    );
    assert!(
        app.state
            .metadata
            .draft(&person.id, &id)
            .await
            .unwrap()
            .is_none()
    );
    assert_eq!(keep(&person).await.unwrap().status(), StatusCode::NOT_FOUND);
    assert_eq!(app.gallery_ids(&person).await, vec![image_ids[0].clone()]);
    assert_eq!(
        app.files_of(&person).await.len(),
        2,
        "the kept image's files stay"
    );
}
