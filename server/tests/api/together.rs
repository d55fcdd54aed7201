use std::time::Duration;

use promptcanvas::generation::pipeline::largest_expected_bytes;
use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::{
    fake_together::{API_KEY, Answer, FakeTogether},
    helpers::{TestApp, User, assert_problem, early_in_a_minute, small},
};

/// A failed generation leaves no image, no file and no usage behind.
async fn assert_nothing_stored(app: &TestApp, user: &User) {
    let me = app.get_json(user, "/api/me").await;
    assert_eq!(me["usage"]["images"], 0, "{me}");
    assert_eq!(me["usage"]["storage_bytes"], 0, "{me}");
    assert_eq!(me["usage"]["generations_this_month"], 0, "{me}");
    assert!(app.all_image_ids(user, "limit=100").await.is_empty());
}

async fn problem_text(response: reqwest::Response, status: StatusCode, code: &str) -> String {
    let retry_after = response.headers().get("retry-after").cloned();
    let problem = assert_problem(response, status, code).await;
    let text = format!("{problem} {retry_after:?}");
    assert!(!text.contains(API_KEY), "the key leaked: {text}");
    text
}

#[tokio::test]
async fn together_receives_exactly_the_settings_asked_for_one_request_per_seed() {
    // Arrange
    let fake = FakeTogether::start().await;
    let app = fake.app().await;
    let user = app.signed_in_user().await;

    // Act
    let generation = app
        .generate_ok(
            &user,
            json!({"prompt": "a lighthouse at dusk", "width": 512, "height": 256,
                   "steps": 3, "seed": 42, "n": 2, "style": "oil-painting"}),
        )
        .await;

    // Assert
    let mut received = fake.received();
    received.sort_by_key(|request| request.body["seed"].as_u64());
    let bodies: Vec<Value> = received
        .iter()
        .map(|request| request.body.clone())
        .collect();
    let expected = |seed: u64| {
        json!({"model": "black-forest-labs/FLUX.1-schnell",
               "prompt": "a lighthouse at dusk, oil painting, visible brush strokes, rich texture",
               "width": 512, "height": 256, "steps": 3, "n": 1, "seed": seed,
               "response_format": "base64", "output_format": "jpeg"})
    };
    assert_eq!(bodies, [expected(42), expected(43)]);
    for request in &received {
        assert_eq!(
            request.authorization.as_deref(),
            Some(format!("Bearer {API_KEY}").as_str())
        );
    }
    assert_eq!(generation["provider"], "together");
    let seeds: Vec<&Value> = generation["images"]
        .as_array()
        .unwrap()
        .iter()
        .map(|image| &image["seed"])
        .collect();
    assert_eq!(seeds, [42, 43]);
}

#[tokio::test]
async fn together_images_are_generated_stored_and_listed_end_to_end() {
    // Arrange
    let fake = FakeTogether::start().await;
    let app = fake.app().await;
    let user = app.signed_in_user().await;

    // Act
    let generation = app
        .generate_ok(&user, json!({"prompt": "two foxes", "n": 2}))
        .await;
    let listed = app.get_json(&user, "/api/images").await;

    // Assert
    let items = listed["items"].as_array().unwrap();
    assert_eq!(items.len(), 2);
    for item in items {
        assert_eq!(item["provider"], "together");
        assert_eq!(item["model"], "black-forest-labs/FLUX.1-schnell");
        assert_eq!(
            (item["width"].as_u64(), item["height"].as_u64()),
            (Some(1024), Some(1024))
        );
        assert_eq!(item["content_type"], "image/jpeg");
        assert_eq!(item["timings"]["inference_ms"], 610);
        let download = reqwest::get(app.url(item["url"].as_str().unwrap()))
            .await
            .unwrap();
        assert_eq!(download.status(), StatusCode::OK);
        assert!(
            download
                .bytes()
                .await
                .unwrap()
                .starts_with(&[0xFF, 0xD8, 0xFF])
        );
    }
    let me = app.get_json(&user, "/api/me").await;
    let user_id = me["user"]["id"].as_str().unwrap();
    let image_id = generation["images"][0]["id"].as_str().unwrap();
    let record = app
        .state
        .metadata
        .get_image(user_id, image_id)
        .await
        .unwrap()
        .unwrap();
    assert!(record.upstream_id.is_some_and(|id| id.starts_with("req-")));
    assert_eq!(me["usage"]["generations_this_month"], 2);
}

