//! Recorded API Gateway events (HTTP API payload v2 and REST API v1) fed
//! through the Lambda handler get the answers the HTTP server gives for the
//! same requests: same status, headers, cookies and body bytes.

use std::collections::BTreeMap;

use base64::{Engine, engine::general_purpose::STANDARD as BASE64};
use lambda_http::{Context, LambdaEvent, request::LambdaRequest};
use promptcanvas::app::lambda::handle_event;
use reqwest::{Client, Method, StatusCode};
use serde_json::Value;

use crate::helpers::TestApp;

const PASSWORD: &str = "correct horse battery";

/// One answer, from either side, in comparable form.
#[derive(Debug)]
struct Answer {
    status: u16,
    /// Lower-case names; repeated headers joined with ", " as API Gateway v2 does.
    headers: BTreeMap<String, String>,
    cookies: Vec<String>,
    body: Vec<u8>,
    base64: bool,
}

impl Answer {
    fn json(&self) -> Value {
        serde_json::from_slice(&self.body).expect("JSON body")
    }
}

/// Headers that differ between any two answers, whatever answered them.
const PER_ANSWER: [&str; 5] = [
    "date",
    "x-request-id",
    "content-length",
    "transfer-encoding",
    "set-cookie",
];

/// A recorded event with its `{{name}}` placeholders filled in.
fn recorded_event(name: &str, vars: &[(&str, &str)]) -> LambdaEvent<LambdaRequest> {
    let path = format!(
        "{}/tests/lambda-events/{name}.json",
        env!("CARGO_MANIFEST_DIR")
    );
    let mut text = std::fs::read_to_string(&path).expect("recorded event");
    for (key, value) in vars {
        text = text.replace(&format!("{{{{{key}}}}}"), value);
    }
    let mut event: Value = serde_json::from_str(&text).expect("event is JSON");
    if let Some(body) = event["body"].as_str() {
        let length = if event["isBase64Encoded"] == true {
            BASE64.decode(body).expect("base64 body").len()
        } else {
            body.len()
        };
        if let Some(headers) = event["headers"].as_object_mut() {
            for value in headers.values_mut() {
                if value == "{{content_length}}" {
                    *value = Value::String(length.to_string());
                }
            }
        }
    }
    assert!(
        !event.to_string().contains("{{"),
        "{name}: a placeholder was left unfilled"
    );
    let request: LambdaRequest = serde_json::from_value(event).expect("an API Gateway event");
    LambdaEvent::new(request, Context::default())
}

async fn through_lambda(app: &TestApp, event: LambdaEvent<LambdaRequest>) -> Answer {
    let router = promptcanvas::router(app.state.clone()).expect("router builds");
    let response = handle_event(router, event).await.expect("handler answers");
    let base64 = response["isBase64Encoded"] == true;
    let body = match response["body"].as_str() {
        Some(body) if base64 => BASE64.decode(body).expect("base64 response body"),
        Some(body) => body.as_bytes().to_vec(),
        None => Vec::new(),
    };
    let mut headers = BTreeMap::new();
    let mut cookies: Vec<String> = response["cookies"]
        .as_array()
        .map(|values| {
            values
                .iter()
                .filter_map(|value| value.as_str().map(str::to_owned))
                .collect()
        })
        .unwrap_or_default();
    // v2 answers in `headers` (one string each); v1 in `multiValueHeaders`.
    for (name, value) in response["headers"].as_object().into_iter().flatten() {
        headers.insert(name.to_lowercase(), value.as_str().unwrap().to_owned());
    }
    for (name, values) in response["multiValueHeaders"]
        .as_object()
        .into_iter()
        .flatten()
    {
        let values: Vec<String> = values
            .as_array()
            .unwrap()
            .iter()
            .map(|value| value.as_str().unwrap().to_owned())
            .collect();
        if name.eq_ignore_ascii_case("set-cookie") {
            cookies.extend(values);
        } else {
            headers.insert(name.to_lowercase(), values.join(", "));
        }
    }
    Answer {
        status: u16::try_from(response["statusCode"].as_u64().unwrap()).unwrap(),
        headers: without_per_answer(headers),
        cookies,
        body,
        base64,
    }
}

