use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::helpers::{TestApp, assert_problem};

#[tokio::test]
async fn signing_up_returns_the_user_and_a_secure_session_cookie() {
    let app = TestApp::spawn().await;
    let client = app.browser();
    let response = app
        .signup(&client, "Ada@Example.com", "correct horse")
        .await;
    assert_eq!(response.status(), StatusCode::CREATED);
    let cookie = response.headers()["set-cookie"]
        .to_str()
        .unwrap()
        .to_owned();
    assert!(cookie.starts_with("pc_session="));
    assert!(cookie.contains("HttpOnly") && cookie.contains("SameSite=Lax"));
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["user"]["email"], "Ada@Example.com");
    assert!(body["user"]["password"].is_null());

    let me: Value = client
        .get(app.url("/api/me"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(me["user"]["id"], body["user"]["id"]);
    assert_eq!(me["usage"]["images"], 0);
    assert_eq!(me["usage"]["monthly_quota"], 500);
}

#[tokio::test]
async fn an_email_can_only_be_registered_once_whatever_its_case() {
    let app = TestApp::spawn().await;
    app.signup(&app.browser(), "ada@example.com", "correct horse")
        .await;
    let response = app
        .signup(&app.browser(), " ADA@example.com", "another password")
        .await;
    assert_problem(response, StatusCode::CONFLICT, "email_taken").await;
}

#[tokio::test]
async fn concurrent_signups_with_one_email_create_one_account() {
    let app = TestApp::spawn().await;
    let attempts = (0..4).map(|_| {
        let client = app.browser();
        let app = &app;
        async move {
            app.signup(&client, "race@example.com", "correct horse")
                .await
                .status()
        }
    });
    let statuses = futures::future::join_all(attempts).await;
    assert_eq!(
        statuses
            .iter()
            .filter(|s| **s == StatusCode::CREATED)
            .count(),
        1
    );
    assert_eq!(
        statuses
            .iter()
            .filter(|s| **s == StatusCode::CONFLICT)
            .count(),
        3
    );
}

#[tokio::test]
async fn bad_signup_fields_are_each_named() {
    let app = TestApp::spawn().await;
    let response = app.signup(&app.browser(), "not-an-email", "short").await;
    let body = assert_problem(
        response,
        StatusCode::UNPROCESSABLE_ENTITY,
        "invalid_request",
    )
    .await;
    let fields: Vec<&str> = body["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["field"].as_str().unwrap())
        .collect();
    assert_eq!(fields, ["email", "password"]);

    let long = "x".repeat(129);
    let response = app.signup(&app.browser(), "ada@example.com", &long).await;
    assert_problem(
        response,
        StatusCode::UNPROCESSABLE_ENTITY,
        "invalid_request",
    )
    .await;
}

#[tokio::test]
async fn a_wrong_password_and_an_unknown_email_get_the_same_answer() {
    let app = TestApp::spawn().await;
    app.signup(&app.browser(), "ada@example.com", "correct horse")
        .await;

    let wrong = app
        .login(&app.browser(), "ada@example.com", "wrong horse")
        .await;
    let wrong = assert_problem(wrong, StatusCode::UNAUTHORIZED, "invalid_credentials").await;
    let unknown = app
        .login(&app.browser(), "nobody@example.com", "correct horse")
        .await;
    let unknown = assert_problem(unknown, StatusCode::UNAUTHORIZED, "invalid_credentials").await;
    assert_eq!(wrong, unknown);

    let right = app
        .login(&app.browser(), "ADA@example.com", "correct horse")
        .await;
    assert_eq!(right.status(), StatusCode::OK);
}

#[tokio::test]
async fn signing_out_revokes_the_session_on_the_server() {
    let app = TestApp::spawn().await;
    let client = reqwest::Client::new();
    let response = app
        .signup(&client, "ada@example.com", "correct horse")
        .await;
    let cookie = session_cookie(&response);

    let me = client
        .get(app.url("/api/me"))
        .header("cookie", &cookie)
        .send()
        .await
        .unwrap();
    assert_eq!(me.status(), StatusCode::OK);

    let logout = client
        .post(app.url("/api/auth/logout"))
        .header("cookie", &cookie)
        .header("content-type", "application/json")
        .send()
        .await
        .unwrap();
    assert_eq!(logout.status(), StatusCode::NO_CONTENT);
    assert!(
        logout.headers()["set-cookie"]
            .to_str()
            .unwrap()
            .contains("Max-Age=0")
    );

    // Replaying the old cookie no longer works.
    let me = client
        .get(app.url("/api/me"))
        .header("cookie", &cookie)
        .send()
        .await
        .unwrap();
    assert_problem(me, StatusCode::UNAUTHORIZED, "unauthenticated").await;
}

#[tokio::test]
async fn a_cookie_authenticated_post_must_be_json() {
    let app = TestApp::spawn().await;
    let user = app.signed_in_user().await;
    let response = user
        .client
        .post(app.url("/api/generations"))
        .header("content-type", "application/x-www-form-urlencoded")
        .body("prompt=hello")
        .send()
        .await
        .unwrap();
    assert_problem(
        response,
        StatusCode::UNSUPPORTED_MEDIA_TYPE,
        "unsupported_media_type",
    )
    .await;

    let response = user
        .client
        .post(app.url("/api/auth/logout"))
        .header("content-type", "text/plain")
        .body("")
        .send()
        .await
        .unwrap();
    assert_problem(
        response,
        StatusCode::UNSUPPORTED_MEDIA_TYPE,
        "unsupported_media_type",
    )
    .await;

    let response = user
        .client
        .post(app.url("/api/generations"))
        .body("{\"prompt\": \"a body without a content type\"}")
        .send()
        .await
        .unwrap();
    assert_problem(
        response,
        StatusCode::UNSUPPORTED_MEDIA_TYPE,
        "unsupported_media_type",
    )
    .await;
    assert_eq!(app.get(&user, "/api/me").await.status(), StatusCode::OK);
}

#[tokio::test]
async fn logout_takes_no_body_and_no_content_type() {
    let app = TestApp::spawn().await;
    let client = reqwest::Client::new();
    let response = app
        .signup(&client, "ada@example.com", "correct horse")
        .await;
    let cookie = session_cookie(&response);

    // What `curl -X POST -b cookies …/api/auth/logout` sends.
    let logout = client
        .post(app.url("/api/auth/logout"))
        .header("cookie", &cookie)
        .send()
        .await
        .unwrap();

    assert_eq!(logout.status(), StatusCode::NO_CONTENT);
    let me = client
        .get(app.url("/api/me"))
        .header("cookie", &cookie)
        .send()
        .await
        .unwrap();
    assert_problem(me, StatusCode::UNAUTHORIZED, "unauthenticated").await;
}

#[tokio::test]
async fn protected_endpoints_need_a_session() {
    let app = TestApp::spawn().await;
    let client = app.browser();
    for path in [
        "/api/me",
        "/api/images",
        "/api/images/01JD0000000000000000000000",
    ] {
        let response = client.get(app.url(path)).send().await.unwrap();
        assert_problem(response, StatusCode::UNAUTHORIZED, "unauthenticated").await;
    }
    let response = client
        .post(app.url("/api/generations"))
        .json(&json!({"prompt": "x"}))
        .send()
        .await
        .unwrap();
    assert_problem(response, StatusCode::UNAUTHORIZED, "unauthenticated").await;
    let forged = client
        .get(app.url("/api/me"))
        .header("cookie", "pc_session=forged-token")
        .send()
        .await
        .unwrap();
    assert_problem(forged, StatusCode::UNAUTHORIZED, "unauthenticated").await;
}

/// The `name=value` part of the session cookie an answer sets.
fn session_cookie(response: &reqwest::Response) -> String {
    response.headers()["set-cookie"]
        .to_str()
        .unwrap()
        .split(';')
        .next()
        .unwrap()
        .to_owned()
}

#[tokio::test]
async fn over_https_the_session_cookie_is_a_host_only_secure_cookie() {
    let app = TestApp::spawn_with(|config| config.server.trusted_proxy_hops = 1).await;
    // Plain HTTP (local development): the plain name, no Secure.
    let plain = reqwest::Client::new()
        .post(app.url("/api/auth/signup"))
        .json(&json!({"email": "plain@example.com", "password": "correct horse"}))
        .send()
        .await
        .unwrap();
    let plain = plain.headers()["set-cookie"].to_str().unwrap().to_owned();
    assert!(
        plain.starts_with("pc_session=") && !plain.contains("Secure"),
        "{plain}"
    );

    // Behind a trusted proxy that says the browser used HTTPS.
    let over_https = |request: reqwest::RequestBuilder| {
        request
            .header("x-forwarded-for", "203.0.113.70")
            .header("x-forwarded-proto", "https")
    };
    let client = reqwest::Client::new();
    let response = over_https(client.post(app.url("/api/auth/signup")))
        .json(&json!({"email": "ada@example.com", "password": "correct horse"}))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::CREATED);
    let set_cookie = response.headers()["set-cookie"]
        .to_str()
        .unwrap()
        .to_owned();
    assert!(set_cookie.starts_with("__Host-pc_session="), "{set_cookie}");
    assert!(set_cookie.contains("; Secure") && set_cookie.contains("; Path=/"));
    assert!(
        !set_cookie.to_lowercase().contains("domain="),
        "{set_cookie}"
    );
    let token = session_cookie(&response)
        .strip_prefix("__Host-pc_session=")
        .unwrap()
        .to_owned();

    let me = |cookie: String| {
        over_https(client.get(app.url("/api/me")))
            .header("cookie", cookie)
            .send()
    };
    let signed_in = me(format!("__Host-pc_session={token}")).await.unwrap();
    assert_eq!(signed_in.status(), StatusCode::OK);
    // The same token under the plain name, as a sibling subdomain could plant it, is not read.
    let planted = me(format!("pc_session={token}")).await.unwrap();
    assert_problem(planted, StatusCode::UNAUTHORIZED, "unauthenticated").await;

    let logout = over_https(client.post(app.url("/api/auth/logout")))
        .header("cookie", format!("__Host-pc_session={token}"))
        .send()
        .await
        .unwrap();
    assert_eq!(logout.status(), StatusCode::NO_CONTENT);
    let cleared = logout.headers()["set-cookie"].to_str().unwrap().to_owned();
    assert!(cleared.starts_with("__Host-pc_session=;") && cleared.contains("Max-Age=0"));
    let after = me(format!("__Host-pc_session={token}")).await.unwrap();
    assert_eq!(after.status(), StatusCode::UNAUTHORIZED);
}