#[tokio::test]
async fn config_offers_the_together_models_and_never_the_key() {
    // Arrange
    let fake = FakeTogether::start().await;
    let app = fake.app().await;

    // Act
    let config = reqwest::get(app.url("/api/config"))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();

    // Assert
    assert!(!config.contains(API_KEY));
    let config: Value = serde_json::from_str(&config).unwrap();
    let generation = &config["generation"];
    assert_eq!(generation["provider"], "together");
    assert_eq!(
        generation["default_model"],
        "black-forest-labs/FLUX.1-schnell"
    );
    let models = generation["models"].as_array().unwrap();
    assert_eq!(
        models[0]["steps"],
        json!({"min": 1, "max": 4, "default": 4})
    );
    assert_eq!(
        models[0]["width"],
        json!({"min": 256, "max": 1440, "multiple_of": 16})
    );
    assert_eq!(models[0]["max_images"], 4);
    assert_eq!(models[0]["negative_prompt"], false);
    assert_eq!(models[1]["id"], "black-forest-labs/FLUX.1-schnell-Free");
    assert!(models[1]["label"].as_str().unwrap().contains("withdrawn"));
}

#[tokio::test]
async fn a_models_file_replaces_the_default_list_and_its_limits_apply() {
    // Arrange
    let fake = FakeTogether::start().await;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("models.json");
    std::fs::write(
        &path,
        json!([{"id": "black-forest-labs/FLUX.2-dev", "label": "FLUX.2 [dev]",
                "steps": {"min": 1, "max": 50, "default": 28},
                "width": {"min": 256, "max": 2048, "multiple_of": 8},
                "height": {"min": 256, "max": 2048, "multiple_of": 8},
                "max_images": 2, "negative_prompt": true}])
        .to_string(),
    )
    .unwrap();
    let app = fake
        .app_with(|config| config.together.together_models = Some(path.clone()))
        .await;
    let user = app.signed_in_user().await;

    // Act
    app.generate_ok(
        &user,
        json!({"prompt": "x", "negative_prompt": "blur", "width": 264, "height": 256, "seed": 7}),
    )
    .await;
    let too_many = app.generate(&user, json!({"prompt": "x", "n": 3})).await;

    // Assert
    let body = &fake.received()[0].body;
    assert_eq!(body["model"], "black-forest-labs/FLUX.2-dev");
    assert_eq!(body["steps"], 28);
    assert_eq!(body["width"], 264);
    assert_eq!(body["negative_prompt"], "blur");
    assert_problem(
        too_many,
        StatusCode::UNPROCESSABLE_ENTITY,
        "invalid_request",
    )
    .await;
    assert_eq!(fake.received().len(), 1);
}

#[tokio::test]
async fn requests_outside_the_models_limits_never_reach_together() {
    // Arrange
    let fake = FakeTogether::start().await;
    let app = fake.app().await;
    let user = app.signed_in_user().await;

    // Act
    let too_many_steps = app
        .generate(&user, json!({"prompt": "x", "steps": 5}))
        .await;
    let negative = app
        .generate(&user, json!({"prompt": "x", "negative_prompt": "blurry"}))
        .await;

    // Assert
    assert_problem(
        too_many_steps,
        StatusCode::UNPROCESSABLE_ENTITY,
        "invalid_request",
    )
    .await;
    assert_problem(
        negative,
        StatusCode::UNPROCESSABLE_ENTITY,
        "invalid_request",
    )
    .await;
    assert!(fake.received().is_empty());
}

