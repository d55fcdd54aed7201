//! A local stand-in for Clerk: RSA keys made in the test, a JWKS served the
//! way Clerk's Frontend and Backend APIs serve it (counting every fetch), the
//! Backend API's user endpoint, and session tokens signed exactly as Clerk
//! signs them (same header and claims).

use std::sync::{
    Arc, Mutex, OnceLock,
    atomic::{AtomicBool, AtomicUsize, Ordering},
};

use axum::{
    Json, Router,
    extract::{Path, State},
    http::{HeaderMap, StatusCode},
    response::{IntoResponse, Response},
    routing::get,
};
use base64::{
    Engine,
    engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD},
};
use hmac::{Hmac, Mac};
use promptcanvas::settings::Config;
use rsa::{
    RsaPrivateKey,
    pkcs1v15::SigningKey,
    pkcs8::{EncodePublicKey, LineEnding},
    signature::{SignatureEncoding, Signer},
    traits::PublicKeyParts,
};
use secrecy::SecretString;
use serde_json::{Value, json};
use sha2::Sha256;

use crate::helpers::TestApp;

/// The Frontend API host our test publishable key names.
pub const FRONTEND_API_HOST: &str = "clerk.promptcanvas.test";
pub const ISSUER: &str = "https://clerk.promptcanvas.test";
/// The front-end origin tokens are minted for.
pub const WEB_ORIGIN: &str = "http://localhost:5173";
pub const SECRET_KEY: &str = "sk_test_clerk-secret-that-must-never-leak-0123456789";
pub const SESSION_CATEGORY: &str = "cl_B7d4PD111AAA";

pub fn publishable_key() -> String {
    format!(
        "pk_test_{}",
        STANDARD.encode(format!("{FRONTEND_API_HOST}$"))
    )
}

/// Two 2048-bit keys, made once per test run (key generation is slow).
pub fn keys() -> &'static [RsaPrivateKey; 2] {
    static KEYS: OnceLock<[RsaPrivateKey; 2]> = OnceLock::new();
    KEYS.get_or_init(|| {
        let mut rng = rsa::rand_core::OsRng;
        [
            RsaPrivateKey::new(&mut rng, 2048).expect("RSA key"),
            RsaPrivateKey::new(&mut rng, 2048).expect("RSA key"),
        ]
    })
}

pub fn now() -> i64 {
    time::OffsetDateTime::now_utc().unix_timestamp()
}

/// A JWK as Clerk publishes it.
pub fn jwk(key: &RsaPrivateKey, kid: &str) -> Value {
    json!({
        "use": "sig",
        "kty": "RSA",
        "kid": kid,
        "alg": "RS256",
        "n": URL_SAFE_NO_PAD.encode(key.n().to_bytes_be()),
        "e": URL_SAFE_NO_PAD.encode(key.e().to_bytes_be()),
    })
}

pub fn public_pem(key: &RsaPrivateKey) -> String {
    key.to_public_key()
        .to_public_key_pem(LineEnding::LF)
        .expect("PEM")
}

/// The header Clerk puts on a session token.
pub fn header(kid: &str) -> Value {
    json!({"alg": "RS256", "cat": SESSION_CATEGORY, "kid": kid, "typ": "JWT"})
}

/// The claims of a fresh Clerk session token (60 s, `nbf` 10 s before `iat`).
pub fn claims(subject: &str) -> Value {
    let now = now();
    json!({
        "azp": WEB_ORIGIN,
        "exp": now + 60,
        "fva": [0, -1],
        "iat": now,
        "iss": ISSUER,
        "nbf": now - 10,
        "sid": format!("sess_{}", subject.trim_start_matches("user_")),
        "sub": subject,
        "v": 2,
    })
}

fn encode_part(value: &Value) -> String {
    URL_SAFE_NO_PAD.encode(serde_json::to_vec(value).expect("json"))
}

/// `header.claims.signature`, RS256 with `key`.
pub fn sign(key: &RsaPrivateKey, header: &Value, claims: &Value) -> String {
    let signing_input = format!("{}.{}", encode_part(header), encode_part(claims));
    let signature = SigningKey::<Sha256>::new(key.clone())
        .sign(signing_input.as_bytes())
        .to_bytes();
    format!("{signing_input}.{}", URL_SAFE_NO_PAD.encode(signature))
}

/// `header.claims.signature` with HMAC-SHA256 over `secret`.
pub fn sign_hs256(secret: &[u8], header: &Value, claims: &Value) -> String {
    let signing_input = format!("{}.{}", encode_part(header), encode_part(claims));
    let mut mac = Hmac::<Sha256>::new_from_slice(secret).expect("any key length");
    mac.update(signing_input.as_bytes());
    format!(
        "{signing_input}.{}",
        URL_SAFE_NO_PAD.encode(mac.finalize().into_bytes())
    )
}

