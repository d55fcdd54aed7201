use promptcanvas::generation::pipeline::largest_expected_bytes;
use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::helpers::{TestApp, User, assert_problem, early_in_a_minute, small};

async fn field_error(app: &TestApp, user: &User, body: Value, field: &str) {
    let response = app.generate(user, body).await;
    let problem = assert_problem(
        response,
        StatusCode::UNPROCESSABLE_ENTITY,
        "invalid_request",
    )
    .await;
    let fields: Vec<&str> = problem["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["field"].as_str().unwrap())
        .collect();
    assert_eq!(fields, [field], "{problem}");
}

#[tokio::test]
async fn every_out_of_range_setting_is_refused_before_any_work() {
    let app = TestApp::spawn().await;
    let user = app.signed_in_user().await;
    field_error(&app, &user, json!({"prompt": "   "}), "prompt").await;
    field_error(&app, &user, json!({"prompt": "x".repeat(2001)}), "prompt").await;
    field_error(&app, &user, json!({"prompt": "x", "width": 1000}), "width").await;
    field_error(
        &app,
        &user,
        json!({"prompt": "x", "height": 2048}),
        "height",
    )
    .await;
    field_error(&app, &user, json!({"prompt": "x", "width": -16}), "width").await;
    field_error(&app, &user, json!({"prompt": "x", "n": 0}), "n").await;
    field_error(&app, &user, json!({"prompt": "x", "n": 5}), "n").await;
    field_error(&app, &user, json!({"prompt": "x", "steps": 0}), "steps").await;
    field_error(&app, &user, json!({"prompt": "x", "steps": 9}), "steps").await;
    field_error(&app, &user, json!({"prompt": "x", "seed": -1}), "seed").await;
    field_error(
        &app,
        &user,
        json!({"prompt": "x", "seed": 4_294_967_296u64}),
        "seed",
    )
    .await;
    field_error(
        &app,
        &user,
        json!({"prompt": "x", "model": "dall-e"}),
        "model",
    )
    .await;
    field_error(
        &app,
        &user,
        json!({"prompt": "x", "style": "unknown"}),
        "style",
    )
    .await;
    field_error(
        &app,
        &user,
        json!({"prompt": "x", "negative_prompt": "blurry"}),
        "negative_prompt",
    )
    .await;

    // Nothing was generated or counted for any of them.
    let me = app.get_json(&user, "/api/me").await;
    assert_eq!(me["usage"]["generations_this_month"], 0);
}

#[tokio::test]
async fn a_prompt_of_exactly_the_limit_is_accepted() {
    let app = TestApp::spawn().await;
    let user = app.signed_in_user().await;
    app.generate_ok(
        &user,
        json!({"prompt": "é".repeat(2000), "width": 256, "height": 256}),
    )
    .await;
}

#[tokio::test]
async fn whole_numbers_written_with_a_decimal_point_are_numbers_too() {
    // JSON Schema, and so the API document, counts 2.0 as an integer.
    let app = TestApp::spawn().await;
    let user = app.signed_in_user().await;
    let body = app
        .generate_ok(
            &user,
            json!({"prompt": "x", "n": 2.0, "width": 256.0, "height": 256, "steps": 1.0, "seed": 7.0}),
        )
        .await;
    let images = body["images"].as_array().unwrap();
    assert_eq!(images.len(), 2);
    assert_eq!(
        (images[0]["width"].as_u64(), images[0]["seed"].as_u64()),
        (Some(256), Some(7))
    );
}

#[tokio::test]
async fn malformed_bodies_get_a_clear_400() {
    let app = TestApp::spawn().await;
    let user = app.signed_in_user().await;
    let unknown = app
        .generate(&user, json!({"prompt": "x", "colour": "red"}))
        .await;
    let problem = assert_problem(unknown, StatusCode::BAD_REQUEST, "invalid_request").await;
    assert!(problem["detail"].as_str().unwrap().contains("colour"));

    let wrong_type = app
        .generate(&user, json!({"prompt": "x", "width": "wide"}))
        .await;
    assert_problem(wrong_type, StatusCode::BAD_REQUEST, "invalid_request").await;
    let missing = app.generate(&user, json!({"width": 256})).await;
    assert_problem(missing, StatusCode::BAD_REQUEST, "invalid_request").await;

    // A fraction is not a count; the answer speaks JSON, not the server's types.
    let fraction = app.generate(&user, json!({"prompt": "x", "n": 1.5})).await;
    let problem = assert_problem(fraction, StatusCode::BAD_REQUEST, "invalid_request").await;
    let detail = problem["detail"].as_str().unwrap();
    assert!(detail.contains("whole number"), "{detail}");
    for internal in ["i64", "u32", "u64", "f64", "Option"] {
        assert!(!detail.contains(internal), "{detail}");
    }

    let broken = user
        .client
        .post(app.url("/api/generations"))
        .header("content-type", "application/json")
        .body("{\"prompt\": ")
        .send()
        .await
        .unwrap();
    assert_problem(broken, StatusCode::BAD_REQUEST, "invalid_request").await;
}

#[tokio::test]
async fn bodies_over_64_kib_are_refused_with_413() {
    let app = TestApp::spawn().await;
    let user = app.signed_in_user().await;
    let response = app
        .generate(&user, json!({"prompt": "x".repeat(70 * 1024)}))
        .await;
    assert_problem(response, StatusCode::PAYLOAD_TOO_LARGE, "payload_too_large").await;
}

#[tokio::test]
async fn an_image_regenerated_from_its_recorded_settings_is_identical() {
    let app = TestApp::spawn().await;
    let user = app.signed_in_user().await;
    let first = app
        .generate_ok(&user, json!({"prompt": "misty mountains at dawn", "width": 320, "height": 256, "steps": 5, "n": 3}))
        .await;
    let third = &first["images"][2];
    let again = app
        .generate_ok(
            &user,
            json!({"prompt": "misty mountains at dawn", "width": 320, "height": 256, "steps": 5,
                   "seed": third["seed"]}),
        )
        .await;
    let original = app
        .get(
            &user,
            &format!("/api/images/{}/download", third["id"].as_str().unwrap()),
        )
        .await;
    let copy = app
        .get(
            &user,
            &format!(
                "/api/images/{}/download",
                again["images"][0]["id"].as_str().unwrap()
            ),
        )
        .await;
    assert_eq!(original.bytes().await.unwrap(), copy.bytes().await.unwrap());
}

#[tokio::test]
async fn a_retry_with_the_same_idempotency_key_returns_the_first_result() {
    let app = TestApp::spawn().await;
    let user = app.signed_in_user().await;
    let send = |body: Value| {
        user.client
            .post(app.url("/api/generations"))
            .header("idempotency-key", "retry-me-1")
            .json(&body)
            .send()
    };
    let first = send(small("a red fox")).await.unwrap();
    assert_eq!(first.status(), StatusCode::CREATED);
    let first: Value = first.json().await.unwrap();
    let replay = send(small("a red fox")).await.unwrap();
    assert_eq!(replay.status(), StatusCode::CREATED);
    assert_eq!(replay.headers()["idempotent-replayed"], "true");
    let replay: Value = replay.json().await.unwrap();
    assert_eq!(first["generation"]["id"], replay["generation"]["id"]);

    // No second generation happened.
    let me = app.get_json(&user, "/api/me").await;
    assert_eq!(me["usage"]["generations_this_month"], 1);
    assert_eq!(app.all_image_ids(&user, "").await.len(), 1);

    let conflict = send(small("a blue fox")).await.unwrap();
    assert_problem(conflict, StatusCode::CONFLICT, "idempotency_conflict").await;
}

#[tokio::test]
async fn concurrent_requests_with_one_idempotency_key_generate_once() {
    let app = TestApp::spawn().await;
    let user = app.signed_in_user().await;
    let attempts = (0..4).map(|_| {
        user.client
            .post(app.url("/api/generations"))
            .header("idempotency-key", "double-click")
            .json(&small("a red fox"))
            .send()
    });
    let responses = futures::future::join_all(attempts).await;
    let statuses: Vec<StatusCode> = responses
        .iter()
        .map(|r| r.as_ref().unwrap().status())
        .collect();
    assert!(
        statuses
            .iter()
            .all(|s| *s == StatusCode::CREATED || *s == StatusCode::CONFLICT),
        "{statuses:?}"
    );
    assert_eq!(app.all_image_ids(&user, "").await.len(), 1);
}

#[tokio::test]
async fn idempotency_keys_belong_to_one_user() {
    let app = TestApp::spawn().await;
    let ada = app.signed_in_user().await;
    let bob = app.signed_in_user().await;
    for user in [&ada, &bob] {
        let response = user
            .client
            .post(app.url("/api/generations"))
            .header("idempotency-key", "same-key")
            .json(&small("a red fox"))
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), StatusCode::CREATED);
    }
    assert_eq!(app.all_image_ids(&bob, "").await.len(), 1);
}