#[tokio::test]
async fn a_request_the_storage_left_cannot_hold_never_reaches_together() {
    // Arrange: room for one 512×512 image less a byte.
    let fake = FakeTogether::start().await;
    let room = largest_expected_bytes(512, 512, 1) - 1;
    let app = fake
        .app_with(|config| {
            config.limits.storage_quota_bytes = room;
            config.limits.generations_per_minute = 2;
        })
        .await;
    let user = app.signed_in_user().await;
    fake.script([Answer::Base64, Answer::Inline(b"not a picture")]);
    early_in_a_minute().await;

    // Act
    let too_big = app
        .generate(&user, json!({"prompt": "x", "width": 512, "height": 512}))
        .await;
    let too_many = app
        .generate(
            &user,
            json!({"prompt": "x", "width": 256, "height": 256, "n": 4}),
        )
        .await;
    let fits = app.generate(&user, small("x")).await;
    let unusable = app.generate(&user, small("x")).await;
    let over_the_minute = app.generate(&user, small("x")).await;

    // Assert: the refused requests never reached Together and left the
    // minute's two requests to the ones that did, the failed call included.
    let detail = problem_text(too_big, StatusCode::TOO_MANY_REQUESTS, "quota_exceeded").await;
    assert!(detail.contains("delete images"), "{detail}");
    problem_text(too_many, StatusCode::TOO_MANY_REQUESTS, "quota_exceeded").await;
    assert_eq!(fits.status(), StatusCode::CREATED);
    problem_text(unusable, StatusCode::BAD_GATEWAY, "upstream_error").await;
    problem_text(
        over_the_minute,
        StatusCode::TOO_MANY_REQUESTS,
        "rate_limited",
    )
    .await;
    assert_eq!(fake.received().len(), 2);
    let me = app.get_json(&user, "/api/me").await;
    assert_eq!(me["usage"]["generations_this_month"], 1, "{me}");
}

#[tokio::test]
async fn url_answers_are_downloaded_at_once_from_the_configured_host_with_a_user_agent() {
    // Arrange
    let fake = FakeTogether::start().await;
    fake.script([Answer::Url]);
    let app = fake.app().await;
    let user = app.signed_in_user().await;

    // Act
    let generation = app.generate_ok(&user, small("a url answer")).await;

    // Assert
    let fetched = fake.fetched();
    assert_eq!(fetched.len(), 1);
    assert!(
        fetched[0]
            .user_agent
            .as_deref()
            .is_some_and(|agent| agent.starts_with("promptcanvas/"))
    );
    assert_eq!(generation["images"][0]["timings"]["inference_ms"], 250);
    assert_eq!(generation["images"][0]["content_type"], "image/jpeg");
}

#[tokio::test]
async fn image_urls_on_other_hosts_are_neither_fetched_nor_stored() {
    // Arrange: `localhost` is the same machine but not the configured host.
    let fake = FakeTogether::start().await;
    let port = fake.base_url.rsplit(':').next().unwrap().to_owned();
    fake.script([
        Answer::UrlTo(format!("http://localhost:{port}/files/ok.jpg")),
        Answer::UrlTo("{base}/redirect/PORT".replace("PORT", &port)),
        Answer::UrlTo("file:///etc/passwd".into()),
    ]);
    let app = fake.app().await;
    let user = app.signed_in_user().await;

    for _ in 0..3 {
        // Act
        let response = app.generate(&user, small("elsewhere")).await;

        // Assert
        problem_text(response, StatusCode::BAD_GATEWAY, "upstream_error").await;
    }
    let fetched: Vec<String> = fake.fetched().into_iter().map(|fetch| fetch.path).collect();
    assert_eq!(
        fetched,
        [format!("/redirect/{port}")],
        "only the allowed first hop is fetched"
    );
    assert_nothing_stored(&app, &user).await;
}

#[tokio::test]
async fn a_50_mb_image_is_refused_while_it_streams() {
    // Arrange
    let fake = FakeTogether::start().await;
    fake.script([Answer::UrlTo("{base}/files/huge.jpg".into())]);
    let app = fake.app().await;
    let user = app.signed_in_user().await;

    // Act
    let response = app.generate(&user, small("huge")).await;

    // Assert
    let text = problem_text(response, StatusCode::BAD_GATEWAY, "upstream_error").await;
    assert!(text.contains("too large"), "{text}");
    assert!(
        fake.huge_chunks_sent() < 50,
        "read {} MB",
        fake.huge_chunks_sent()
    );
    assert_nothing_stored(&app, &user).await;
}

