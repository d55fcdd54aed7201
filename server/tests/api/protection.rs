use reqwest::StatusCode;
use serde_json::json;

use crate::helpers::{TestApp, assert_problem};

async fn login_from(app: &TestApp, ip: &str, email: &str, password: &str) -> reqwest::Response {
    app.browser()
        .post(app.url("/api/auth/login"))
        .header("x-forwarded-for", ip)
        .json(&json!({"email": email, "password": password}))
        .send()
        .await
        .unwrap()
}

#[tokio::test]
async fn password_guessing_on_one_account_is_slowed_from_any_address() {
    let app = TestApp::spawn_with(|config| {
        config.auth_attempts_per_minute = 3;
        config.trusted_proxy_hops = 1;
    })
    .await;
    app.signup(&app.browser(), "ada@example.com", "correct horse")
        .await;
    // The sign-up above was the email's first attempt this minute.
    for ip in ["203.0.113.1", "203.0.113.2"] {
        let response = login_from(&app, ip, "ada@example.com", "guess").await;
        assert_problem(response, StatusCode::UNAUTHORIZED, "invalid_credentials").await;
    }
    let blocked = login_from(&app, "203.0.113.3", "ADA@example.com", "correct horse").await;
    let retry_after: u64 = blocked.headers()["retry-after"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!((1..=60).contains(&retry_after));
    assert_problem(blocked, StatusCode::TOO_MANY_REQUESTS, "rate_limited").await;
}

#[tokio::test]
async fn one_address_trying_many_accounts_is_slowed() {
    let app = TestApp::spawn_with(|config| {
        config.auth_attempts_per_minute = 3;
        config.trusted_proxy_hops = 1;
    })
    .await;
    for n in 0..3 {
        let response = login_from(
            &app,
            "198.51.100.7",
            &format!("user{n}@example.com"),
            "guess",
        )
        .await;
        assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
    }
    let blocked = login_from(&app, "198.51.100.7", "fresh@example.com", "guess").await;
    assert_problem(blocked, StatusCode::TOO_MANY_REQUESTS, "rate_limited").await;
    // Someone else is not affected.
    let other = login_from(&app, "198.51.100.8", "fresh@example.com", "guess").await;
    assert_eq!(other.status(), StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn forwarded_addresses_are_ignored_unless_a_proxy_is_trusted() {
    let app = TestApp::spawn_with(|config| config.auth_attempts_per_minute = 2).await;
    for (n, ip) in ["203.0.113.1", "203.0.113.2"].iter().enumerate() {
        let response = login_from(&app, ip, &format!("u{n}@example.com"), "guess").await;
        assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
    }
    // Spoofing a new address does not reset the real one's count.
    let blocked = login_from(&app, "203.0.113.99", "u9@example.com", "guess").await;
    assert_problem(blocked, StatusCode::TOO_MANY_REQUESTS, "rate_limited").await;
}

#[tokio::test]
async fn every_answer_carries_security_headers_and_a_request_id() {
    let app = TestApp::spawn().await;
    let api = reqwest::get(app.url("/api/health")).await.unwrap();
    let headers = api.headers();
    assert_eq!(
        headers["content-security-policy"],
        "default-src 'none'; frame-ancestors 'none'"
    );
    assert_eq!(headers["x-content-type-options"], "nosniff");
    assert_eq!(headers["x-frame-options"], "DENY");
    assert_eq!(
        headers["referrer-policy"],
        "strict-origin-when-cross-origin"
    );
    assert!(headers.get("strict-transport-security").is_none());
    assert_eq!(headers["x-request-id"].len(), 36);

    let page = reqwest::get(app.url("/")).await.unwrap();
    let csp = page.headers()["content-security-policy"]
        .to_str()
        .unwrap()
        .to_owned();
    assert!(csp.contains("script-src 'self';") && csp.contains("frame-ancestors 'none'"));
    assert!(!csp.contains("unsafe-inline") && !csp.contains("unsafe-eval"));

    let traced = reqwest::Client::new()
        .get(app.url("/api/health"))
        .header("x-request-id", "support-ticket-42")
        .send()
        .await
        .unwrap();
    assert_eq!(traced.headers()["x-request-id"], "support-ticket-42");
}

#[tokio::test]
async fn https_deployments_send_hsts() {
    let app = TestApp::spawn_with(|config| {
        config.public_base_url = Some("https://studio.example.com".into())
    })
    .await;
    let response = reqwest::get(app.url("/api/health")).await.unwrap();
    assert_eq!(
        response.headers()["strict-transport-security"],
        "max-age=31536000; includeSubDomains"
    );
}

#[tokio::test]
async fn cors_answers_only_the_configured_origins_exactly() {
    let app = TestApp::spawn_with(|config| {
        config.cors_allowed_origins = vec!["https://app.example.com".into()];
    })
    .await;
    let client = reqwest::Client::new();
    let preflight = client
        .request(reqwest::Method::OPTIONS, app.url("/api/generations"))
        .header("origin", "https://app.example.com")
        .header("access-control-request-method", "POST")
        .header(
            "access-control-request-headers",
            "content-type,idempotency-key",
        )
        .send()
        .await
        .unwrap();
    assert_eq!(
        preflight.headers()["access-control-allow-origin"],
        "https://app.example.com"
    );
    assert_eq!(
        preflight.headers()["access-control-allow-credentials"],
        "true"
    );

    for origin in [
        "https://app.example.com.evil.test",
        "https://evil-app.example.com",
        "https://app.example.co",
        "http://app.example.com",
        "null",
    ] {
        let response = client
            .get(app.url("/api/config"))
            .header("origin", origin)
            .send()
            .await
            .unwrap();
        assert!(
            response
                .headers()
                .get("access-control-allow-origin")
                .is_none(),
            "{origin}"
        );
    }
    let allowed = client
        .get(app.url("/api/config"))
        .header("origin", "https://app.example.com")
        .send()
        .await
        .unwrap();
    assert_eq!(
        allowed.headers()["access-control-allow-origin"],
        "https://app.example.com"
    );
}

#[tokio::test]
async fn without_configured_origins_no_cors_headers_are_sent() {
    let app = TestApp::spawn().await;
    let response = reqwest::Client::new()
        .get(app.url("/api/config"))
        .header("origin", "https://anywhere.example")
        .send()
        .await
        .unwrap();
    assert!(
        response
            .headers()
            .get("access-control-allow-origin")
            .is_none()
    );
}

#[tokio::test]
async fn one_address_flooding_the_api_is_refused_with_a_retry_time() {
    let app = TestApp::spawn_with(|config| {
        config.requests_per_second = 1;
        config.request_burst = 3;
        config.trusted_proxy_hops = 1;
    })
    .await;
    let client = reqwest::Client::new();
    let health = |ip: &'static str| {
        client
            .get(app.url("/api/health"))
            .header("x-forwarded-for", ip)
            .send()
    };
    for _ in 0..3 {
        assert_eq!(health("192.0.2.10").await.unwrap().status(), StatusCode::OK);
    }
    let refused = health("192.0.2.10").await.unwrap();
    assert_eq!(refused.headers()["retry-after"], "1");
    assert_problem(refused, StatusCode::TOO_MANY_REQUESTS, "rate_limited").await;
    assert_eq!(health("192.0.2.11").await.unwrap().status(), StatusCode::OK);
}
