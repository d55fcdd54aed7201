use reqwest::StatusCode;
use serde_json::json;

use crate::helpers::{TestApp, assert_problem};

#[tokio::test]
async fn hostile_generation_bodies_get_clear_answers_and_change_nothing() {
    let app = TestApp::spawn().await;
    let user = app.signed_in_user().await;
    let post = |body: Vec<u8>| {
        user.client
            .post(app.url("/api/generations"))
            .header("content-type", "application/json")
            .body(body)
            .send()
    };
    let bad_requests: Vec<Vec<u8>> = vec![
        br#"{"prompt": "x", "width": 1e30}"#.to_vec(),
        br#"{"prompt": "x", "width": 99999999999999999999999}"#.to_vec(),
        br#"{"prompt": "x", "steps": "NaN"}"#.to_vec(),
        br#"{"prompt": "x", "n": Infinity}"#.to_vec(),
        br#"{"prompt": ["x"]}"#.to_vec(),
        br#"{"prompt": null}"#.to_vec(),
        br#"[]"#.to_vec(),
        format!(
            "{{\"prompt\": {}\"x\"{}}}",
            "[".repeat(5000),
            "]".repeat(5000)
        )
        .into_bytes(),
        b"{\"prompt\": \"\xff\xfe invalid utf-8\"}".to_vec(),
        br#"{"prompt": "x", "__proto__": {"admin": true}}"#.to_vec(),
    ];
    for body in bad_requests {
        let response = post(body.clone()).await.unwrap();
        assert_problem(response, StatusCode::BAD_REQUEST, "invalid_request").await;
    }
    for prompt in [
        "null\u{0}byte",
        "right-to-left \u{202E}gpj.exe",
        "escape \u{1b}[31m",
    ] {
        let response = app.generate(&user, json!({"prompt": prompt})).await;
        assert_problem(
            response,
            StatusCode::UNPROCESSABLE_ENTITY,
            "invalid_request",
        )
        .await;
    }
    let me = app.get_json(&user, "/api/me").await;
    assert_eq!(me["usage"]["generations_this_month"], 0);
    assert_eq!(me["usage"]["images"], 0);
}

#[tokio::test]
async fn prompts_that_look_like_markup_or_sql_are_stored_as_plain_text() {
    let app = TestApp::spawn().await;
    let user = app.signed_in_user().await;
    let prompt = "<script>alert(1)</script>'; DROP TABLE images; -- עברית";
    let generation = app
        .generate_ok(
            &user,
            json!({"prompt": prompt, "width": 256, "height": 256}),
        )
        .await;
    assert_eq!(generation["prompt"], prompt);
    let listed = app.get_json(&user, "/api/images?q=script%20DROP").await;
    assert_eq!(listed["items"][0]["prompt"], prompt);
}

#[tokio::test]
async fn ids_and_media_keys_that_try_to_escape_are_not_found_or_forbidden() {
    let app = TestApp::spawn().await;
    let user = app.signed_in_user().await;
    for id in [
        "..%2F..%2Fsigning.key",
        "%2e%2e%2f%2e%2e%2fpromptcanvas.db",
        "1%20OR%201%3D1",
        "%00",
    ] {
        let response = app.get(&user, &format!("/api/images/{id}")).await;
        assert_problem(response, StatusCode::NOT_FOUND, "not_found").await;
    }
    let encoded = reqwest::get(app.url("/api/media/..%2Fsigning.key?exp=9999999999&sig=00"))
        .await
        .unwrap();
    assert_problem(encoded, StatusCode::FORBIDDEN, "forbidden").await;
    // Dot segments are resolved before routing, so this asks for /api/promptcanvas.db.
    let dotted = reqwest::get(app.url("/api/media/%2e%2e/promptcanvas.db"))
        .await
        .unwrap();
    assert_problem(dotted, StatusCode::NOT_FOUND, "not_found").await;
}

#[tokio::test]
async fn downloads_and_media_pin_their_headers_whatever_the_prompt_says() {
    // Arrange: a prompt written to smuggle a header or a file name.
    let app = TestApp::spawn().await;
    let user = app.signed_in_user().await;
    let prompt = "x.html\"; filename=\"evil.html\" Content-Type: text/html <script>";
    let generation = app
        .generate_ok(
            &user,
            json!({"prompt": prompt, "width": 256, "height": 256}),
        )
        .await;
    let image = &generation["images"][0];
    let id = image["id"].as_str().unwrap();

    // Act
    let download = app.get(&user, &format!("/api/images/{id}/download")).await;
    let thumbnail = user
        .client
        .get(app.url(image["thumbnail_url"].as_str().unwrap()))
        .send()
        .await
        .unwrap();

    // Assert
    assert_eq!(
        download.headers()["content-disposition"],
        format!("attachment; filename=\"promptcanvas-{id}.jpg\"").as_str()
    );
    assert_eq!(thumbnail.status(), StatusCode::OK);
    for response in [&download, &thumbnail] {
        assert_eq!(response.headers()["content-type"], "image/jpeg");
        assert_eq!(response.headers()["x-content-type-options"], "nosniff");
    }
}
