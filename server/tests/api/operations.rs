//! The operator's side: error reports from the web app, and the statistics
//! only operators see.

use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::helpers::{TestApp, User, assert_problem, early_in_a_minute, small};

const METRICS_TOKEN: &str = "metrics-token-0123456789abcdef0123456789";
const OPERATOR: &str = "ops@example.com";

async fn report(app: &TestApp, body: Value) -> reqwest::Response {
    reqwest::Client::new()
        .post(app.url("/api/client-errors"))
        .json(&body)
        .send()
        .await
        .unwrap()
}

/// An operator's account on an app whose `ADMIN_EMAILS` names it.
async fn operator(app: &TestApp) -> User {
    let client = app.browser();
    let response = app
        .signup(&client, &OPERATOR.to_uppercase(), "correct horse battery")
        .await;
    assert_eq!(response.status(), StatusCode::CREATED);
    User { client }
}

async fn stats(app: &TestApp, user: &User) -> Value {
    let response = app.get(user, "/api/admin/stats").await;
    assert_eq!(response.status(), StatusCode::OK);
    response.json().await.unwrap()
}

#[tokio::test]
async fn a_reported_error_is_accepted_signed_out_and_counted_by_release_and_route() {
    // Arrange
    let app = TestApp::spawn_with(|config| {
        config.telemetry.metrics_token = Some(METRICS_TOKEN.to_owned().into());
        config.server.admin_emails = vec![OPERATOR.into()];
    })
    .await;

    // Act
    let response = report(
        &app,
        json!({
            "message": "TypeError: x is undefined",
            "stack": "at render (https://site.example/assets/index-abc.js:1:2)",
            "route": "/gallery/01JD2XK3M4N5P6Q7R8S9T0V1W2",
            "release": "0.1.0+abc1234",
        }),
    )
    .await;

    // Assert
    assert_eq!(response.status(), StatusCode::ACCEPTED);
    assert!(response.text().await.unwrap().is_empty());
    let metrics = reqwest::Client::new()
        .get(app.url("/metrics"))
        .bearer_auth(METRICS_TOKEN)
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        metrics.contains(
            "promptcanvas_client_errors_total{release=\"0.1.0+abc1234\",route=\"/gallery/:id\"} 1"
        ),
        "{metrics}"
    );
    // ... and in today's figures.
    let operator = operator(&app).await;
    let stats = stats(&app, &operator).await;
    assert_eq!(stats["errors"]["client_errors"], 1);
    assert_eq!(stats["generations_by_day"][29]["client_errors"], 1);
}

#[tokio::test]
async fn bad_reports_get_a_clear_answer() {
    let app = TestApp::spawn().await;

    let blank = report(&app, json!({"message": "  \n"})).await;
    let problem = assert_problem(blank, StatusCode::UNPROCESSABLE_ENTITY, "invalid_request").await;
    assert_eq!(problem["errors"][0]["field"], "message");

    let release = report(&app, json!({"message": "x", "release": "1.0 <script>"})).await;
    assert_problem(release, StatusCode::UNPROCESSABLE_ENTITY, "invalid_request").await;

    let unknown = report(&app, json!({"message": "x", "prompt": "my garden"})).await;
    assert_problem(unknown, StatusCode::BAD_REQUEST, "invalid_request").await;

    // Within the message limit but over the body's 8 KiB.
    let huge = report(&app, json!({"message": "x", "stack": "é".repeat(5000)})).await;
    assert_problem(huge, StatusCode::PAYLOAD_TOO_LARGE, "payload_too_large").await;

    let form = reqwest::Client::new()
        .post(app.url("/api/client-errors"))
        .header("content-type", "application/x-www-form-urlencoded")
        .body("message=x")
        .send()
        .await
        .unwrap();
    assert_problem(
        form,
        StatusCode::UNSUPPORTED_MEDIA_TYPE,
        "unsupported_media_type",
    )
    .await;
}

#[tokio::test]
async fn reports_from_one_address_are_limited() {
    let app = TestApp::spawn_with(|config| config.limits.client_errors_per_minute = 2).await;
    for _ in 0..2 {
        let accepted = report(&app, json!({"message": "boom"})).await;
        assert_eq!(accepted.status(), StatusCode::ACCEPTED);
    }
    let refused = report(&app, json!({"message": "boom"})).await;
    let retry_after: u64 = refused.headers()["retry-after"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!((1..=60).contains(&retry_after), "{retry_after}");
    assert_problem(refused, StatusCode::TOO_MANY_REQUESTS, "rate_limited").await;
}

#[tokio::test]
async fn the_statistics_are_for_operators_only() {
    // Arrange
    let app = TestApp::spawn_with(|config| {
        config.server.admin_emails = vec!["someone@example.com".into(), OPERATOR.into()];
    })
    .await;
    let person = app.signed_in_user().await;
    let operator = operator(&app).await;

    // Act
    let signed_out = reqwest::get(app.url("/api/admin/stats")).await.unwrap();
    let not_an_operator = app.get(&person, "/api/admin/stats").await;
    let person_me = app.get_json(&person, "/api/me").await;
    let operator_me = app.get_json(&operator, "/api/me").await;

    // Assert
    assert_problem(signed_out, StatusCode::NOT_FOUND, "not_found").await;
    assert_problem(not_an_operator, StatusCode::NOT_FOUND, "not_found").await;
    assert!(person_me.get("admin").is_none(), "{person_me}");
    assert_eq!(operator_me["admin"], true);
    let stats = stats(&app, &operator).await;
    assert_eq!(stats["users"]["total"], 2);
}

#[tokio::test]
async fn the_statistics_count_generations_images_bytes_and_refusals() {
    // Arrange
    let app = TestApp::spawn_with(|config| {
        config.server.admin_emails = vec![OPERATOR.into()];
        config.limits.generations_per_minute = 1;
    })
    .await;
    let operator = operator(&app).await;
    let person = app.signed_in_user().await;
    early_in_a_minute().await;

    // Act
    let mut body = small("a lighthouse at dusk");
    body["n"] = json!(2);
    app.generate_ok(&person, body.clone()).await;
    let refused = app.generate(&person, body).await;
    assert_eq!(refused.status(), StatusCode::TOO_MANY_REQUESTS);
    let stats = stats(&app, &operator).await;

    // Assert
    let usage = app.get_json(&person, "/api/me").await["usage"].clone();
    assert_eq!(stats["users"]["total"], 2);
    assert_eq!(
        (
            &stats["users"]["active_1d"],
            &stats["users"]["active_7d"],
            &stats["users"]["active_30d"]
        ),
        (&json!(1), &json!(1), &json!(1))
    );
    assert_eq!(stats["images"], 2);
    assert_eq!(stats["storage_bytes"], usage["storage_bytes"]);
    let days = stats["generations_by_day"].as_array().unwrap();
    assert_eq!(days.len(), 30);
    let today = time::OffsetDateTime::now_utc().date().to_string();
    assert_eq!(days[29]["day"], today.as_str());
    assert_eq!(
        (&days[29]["generations"], &days[29]["images"]),
        (&json!(1), &json!(2))
    );
    assert!(days[..29].iter().all(|day| day["generations"] == 0));
    assert_eq!(days[29]["rate_limited"], 1);
    assert_eq!(stats["errors"]["rate_limited"], 1);
    assert_eq!(
        stats["by_model"],
        json!([{"provider": "offline", "model": "offline-preview", "generations": 1, "images": 2}])
    );
}