#[tokio::test]
async fn generating_too_fast_is_rate_limited_with_a_retry_time() {
    let app = TestApp::spawn_with(|config| config.limits.generations_per_minute = 2).await;
    let user = app.signed_in_user().await;
    app.generate_ok(&user, small("one")).await;
    app.generate_ok(&user, small("two")).await;
    let response = app.generate(&user, small("three")).await;
    let retry_after: u64 = response.headers()["retry-after"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!((1..=60).contains(&retry_after));
    assert_problem(response, StatusCode::TOO_MANY_REQUESTS, "rate_limited").await;
}

#[tokio::test]
async fn the_monthly_quota_cannot_be_exceeded() {
    let app = TestApp::spawn_with(|config| config.limits.monthly_generation_quota = 3).await;
    let user = app.signed_in_user().await;
    app.generate_ok(
        &user,
        json!({"prompt": "x", "width": 256, "height": 256, "n": 2}),
    )
    .await;
    let response = app
        .generate(
            &user,
            json!({"prompt": "x", "width": 256, "height": 256, "n": 2}),
        )
        .await;
    assert!(response.headers().contains_key("retry-after"));
    assert_problem(response, StatusCode::TOO_MANY_REQUESTS, "quota_exceeded").await;
    app.generate_ok(&user, small("the last one fits")).await;
    let me = app.get_json(&user, "/api/me").await;
    assert_eq!(me["usage"]["generations_this_month"], 3);
}

/// The stored size of one 256×256 image of `prompt` at `seed`: the offline
/// engine is deterministic, so every generation of it weighs the same.
async fn image_bytes(prompt: &str, seed: u64) -> u64 {
    let app = TestApp::spawn().await;
    let user = app.signed_in_user().await;
    let generation = app
        .generate_ok(
            &user,
            json!({"prompt": prompt, "width": 256, "height": 256, "seed": seed}),
        )
        .await;
    generation["images"][0]["bytes"].as_u64().unwrap()
}

#[tokio::test]
async fn concurrent_generations_cannot_overshoot_the_storage_quota() {
    // Arrange: room for two images and a half, more than one request may need.
    let one = image_bytes("a quiet harbour", 7).await;
    let quota = (one * 5 / 2).max(largest_expected_bytes(256, 256, 1));
    let app = TestApp::spawn_with(|config| config.limits.storage_quota_bytes = quota).await;
    let user = app.signed_in_user().await;
    let body = json!({"prompt": "a quiet harbour", "width": 256, "height": 256, "seed": 7});

    // Act: requests that all find the store empty enough before any is recorded.
    let answers =
        futures::future::join_all((0..6).map(|_| app.generate(&user, body.clone()))).await;

    // Assert: however the requests interleave, what is kept fits the quota
    // and each refused request gave its monthly quota back.
    let mut created = 0;
    for response in answers {
        if response.status() == StatusCode::CREATED {
            created += 1;
        } else {
            assert_problem(response, StatusCode::TOO_MANY_REQUESTS, "quota_exceeded").await;
        }
    }
    assert!(created >= 1 && created * one <= quota, "{created} kept");
    assert!(created < 6, "six images cannot fit");
    let me = app.get_json(&user, "/api/me").await;
    assert_eq!(me["usage"]["storage_bytes"], created * one);
    assert_eq!(me["usage"]["storage_quota_bytes"], quota);
    assert_eq!(me["usage"]["images"], created);
    assert_eq!(
        me["usage"]["generations_this_month"], created,
        "refused generations give their monthly quota back"
    );
    assert_eq!(
        app.all_image_ids(&user, "limit=50").await.len() as u64,
        created
    );
}

#[tokio::test]
async fn a_full_storage_quota_frees_up_when_images_are_deleted() {
    // Arrange: after one image, less room than the next may need.
    let one = image_bytes("a red kite", 3).await;
    let quota = largest_expected_bytes(256, 256, 1) + one / 2;
    let app = TestApp::spawn_with(|config| config.limits.storage_quota_bytes = quota).await;
    let user = app.signed_in_user().await;
    let body = json!({"prompt": "a red kite", "width": 256, "height": 256, "seed": 3});
    let first = app.generate_ok(&user, body.clone()).await;
    let refused = app.generate(&user, body.clone()).await;
    let problem = assert_problem(refused, StatusCode::TOO_MANY_REQUESTS, "quota_exceeded").await;
    assert!(
        problem["detail"]
            .as_str()
            .unwrap()
            .contains("delete images")
    );

    // Act
    let id = first["images"][0]["id"].as_str().unwrap();
    let deleted = user
        .client
        .delete(app.url(&format!("/api/images/{id}")))
        .send()
        .await
        .unwrap();
    assert_eq!(deleted.status(), StatusCode::NO_CONTENT);

    // Assert
    app.generate_ok(&user, body).await;
}

#[tokio::test]
async fn a_run_sent_image_by_image_counts_in_images_against_the_limit() {
    let app = TestApp::spawn_with(|config| config.limits.generations_per_minute = 2).await;
    let user = app.signed_in_user().await;
    let grouped = |prompt: &str, group: &str| {
        user.client
            .post(app.url("/api/generations"))
            .header("generation-group", group)
            .json(&json!({"prompt": prompt, "width": 256, "height": 256, "n": 1}))
            .send()
    };
    early_in_a_minute().await;
    // Two requests a minute of up to 4 images each: eight single-image requests.
    for index in 0..8 {
        let response = grouped(&format!("image {index}"), "run-1").await.unwrap();
        assert_eq!(response.status(), StatusCode::CREATED, "image {index}");
    }
    let refused = grouped("one too many", "run-2").await.unwrap();
    assert!(refused.headers().contains_key("retry-after"));
    assert_problem(refused, StatusCode::TOO_MANY_REQUESTS, "rate_limited").await;
    // Whole requests have their own count, untouched by the images above.
    app.generate_ok(&user, small("whole one")).await;
    app.generate_ok(&user, small("whole two")).await;
    let response = app.generate(&user, small("whole three")).await;
    assert_problem(response, StatusCode::TOO_MANY_REQUESTS, "rate_limited").await;
}

#[tokio::test]
async fn a_run_group_of_several_images_counts_as_a_whole_request() {
    let app = TestApp::spawn_with(|config| config.limits.generations_per_minute = 1).await;
    let user = app.signed_in_user().await;
    early_in_a_minute().await;
    let send = |group: &'static str| {
        user.client
            .post(app.url("/api/generations"))
            .header("generation-group", group)
            .json(&json!({"prompt": "x", "width": 256, "height": 256, "n": 2}))
            .send()
    };
    assert_eq!(send("run-1").await.unwrap().status(), StatusCode::CREATED);
    let refused = send("run-2").await.unwrap();
    assert_problem(refused, StatusCode::TOO_MANY_REQUESTS, "rate_limited").await;
}