#[tokio::test]
async fn a_50_mb_answer_body_is_refused_while_it_streams() {
    // Arrange
    let fake = FakeTogether::start().await;
    fake.script([Answer::Huge]);
    let app = fake.app().await;
    let user = app.signed_in_user().await;

    // Act
    let response = app.generate(&user, small("huge")).await;

    // Assert
    let text = problem_text(response, StatusCode::BAD_GATEWAY, "upstream_error").await;
    assert!(text.contains("too large"), "{text}");
    assert!(fake.huge_chunks_sent() < 50);
    assert_nothing_stored(&app, &user).await;
}

#[tokio::test]
async fn bytes_that_are_not_an_image_are_refused_even_when_labelled_jpeg() {
    // Arrange
    let fake = FakeTogether::start().await;
    fake.script([
        Answer::UrlTo("{base}/files/not-an-image.jpg".into()),
        Answer::Inline(b"GIF89a but not really"),
    ]);
    let app = fake.app().await;
    let user = app.signed_in_user().await;

    for _ in 0..2 {
        // Act
        let response = app.generate(&user, small("not an image")).await;

        // Assert
        let text = problem_text(response, StatusCode::BAD_GATEWAY, "upstream_error").await;
        assert!(text.contains("unusable image"), "{text}");
    }
    assert_nothing_stored(&app, &user).await;
}

#[tokio::test]
async fn a_multi_image_answer_still_gives_one_image_per_seed() {
    // Arrange
    let fake = FakeTogether::start().await;
    fake.script([Answer::TwoImages]);
    let app = fake.app().await;
    let user = app.signed_in_user().await;

    // Act
    let generation = app
        .generate_ok(
            &user,
            json!({"prompt": "x", "width": 256, "height": 256, "seed": 9}),
        )
        .await;

    // Assert
    let images = generation["images"].as_array().unwrap();
    assert_eq!(images.len(), 1);
    assert_eq!(images[0]["seed"], 9);
}

#[tokio::test]
async fn a_request_together_refuses_becomes_invalid_request_with_its_message() {
    // Arrange
    let fake = FakeTogether::start().await;
    fake.script([Answer::error(
        400,
        "Input validation error: `prompt` flagged by the safety filter",
        "invalid_request",
    )]);
    let app = fake.app().await;
    let user = app.signed_in_user().await;

    // Act
    let response = app.generate(&user, small("something")).await;

    // Assert
    let text = problem_text(
        response,
        StatusCode::UNPROCESSABLE_ENTITY,
        "invalid_request",
    )
    .await;
    assert!(text.contains("flagged by the safety filter"), "{text}");
    assert_eq!(fake.received().len(), 1, "a 400 is not retried");
    assert_nothing_stored(&app, &user).await;
}

#[tokio::test]
async fn an_upstream_message_quoting_the_key_is_redacted() {
    // Arrange
    let fake = FakeTogether::start().await;
    fake.script([Answer::error(
        400,
        "bad header Bearer tgp_v1_test-key-that-must-never-leak-0123456789",
        "invalid_request",
    )]);
    let app = fake.app().await;
    let user = app.signed_in_user().await;

    // Act
    let response = app.generate(&user, small("x")).await;

    // Assert
    let text = problem_text(
        response,
        StatusCode::UNPROCESSABLE_ENTITY,
        "invalid_request",
    )
    .await;
    assert!(text.contains("[redacted]"), "{text}");
}

#[tokio::test]
async fn account_and_model_failures_become_upstream_errors_an_operator_can_act_on() {
    let cases = [
        (401, "invalid_api_key", "API key was refused"),
        (402, "credit_limit", "spend limit"),
        (403, "forbidden", "may not use this model"),
        (404, "model_not_available", "not available"),
    ];
    for (status, code, hint) in cases {
        // Arrange
        let fake = FakeTogether::start().await;
        fake.script([Answer::error(
            status,
            "Invalid API key provided: tgp_v1_test-key",
            code,
        )]);
        let app = fake.app().await;
        let user = app.signed_in_user().await;

        // Act
        let response = app.generate(&user, small("x")).await;

        // Assert
        let text = problem_text(response, StatusCode::BAD_GATEWAY, "upstream_error").await;
        assert!(text.contains(hint), "{status}: {text}");
        assert!(!text.contains("tgp_v1"), "{status}: {text}");
        assert_eq!(fake.received().len(), 1, "{status} is not retried");
        assert_nothing_stored(&app, &user).await;
    }
}

