//! Metrics and logs: what an operator sees, and what stays out of sight.

use std::{
    io::{BufRead, BufReader},
    process::Stdio,
};

use reqwest::StatusCode;
use serde_json::Value;

use crate::helpers::{ServedBinary, TestApp, assert_problem, small};

const METRICS_TOKEN: &str = "metrics-token-0123456789abcdef0123456789";

async fn scrape(app: &TestApp) -> String {
    let response = reqwest::Client::new()
        .get(app.url("/metrics"))
        .bearer_auth(METRICS_TOKEN)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    assert!(
        response.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/plain; version=0.0.4")
    );
    response.text().await.unwrap()
}

/// The value of one exact series line, e.g. `name{labels}`.
fn series(text: &str, series: &str) -> Option<f64> {
    text.lines()
        .find_map(|line| line.strip_prefix(series)?.strip_prefix(' '))
        .and_then(|value| value.parse().ok())
}

#[tokio::test]
async fn metrics_are_hidden_without_a_token_setting() {
    // Arrange
    let app = TestApp::spawn().await;

    // Act
    let response = reqwest::get(app.url("/metrics")).await.unwrap();

    // Assert
    assert_problem(response, StatusCode::NOT_FOUND, "not_found").await;
}

#[tokio::test]
async fn metrics_refuse_a_missing_or_wrong_token() {
    // Arrange
    let app = TestApp::spawn_with(|config| {
        config.telemetry.metrics_token = Some(METRICS_TOKEN.to_owned().into());
    })
    .await;
    let client = reqwest::Client::new();

    // Act
    let missing = client.get(app.url("/metrics")).send().await.unwrap();
    let wrong = client
        .get(app.url("/metrics"))
        .bearer_auth(format!("{METRICS_TOKEN}x"))
        .send()
        .await
        .unwrap();

    // Assert
    assert_eq!(missing.headers()["www-authenticate"], "Bearer");
    assert_problem(missing, StatusCode::UNAUTHORIZED, "unauthenticated").await;
    assert_problem(wrong, StatusCode::UNAUTHORIZED, "unauthenticated").await;
}

#[tokio::test]
async fn metrics_count_requests_by_route_generations_and_refusals() {
    // Arrange
    let app = TestApp::spawn_with(|config| {
        config.telemetry.metrics_token = Some(METRICS_TOKEN.to_owned().into());
        config.limits.generations_per_minute = 1;
    })
    .await;
    let user = app.signed_in_user().await;
    let mut body = small("a lighthouse at dusk");
    body["n"] = 2.into();
    let generation = app.generate_ok(&user, body).await;
    let image_id = generation["images"][0]["id"].as_str().unwrap().to_owned();
    app.get_json(&user, &format!("/api/images/{image_id}"))
        .await;
    let refused = app.generate(&user, small("one more")).await;
    assert_eq!(refused.status(), StatusCode::TOO_MANY_REQUESTS);

    // Act
    let text = scrape(&app).await;

    // Assert: routes are templates, so ids never become series of their own.
    assert_eq!(
        series(
            &text,
            "promptcanvas_http_requests_total{route=\"/api/images/{id}\",method=\"GET\",status=\"200\"}"
        ),
        Some(1.0),
        "{text}"
    );
    assert!(!text.contains(&image_id));
    assert_eq!(
        series(
            &text,
            "promptcanvas_http_requests_total{route=\"/api/generations\",method=\"POST\",status=\"201\"}"
        ),
        Some(1.0)
    );
    assert_eq!(
        series(
            &text,
            "promptcanvas_http_request_duration_seconds_count{route=\"/api/generations\",method=\"POST\",status=\"201\"}"
        ),
        Some(1.0)
    );
    assert_eq!(
        series(
            &text,
            "promptcanvas_generations_total{provider=\"offline\",outcome=\"ok\"}"
        ),
        Some(1.0)
    );
    assert_eq!(
        series(
            &text,
            "promptcanvas_upstream_duration_seconds_count{provider=\"offline\"}"
        ),
        Some(1.0)
    );
    assert_eq!(series(&text, "promptcanvas_images_stored_total"), Some(2.0));
    assert!(series(&text, "promptcanvas_image_bytes_stored_total").unwrap() > 1000.0);
    assert_eq!(
        series(
            &text,
            "promptcanvas_rate_limit_rejections_total{route=\"/api/generations\",code=\"rate_limited\"}"
        ),
        Some(1.0)
    );
}

