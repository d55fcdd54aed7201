//! Clerk sign-in against a local stand-in for Clerk: the server must accept
//! exactly the session tokens Clerk's own SDK accepts and refuse the rest.

use std::{
    sync::atomic::Ordering,
    time::{Duration, Instant},
};

use reqwest::{Client, StatusCode};
use serde_json::{Value, json};

use crate::{
    fake_clerk::{self, FakeClerk, claims, header, keys, new_subject, session_token, sign},
    helpers::{TestApp, assert_problem, small},
};

const KID: &str = "ins_2testinstancekey";

async fn get_me(app: &TestApp, token: &str) -> reqwest::Response {
    Client::new()
        .get(app.url("/api/me"))
        .bearer_auth(token)
        .send()
        .await
        .expect("request sent")
}

async fn assert_refused(app: &TestApp, token: &str) {
    assert_problem(
        get_me(app, token).await,
        StatusCode::UNAUTHORIZED,
        "unauthenticated",
    )
    .await;
}

fn signed(claims: &Value) -> String {
    sign(&keys()[0], &header(KID), claims)
}

#[tokio::test]
async fn a_valid_session_token_signs_in_and_creates_the_user_once() {
    let clerk = FakeClerk::start(KID).await;
    let app = clerk.app(|_| {}).await;
    let subject = new_subject();
    let token = session_token(&subject, KID);

    // Several first requests at once: one record, the same for all.
    let answers = futures::future::join_all((0..8).map(|_| get_me(&app, &token))).await;
    let mut created = Vec::new();
    for answer in answers {
        assert_eq!(answer.status(), StatusCode::OK);
        let me: Value = answer.json().await.unwrap();
        assert_eq!(me["user"]["id"], subject.as_str());
        created.push(me["user"]["created_at"].clone());
    }
    assert!(created.windows(2).all(|pair| pair[0] == pair[1]));
    let user = app.state.metadata.user_by_id(&subject).await.unwrap();
    let user = user.expect("the user was created");
    // No email in the token and no secret key: a stand-in that can never receive mail.
    assert_eq!(
        user.email,
        format!("{}@users.clerk.invalid", subject.to_lowercase())
    );
    assert_eq!(
        clerk.frontend_fetches(),
        1,
        "keys are fetched once and cached"
    );
}

#[tokio::test]
async fn every_endpoint_works_the_same_for_a_clerk_user() {
    let clerk = FakeClerk::start(KID).await;
    let app = clerk.app(|_| {}).await;
    let token = session_token(&new_subject(), KID);
    let client = Client::new();
    let created = client
        .post(app.url("/api/generations"))
        .bearer_auth(&token)
        .json(&small("a lighthouse at dusk"))
        .send()
        .await
        .unwrap();
    assert_eq!(created.status(), StatusCode::CREATED);
    let page: Value = client
        .get(app.url("/api/images"))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(page["items"].as_array().unwrap().len(), 1);
    // Another Clerk user sees none of it.
    let stranger = session_token(&new_subject(), KID);
    let theirs: Value = client
        .get(app.url("/api/images"))
        .bearer_auth(&stranger)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert!(theirs["items"].as_array().unwrap().is_empty());
}

