//! Live mode and costs through the API: drafts, keeping them, their limits,
//! and the time, cost and budget of every image.

use std::time::Duration;

use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::{
    fake_together::FakeTogether,
    helpers::{TestApp, User, assert_problem, early_in_a_minute, files_under, small},
};

async fn draft(app: &TestApp, user: &User, body: Value) -> reqwest::Response {
    user.client
        .post(app.url("/api/drafts"))
        .json(&body)
        .send()
        .await
        .unwrap()
}

async fn draft_ok(app: &TestApp, user: &User, body: Value) -> Value {
    let response = draft(app, user, body).await;
    assert_eq!(response.status(), StatusCode::CREATED);
    response.json::<Value>().await.unwrap()["draft"].clone()
}

async fn keep(app: &TestApp, user: &User, id: &str) -> reqwest::Response {
    user.client
        .post(app.url(&format!("/api/drafts/{id}/keep")))
        .send()
        .await
        .unwrap()
}

#[tokio::test]
async fn a_draft_stays_out_of_the_gallery_until_kept_and_keeping_twice_gives_one_image() {
    // Arrange
    let app = TestApp::spawn().await;
    let user = app.signed_in_user().await;

    // Act
    let made = draft_ok(
        &app,
        &user,
        json!({"prompt": "a cabin by a lake", "seed": 9}),
    )
    .await;
    let before_keep = app.get_json(&user, "/api/me").await["usage"].clone();
    let first = keep(&app, &user, made["id"].as_str().unwrap()).await;
    let second = keep(&app, &user, made["id"].as_str().unwrap()).await;

    // Assert: the draft, as API.md describes it.
    for field in [
        "id",
        "prompt",
        "model",
        "width",
        "height",
        "steps",
        "seed",
        "style",
        "url",
        "expires_at",
        "timings",
        "cost_usd",
    ] {
        assert!(made.get(field).is_some(), "{field} missing from {made}");
    }
    assert_eq!(made["seed"], 9);
    assert_eq!(made["cost_usd"], 0.0, "the offline engine is free");
    let picture = reqwest::get(app.url(made["url"].as_str().unwrap()))
        .await
        .unwrap();
    assert_eq!(picture.status(), StatusCode::OK);
    assert_eq!(picture.headers()["content-type"], "image/jpeg");
    let expires = time::OffsetDateTime::parse(
        made["expires_at"].as_str().unwrap(),
        &time::format_description::well_known::Rfc3339,
    )
    .unwrap();
    let lifetime = expires - time::OffsetDateTime::now_utc();
    assert!(lifetime > time::Duration::minutes(59) && lifetime <= time::Duration::hours(1));
    assert_eq!(before_keep["drafts_this_month"], 1, "{before_keep}");
    assert_eq!(before_keep["images"], 0, "{before_keep}");
    assert_eq!(before_keep["storage_bytes"], 0, "{before_keep}");
    assert_eq!(before_keep["monthly_draft_quota"], 1000, "{before_keep}");

    assert_eq!(first.status(), StatusCode::CREATED);
    assert_eq!(second.status(), StatusCode::CREATED);
    let first: Value = first.json().await.unwrap();
    let second: Value = second.json().await.unwrap();
    let image = &first["generation"]["images"][0];
    assert_eq!(image["id"], second["generation"]["images"][0]["id"]);
    assert_eq!(image["seed"], 9);
    assert_eq!(image["prompt"], "a cabin by a lake");
    assert_eq!(image["cost_usd"], 0.0);
    assert_eq!(image["timings"]["total_ms"], made["timings"]["total_ms"]);
    let gallery = app.get_json(&user, "/api/images").await;
    assert_eq!(gallery["items"].as_array().unwrap().len(), 1);
    assert_eq!(gallery["items"][0]["id"], image["id"]);
    let usage = app.get_json(&user, "/api/me").await["usage"].clone();
    assert_eq!(usage["generations_this_month"], 1, "{usage}");
    assert_eq!(usage["drafts_this_month"], 1, "{usage}");
}