#[tokio::test]
async fn unknown_paths_and_methods_do_not_create_series_of_their_own() {
    // Arrange
    let app = TestApp::spawn_with(|config| {
        config.telemetry.metrics_token = Some(METRICS_TOKEN.to_owned().into());
    })
    .await;
    let client = reqwest::Client::new();
    for path in ["/api/no-such-thing-1", "/api/no-such-thing-2"] {
        client.get(app.url(path)).send().await.unwrap();
    }
    client
        .request(
            reqwest::Method::from_bytes(b"BREW").unwrap(),
            app.url("/api/health"),
        )
        .send()
        .await
        .unwrap();

    // Act
    let text = scrape(&app).await;

    // Assert
    assert!(!text.contains("no-such-thing"), "{text}");
    assert!(!text.contains("BREW"), "{text}");
    assert_eq!(
        series(
            &text,
            "promptcanvas_http_requests_total{route=\"(unmatched api)\",method=\"GET\",status=\"404\"}"
        ),
        Some(2.0),
        "{text}"
    );
    assert!(text.contains("method=\"OTHER\""), "{text}");
}

#[tokio::test]
async fn a_separate_metrics_listener_needs_no_token() {
    // Arrange
    let app = TestApp::spawn_with(|config| {
        config.telemetry.metrics_bind_addr = Some("127.0.0.1:0".parse().unwrap());
    })
    .await;
    reqwest::get(app.url("/api/health")).await.unwrap();
    let port = app.metrics_port.expect("metrics listener");

    // Act
    let text = reqwest::get(format!("http://127.0.0.1:{port}/metrics"))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let on_main_listener = reqwest::get(app.url("/metrics")).await.unwrap();

    // Assert
    assert_eq!(
        series(
            &text,
            "promptcanvas_http_requests_total{route=\"/api/health\",method=\"GET\",status=\"200\"}"
        ),
        Some(1.0),
        "{text}"
    );
    assert_eq!(on_main_listener.status(), StatusCode::NOT_FOUND);
}

/// The release binary, started with JSON logs on stdout and a free port.
struct LoggingServer {
    server: ServedBinary,
}

impl LoggingServer {
    fn start(data: &std::path::Path, log_prompts: bool) -> Self {
        let log_prompts = log_prompts.to_string();
        let server = ServedBinary::start(
            data,
            &[
                ("LOG_FORMAT", "json"),
                ("RUST_LOG", "info"),
                ("LOG_PROMPTS", &log_prompts),
            ],
            Stdio::piped(),
        );
        Self { server }
    }

    /// Signs up, generates once and returns the generation's request id.
    async fn generate(&self, prompt: &str) -> String {
        let client = reqwest::Client::builder()
            .cookie_store(true)
            .build()
            .unwrap();
        let signup = client
            .post(self.server.url("/api/auth/signup"))
            .json(&serde_json::json!({"email": "logs@example.com", "password": "correct horse battery"}))
            .send()
            .await
            .unwrap();
        assert_eq!(signup.status(), StatusCode::CREATED);
        let response = client
            .post(self.server.url("/api/generations"))
            .json(&small(prompt))
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), StatusCode::CREATED);
        response.headers()["x-request-id"]
            .to_str()
            .unwrap()
            .to_owned()
    }

    /// Stops the server and returns its log lines, each parsed as JSON.
    fn stop(mut self) -> Vec<Value> {
        let stdout = self.server.kill().unwrap();
        BufReader::new(stdout)
            .lines()
            .map(|line| {
                let line = line.unwrap();
                serde_json::from_str(&line).unwrap_or_else(|_| panic!("not JSON: {line}"))
            })
            .collect()
    }
}

const PRIVATE_PROMPT: &str = "my neighbour's secret garden party";

