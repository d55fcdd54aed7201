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

/// An app whose per-address limiter lets `burst` requests through at once,
/// then one a second, behind one trusted proxy.
async fn limited_app(burst: u32) -> TestApp {
    TestApp::spawn_with(|config| {
        config.limits.requests_per_second = 1;
        config.limits.request_burst = burst;
        config.server.trusted_proxy_hops = 1;
    })
    .await
}

/// `GET /api/health` from a client at `ip`, as the trusted proxy reports it.
async fn health_from(app: &TestApp, ip: &str) -> reqwest::Result<reqwest::Response> {
    reqwest::Client::new()
        .get(app.url("/api/health"))
        .header("x-forwarded-for", ip)
        .send()
        .await
}

#[tokio::test]
async fn a_guesser_is_slowed_without_locking_the_owner_out() {
    let app = TestApp::spawn_with(|config| {
        config.limits.auth_attempts_per_minute = 3;
        config.server.trusted_proxy_hops = 1;
    })
    .await;
    app.signup(&app.browser(), "ada@example.com", "correct horse")
        .await;
    for _ in 0..3 {
        let response = login_from(&app, "203.0.113.1", "ada@example.com", "guess").await;
        assert_problem(response, StatusCode::UNAUTHORIZED, "invalid_credentials").await;
    }
    // The guesser is held up, even when it finally has the right password...
    let blocked = login_from(&app, "203.0.113.1", "ADA@example.com", "correct horse").await;
    let retry_after: u64 = blocked.headers()["retry-after"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!((1..=60).contains(&retry_after));
    assert_problem(blocked, StatusCode::TOO_MANY_REQUESTS, "rate_limited").await;
    // ...while the owner, from their own address, signs in.
    let owner = login_from(&app, "198.51.100.20", "ada@example.com", "correct horse").await;
    assert_eq!(owner.status(), StatusCode::OK);
}

#[tokio::test]
async fn guessing_one_account_from_many_addresses_meets_an_hourly_limit() {
    let app = TestApp::spawn_with(|config| {
        config.limits.auth_attempts_per_minute = 3;
        config.limits.auth_attempts_per_email_per_hour = 4;
        config.server.trusted_proxy_hops = 1;
    })
    .await;
    app.signup(&app.browser(), "ada@example.com", "correct horse")
        .await;
    // The sign-up was the email's first attempt this hour.
    for ip in ["203.0.113.1", "203.0.113.2", "203.0.113.3"] {
        let response = login_from(&app, ip, "ada@example.com", "guess").await;
        assert_problem(response, StatusCode::UNAUTHORIZED, "invalid_credentials").await;
    }
    let blocked = login_from(&app, "203.0.113.4", "ada@example.com", "correct horse").await;
    let retry_after: u64 = blocked.headers()["retry-after"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!((1..=3600).contains(&retry_after));
    assert_problem(blocked, StatusCode::TOO_MANY_REQUESTS, "rate_limited").await;
}

#[tokio::test]
async fn refused_sign_ins_with_fresh_emails_write_nothing() {
    let app = TestApp::spawn_with(|config| {
        config.limits.requests_per_second = 0;
        config.limits.auth_attempts_per_minute = 3;
        config.server.trusted_proxy_hops = 1;
    })
    .await;
    let client = reqwest::Client::new();
    let huge = format!("{}@example.com", "x".repeat(60_000));
    let response = client
        .post(app.url("/api/auth/login"))
        .json(&json!({"email": huge, "password": "whatever-it-is"}))
        .send()
        .await
        .unwrap();
    assert_problem(
        response,
        StatusCode::UNPROCESSABLE_ENTITY,
        "invalid_request",
    )
    .await;
    for n in 0..10_000 {
        let email = format!("{n}-{}@example.com", "y".repeat(200));
        let response = client
            .post(app.url("/api/auth/login"))
            .header("x-forwarded-for", "203.0.113.50")
            .json(&json!({"email": email, "password": "whatever-it-is"}))
            .send()
            .await
            .unwrap();
        let expected = if n < 3 {
            StatusCode::UNAUTHORIZED
        } else {
            StatusCode::TOO_MANY_REQUESTS
        };
        assert_eq!(response.status(), expected, "attempt {n}");
    }
    let database =
        rusqlite::Connection::open(app.state.config.server.data_dir.join("promptcanvas.db"))
            .unwrap();
    let (rows, longest): (i64, i64) = database
        .query_row(
            "SELECT COUNT(*), COALESCE(MAX(LENGTH(key)), 0) FROM rate_limits",
            [],
            |row| Ok((row.get(0)?, row.get(1)?)),
        )
        .unwrap();
    assert!(rows <= 7, "{rows} rate-limit rows");
    assert!(longest < 100, "keys hold digests, not emails: {longest}");
}

#[tokio::test]
async fn an_ipv6_client_is_one_client_across_its_64_block() {
    let app = limited_app(2).await;
    let health = |ip: &'static str| health_from(&app, ip);
    assert_eq!(
        health("2001:db8:7:7::1").await.unwrap().status(),
        StatusCode::OK
    );
    assert_eq!(
        health("2001:db8:7:7::2").await.unwrap().status(),
        StatusCode::OK
    );
    let rotated = health("2001:db8:7:7:abcd::3").await.unwrap();
    assert_problem(rotated, StatusCode::TOO_MANY_REQUESTS, "rate_limited").await;
    assert_eq!(
        health("2001:db8:7:8::1").await.unwrap().status(),
        StatusCode::OK
    );
}

#[tokio::test]
async fn one_address_trying_many_accounts_is_slowed() {
    let app = TestApp::spawn_with(|config| {
        config.limits.auth_attempts_per_minute = 3;
        config.server.trusted_proxy_hops = 1;
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
    let app = TestApp::spawn_with(|config| config.limits.auth_attempts_per_minute = 2).await;
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
        config.server.public_base_url = Some("https://studio.example.com".into())
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
        config.server.cors_allowed_origins = vec!["https://app.example.com".into()];
    })
    .await;
    let client = reqwest::Client::new();
    let preflight = client
        .request(reqwest::Method::OPTIONS, app.url("/api/generations"))
        .header("origin", "https://app.example.com")
        .header("access-control-request-method", "POST")
        .header(
            "access-control-request-headers",
            "content-type,idempotency-key,generation-group",
        )
        .send()
        .await
        .unwrap();
    assert_eq!(
        preflight.headers()["access-control-allow-origin"],
        "https://app.example.com"
    );
    let allowed = preflight.headers()["access-control-allow-headers"]
        .to_str()
        .unwrap()
        .to_lowercase();
    for header in ["content-type", "idempotency-key", "generation-group"] {
        assert!(allowed.contains(header), "{header} in {allowed}");
    }
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
    let app = limited_app(3).await;
    let health = |ip: &'static str| health_from(&app, ip);
    for _ in 0..3 {
        assert_eq!(health("192.0.2.10").await.unwrap().status(), StatusCode::OK);
    }
    let refused = health("192.0.2.10").await.unwrap();
    assert_eq!(refused.headers()["retry-after"], "1");
    assert_problem(refused, StatusCode::TOO_MANY_REQUESTS, "rate_limited").await;
    assert_eq!(health("192.0.2.11").await.unwrap().status(), StatusCode::OK);
}

#[tokio::test]
async fn with_an_origin_secret_only_requests_through_the_site_are_answered() {
    let secret = "s3cr3t-the-cdn-adds-to-every-request-0123456789";
    let app = TestApp::spawn_with(|config| {
        config.server.origin_secret = Some(secret.to_owned().into());
        config.limits.requests_per_second = 1;
        config.limits.request_burst = 2;
        config.server.trusted_proxy_hops = 1;
    })
    .await;
    let client = reqwest::Client::new();
    let health = |origin_secret: Option<&'static str>, ip: &'static str| {
        let request = client
            .get(app.url("/api/health"))
            .header("x-forwarded-for", ip);
        match origin_secret {
            Some(value) => request.header("x-origin-secret", value),
            None => request,
        }
        .send()
    };

    // A direct caller, with or without a guess, is refused without being told why...
    let direct = health(None, "192.0.2.20").await.unwrap();
    let body = assert_problem(direct, StatusCode::FORBIDDEN, "forbidden").await;
    assert!(!body.to_string().contains("secret"), "{body}");
    let guessed = health(Some("s3cr3t-the-cdn-adds"), "192.0.2.20")
        .await
        .unwrap();
    assert_problem(guessed, StatusCode::FORBIDDEN, "forbidden").await;
    let sign_in = client
        .post(app.url("/api/auth/login"))
        .json(&serde_json::json!({"email": "a@example.com", "password": "whatever-it-is"}))
        .send()
        .await
        .unwrap();
    assert_problem(sign_in, StatusCode::FORBIDDEN, "forbidden").await;

    // ...before the limiter reads its chosen address: the site's callers from that
    // address still have their whole burst.
    for _ in 0..2 {
        let through_site = health(Some(secret), "192.0.2.20").await.unwrap();
        assert_eq!(through_site.status(), StatusCode::OK);
    }
    let flooded = health(Some(secret), "192.0.2.20").await.unwrap();
    assert_problem(flooded, StatusCode::TOO_MANY_REQUESTS, "rate_limited").await;
}

#[tokio::test]
async fn a_flood_of_sign_ups_waits_its_turn_or_is_told_to_come_back() {
    let app = TestApp::spawn_with(|config| {
        config.limits.password_hashing_concurrency = 1;
        config.limits.password_hashing_wait_ms = 0;
        config.limits.auth_attempts_per_minute = 1_000;
        config.limits.requests_per_second = 0;
    })
    .await;
    let client = reqwest::Client::new();
    let answers = futures::future::join_all((0..12).map(|n| {
        client
            .post(app.url("/api/auth/signup"))
            .json(&json!({"email": format!("flood{n}@example.com"), "password": "correct horse"}))
            .send()
    }))
    .await;
    let mut busy = 0;
    for answer in answers {
        let answer = answer.unwrap();
        if answer.status() == StatusCode::CREATED {
            continue;
        }
        assert_eq!(answer.headers()["retry-after"], "1");
        assert_problem(answer, StatusCode::SERVICE_UNAVAILABLE, "busy").await;
        busy += 1;
    }
    assert!(
        busy > 0,
        "one hashing turn cannot serve twelve sign-ups at once"
    );
    // Once the flood has passed, signing up works again.
    let later = app
        .signup(&client, "after@example.com", "correct horse")
        .await;
    assert_eq!(later.status(), StatusCode::CREATED);
}