#[tokio::test]
async fn another_persons_draft_and_unknown_drafts_cannot_be_kept() {
    let app = TestApp::spawn().await;
    let owner = app.signed_in_user().await;
    let stranger = app.signed_in_user().await;
    let made = draft_ok(&app, &owner, small("a lighthouse")).await;

    let stolen = keep(&app, &stranger, made["id"].as_str().unwrap()).await;
    let unknown = keep(&app, &owner, "01JZZZZZZZZZZZZZZZZZZZZZZZ").await;

    assert_problem(stolen, StatusCode::NOT_FOUND, "not_found").await;
    assert_problem(unknown, StatusCode::NOT_FOUND, "not_found").await;
    assert!(app.all_image_ids(&stranger, "limit=100").await.is_empty());
    assert!(app.all_image_ids(&owner, "limit=100").await.is_empty());
}

#[tokio::test]
async fn a_draft_is_one_image_and_checked_like_a_generation() {
    let app = TestApp::spawn().await;
    let user = app.signed_in_user().await;

    let two = draft(&app, &user, json!({"prompt": "x", "n": 2})).await;
    let too_wide = draft(&app, &user, json!({"prompt": "x", "width": 99999})).await;
    let anonymous = reqwest::Client::new()
        .post(app.url("/api/drafts"))
        .json(&small("x"))
        .send()
        .await
        .unwrap();

    let problem = assert_problem(two, StatusCode::UNPROCESSABLE_ENTITY, "invalid_request").await;
    assert_eq!(problem["errors"][0]["field"], "n", "{problem}");
    assert_problem(
        too_wide,
        StatusCode::UNPROCESSABLE_ENTITY,
        "invalid_request",
    )
    .await;
    assert_problem(anonymous, StatusCode::UNAUTHORIZED, "unauthenticated").await;
    let usage = app.get_json(&user, "/api/me").await["usage"].clone();
    assert_eq!(usage["drafts_this_month"], 0, "{usage}");
}

#[tokio::test]
async fn drafts_have_their_own_minute_limit_and_monthly_quota() {
    // Arrange
    let limited = TestApp::spawn_with(|config| config.limits.drafts_per_minute = 2).await;
    let quota = TestApp::spawn_with(|config| config.limits.monthly_draft_quota = 2).await;
    let (user, other) = (limited.signed_in_user().await, quota.signed_in_user().await);
    early_in_a_minute().await;

    // Act
    for _ in 0..2 {
        draft_ok(&limited, &user, small("x")).await;
        draft_ok(&quota, &other, small("x")).await;
    }
    let over_the_minute = draft(&limited, &user, small("x")).await;
    let over_the_month = draft(&quota, &other, small("x")).await;
    let generation = limited.generate(&user, small("x")).await;

    // Assert
    assert!(over_the_minute.headers().contains_key("retry-after"));
    assert_problem(
        over_the_minute,
        StatusCode::TOO_MANY_REQUESTS,
        "rate_limited",
    )
    .await;
    assert!(over_the_month.headers().contains_key("retry-after"));
    assert_problem(
        over_the_month,
        StatusCode::TOO_MANY_REQUESTS,
        "quota_exceeded",
    )
    .await;
    assert_eq!(
        generation.status(),
        StatusCode::CREATED,
        "generations have their own limit"
    );
    let usage = quota.get_json(&other, "/api/me").await["usage"].clone();
    assert_eq!(usage["drafts_this_month"], 2, "{usage}");
    assert_eq!(usage["generations_this_month"], 0, "{usage}");
}

#[tokio::test]
async fn an_expired_draft_cannot_be_kept_and_the_sweep_removes_it() {
    // Arrange: drafts last one second.
    let app = TestApp::spawn_with(|config| config.limits.draft_ttl_secs = 1).await;
    let user = app.signed_in_user().await;
    let made = draft_ok(&app, &user, small("a fox")).await;
    let url = app.url(made["url"].as_str().unwrap());
    tokio::time::sleep(Duration::from_millis(1100)).await;

    // Act
    let late = keep(&app, &user, made["id"].as_str().unwrap()).await;
    let report = promptcanvas::gallery::sweep::sweep_everything(
        app.state.metadata.as_ref(),
        &app.state.media,
        &app.state.config,
    )
    .await
    .unwrap();

    // Assert
    assert_problem(late, StatusCode::NOT_FOUND, "not_found").await;
    assert_eq!(report.expired_drafts, 1, "{report:?}");
    assert_eq!(
        reqwest::get(&url).await.unwrap().status(),
        StatusCode::NOT_FOUND
    );
    let usage = app.get_json(&user, "/api/me").await["usage"].clone();
    assert_eq!(usage["generations_this_month"], 0, "{usage}");
    assert_eq!(
        usage["drafts_this_month"], 1,
        "a draft made counts, kept or not"
    );
}