#[tokio::test]
async fn json_logs_carry_the_request_id_and_leave_prompts_out_by_default() {
    // Arrange
    let data = tempfile::tempdir().unwrap();
    let server = LoggingServer::start(data.path(), false);

    // Act
    let request_id = server.generate(PRIVATE_PROMPT).await;
    let lines = server.stop();

    // Assert
    let generating = lines
        .iter()
        .find(|line| line["fields"]["message"] == "generating")
        .expect("a generation log line");
    assert_eq!(generating["span"]["request_id"], request_id.as_str());
    assert_eq!(generating["level"], "INFO");
    for line in &lines {
        assert!(!line.to_string().contains("secret garden"), "{line}");
    }
}

#[tokio::test]
async fn prompts_are_logged_when_an_operator_opts_in() {
    // Arrange
    let data = tempfile::tempdir().unwrap();
    let server = LoggingServer::start(data.path(), true);

    // Act
    server.generate(PRIVATE_PROMPT).await;
    let lines = server.stop();

    // Assert
    let generating = lines
        .iter()
        .find(|line| line["fields"]["message"] == "generating")
        .expect("a generation log line");
    assert_eq!(generating["fields"]["prompt"], PRIVATE_PROMPT);
}

#[tokio::test]
async fn a_web_app_error_is_one_log_line_without_emails_tokens_or_signatures() {
    // Arrange
    let data = tempfile::tempdir().unwrap();
    let server = LoggingServer::start(data.path(), false);
    let report = serde_json::json!({
        "message": "Failed for ada@example.com with Bearer sk_live_0123456789",
        "stack": "at load (https://site.example/media/a.jpg?sig=9f86d081884c7d659a2feaa0c55ad015&exp=1)",
        "route": "/collections/01JD/01JE",
        "release": "0.1.0",
    });

    // Act
    let response = reqwest::Client::new()
        .post(server.server.url("/api/client-errors"))
        .header("user-agent", "Mozilla/5.0 (X11; Linux x86_64)")
        .json(&report)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::ACCEPTED);
    let lines = server.stop();

    // Assert
    let reported: Vec<&Value> = lines
        .iter()
        .filter(|line| line["fields"]["message"] == "the web app reported an error")
        .collect();
    assert_eq!(reported.len(), 1, "{lines:?}");
    let fields = &reported[0]["fields"];
    assert_eq!(reported[0]["level"], "WARN");
    assert_eq!(fields["route"], "/collections/:collectionId/:id");
    assert_eq!(fields["release"], "0.1.0");
    assert_eq!(fields["user_agent"], "Mozilla/5.0 (X11; Linux x86_64)");
    let line = reported[0].to_string();
    assert!(
        line.contains("[email]") && line.contains("Bearer [token]"),
        "{line}"
    );
    for secret in ["ada@example.com", "sk_live", "sig=", "9f86d081"] {
        assert!(!line.contains(secret), "{secret} in {line}");
    }
}

#[tokio::test]
async fn the_stats_command_prints_what_the_admin_page_shows() {
    // Arrange: a generation recorded by the server.
    let data = tempfile::tempdir().unwrap();
    let server = LoggingServer::start(data.path(), false);
    server.generate("a quiet harbour").await;
    server.stop();

    // Act
    let text = crate::helpers::binary(data.path())
        .arg("stats")
        .output()
        .unwrap();
    let json = crate::helpers::binary(data.path())
        .args(["stats", "--json"])
        .output()
        .unwrap();

    // Assert
    assert!(text.status.success() && json.status.success());
    let text = String::from_utf8(text.stdout).unwrap();
    assert!(
        text.starts_with("users: 1 (active today 1, 7 days 1, 30 days 1)\n"),
        "{text}"
    );
    assert!(text.contains("offline/offline-preview"), "{text}");
    let stats: Value = serde_json::from_slice(&json.stdout).unwrap();
    assert_eq!(stats["images"], 1);
    assert_eq!(stats["generations_by_day"].as_array().unwrap().len(), 30);
    assert_eq!(stats["by_model"][0]["images"], 1);
}
