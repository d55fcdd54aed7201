//! A local server speaking Together's images wire format, answering from a
//! script, so every upstream success and failure can be staged without internet.

use std::{
    collections::{HashMap, VecDeque},
    convert::Infallible,
    sync::{
        Arc, Mutex,
        atomic::{AtomicUsize, Ordering},
    },
    time::{Duration, Instant},
};

use axum::{
    Json, Router,
    body::Body,
    extract::{Path, State},
    http::{HeaderMap, StatusCode, header},
    response::{IntoResponse, Response},
    routing::{get, post},
};
use base64::Engine;
use bytes::Bytes;
use promptcanvas::settings::Config;
use secrecy::SecretString;
use serde_json::{Value, json};

use crate::helpers::TestApp;

/// The key the tests configure; it must never come back in any answer.
pub const API_KEY: &str = "tgp_v1_test-key-that-must-never-leak-0123456789";

const MEGABYTE: usize = 1024 * 1024;

/// One scripted answer to `POST /v1/images/generations`.
#[derive(Clone)]
pub enum Answer {
    /// A real JPEG of the requested size, base64, without a `type` field.
    Base64,
    /// The same JPEG served from this server, answered as a `url`.
    Url,
    /// A `url` answer pointing wherever the test says (`{base}` is replaced by this server's address).
    UrlTo(String),
    /// These bytes, base64, whatever they are.
    Inline(&'static [u8]),
    /// Two images in one answer although one was asked for.
    TwoImages,
    /// An error answer in Together's shape, with extra headers.
    Error {
        status: u16,
        message: &'static str,
        code: &'static str,
        headers: Vec<(&'static str, &'static str)>,
    },
    /// Answers as `Base64` after this long.
    Slow(Duration),
    /// Never answers.
    Hang,
    /// Starts a JSON answer, then drops the connection.
    Truncated,
    /// A 200 whose body is not JSON.
    NotJson,
    /// A 200 JSON body of 50 MB.
    Huge,
}

impl Answer {
    pub fn error(status: u16, message: &'static str, code: &'static str) -> Self {
        Self::Error {
            status,
            message,
            code,
            headers: Vec::new(),
        }
    }

    pub fn error_with(status: u16, headers: Vec<(&'static str, &'static str)>) -> Self {
        Self::Error {
            status,
            message: "the model is busy",
            code: "model_rate_limit",
            headers,
        }
    }
}

/// A generation request as Together received it.
#[derive(Debug, Clone)]
pub struct Received {
    pub at: Instant,
    pub authorization: Option<String>,
    pub body: Value,
}

/// An image download as the server saw it.
#[derive(Debug, Clone)]
pub struct Fetched {
    pub path: String,
    pub user_agent: Option<String>,
}

#[derive(Default)]
struct Shared {
    base_url: String,
    script: Mutex<VecDeque<Answer>>,
    received: Mutex<Vec<Received>>,
    fetched: Mutex<Vec<Fetched>>,
    files: Mutex<HashMap<String, Bytes>>,
    huge_chunks_sent: AtomicUsize,
}

pub struct FakeTogether {
    pub base_url: String,
    shared: Arc<Shared>,
}

impl FakeTogether {
    pub async fn start() -> Self {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("fake Together binds");
        let base_url = format!("http://127.0.0.1:{}", listener.local_addr().unwrap().port());
        let shared = Arc::new(Shared {
            base_url: base_url.clone(),
            ..Shared::default()
        });
        let router = Router::new()
            .route("/v1/images/generations", post(generations))
            .route("/files/{name}", get(file))
            .route("/redirect/{port}", get(redirect))
            .with_state(shared.clone());
        tokio::spawn(async move { axum::serve(listener, router).await });
        Self { base_url, shared }
    }

    /// Queues answers, used in order; once they run out every request gets [`Answer::Base64`].
    pub fn script(&self, answers: impl IntoIterator<Item = Answer>) {
        self.shared.script.lock().unwrap().extend(answers);
    }

    pub fn received(&self) -> Vec<Received> {
        self.shared.received.lock().unwrap().clone()
    }

    pub fn fetched(&self) -> Vec<Fetched> {
        self.shared.fetched.lock().unwrap().clone()
    }

    /// How many 1 MB chunks of the 50 MB file left this server before the client hung up.
    pub fn huge_chunks_sent(&self) -> usize {
        self.shared.huge_chunks_sent.load(Ordering::SeqCst)
    }

    /// Settings that point the real app at this server, with retries kept fast.
    pub fn configure(&self, config: &mut Config) {
        config.together.together_api_key = Some(SecretString::from(API_KEY));
        config.together.together_base_url = self.base_url.clone();
        config.together.together_retry_base_ms = 1;
        config.together.together_timeout_secs = 10;
    }

    /// The real app generating with this server.
    pub async fn app(&self) -> TestApp {
        self.app_with(|_| {}).await
    }