/// The same request over HTTP, as a browser behind CloudFront would send it.
async fn over_http(
    app: &TestApp,
    method: Method,
    path: &str,
    headers: &[(&str, &str)],
    body: Option<&str>,
) -> Answer {
    let mut request = Client::new().request(method, app.url(path));
    for (name, value) in headers {
        request = request.header(*name, *value);
    }
    if let Some(body) = body {
        request = request.body(body.to_owned());
    }
    let response = request.send().await.expect("request sent");
    let status = response.status().as_u16();
    let cookies = response
        .headers()
        .get_all("set-cookie")
        .iter()
        .map(|value| value.to_str().unwrap().to_owned())
        .collect();
    let mut headers: BTreeMap<String, String> = BTreeMap::new();
    for (name, value) in response.headers() {
        let value = value.to_str().unwrap();
        headers
            .entry(name.as_str().to_owned())
            .and_modify(|joined| {
                joined.push_str(", ");
                joined.push_str(value);
            })
            .or_insert_with(|| value.to_owned());
    }
    let body = response.bytes().await.expect("body").to_vec();
    Answer {
        status,
        headers: without_per_answer(headers),
        cookies,
        body,
        base64: false,
    }
}

fn without_per_answer(mut headers: BTreeMap<String, String>) -> BTreeMap<String, String> {
    headers.retain(|name, _| !PER_ANSWER.contains(&name.as_str()));
    headers
}

fn assert_same(lambda: &Answer, http: &Answer, what: &str) {
    assert_eq!(lambda.status, http.status, "{what}: status");
    assert_eq!(lambda.headers, http.headers, "{what}: headers");
    assert_eq!(
        lambda.body,
        http.body,
        "{what}: body\nlambda: {}\nhttp:   {}",
        String::from_utf8_lossy(&lambda.body),
        String::from_utf8_lossy(&http.body)
    );
}

/// A signed-up account and its session cookie value.
async fn account(app: &TestApp) -> (String, String) {
    let email = format!(
        "{}@example.com",
        ulid::Ulid::new().to_string().to_lowercase()
    );
    let response = app.signup(&Client::new(), &email, PASSWORD).await;
    assert_eq!(response.status(), StatusCode::CREATED);
    (email, session_of(response.headers().get_all("set-cookie")))
}

fn session_of<'a>(cookies: impl IntoIterator<Item = &'a reqwest::header::HeaderValue>) -> String {
    cookies
        .into_iter()
        .filter_map(|value| value.to_str().ok())
        .find_map(|cookie| cookie.strip_prefix("pc_session="))
        .and_then(|rest| rest.split(';').next())
        .expect("a session cookie")
        .to_owned()
}

/// A generation made over HTTP, so both sides have the same gallery to show.
async fn generate_over_http(app: &TestApp, session: &str, prompt: &str, seed: u64) -> Value {
    let body = serde_json::json!({"prompt": prompt, "width": 256, "height": 256, "steps": 1, "seed": seed});
    let answer = over_http(
        app,
        Method::POST,
        "/api/generations",
        &[
            ("cookie", &format!("pc_session={session}")),
            ("content-type", "application/json"),
        ],
        Some(&body.to_string()),
    )
    .await;
    assert_eq!(answer.status, 201);
    answer.json()
}

