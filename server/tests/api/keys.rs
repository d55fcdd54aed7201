//! API keys through the API: made with a session, shown once, acting as
//! their owner (limits and quotas included) until revoked or expired, and
//! never able to manage keys themselves.

use promptcanvas::auth::api_keys;
use reqwest::{Client, StatusCode};
use serde_json::{Value, json};
use time::OffsetDateTime;

use crate::helpers::{TestApp, User, assert_problem, small};

async fn create_key(app: &TestApp, user: &User, body: Value) -> reqwest::Response {
    user.client
        .post(app.url("/api/keys"))
        .json(&body)
        .send()
        .await
        .unwrap()
}

/// Makes a key; the answer's `key` and its secret.
async fn new_key(app: &TestApp, user: &User, name: &str) -> (Value, String) {
    let response = create_key(app, user, json!({"name": name})).await;
    assert_eq!(response.status(), StatusCode::CREATED);
    let body: Value = response.json().await.unwrap();
    let secret = body["secret"].as_str().unwrap().to_owned();
    (body["key"].clone(), secret)
}

/// A request from a script: no cookies, only the key.
fn script(
    method: reqwest::Method,
    app: &TestApp,
    path: &str,
    secret: &str,
) -> reqwest::RequestBuilder {
    Client::new()
        .request(method, app.url(path))
        .bearer_auth(secret)
}

#[tokio::test]
async fn a_key_acts_as_its_owner_and_its_secret_is_shown_once() {
    // Arrange
    let app = TestApp::spawn().await;
    let user = app.signed_in_user().await;

    // Act
    let (key, secret) = new_key(&app, &user, "  nightly renders ").await;
    let generated = script(reqwest::Method::POST, &app, "/api/generations", &secret)
        .json(&small("a lighthouse made by a script"))
        .send()
        .await
        .unwrap();
    let scripted_page: Value = script(reqwest::Method::GET, &app, "/api/images", &secret)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let listed = app.get(&user, "/api/keys").await.text().await.unwrap();

    // Assert: the key as API.md describes it, the secret only in the creation.
    assert_eq!(key["name"], "nightly renders");
    assert!(secret.starts_with("pcp_"));
    assert!(secret.starts_with(key["prefix"].as_str().unwrap()));
    assert_eq!(key["last_used_at"], Value::Null);
    assert_eq!(key["expires_at"], Value::Null);
    assert!(!listed.contains(&secret));
    let listed: Value = serde_json::from_str(&listed).unwrap();
    assert_eq!(listed["items"][0]["id"], key["id"]);
    assert!(listed["items"][0]["last_used_at"].is_string());
    // The script's image is the owner's, and the owner's gallery is the script's.
    assert_eq!(generated.status(), StatusCode::CREATED);
    assert_eq!(
        app.all_image_ids(&user, "").await,
        [scripted_page["items"][0]["id"].as_str().unwrap()]
    );
}

#[tokio::test]
async fn a_key_cannot_make_list_or_revoke_keys() {
    let app = TestApp::spawn().await;
    let user = app.signed_in_user().await;
    let (key, secret) = new_key(&app, &user, "ci").await;
    let path = format!("/api/keys/{}", key["id"].as_str().unwrap());

    let attempts = [
        script(reqwest::Method::GET, &app, "/api/keys", &secret),
        script(reqwest::Method::POST, &app, "/api/keys", &secret).json(&json!({"name": "more"})),
        script(reqwest::Method::DELETE, &app, &path, &secret),
    ];
    for attempt in attempts {
        assert_problem(
            attempt.send().await.unwrap(),
            StatusCode::FORBIDDEN,
            "key_not_allowed",
        )
        .await;
    }
    // The key still works elsewhere, and there is still exactly one.
    let me = script(reqwest::Method::GET, &app, "/api/me", &secret)
        .send()
        .await
        .unwrap();
    assert_eq!(me.status(), StatusCode::OK);
    assert_eq!(
        app.get_json(&user, "/api/keys").await["items"]
            .as_array()
            .unwrap()
            .len(),
        1
    );
}