#[tokio::test]
async fn a_clerk_user_makes_an_api_key_that_acts_as_them_but_cannot_make_keys() {
    let clerk = FakeClerk::start(KID).await;
    let app = clerk.app(|_| {}).await;
    let subject = new_subject();
    let token = session_token(&subject, KID);
    let client = Client::new();
    let made: Value = client
        .post(app.url("/api/keys"))
        .bearer_auth(&token)
        .json(&json!({"name": "render farm"}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let secret = made["secret"].as_str().unwrap();

    let me: Value = client
        .get(app.url("/api/me"))
        .bearer_auth(secret)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let listed = client
        .get(app.url("/api/keys"))
        .bearer_auth(secret)
        .send()
        .await
        .unwrap();

    assert_eq!(me["user"]["id"], subject.as_str());
    assert_problem(listed, StatusCode::FORBIDDEN, "key_not_allowed").await;
}

#[tokio::test]
async fn the_session_cookie_works_on_the_same_origin_and_the_header_wins() {
    let clerk = FakeClerk::start(KID).await;
    let app = clerk.app(|_| {}).await;
    let token = session_token(&new_subject(), KID);
    let client = Client::new();
    let by_cookie = client
        .get(app.url("/api/me"))
        .header("cookie", format!("__session={token}"))
        .send()
        .await
        .unwrap();
    assert_eq!(by_cookie.status(), StatusCode::OK);

    let bad_header_good_cookie = client
        .get(app.url("/api/me"))
        .bearer_auth("not-a-token")
        .header("cookie", format!("__session={token}"))
        .send()
        .await
        .unwrap();
    assert_problem(
        bad_header_good_cookie,
        StatusCode::UNAUTHORIZED,
        "unauthenticated",
    )
    .await;

    // A cookie alone cannot authorise a cross-site form post.
    let form_post = client
        .post(app.url("/api/generations"))
        .header("cookie", format!("__session={token}"))
        .header("content-type", "application/x-www-form-urlencoded")
        .body("prompt=x")
        .send()
        .await
        .unwrap();
    assert_eq!(form_post.status(), StatusCode::UNSUPPORTED_MEDIA_TYPE);
}

#[tokio::test]
async fn expiry_is_checked_with_five_seconds_of_skew() {
    let clerk = FakeClerk::start(KID).await;
    let app = clerk.app(|_| {}).await;
    let mut within = claims(&new_subject());
    within["exp"] = json!(fake_clerk::now() - 3);
    assert_eq!(
        get_me(&app, &signed(&within)).await.status(),
        StatusCode::OK
    );

    let mut expired = claims(&new_subject());
    expired["exp"] = json!(fake_clerk::now() - 6);
    assert_refused(&app, &signed(&expired)).await;

    let mut no_exp = claims(&new_subject());
    no_exp.as_object_mut().unwrap().remove("exp");
    assert_refused(&app, &signed(&no_exp)).await;
}

#[tokio::test]
async fn tokens_not_yet_valid_are_refused() {
    let clerk = FakeClerk::start(KID).await;
    let app = clerk.app(|_| {}).await;
    let mut early = claims(&new_subject());
    early["nbf"] = json!(fake_clerk::now() + 30);
    assert_refused(&app, &signed(&early)).await;

    let mut slightly_early = claims(&new_subject());
    slightly_early["nbf"] = json!(fake_clerk::now() + 2);
    assert_eq!(
        get_me(&app, &signed(&slightly_early)).await.status(),
        StatusCode::OK
    );
}

#[tokio::test]
async fn tokens_issued_in_the_future_are_refused() {
    let clerk = FakeClerk::start(KID).await;
    let app = clerk.app(|_| {}).await;
    let mut future = claims(&new_subject());
    future["iat"] = json!(fake_clerk::now() + 30);
    assert_refused(&app, &signed(&future)).await;
}

#[tokio::test]
async fn a_token_for_another_front_end_is_refused() {
    let clerk = FakeClerk::start(KID).await;
    let app = clerk.app(|_| {}).await;
    let mut other = claims(&new_subject());
    other["azp"] = json!("https://evil.example.com");
    assert_refused(&app, &signed(&other)).await;

    let mut missing = claims(&new_subject());
    missing.as_object_mut().unwrap().remove("azp");
    assert_refused(&app, &signed(&missing)).await;
}

#[tokio::test]
async fn without_authorized_parties_any_azp_is_accepted() {
    let clerk = FakeClerk::start(KID).await;
    let app = clerk
        .app(|config| config.clerk.clerk_authorized_parties.clear())
        .await;
    let mut other = claims(&new_subject());
    other["azp"] = json!("https://other.example.com");
    assert_eq!(get_me(&app, &signed(&other)).await.status(), StatusCode::OK);
}

#[tokio::test]
async fn a_token_from_another_issuer_is_refused() {
    let clerk = FakeClerk::start(KID).await;
    let app = clerk.app(|_| {}).await;
    let mut other = claims(&new_subject());
    other["iss"] = json!("https://clerk.someone-else.test");
    assert_refused(&app, &signed(&other)).await;
}

#[tokio::test]
async fn tokens_without_a_subject_or_session_are_refused() {
    let clerk = FakeClerk::start(KID).await;
    let app = clerk.app(|_| {}).await;
    for field in ["sub", "sid"] {
        let mut missing = claims(&new_subject());
        missing.as_object_mut().unwrap().remove(field);
        assert_refused(&app, &signed(&missing)).await;
    }
    let mut numeric = claims(&new_subject());
    numeric["sub"] = json!(42);
    assert_refused(&app, &signed(&numeric)).await;
}

#[tokio::test]
async fn an_unsigned_token_is_refused() {
    let clerk = FakeClerk::start(KID).await;
    let app = clerk.app(|_| {}).await;
    let encode = |value: &Value| {
        use base64::Engine;
        base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(value.to_string())
    };
    let claims = claims(&new_subject());
    for alg in ["none", "None", "NONE"] {
        let head = json!({"alg": alg, "kid": KID, "typ": "JWT"});
        assert_refused(&app, &format!("{}.{}.", encode(&head), encode(&claims))).await;
    }
}

#[tokio::test]
async fn hs256_signed_with_the_public_key_is_refused() {
    let clerk = FakeClerk::start(KID).await;
    let app = clerk.app(|_| {}).await;
    let public = fake_clerk::public_pem(&keys()[0]);
    let head =
        json!({"alg": "HS256", "cat": fake_clerk::SESSION_CATEGORY, "kid": KID, "typ": "JWT"});
    let token = fake_clerk::sign_hs256(public.as_bytes(), &head, &claims(&new_subject()));
    assert_refused(&app, &token).await;
}

#[tokio::test]
async fn a_token_signed_by_another_key_under_our_kid_is_refused() {
    let clerk = FakeClerk::start(KID).await;
    let app = clerk.app(|_| {}).await;
    let forged = sign(&keys()[1], &header(KID), &claims(&new_subject()));
    assert_refused(&app, &forged).await;
    // A tampered payload under a real signature fails too.
    let real = session_token(&new_subject(), KID);
    let mut parts: Vec<&str> = real.split('.').collect();
    let other = signed(&claims(&new_subject()));
    parts[1] = other.split('.').nth(1).unwrap();
    assert_refused(&app, &parts.join(".")).await;
}

#[tokio::test]
async fn tokens_that_are_not_session_tokens_are_refused() {
    let clerk = FakeClerk::start(KID).await;
    let app = clerk.app(|_| {}).await;
    let claims = claims(&new_subject());
    for head in [
        json!({"alg": "RS256", "cat": "cl_B7d4PD333AAA", "kid": KID, "typ": "JWT"}), // machine token
        json!({"alg": "RS256", "cat": "cl_B7d4PD222AAA", "kid": KID, "typ": "JWT"}), // JWT template
        json!({"alg": "RS256", "kid": KID, "typ": "at+jwt"}), // OAuth access token
        json!({"alg": "RS256", "kid": KID, "typ": "JWT", "crit": ["exp"]}),
    ] {
        assert_refused(&app, &sign(&keys()[0], &head, &claims)).await;
    }
    // Without `cat` and `typ`, as older instances issue them: accepted.
    let plain = json!({"alg": "RS256", "kid": KID});
    assert_eq!(
        get_me(&app, &sign(&keys()[0], &plain, &claims))
            .await
            .status(),
        StatusCode::OK
    );
}

#[tokio::test]
async fn keys_named_inside_the_token_are_never_fetched() {
    let clerk = FakeClerk::start(KID).await;
    let app = clerk.app(|_| {}).await;
    let attacker = FakeClerk::start("attacker-kid").await;
    let head = json!({
        "alg": "RS256", "kid": "attacker-kid", "typ": "JWT",
        "jku": attacker.jwks_url(), "x5u": attacker.jwks_url(),
        "jwk": fake_clerk::jwk(&keys()[0], "attacker-kid"),
    });
    assert_refused(&app, &sign(&keys()[0], &head, &claims(&new_subject()))).await;
    assert_eq!(attacker.frontend_fetches(), 0);
}

#[tokio::test]
async fn a_rotated_key_is_accepted_after_one_refetch() {
    let clerk = FakeClerk::start(KID).await;
    let app = clerk
        .app(|config| config.clerk.clerk_jwks_cooldown_secs = 1)
        .await;
    assert_eq!(
        get_me(&app, &session_token(&new_subject(), KID))
            .await
            .status(),
        StatusCode::OK
    );
    assert_eq!(clerk.frontend_fetches(), 1);

    // Clerk rotates: a new key signs tokens, its kid is not in our cache yet.
    let new_kid = "ins_2rotatedkey";
    let rotated = sign(&keys()[1], &header(new_kid), &claims(&new_subject()));
    // Within the cooldown of the last fetch nothing is fetched.
    assert_refused(&app, &rotated).await;
    assert_eq!(clerk.frontend_fetches(), 1);

    clerk
        .state
        .jwks
        .lock()
        .unwrap()
        .push(fake_clerk::jwk(&keys()[1], new_kid));
    tokio::time::sleep(Duration::from_millis(1100)).await;
    assert_eq!(get_me(&app, &rotated).await.status(), StatusCode::OK);
    assert_eq!(clerk.frontend_fetches(), 2, "exactly one refetch");
    // Now cached: no further fetch.
    assert_eq!(get_me(&app, &rotated).await.status(), StatusCode::OK);
    assert_eq!(clerk.frontend_fetches(), 2);
}

#[tokio::test]
async fn a_flood_of_unknown_kids_causes_at_most_one_fetch_per_cooldown() {
    let clerk = FakeClerk::start(KID).await;
    let app = clerk
        .app(|config| {
            config.limits.requests_per_second = 0;
            config.clerk.clerk_jwks_cooldown_secs = 60;
        })
        .await;
    let client = Client::builder()
        .pool_max_idle_per_host(64)
        .build()
        .unwrap();
    let started = Instant::now();
    let requests = (0..1000).map(|_| {
        let kid = format!("ins_{}", ulid::Ulid::new());
        let token = sign(&keys()[0], &header(&kid), &claims(&new_subject()));
        let request = client.get(app.url("/api/me")).bearer_auth(token);
        async move { request.send().await.map(|answer| answer.status()) }
    });
    let statuses = futures::stream::iter(requests)
        .buffer_unordered(100)
        .collect::<Vec<_>>()
        .await;
    for status in statuses {
        assert_eq!(status.expect("answered"), StatusCode::UNAUTHORIZED);
    }
    assert!(
        clerk.frontend_fetches() <= 1,
        "{} fetches",
        clerk.frontend_fetches()
    );
    assert!(started.elapsed() < Duration::from_secs(30));
    // Tokens with the real kid still work straight away.
    assert_eq!(
        get_me(&app, &session_token(&new_subject(), KID))
            .await
            .status(),
        StatusCode::OK
    );
}

#[tokio::test]
async fn known_keys_keep_working_while_the_jwks_is_down() {
    let clerk = FakeClerk::start(KID).await;
    let app = clerk
        .app(|config| config.clerk.clerk_jwks_cooldown_secs = 0)
        .await;
    assert_eq!(
        get_me(&app, &session_token(&new_subject(), KID))
            .await
            .status(),
        StatusCode::OK
    );
    clerk.state.frontend_down.store(true, Ordering::SeqCst);
    // An unknown kid makes us try (and fail) to refetch: a 401, not a 500.
    let unknown = sign(&keys()[0], &header("ins_unknown"), &claims(&new_subject()));
    assert_refused(&app, &unknown).await;
    assert_eq!(clerk.frontend_fetches(), 2);
    // The failed fetch did not throw away the key we had.
    assert_eq!(
        get_me(&app, &session_token(&new_subject(), KID))
            .await
            .status(),
        StatusCode::OK
    );
}

#[tokio::test]
async fn an_unreachable_jwks_answers_401_quickly() {
    let closed = {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        listener.local_addr().unwrap().port()
    };
    let clerk = FakeClerk::start(KID).await;
    let app = clerk
        .app(|config| {
            config.clerk.clerk_jwks_url = Some(format!("http://127.0.0.1:{closed}/jwks.json"));
        })
        .await;
    let started = Instant::now();
    assert_refused(&app, &session_token(&new_subject(), KID)).await;
    assert!(started.elapsed() < Duration::from_secs(5));
}

#[tokio::test]
async fn oversized_and_garbage_tokens_are_refused() {
    let clerk = FakeClerk::start(KID).await;
    let app = clerk.app(|_| {}).await;
    let mut huge = claims(&new_subject());
    huge["padding"] = json!("x".repeat(9000));
    assert_refused(&app, &signed(&huge)).await;
    for garbage in [
        "",
        "a",
        "a.b",
        "a.b.c",
        "a.b.c.d",
        "!!!.###.$$$",
        "eyJhbGciOiJSUzI1NiJ9.e30",
        "eyJhbGciOiJSUzI1NiJ9.e30.e30.e30",
    ] {
        assert_refused(&app, garbage).await;
    }
    let client = Client::new();
    for authorization in ["Basic dXNlcjpwYXNz", "Bearer", "bearer x", "Token abc"] {
        let answer = client
            .get(app.url("/api/me"))
            .header("authorization", authorization)
            .send()
            .await
            .unwrap();
        assert_problem(answer, StatusCode::UNAUTHORIZED, "unauthenticated").await;
    }
    let raw = client
        .get(app.url("/api/me"))
        .header(
            "authorization",
            reqwest::header::HeaderValue::from_bytes(b"Bearer \xff\xfe").unwrap(),
        )
        .send()
        .await
        .unwrap();
    assert_problem(raw, StatusCode::UNAUTHORIZED, "unauthenticated").await;
}

#[tokio::test]
async fn with_the_jwt_key_nothing_is_fetched() {
    let clerk = FakeClerk::start(KID).await;
    let app = clerk
        .app(|config| {
            config.clerk.clerk_jwt_key = Some(fake_clerk::public_pem(&keys()[0]));
            FakeClerk::with_secret(config);
        })
        .await;
    let subject = new_subject();
    // Clerk's Backend API knows this user, but networkless mode never asks it.
    clerk
        .state
        .users
        .lock()
        .unwrap()
        .push(fake_clerk::backend_user_json(
            &subject,
            "ada@example.com",
            "Ada",
            "Lovelace",
        ));
    assert_eq!(
        get_me(&app, &session_token(&subject, KID)).await.status(),
        StatusCode::OK
    );
    let forged = sign(&keys()[1], &header(KID), &claims(&new_subject()));
    assert_refused(&app, &forged).await;
    assert_eq!(clerk.frontend_fetches(), 0);
    assert_eq!(clerk.state.backend_fetches.load(Ordering::SeqCst), 0);
}

#[tokio::test]
async fn a_new_users_profile_comes_from_the_token_or_the_backend_api() {
    let clerk = FakeClerk::start(KID).await;
    let app = clerk.app(FakeClerk::with_secret).await;

    // Claims added to the session token in Clerk's dashboard win.
    let with_claims = new_subject();
    let mut token_claims = claims(&with_claims);
    token_claims["email"] = json!("grace@example.com");
    token_claims["name"] = json!("Grace Hopper");
    let me: Value = get_me(&app, &signed(&token_claims))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(me["user"]["email"], "grace@example.com");
    assert_eq!(me["user"]["display_name"], "Grace Hopper");
    assert_eq!(clerk.state.user_fetches.load(Ordering::SeqCst), 0);

    // Otherwise the Backend API is asked, once, with the secret key.
    let subject = new_subject();
    clerk
        .state
        .users
        .lock()
        .unwrap()
        .push(fake_clerk::backend_user_json(
            &subject,
            "ada@example.com",
            "Ada",
            "Lovelace",
        ));
    let token = session_token(&subject, KID);
    for _ in 0..3 {
        let me: Value = get_me(&app, &token).await.json().await.unwrap();
        assert_eq!(me["user"]["email"], "ada@example.com");
        assert_eq!(me["user"]["display_name"], "Ada Lovelace");
    }
    assert_eq!(clerk.state.user_fetches.load(Ordering::SeqCst), 1);

    // An email another account already has: a stand-in instead, never a takeover.
    let twin = new_subject();
    let mut twin_claims = claims(&twin);
    twin_claims["email"] = json!("ada@example.com");
    let me: Value = get_me(&app, &signed(&twin_claims))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(me["user"]["id"], twin.as_str());
    assert_eq!(
        me["user"]["email"],
        format!("{}@users.clerk.invalid", twin.to_lowercase())
    );

    // A user the Backend API does not know still gets in.
    let unknown = new_subject();
    assert_eq!(
        get_me(&app, &session_token(&unknown, KID)).await.status(),
        StatusCode::OK
    );
}

#[tokio::test]
async fn the_backend_api_serves_keys_when_the_frontend_api_fails() {
    let clerk = FakeClerk::start(KID).await;
    clerk.state.frontend_down.store(true, Ordering::SeqCst);
    let app = clerk.app(FakeClerk::with_secret).await;
    assert_eq!(
        get_me(&app, &session_token(&new_subject(), KID))
            .await
            .status(),
        StatusCode::OK
    );
    assert_eq!(clerk.state.backend_fetches.load(Ordering::SeqCst), 1);
}

#[tokio::test]
async fn clerk_mode_is_announced_and_local_accounts_are_disabled() {
    let clerk = FakeClerk::start(KID).await;
    let app = clerk.app(FakeClerk::with_secret).await;
    let client = app.browser();
    let config_answer = client.get(app.url("/api/config")).send().await.unwrap();
    let config_text = config_answer.text().await.unwrap();
    assert!(!config_text.contains(fake_clerk::SECRET_KEY));
    let config: Value = serde_json::from_str(&config_text).unwrap();
    assert_eq!(config["auth"]["mode"], "clerk");
    assert_eq!(
        config["auth"]["clerk_publishable_key"],
        fake_clerk::publishable_key()
    );

    assert_problem(
        app.signup(&client, "ada@example.com", "correct horse battery")
            .await,
        StatusCode::NOT_FOUND,
        "local_auth_disabled",
    )
    .await;
    assert_problem(
        app.login(&client, "ada@example.com", "correct horse battery")
            .await,
        StatusCode::NOT_FOUND,
        "local_auth_disabled",
    )
    .await;

    // The web app may load Clerk's scripts and call its Frontend API.
    let page = client.get(app.url("/")).send().await.unwrap();
    let csp = page.headers()["content-security-policy"]
        .to_str()
        .unwrap()
        .to_owned();
    assert!(
        csp.contains(&format!("script-src 'self' {}", fake_clerk::ISSUER)),
        "{csp}"
    );
    assert!(
        csp.contains(&format!("connect-src 'self' {}", fake_clerk::ISSUER)),
        "{csp}"
    );
}

#[tokio::test]
async fn without_clerk_settings_local_accounts_work_and_tokens_mean_nothing() {
    let app = TestApp::spawn().await;
    let config: Value = app
        .browser()
        .get(app.url("/api/config"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(config["auth"]["mode"], "local");
    let page = app.browser().get(app.url("/")).send().await.unwrap();
    let csp = page.headers()["content-security-policy"].to_str().unwrap();
    assert!(!csp.contains("clerk"), "{csp}");
    app.signed_in_user().await;
    assert_refused(&app, &session_token(&new_subject(), KID)).await;
}

#[tokio::test]
async fn a_malformed_publishable_key_stops_start_up() {
    let data_dir = tempfile::tempdir().unwrap();
    let mut config = promptcanvas::settings::Config::for_data_dir(data_dir.path());
    config.clerk.clerk_publishable_key = Some("pk_test_not-base64-at-all!".into());
    let error = promptcanvas::Application::build(config)
        .await
        .err()
        .expect("refused");
    assert!(format!("{error:#}").contains("CLERK_PUBLISHABLE_KEY"));
}

use futures::StreamExt;

#[tokio::test]
async fn a_clerk_user_named_in_admin_emails_sees_the_statistics() {
    let clerk = FakeClerk::start(KID).await;
    let app = clerk
        .app(|config| config.server.admin_emails = vec!["ops@example.com".into()])
        .await;
    let mut operator_claims = claims(&new_subject());
    operator_claims["email"] = "Ops@Example.com".into();
    let operator = signed(&operator_claims);
    let someone = session_token(&new_subject(), KID);
    let stats = |token: &str| {
        Client::new()
            .get(app.url("/api/admin/stats"))
            .bearer_auth(token)
            .send()
    };

    let theirs = stats(&someone).await.unwrap();
    let ours = stats(&operator).await.unwrap();

    assert_problem(theirs, StatusCode::NOT_FOUND, "not_found").await;
    assert_eq!(ours.status(), StatusCode::OK);
    let figures: Value = ours.json().await.unwrap();
    assert_eq!(figures["users"]["total"], 2);
    let me: Value = get_me(&app, &operator).await.json().await.unwrap();
    assert_eq!(me["admin"], true);
    let me: Value = get_me(&app, &someone).await.json().await.unwrap();
    assert!(me.get("admin").is_none());
}