#[tokio::test]
async fn gallery_page_with_a_session_cookie_matches_http_for_v2() {
    let app = TestApp::spawn().await;
    let (_, session) = account(&app).await;
    for (prompt, seed) in [
        ("a quiet harbour", 1),
        ("a busy market", 2),
        ("a snowy pass", 3),
    ] {
        generate_over_http(&app, &session, prompt, seed).await;
    }
    let lambda = through_lambda(
        &app,
        recorded_event("http-api-v2-get-gallery", &[("session", &session)]),
    )
    .await;
    let http = over_http(
        &app,
        Method::GET,
        "/api/images?limit=2",
        &[
            ("cookie", &format!("theme=dark; pc_session={session}")),
            ("accept", "application/json"),
        ],
        None,
    )
    .await;
    assert_same(&lambda, &http, "gallery page");
    let page = lambda.json();
    assert_eq!(page["items"].as_array().unwrap().len(), 2);
    assert_eq!(page["items"][0]["prompt"], "a snowy pass");
    assert!(page["next_cursor"].is_string());
}

#[tokio::test]
async fn a_bearer_token_is_judged_as_over_http_for_v1_under_a_named_stage() {
    let app = TestApp::spawn().await;
    let bearer = "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ1c2VyXzEyMyJ9.c2lnbmF0dXJl";
    let lambda = through_lambda(
        &app,
        recorded_event("rest-api-v1-get-gallery-bearer", &[("bearer", bearer)]),
    )
    .await;
    let http = over_http(
        &app,
        Method::GET,
        "/api/images?limit=2",
        &[
            ("authorization", &format!("Bearer {bearer}")),
            ("accept", "application/json"),
        ],
        None,
    )
    .await;
    assert_same(&lambda, &http, "bearer gallery");
    // The `/prod` stage prefix is gone: the API route answered, not the 404 fallback.
    assert_eq!(lambda.status, 401);
    assert_eq!(lambda.json()["code"], "unauthenticated");
}

/// Everything in a generation but what is new for every generation.
fn settings_of(generation: &Value) -> Value {
    let mut generation = generation["generation"].clone();
    for field in ["id", "created_at", "timings"] {
        generation.as_object_mut().unwrap().remove(field);
    }
    for image in generation["images"].as_array_mut().unwrap() {
        let image = image.as_object_mut().unwrap();
        for field in [
            "id",
            "generation_id",
            "created_at",
            "url",
            "thumbnail_url",
            "timings",
        ] {
            image.remove(field);
        }
    }
    generation
}

async fn download_bytes(app: &TestApp, session: &str, image_id: &str) -> Answer {
    over_http(
        app,
        Method::GET,
        &format!("/api/images/{image_id}/download"),
        &[("cookie", &format!("pc_session={session}"))],
        None,
    )
    .await
}

#[tokio::test]
async fn generations_posted_as_json_or_base64_match_http() {
    let app = TestApp::spawn().await;
    let (_, session) = account(&app).await;
    let cases = [
        (
            "http-api-v2-post-generation",
            r#"{"prompt":"a lighthouse at dusk, oil painting","width":512,"height":384,"steps":2,"seed":42,"n":1}"#,
            false,
        ),
        (
            "http-api-v2-post-generation-base64",
            r#"{"prompt":"a red fox in fresh snow, woodcut","width":384,"height":384,"steps":1,"seed":7,"n":1}"#,
            true,
        ),
        (
            "rest-api-v1-post-generation-base64",
            r#"{"prompt":"a paper boat on a puddle","width":256,"height":256,"steps":1,"seed":3,"n":1}"#,
            true,
        ),
    ];
    for (name, body, encoded) in cases {
        let event = recorded_event(name, &[("session", &session)]);
        assert_eq!(
            event.payload_is_base64(),
            encoded,
            "{name} is recorded as sent"
        );
        let lambda = through_lambda(&app, event).await;
        let http = over_http(
            &app,
            Method::POST,
            "/api/generations",
            &[
                ("cookie", &format!("pc_session={session}")),
                ("content-type", "application/json"),
                ("accept", "application/json"),
            ],
            Some(body),
        )
        .await;
        assert_eq!(lambda.status, 201, "{name}: {:?}", lambda.json());
        assert_eq!(lambda.headers, http.headers, "{name}: headers");
        let (from_lambda, from_http) = (lambda.json(), http.json());
        assert_eq!(settings_of(&from_lambda), settings_of(&from_http), "{name}");
        // The same seed made the same picture, whichever way it was asked for.
        let lambda_image = from_lambda["generation"]["images"][0]["id"]
            .as_str()
            .unwrap();
        let http_image = from_http["generation"]["images"][0]["id"].as_str().unwrap();
        let (a, b) = (
            download_bytes(&app, &session, lambda_image).await,
            download_bytes(&app, &session, http_image).await,
        );
        assert_eq!(a.status, 200);
        assert_eq!(a.body, b.body, "{name}: image bytes");
    }
}