#[tokio::test]
async fn an_internal_error_upstream_is_reported_without_retrying() {
    // Arrange
    let fake = FakeTogether::start().await;
    fake.script([Answer::error(500, "internal error", "server_error")]);
    let app = fake.app().await;
    let user = app.signed_in_user().await;

    // Act
    let response = app.generate(&user, small("x")).await;

    // Assert
    let text = problem_text(response, StatusCode::BAD_GATEWAY, "upstream_error").await;
    assert!(text.contains("HTTP 500"), "{text}");
    assert_eq!(fake.received().len(), 1);
    assert_nothing_stored(&app, &user).await;
}

#[tokio::test]
async fn a_rate_limit_is_retried_after_the_wait_together_asks_for() {
    // Arrange
    let fake = FakeTogether::start().await;
    fake.script([Answer::error_with(429, vec![("retry-after", "1")])]);
    let app = fake.app().await;
    let user = app.signed_in_user().await;

    // Act
    app.generate_ok(&user, small("patience")).await;

    // Assert
    let received = fake.received();
    assert_eq!(received.len(), 2);
    assert_eq!(
        received[0].body, received[1].body,
        "the retry repeats the request"
    );
    let waited = received[1].at - received[0].at;
    assert!(waited >= Duration::from_secs(1), "waited only {waited:?}");
}

#[tokio::test]
async fn lasting_overload_becomes_503_with_retry_after_after_three_attempts() {
    // Arrange
    let overloaded = || Answer::error_with(503, vec![("retry-after", "0")]);
    let fake = FakeTogether::start().await;
    fake.script([overloaded(), overloaded(), overloaded()]);
    let app = fake.app().await;
    let user = app.signed_in_user().await;

    // Act
    let response = app.generate(&user, small("busy")).await;

    // Assert
    assert!(response.headers().contains_key("retry-after"));
    problem_text(
        response,
        StatusCode::SERVICE_UNAVAILABLE,
        "upstream_unavailable",
    )
    .await;
    assert_eq!(fake.received().len(), 3);
    assert_nothing_stored(&app, &user).await;
}

#[tokio::test]
async fn a_rate_limit_longer_than_the_deadline_is_passed_on_at_once() {
    // Arrange
    let fake = FakeTogether::start().await;
    fake.script([Answer::error_with(429, vec![("retry-after", "120")])]);
    let app = fake.app().await;
    let user = app.signed_in_user().await;

    // Act
    let response = app.generate(&user, small("later")).await;

    // Assert
    assert_eq!(response.headers()["retry-after"], "120");
    problem_text(
        response,
        StatusCode::SERVICE_UNAVAILABLE,
        "upstream_unavailable",
    )
    .await;
    assert_eq!(fake.received().len(), 1);
}

#[tokio::test]
async fn when_one_of_two_images_fails_neither_is_stored() {
    // Arrange
    let fake = FakeTogether::start().await;
    fake.script([
        Answer::Base64,
        Answer::error(402, "Credit limit exceeded", "credit_limit"),
    ]);
    let app = fake.app().await;
    let user = app.signed_in_user().await;

    // Act
    let response = app
        .generate(
            &user,
            json!({"prompt": "x", "width": 256, "height": 256, "n": 2}),
        )
        .await;

    // Assert
    problem_text(response, StatusCode::BAD_GATEWAY, "upstream_error").await;
    assert_nothing_stored(&app, &user).await;
}

#[tokio::test]
async fn a_hanging_upstream_becomes_a_timeout_and_stores_nothing() {
    // Arrange
    let fake = FakeTogether::start().await;
    fake.script([Answer::Hang]);
    let app = fake
        .app_with(|config| config.together.together_timeout_secs = 1)
        .await;
    let user = app.signed_in_user().await;

    // Act
    let response = app.generate(&user, small("wait")).await;

    // Assert
    problem_text(response, StatusCode::GATEWAY_TIMEOUT, "upstream_timeout").await;
    assert_nothing_stored(&app, &user).await;
}

