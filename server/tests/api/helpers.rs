//! Starts the real app on port 0 with a fresh data folder, and offers typed
//! request helpers so tests read as the user journeys they check.

use promptcanvas::{Application, app::AppState, settings::Config};
use reqwest::{Client, Response, StatusCode};
use serde_json::{Value, json};
use tempfile::TempDir;

pub struct TestApp {
    pub address: String,
    pub state: AppState,
    pub metrics_port: Option<u16>,
    _data_dir: TempDir,
}

/// A browser-like client: its own cookie jar, so one `User` is one signed-in person.
pub struct User {
    pub client: Client,
}

impl TestApp {
    pub async fn spawn() -> Self {
        Self::spawn_with(|_| {}).await
    }

    pub async fn spawn_with(adjust: impl FnOnce(&mut Config)) -> Self {
        let data_dir = tempfile::tempdir().expect("temp dir");
        let mut config = Config::for_data_dir(data_dir.path());
        config.server.web_dist_dir = data_dir.path().join("no-web-build");
        adjust(&mut config);
        let app = Application::build(config).await.expect("app builds");
        let address = format!("http://127.0.0.1:{}", app.port());
        let state = app.state().clone();
        let metrics_port = app.metrics_port();
        tokio::spawn(app.run_until(std::future::pending()));
        Self {
            address,
            state,
            metrics_port,
            _data_dir: data_dir,
        }
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{}", self.address, path)
    }

    pub fn browser(&self) -> Client {
        Client::builder()
            .cookie_store(true)
            .build()
            .expect("client builds")
    }

    pub async fn signup(&self, client: &Client, email: &str, password: &str) -> Response {
        client
            .post(self.url("/api/auth/signup"))
            .json(&json!({"email": email, "password": password}))
            .send()
            .await
            .expect("request sent")
    }

    pub async fn login(&self, client: &Client, email: &str, password: &str) -> Response {
        client
            .post(self.url("/api/auth/login"))
            .json(&json!({"email": email, "password": password}))
            .send()
            .await
            .expect("request sent")
    }

    /// A new person with an account, signed in.
    pub async fn signed_in_user(&self) -> User {
        let email = format!(
            "{}@example.com",
            ulid::Ulid::new().to_string().to_lowercase()
        );
        let password = "correct horse battery".to_owned();
        let client = self.browser();
        let response = self.signup(&client, &email, &password).await;
        assert_eq!(response.status(), StatusCode::CREATED);
        User { client }
    }

    pub async fn generate(&self, user: &User, body: Value) -> Response {
        user.client
            .post(self.url("/api/generations"))
            .json(&body)
            .send()
            .await
            .expect("request sent")
    }

    /// Generates and returns the `generation` object, asserting success.
    pub async fn generate_ok(&self, user: &User, body: Value) -> Value {
        let response = self.generate(user, body).await;
        assert_eq!(
            response.status(),
            StatusCode::CREATED,
            "{:?}",
            response.text().await
        );
        response.json::<Value>().await.expect("json")["generation"].clone()
    }

    /// Generates `n` small images of one prompt; their ids, newest first.
    pub async fn generated_ids(&self, user: &User, prompt: &str, n: u32) -> Vec<String> {
        let generation = self
            .generate_ok(
                user,
                json!({"prompt": prompt, "width": 256, "height": 256, "n": n}),
            )
            .await;
        let mut ids: Vec<String> = generation["images"]
            .as_array()
            .expect("images")
            .iter()
            .map(|image| image["id"].as_str().expect("id").to_owned())
            .collect();
        ids.sort_by(|a, b| b.cmp(a));
        ids
    }

    pub async fn get(&self, user: &User, path: &str) -> Response {
        user.client
            .get(self.url(path))
            .send()
            .await
            .expect("request sent")
    }

    /// POSTs `body` as the user and returns the JSON answer, asserting success.
    pub async fn post_json(&self, user: &User, path: &str, body: Value) -> Value {
        let response = user
            .client
            .post(self.url(path))
            .json(&body)
            .send()
            .await
            .expect("request sent");
        assert!(
            response.status().is_success(),
            "POST {path}: {}",
            response.status()
        );
        response.json().await.expect("json")
    }