/// A token for `subject` signed with key 0 under `kid`, as Clerk would issue it.
pub fn session_token(subject: &str, kid: &str) -> String {
    sign(&keys()[0], &header(kid), &claims(subject))
}

pub fn new_subject() -> String {
    format!("user_{}", ulid::Ulid::new())
}

#[derive(Default)]
pub struct FakeState {
    /// The JWKS `keys` array both endpoints serve.
    pub jwks: Mutex<Vec<Value>>,
    pub frontend_fetches: AtomicUsize,
    pub backend_fetches: AtomicUsize,
    pub user_fetches: AtomicUsize,
    /// The Frontend API's JWKS answers 503 while set.
    pub frontend_down: AtomicBool,
    /// Backend API users by id.
    pub users: Mutex<Vec<Value>>,
}

pub struct FakeClerk {
    pub address: String,
    pub state: Arc<FakeState>,
}

impl FakeClerk {
    /// Serves `kid` → key 0 until told otherwise.
    pub async fn start(kid: &str) -> Self {
        let state = Arc::new(FakeState::default());
        state.jwks.lock().unwrap().push(jwk(&keys()[0], kid));
        let router = Router::new()
            .route("/.well-known/jwks.json", get(frontend_jwks))
            .route("/v1/jwks", get(backend_jwks))
            .route("/v1/users/{id}", get(backend_user))
            .with_state(state.clone());
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind");
        let address = format!("http://{}", listener.local_addr().expect("address"));
        tokio::spawn(async move { axum::serve(listener, router).await });
        Self { address, state }
    }

    pub fn jwks_url(&self) -> String {
        format!("{}/.well-known/jwks.json", self.address)
    }

    pub fn frontend_fetches(&self) -> usize {
        self.state.frontend_fetches.load(Ordering::SeqCst)
    }

    /// Settings for Clerk mode against this server.
    pub fn configure(&self, config: &mut Config) {
        config.clerk.clerk_publishable_key = Some(publishable_key());
        config.clerk.clerk_jwks_url = Some(self.jwks_url());
        config.clerk.clerk_api_url = self.address.clone();
        config.clerk.clerk_authorized_parties = vec![WEB_ORIGIN.to_owned()];
    }

    /// A test app in Clerk mode against this server, adjusted further by `adjust`.
    pub async fn app(&self, adjust: impl FnOnce(&mut Config)) -> TestApp {
        TestApp::spawn_with(|config| {
            self.configure(config);
            adjust(config);
        })
        .await
    }

    pub fn with_secret(config: &mut Config) {
        config.clerk.clerk_secret_key = Some(SecretString::from(SECRET_KEY));
    }
}

async fn frontend_jwks(State(state): State<Arc<FakeState>>) -> Response {
    state.frontend_fetches.fetch_add(1, Ordering::SeqCst);
    if state.frontend_down.load(Ordering::SeqCst) {
        return StatusCode::SERVICE_UNAVAILABLE.into_response();
    }
    Json(json!({"keys": *state.jwks.lock().unwrap()})).into_response()
}

fn authorized(headers: &HeaderMap) -> bool {
    headers
        .get("authorization")
        .and_then(|value| value.to_str().ok())
        == Some(format!("Bearer {SECRET_KEY}").as_str())
}

fn unauthorized() -> Response {
    (
        StatusCode::UNAUTHORIZED,
        Json(json!({"errors": [{"code": "authentication_invalid", "message": "Unauthorized request"}]})),
    )
        .into_response()
}

async fn backend_jwks(State(state): State<Arc<FakeState>>, headers: HeaderMap) -> Response {
    if !authorized(&headers) {
        return unauthorized();
    }
    state.backend_fetches.fetch_add(1, Ordering::SeqCst);
    Json(json!({"keys": *state.jwks.lock().unwrap()})).into_response()
}

async fn backend_user(
    State(state): State<Arc<FakeState>>,
    Path(id): Path<String>,
    headers: HeaderMap,
) -> Response {
    if !authorized(&headers) {
        return unauthorized();
    }
    state.user_fetches.fetch_add(1, Ordering::SeqCst);
    let users = state.users.lock().unwrap();
    match users.iter().find(|user| user["id"] == id.as_str()) {
        Some(user) => Json(user.clone()).into_response(),
        None => (
            StatusCode::NOT_FOUND,
            Json(json!({"errors": [{"code": "resource_not_found", "message": "not found"}]})),
        )
            .into_response(),
    }
}

/// A Backend API user object (the fields Clerk returns that we read, and a few more).
pub fn backend_user_json(id: &str, email: &str, first: &str, last: &str) -> Value {
    json!({
        "object": "user",
        "id": id,
        "username": null,
        "first_name": first,
        "last_name": last,
        "primary_email_address_id": "idn_primary",
        "email_addresses": [
            {"id": "idn_other", "object": "email_address", "email_address": "old@example.com"},
            {"id": "idn_primary", "object": "email_address", "email_address": email}
        ],
        "created_at": 1_700_000_000_000_i64,
    })
}