    pub async fn app_with(&self, adjust: impl FnOnce(&mut Config)) -> TestApp {
        TestApp::spawn_with(|config| {
            self.configure(config);
            adjust(config);
        })
        .await
    }
}

/// A small real JPEG, like FLUX would send.
pub fn jpeg(width: u32, height: u32) -> Vec<u8> {
    let pixels = image::RgbImage::from_fn(width, height, |x, y| {
        image::Rgb([(x % 256) as u8, (y % 256) as u8, 128])
    });
    let mut out = std::io::Cursor::new(Vec::new());
    pixels
        .write_to(&mut out, image::ImageFormat::Jpeg)
        .expect("jpeg encodes");
    out.into_inner()
}

fn b64(bytes: &[u8]) -> String {
    base64::engine::general_purpose::STANDARD.encode(bytes)
}

async fn generations(
    State(shared): State<Arc<Shared>>,
    headers: HeaderMap,
    Json(body): Json<Value>,
) -> Response {
    let request_id = format!("req-{}", shared.received.lock().unwrap().len() + 1);
    shared.received.lock().unwrap().push(Received {
        at: Instant::now(),
        authorization: headers
            .get(header::AUTHORIZATION)
            .and_then(|value| value.to_str().ok())
            .map(str::to_owned),
        body: body.clone(),
    });
    let answer = shared
        .script
        .lock()
        .unwrap()
        .pop_front()
        .unwrap_or(Answer::Base64);
    let width = body["width"].as_u64().unwrap_or(256) as u32;
    let height = body["height"].as_u64().unwrap_or(256) as u32;
    let success = |data: Value| {
        Json(json!({"id": request_id, "model": body["model"], "object": "list", "data": data}))
            .into_response()
    };
    if let Answer::Slow(delay) = answer {
        tokio::time::sleep(delay).await;
    }
    match answer {
        Answer::Base64 | Answer::Slow(_) => success(json!([{
            "index": 0, "b64_json": b64(&jpeg(width, height)), "timings": {"inference": 0.61}
        }])),
        Answer::Url => {
            let name = format!("{request_id}.jpg");
            shared
                .files
                .lock()
                .unwrap()
                .insert(name.clone(), Bytes::from(jpeg(width, height)));
            success(json!([{
                "index": 0, "url": format!("{}/files/{name}", shared.base_url),
                "timings": {"inference": 0.25}
            }]))
        }
        Answer::UrlTo(url) => success(json!([{
            "index": 0, "url": url.replace("{base}", &shared.base_url)
        }])),
        Answer::Inline(bytes) => success(json!([{"index": 0, "b64_json": b64(bytes)}])),
        Answer::TwoImages => success(json!([
            {"index": 0, "b64_json": b64(&jpeg(width, height)), "timings": {"inference": 0.5}},
            {"index": 1, "b64_json": b64(&jpeg(width, height)), "timings": {"inference": 0.5}}
        ])),
        Answer::Error {
            status,
            message,
            code,
            headers,
        } => {
            let mut response = (
                StatusCode::from_u16(status).unwrap(),
                Json(json!({"id": request_id, "error": {
                    "message": message, "type": "invalid_request_error", "param": null, "code": code
                }})),
            )
                .into_response();
            for (name, value) in headers {
                response.headers_mut().insert(name, value.parse().unwrap());
            }
            response
        }
        Answer::Hang => {
            tokio::time::sleep(Duration::from_secs(3600)).await;
            StatusCode::GATEWAY_TIMEOUT.into_response()
        }
        Answer::Truncated => {
            let parts: Vec<Result<Bytes, std::io::Error>> = vec![
                Ok(Bytes::from_static(
                    br#"{"id": "req", "data": [{"b64_json": "/9j/4AAQ"#,
                )),
                Err(std::io::Error::other("connection dropped")),
            ];
            (
                [(header::CONTENT_TYPE, "application/json")],
                Body::from_stream(futures::stream::iter(parts)),
            )
                .into_response()
        }
        Answer::NotJson => (
            [(header::CONTENT_TYPE, "application/json")],
            "<html>Bad gateway</html>",
        )
            .into_response(),
        Answer::Huge => (
            [(header::CONTENT_TYPE, "application/json")],
            huge_body(shared.clone()),
        )
            .into_response(),
    }
}

/// 50 MB sent in 1 MB chunks without a Content-Length, counting what left.
fn huge_body(shared: Arc<Shared>) -> Body {
    let chunks = (0..50).map(move |_| {
        shared.huge_chunks_sent.fetch_add(1, Ordering::SeqCst);
        Ok::<_, Infallible>(Bytes::from(vec![b'A'; MEGABYTE]))
    });
    Body::from_stream(futures::stream::iter(chunks))
}

async fn file(
    State(shared): State<Arc<Shared>>,
    Path(name): Path<String>,
    headers: HeaderMap,
) -> Response {
    shared.fetched.lock().unwrap().push(Fetched {
        path: format!("/files/{name}"),
        user_agent: headers
            .get(header::USER_AGENT)
            .and_then(|value| value.to_str().ok())
            .map(str::to_owned),
    });
    match name.as_str() {
        "huge.jpg" => (
            [(header::CONTENT_TYPE, "image/jpeg")],
            huge_body(shared.clone()),
        )
            .into_response(),
        "not-an-image.jpg" => (
            [(header::CONTENT_TYPE, "image/jpeg")],
            "this is not a JPEG at all",
        )
            .into_response(),
        "ok.jpg" => ([(header::CONTENT_TYPE, "image/jpeg")], jpeg(256, 256)).into_response(),
        _ => match shared.files.lock().unwrap().get(&name) {
            Some(bytes) => ([(header::CONTENT_TYPE, "image/jpeg")], bytes.clone()).into_response(),
            None => StatusCode::NOT_FOUND.into_response(),
        },
    }
}

/// Redirects to `ok.jpg` on the same port but under the host name `localhost`: another host.
async fn redirect(State(shared): State<Arc<Shared>>, Path(port): Path<u16>) -> Response {
    shared.fetched.lock().unwrap().push(Fetched {
        path: format!("/redirect/{port}"),
        user_agent: None,
    });
    (
        StatusCode::FOUND,
        [(
            header::LOCATION,
            format!("http://localhost:{port}/files/ok.jpg"),
        )],
    )
        .into_response()
}