#[tokio::test]
async fn revoked_unknown_expired_and_malformed_keys_are_refused_alike() {
    // Arrange
    let app = TestApp::spawn().await;
    let user = app.signed_in_user().await;
    let stranger = app.signed_in_user().await;
    let (key, secret) = new_key(&app, &user, "laptop").await;
    let key_path = format!("/api/keys/{}", key["id"].as_str().unwrap());
    let me = app.get_json(&user, "/api/me").await;
    let now = OffsetDateTime::now_utc();
    let (expired, expired_secret) = api_keys::new_key(
        me["user"]["id"].as_str().unwrap(),
        "old".into(),
        now - time::Duration::days(2),
        Some(now - time::Duration::days(1)),
    );
    assert!(
        app.state
            .metadata
            .create_api_key(&expired, 20, now - time::Duration::days(2))
            .await
            .unwrap()
    );

    // Act: another person cannot revoke it; its owner can, once.
    let by_stranger = stranger
        .client
        .delete(app.url(&key_path))
        .send()
        .await
        .unwrap();
    let revoked = user.client.delete(app.url(&key_path)).send().await.unwrap();
    let again = user.client.delete(app.url(&key_path)).send().await.unwrap();

    // Assert
    assert_problem(by_stranger, StatusCode::NOT_FOUND, "not_found").await;
    assert_eq!(revoked.status(), StatusCode::NO_CONTENT);
    assert_problem(again, StatusCode::NOT_FOUND, "not_found").await;
    let mut guessed = secret.clone().into_bytes();
    guessed[8] = if guessed[8] == b'x' { b'y' } else { b'x' };
    let refused = [
        secret.clone(),
        expired_secret,
        String::from_utf8(guessed).unwrap(),
        format!("pcp_{}", "a".repeat(66)),
        "pcp_short".to_owned(),
    ];
    for credential in refused {
        let response = script(reqwest::Method::GET, &app, "/api/images", &credential)
            .send()
            .await
            .unwrap();
        assert_problem(response, StatusCode::UNAUTHORIZED, "unauthenticated").await;
    }
}

#[tokio::test]
async fn names_expiry_and_the_number_of_keys_are_checked() {
    let app = TestApp::spawn().await;
    let user = app.signed_in_user().await;

    for (body, field) in [
        (json!({"name": "   "}), "name"),
        (json!({"name": "x".repeat(81)}), "name"),
        (
            json!({"name": "ci", "expires_in_days": 0}),
            "expires_in_days",
        ),
        (
            json!({"name": "ci", "expires_in_days": 366}),
            "expires_in_days",
        ),
    ] {
        let problem = assert_problem(
            create_key(&app, &user, body).await,
            StatusCode::UNPROCESSABLE_ENTITY,
            "invalid_request",
        )
        .await;
        assert_eq!(problem["errors"][0]["field"], field);
    }
    assert_problem(
        create_key(&app, &user, json!({"name": "ci", "scopes": ["all"]})).await,
        StatusCode::BAD_REQUEST,
        "invalid_request",
    )
    .await;

    let response = create_key(
        &app,
        &user,
        json!({"name": "monthly", "expires_in_days": 30}),
    )
    .await;
    let made: Value = response.json().await.unwrap();
    let created = OffsetDateTime::parse(
        made["key"]["created_at"].as_str().unwrap(),
        &time::format_description::well_known::Rfc3339,
    )
    .unwrap();
    let expires = OffsetDateTime::parse(
        made["key"]["expires_at"].as_str().unwrap(),
        &time::format_description::well_known::Rfc3339,
    )
    .unwrap();
    assert_eq!(expires - created, time::Duration::days(30));
    for i in 1..20 {
        new_key(&app, &user, &format!("key {i}")).await;
    }
    assert_problem(
        create_key(&app, &user, json!({"name": "one too many"})).await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "too_many_keys",
    )
    .await;
    assert_eq!(
        app.get_json(&user, "/api/keys").await["items"]
            .as_array()
            .unwrap()
            .len(),
        20
    );
}

#[tokio::test]
async fn a_key_counts_against_its_owners_quota() {
    let app = TestApp::spawn_with(|config| config.limits.monthly_generation_quota = 1).await;
    let user = app.signed_in_user().await;
    let (_, secret) = new_key(&app, &user, "ci").await;

    app.generate_ok(&user, small("made in the browser")).await;
    let scripted = script(reqwest::Method::POST, &app, "/api/generations", &secret)
        .json(&small("made by a script"))
        .send()
        .await
        .unwrap();

    assert_problem(scripted, StatusCode::TOO_MANY_REQUESTS, "quota_exceeded").await;
}