    pub async fn get_json(&self, user: &User, path: &str) -> Value {
        let response = self.get(user, path).await;
        assert_eq!(response.status(), StatusCode::OK, "GET {path}");
        response.json().await.expect("json")
    }

    /// Every image id in the user's gallery, following cursors to the end.
    pub async fn all_image_ids(&self, user: &User, query: &str) -> Vec<String> {
        let mut ids = Vec::new();
        let mut cursor: Option<String> = None;
        loop {
            let mut path = format!("/api/images?{query}");
            if let Some(cursor) = &cursor {
                path.push_str(&format!("&cursor={cursor}"));
            }
            let page = self.get_json(user, &path).await;
            for item in page["items"].as_array().expect("items") {
                ids.push(item["id"].as_str().expect("id").to_owned());
            }
            match page["next_cursor"].as_str() {
                Some(next) => cursor = Some(next.to_owned()),
                None => return ids,
            }
        }
    }
}

/// Reads a problem+json answer, checking its media type, status and code.
pub async fn assert_problem(response: Response, status: StatusCode, code: &str) -> Value {
    assert_eq!(response.status(), status);
    let content_type = response
        .headers()
        .get("content-type")
        .and_then(|value| value.to_str().ok())
        .unwrap_or_default()
        .to_owned();
    assert_eq!(content_type, "application/problem+json");
    let body: Value = response.json().await.expect("problem body");
    assert_eq!(body["code"], code, "{body}");
    assert_eq!(body["status"], status.as_u16());
    assert!(
        body["detail"]
            .as_str()
            .is_some_and(|detail| !detail.is_empty())
    );
    body
}

/// A small, fast request body for tests that are not about sizes.
pub fn small(prompt: &str) -> Value {
    json!({"prompt": prompt, "width": 256, "height": 256})
}

/// Starts a test that makes several limited requests early in a minute, so
/// the limiter's minute does not roll over in the middle of it.
pub async fn early_in_a_minute() {
    let second = time::OffsetDateTime::now_utc().second();
    if second >= 50 {
        tokio::time::sleep(std::time::Duration::from_secs(u64::from(61 - second))).await;
    }
}

/// The release binary itself, serving a data folder on a free port: for
/// what only a real process shows (its logs, a crash).
pub struct ServedBinary {
    child: std::process::Child,
    base: String,
}

impl ServedBinary {
    /// Starts `promptcanvas serve` on `data` with `settings` added to the
    /// defaults, and waits until it accepts connections.
    pub fn start(
        data: &std::path::Path,
        settings: &[(&str, &str)],
        stdout: std::process::Stdio,
    ) -> Self {
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let child = binary(data)
            .arg("serve")
            .env("BIND_ADDR", format!("127.0.0.1:{port}"))
            .envs(settings.iter().copied())
            .stdout(stdout)
            .stderr(std::process::Stdio::null())
            .spawn()
            .expect("binary runs");
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
        while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
            assert!(std::time::Instant::now() < deadline, "server did not start");
            std::thread::sleep(std::time::Duration::from_millis(20));
        }
        Self {
            child,
            base: format!("http://127.0.0.1:{port}"),
        }
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    /// Kills the process at once (SIGKILL: no clean-up runs), waits for it,
    /// and returns its piped stdout, if any.
    pub fn kill(&mut self) -> Option<std::process::ChildStdout> {
        self.child.kill().unwrap();
        self.child.wait().unwrap();
        self.child.stdout.take()
    }
}

impl Drop for ServedBinary {
    fn drop(&mut self) {
        // Harmless after `kill`; stops the process when a test fails early.
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The release binary, set to keep its data in `data`, ready for a subcommand.
pub fn binary(data: &std::path::Path) -> std::process::Command {
    let mut command = std::process::Command::new(env!("CARGO_BIN_EXE_promptcanvas"));
    command
        .env("DATA_DIR", data)
        .env("WEB_DIST_DIR", data.join("no-web-build"));
    command
}

/// How many files `folder` holds, in every subfolder (none when it does not exist).
pub fn files_under(folder: &std::path::Path) -> usize {
    let Ok(entries) = std::fs::read_dir(folder) else {
        return 0;
    };
    entries
        .map(|entry| {
            let entry = entry.unwrap();
            if entry.file_type().unwrap().is_dir() {
                files_under(&entry.path())
            } else {
                1
            }
        })
        .sum()
}