#[tokio::test]
async fn a_running_server_sweeps_expired_drafts_on_its_own() {
    // Arrange: drafts last one second; the server sweeps every second.
    let app = TestApp::spawn_with(|config| {
        config.limits.draft_ttl_secs = 1;
        config.maintenance.sweep_interval_secs = 1;
    })
    .await;
    let user = app.signed_in_user().await;
    let made = draft_ok(&app, &user, small("a heron")).await;
    let url = app.url(made["url"].as_str().unwrap());

    // Act: nobody runs `promptcanvas sweep`.
    let mut status = StatusCode::OK;
    for _ in 0..50 {
        tokio::time::sleep(Duration::from_millis(100)).await;
        status = reqwest::get(&url).await.unwrap().status();
        if status == StatusCode::NOT_FOUND {
            break;
        }
    }

    // Assert
    assert_eq!(
        status,
        StatusCode::NOT_FOUND,
        "the expired draft's file is gone"
    );
    let drafts_folder = app.state.config.server.data_dir.join("images/drafts");
    assert_eq!(files_under(&drafts_folder), 0, "no draft file is left");
}

#[tokio::test]
async fn every_image_records_its_cost_and_the_budget_refuses_before_together_is_paid() {
    // Arrange: FLUX.1-schnell at $0.0027 a megapixel; a budget of half a cent.
    let fake = FakeTogether::start().await;
    let app = fake
        .app_with(|config| config.limits.monthly_budget_usd = Some(0.005))
        .await;
    let user = app.signed_in_user().await;
    let megapixel = json!({"prompt": "a lighthouse", "width": 1024, "height": 1024});

    // Act
    let first = app.generate_ok(&user, megapixel.clone()).await;
    let over = app.generate(&user, megapixel).await;
    let small_draft = draft_ok(
        &app,
        &user,
        json!({"prompt": "a lighthouse", "width": 512, "height": 512}),
    )
    .await;
    let config: Value = reqwest::get(app.url("/api/config"))
        .await
        .unwrap()
        .json()
        .await
        .unwrap();

    // Assert
    let image = &first["images"][0];
    assert_eq!(image["cost_usd"], 0.002831, "1.048576 MP at $0.0027");
    assert!(image["timings"]["total_ms"].as_u64().is_some(), "{image}");
    assert!(over.headers().get("retry-after").is_none());
    let problem = assert_problem(over, StatusCode::TOO_MANY_REQUESTS, "budget_exceeded").await;
    assert!(
        problem["detail"].as_str().unwrap().contains("budget"),
        "{problem}"
    );
    assert_eq!(small_draft["cost_usd"], 0.000708);
    assert_eq!(
        fake.received().len(),
        2,
        "the refused request never reached Together"
    );
    let usage = app.get_json(&user, "/api/me").await["usage"].clone();
    assert_eq!(usage["cost_this_month_usd"], 0.003539, "{usage}");
    assert_eq!(usage["monthly_budget_usd"], 0.005, "{usage}");
    assert_eq!(usage["generations_this_month"], 1, "{usage}");
    assert!(
        usage["resets_at"]
            .as_str()
            .unwrap()
            .ends_with("-01T00:00:00Z"),
        "{usage}"
    );
    assert_eq!(
        config["generation"]["models"][0]["price_per_megapixel_usd"],
        0.0027
    );
    let listed = app.get_json(&user, "/api/images").await;
    assert_eq!(listed["items"][0]["cost_usd"], 0.002831);
}

#[tokio::test]
async fn a_failed_draft_gives_back_its_cost_and_its_count() {
    let fake = FakeTogether::start().await;
    let app = fake.app().await;
    let user = app.signed_in_user().await;
    fake.script([crate::fake_together::Answer::Inline(b"not a picture")]);

    let failed = draft(
        &app,
        &user,
        json!({"prompt": "x", "width": 512, "height": 512}),
    )
    .await;

    assert_problem(failed, StatusCode::BAD_GATEWAY, "upstream_error").await;
    let usage = app.get_json(&user, "/api/me").await["usage"].clone();
    assert_eq!(usage["drafts_this_month"], 0, "{usage}");
    assert_eq!(usage["cost_this_month_usd"], 0.0, "{usage}");
}
