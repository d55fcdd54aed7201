//! The real router over a chosen pair of stores, on a free port, with a
//! browser-like client: the product's journeys run unchanged on every backend.

use std::sync::Arc;

use promptcanvas::{
    Application, app::AppState, settings::Config, store::backends::Backends,
    store::media::MediaStore, store::metadata::MetadataStore,
};
use reqwest::{Client, StatusCode};
use serde_json::{Value, json};
use tempfile::TempDir;

pub struct App {
    pub address: String,
    pub state: AppState,
    /// The one email in this app's `ADMIN_EMAILS` (unique: the AWS tables
    /// are shared by the tests of a run).
    operator_email: String,
    _dir: TempDir,
}

pub struct Person {
    pub client: Client,
    pub id: String,
}

impl App {
    pub async fn spawn(media: MediaStore, metadata: Arc<dyn MetadataStore>) -> Self {
        let dir = tempfile::tempdir().expect("temp dir");
        let mut config = Config::for_data_dir(dir.path());
        config.server.web_dist_dir = dir.path().join("no-web-build");
        config.limits.requests_per_second = 0;
        // Sign-ups are counted per address in the store, and the AWS tables
        // are shared by the whole run: the limit is the API suite's to test.
        config.limits.auth_attempts_per_minute = 1_000_000;
        let operator_email = format!(
            "ops-{}@example.com",
            ulid::Ulid::new().to_string().to_lowercase()
        );
        config.server.admin_emails = vec![operator_email.clone()];
        let backends = Backends {
            media: Some(media),
            metadata: Some(metadata),
        };
        let app = Application::build_with(config, backends)
            .await
            .expect("app builds");
        let address = format!("http://127.0.0.1:{}", app.port());
        let state = app.state().clone();
        tokio::spawn(app.run_until(std::future::pending()));
        Self {
            address,
            state,
            operator_email,
            _dir: dir,
        }
    }

    pub fn url(&self, path: &str) -> String {
        if path.starts_with("http") {
            path.to_owned()
        } else {
            format!("{}{path}", self.address)
        }
    }

    pub async fn person(&self) -> Person {
        let email = format!(
            "{}@example.com",
            ulid::Ulid::new().to_string().to_lowercase()
        );
        self.signed_up(&email).await
    }

    /// The operator of this app, signed in.
    pub async fn operator(&self) -> Person {
        self.signed_up(&self.operator_email).await
    }

    /// `GET /api/admin/stats`, as `person` (an operator).
    pub async fn stats(&self, person: &Person) -> Value {
        let response = person
            .client
            .get(self.url("/api/admin/stats"))
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), StatusCode::OK);
        response.json().await.unwrap()
    }

    async fn signed_up(&self, email: &str) -> Person {
        let client = Client::builder().cookie_store(true).build().unwrap();
        let response = client
            .post(self.url("/api/auth/signup"))
            .json(&json!({"email": email, "password": "correct horse battery"}))
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), StatusCode::CREATED);
        let body: Value = response.json().await.unwrap();
        Person {
            client,
            id: body["user"]["id"].as_str().unwrap().to_owned(),
        }
    }

    pub async fn generate(
        &self,
        person: &Person,
        body: Value,
        key: Option<&str>,
    ) -> reqwest::Response {
        let mut request = person.client.post(self.url("/api/generations")).json(&body);
        if let Some(key) = key {
            request = request.header("Idempotency-Key", key);
        }
        request.send().await.unwrap()
    }

    /// The person's `/api/me` answer.
    pub async fn me(&self, person: &Person) -> serde_json::Value {
        person
            .client
            .get(self.url("/api/me"))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap()
    }

    pub async fn gallery_ids(&self, person: &Person) -> Vec<String> {
        let page: Value = person
            .client
            .get(self.url("/api/images?limit=100"))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        page["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|image| image["id"].as_str().unwrap().to_owned())
            .collect()
    }

    /// Every stored file of one person.
    pub async fn files_of(&self, person: &Person) -> Vec<String> {
        let mut keys: Vec<String> = self
            .state
            .media
            .list(&format!("users/{}", person.id))
            .await
            .unwrap()
            .into_iter()
            .map(|meta| meta.location.to_string())
            .collect();
        keys.sort();
        keys
    }
}