#[tokio::test]
async fn a_malformed_run_group_is_refused_before_anything_is_made() {
    let app = TestApp::spawn().await;
    let user = app.signed_in_user().await;
    for group in ["", "has space", "slash/y", &"x".repeat(65)] {
        let response = user
            .client
            .post(app.url("/api/generations"))
            .header("generation-group", group)
            .json(&json!({"prompt": "x", "width": 256, "height": 256}))
            .send()
            .await
            .unwrap();
        let problem = assert_problem(response, StatusCode::BAD_REQUEST, "invalid_request").await;
        assert!(
            problem.to_string().contains("Generation-Group"),
            "{problem}"
        );
    }
    assert!(app.all_image_ids(&user, "").await.is_empty());
}

#[tokio::test]
async fn a_late_replay_has_fresh_links_and_leaves_out_deleted_images() {
    let app = TestApp::spawn().await;
    let user = app.signed_in_user().await;
    let body = json!({"prompt": "two ships", "width": 256, "height": 256, "n": 2});
    let send = || {
        user.client
            .post(app.url("/api/generations"))
            .header("idempotency-key", "late-replay")
            .json(&body)
            .send()
    };
    let first: Value = send().await.unwrap().json().await.unwrap();
    let images = first["generation"]["images"].as_array().unwrap().clone();
    let (kept, deleted) = (&images[0], &images[1]);
    let gone = user
        .client
        .delete(app.url(&format!("/api/images/{}", deleted["id"].as_str().unwrap())))
        .send()
        .await
        .unwrap();
    assert_eq!(gone.status(), StatusCode::NO_CONTENT);
    // Hours later the stored answer's links have expired: age them in the database.
    let database =
        rusqlite::Connection::open(app.state.config.server.data_dir.join("promptcanvas.db"))
            .unwrap();
    let stored: String = database
        .query_row(
            "SELECT response FROM idempotency_keys WHERE key = 'late-replay'",
            [],
            |row| row.get(0),
        )
        .unwrap();
    let exp = kept["url"]
        .as_str()
        .unwrap()
        .split("exp=")
        .nth(1)
        .unwrap()
        .split('&')
        .next()
        .unwrap()
        .to_owned();
    let aged = stored.replace(&format!("exp={exp}"), "exp=1700000000");
    assert_ne!(aged, stored);
    database
        .execute(
            "UPDATE idempotency_keys SET response = ?1 WHERE key = 'late-replay'",
            [&aged],
        )
        .unwrap();

    let replay = send().await.unwrap();
    assert_eq!(replay.status(), StatusCode::CREATED);
    assert_eq!(replay.headers()["idempotent-replayed"], "true");
    let replay: Value = replay.json().await.unwrap();
    assert_eq!(replay["generation"]["id"], first["generation"]["id"]);
    let replayed = replay["generation"]["images"].as_array().unwrap();
    assert_eq!(replayed.len(), 1, "the deleted image is left out");
    assert_eq!(replayed[0]["id"], kept["id"]);
    for field in ["url", "thumbnail_url"] {
        let url = replayed[0][field].as_str().unwrap();
        assert!(!url.contains("exp=1700000000"), "{url}");
        let loaded = user.client.get(app.url(url)).send().await.unwrap();
        assert_eq!(loaded.status(), StatusCode::OK, "{field} loads");
    }
}