#[tokio::test]
async fn truncated_or_unreadable_answers_are_upstream_errors() {
    // Arrange
    let fake = FakeTogether::start().await;
    fake.script([Answer::Truncated, Answer::NotJson]);
    let app = fake.app().await;
    let user = app.signed_in_user().await;

    for _ in 0..2 {
        // Act
        let response = app.generate(&user, small("cut")).await;

        // Assert
        problem_text(response, StatusCode::BAD_GATEWAY, "upstream_error").await;
    }
    assert_eq!(fake.received().len(), 2, "neither is retried");
    assert_nothing_stored(&app, &user).await;
}

#[tokio::test]
async fn an_unreachable_upstream_is_reported_unavailable() {
    // Arrange: a port that was free a moment ago refuses connections.
    let closed = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = format!("http://{}", closed.local_addr().unwrap());
    drop(closed);
    let fake = FakeTogether::start().await;
    let app = fake
        .app_with(|config| config.together.together_base_url = address)
        .await;
    let user = app.signed_in_user().await;

    // Act
    let response = app.generate(&user, small("nobody home")).await;

    // Assert
    problem_text(
        response,
        StatusCode::SERVICE_UNAVAILABLE,
        "upstream_unavailable",
    )
    .await;
    assert_nothing_stored(&app, &user).await;
}

#[test]
fn the_help_text_documents_together_settings_without_showing_the_key() {
    // Arrange
    let binary = env!("CARGO_BIN_EXE_promptcanvas");

    // Act
    let help = std::process::Command::new(binary)
        .args(["serve", "--help"])
        .env("TOGETHER_AI_API_KEY", API_KEY)
        .output()
        .expect("binary runs");
    let top = std::process::Command::new(binary)
        .arg("--help")
        .env("TOGETHER_AI_API_KEY", API_KEY)
        .output()
        .expect("binary runs");

    // Assert
    let help = String::from_utf8_lossy(&help.stdout);
    for name in [
        "TOGETHER_AI_API_KEY",
        "TOGETHER_API_BASE_URL",
        "TOGETHER_MODELS",
        "TOGETHER_TIMEOUT_SECS",
    ] {
        assert!(help.contains(name), "{name} missing from --help");
    }
    assert!(!help.contains(API_KEY));
    assert!(!String::from_utf8_lossy(&top.stdout).contains(API_KEY));
}

#[tokio::test]
async fn a_generation_whose_client_gives_up_still_completes_and_replays() {
    // Arrange: Together takes longer than the client waits.
    let fake = FakeTogether::start().await;
    fake.script([Answer::Slow(Duration::from_millis(1500))]);
    let app = fake.app().await;
    let user = app.signed_in_user().await;
    let request = |timeout: Duration| {
        user.client
            .post(app.url("/api/generations"))
            .header("idempotency-key", "walked-away")
            .timeout(timeout)
            .json(&small("a patient lighthouse"))
            .send()
    };

    // Act: the client gives up while Together is drawing.
    let gave_up = request(Duration::from_millis(300)).await;
    assert!(gave_up.is_err_and(|error| error.is_timeout()));
    let mut ids = Vec::new();
    for _ in 0..100 {
        ids = app.all_image_ids(&user, "limit=10").await;
        if !ids.is_empty() {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let retried = request(Duration::from_secs(30)).await.unwrap();

    // Assert: the generation finished and was counted once; the retry gets
    // its result instead of a conflict with a request nobody is serving.
    assert_eq!(ids.len(), 1, "the generation completed without its client");
    assert_eq!(retried.status(), StatusCode::CREATED);
    assert_eq!(retried.headers()["idempotent-replayed"], "true");
    let replayed: Value = retried.json().await.unwrap();
    assert_eq!(replayed["generation"]["images"][0]["id"], ids[0].as_str());
    assert_eq!(fake.received().len(), 1);
    let me = app.get_json(&user, "/api/me").await;
    assert_eq!(me["usage"]["generations_this_month"], 1, "{me}");
    assert_eq!(me["usage"]["images"], 1, "{me}");
}