trait Base64Payload {
    fn payload_is_base64(&self) -> bool;
}

impl Base64Payload for LambdaEvent<LambdaRequest> {
    fn payload_is_base64(&self) -> bool {
        match &self.payload {
            LambdaRequest::ApiGatewayV2(event) => event.is_base64_encoded,
            LambdaRequest::ApiGatewayV1(event) => event.is_base64_encoded,
            _ => false,
        }
    }
}

#[tokio::test]
async fn downloads_come_back_as_base64_binary_equal_to_http() {
    let app = TestApp::spawn().await;
    let (_, session) = account(&app).await;
    let generation = generate_over_http(&app, &session, "a tin robot reading", 11).await;
    let image_id = generation["generation"]["images"][0]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    for (name, accept) in [
        ("http-api-v2-get-download", "image/avif,image/webp,*/*"),
        ("rest-api-v1-get-download", "*/*"),
    ] {
        let lambda = through_lambda(
            &app,
            recorded_event(name, &[("session", &session), ("image_id", &image_id)]),
        )
        .await;
        let http = over_http(
            &app,
            Method::GET,
            &format!("/api/images/{image_id}/download"),
            &[
                ("cookie", &format!("pc_session={session}")),
                ("accept", accept),
            ],
            None,
        )
        .await;
        assert_same(&lambda, &http, name);
        assert!(lambda.base64, "{name}: binary travels base64-encoded");
        assert!(
            lambda.headers["content-disposition"].starts_with("attachment"),
            "{name}"
        );
        assert!(
            image::load_from_memory(&lambda.body).is_ok(),
            "{name}: a real image"
        );
    }
}

#[tokio::test]
async fn signing_in_through_lambda_sets_a_session_cookie_that_works() {
    let app = TestApp::spawn().await;
    let (email, _) = account(&app).await;
    let lambda = through_lambda(
        &app,
        recorded_event(
            "http-api-v2-post-login",
            &[("email", &email), ("password", PASSWORD)],
        ),
    )
    .await;
    let http = over_http(
        &app,
        Method::POST,
        "/api/auth/login",
        &[("content-type", "application/json")],
        Some(&format!(r#"{{"email":"{email}","password":"{PASSWORD}"}}"#)),
    )
    .await;
    assert_same(&lambda, &http, "login");
    // API Gateway v2 wants Set-Cookie in `cookies`, with the same attributes.
    let attributes = |cookies: &[String]| -> Vec<String> {
        cookies
            .iter()
            .map(|cookie| cookie.split_once(';').unwrap().1.to_owned())
            .collect()
    };
    assert_eq!(lambda.cookies.len(), 1);
    assert_eq!(attributes(&lambda.cookies), attributes(&http.cookies));
    let values: Vec<reqwest::header::HeaderValue> = lambda
        .cookies
        .iter()
        .map(|cookie| cookie.parse().unwrap())
        .collect();
    let session = session_of(&values);
    let me = over_http(
        &app,
        Method::GET,
        "/api/me",
        &[("cookie", &format!("pc_session={session}"))],
        None,
    )
    .await;
    assert_eq!(me.status, 200);
    assert_eq!(me.json()["user"]["email"], email);
}
