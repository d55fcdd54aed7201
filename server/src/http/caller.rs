//! Who is calling: the `CurrentUser` extractor every protected handler takes.
//!
//! Handlers never know how the caller signed in; each sign-in mode (see
//! `auth`), and API keys in both, only has to turn a request into a known
//! user here.

use axum::{
    extract::FromRequestParts,
    http::{HeaderMap, Method, header, request::Parts},
};
use time::OffsetDateTime;

use crate::{
    auth::{Auth, api_keys, clerk, local},
    http::error::ApiError,
    http::security::arrived_over_https,
    http::state::AppState,
    store::metadata::User,
};

/// The signed-in caller, by session or by API key. Extracting it answers
/// 401 `unauthenticated` when no valid credentials came with the request.
#[derive(Debug, Clone)]
pub struct CurrentUser(pub User);

impl FromRequestParts<AppState> for CurrentUser {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        if let Some(secret) = api_key_secret(&parts.headers) {
            return key_user(secret, state).await.map(Self);
        }
        session_user(parts, state).await.map(Self)
    }
}

/// The caller signed in by session only: for what a key may not do (make
/// or revoke keys), which answers 403 `key_not_allowed` to a key.
#[derive(Debug, Clone)]
pub struct SessionUser(pub User);

impl FromRequestParts<AppState> for SessionUser {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        if api_key_secret(&parts.headers).is_some() {
            return Err(ApiError::KeyNotAllowed);
        }
        session_user(parts, state).await.map(Self)
    }
}

/// A session of the deployment's sign-in mode: Clerk's token, or our cookie.
async fn session_user(parts: &Parts, state: &AppState) -> Result<User, ApiError> {
    if let Auth::Clerk(clerk) = &state.auth {
        return clerk_user(clerk, parts, state).await;
    }
    let https = arrived_over_https(&parts.headers, &state.config);
    let token = cookie(&parts.headers, local::session_cookie_name(https))
        .ok_or(ApiError::Unauthenticated)?;
    // A cookie rides along on cross-site form posts; a JSON content type cannot.
    if parts.method == Method::POST && !is_json_or_bodiless(&parts.headers) {
        return Err(ApiError::UnsupportedMediaType);
    }
    state
        .metadata
        .session_user(&local::token_hash(token), OffsetDateTime::now_utc())
        .await?
        .ok_or(ApiError::Unauthenticated)
}

/// The bearer credential, when it is an API key's secret.
fn api_key_secret(headers: &HeaderMap) -> Option<&str> {
    bearer(headers)
        .and_then(Result::ok)
        .filter(|credential| api_keys::is_key_secret(credential))
}

/// `Authorization: Bearer <credential>`: `None` without the header, an
/// error when it is there but is not a bearer credential.
fn bearer(headers: &HeaderMap) -> Option<Result<&str, ApiError>> {
    headers.get(header::AUTHORIZATION).map(|value| {
        value
            .to_str()
            .ok()
            .and_then(|value| value.strip_prefix("Bearer "))
            .map(str::trim)
            .ok_or(ApiError::Unauthenticated)
    })
}

/// The owner of a working key; unknown, revoked and expired keys are all
/// 401 `unauthenticated`, alike.
async fn key_user(secret: &str, state: &AppState) -> Result<User, ApiError> {
    let id = api_keys::key_id(secret).ok_or(ApiError::Unauthenticated)?;
    let (key, user) = state
        .metadata
        .api_key(id)
        .await?
        .ok_or(ApiError::Unauthenticated)?;
    let now = OffsetDateTime::now_utc();
    if !api_keys::admits(&key, secret, now) {
        return Err(ApiError::Unauthenticated);
    }
    if api_keys::use_is_worth_recording(&key, now) {
        let since = now - api_keys::USE_RECORDED_EVERY;
        if let Err(error) = state.metadata.note_api_key_use(&key, now, since).await {
            // The request goes on: a missed "last used" is not worth a refusal.
            tracing::warn!(error = format!("{error:#}"), "recording an API key's use");
        }
    }
    Ok(user)
}

/// Clerk mode: the session token from `Authorization: Bearer` (which wins) or
/// Clerk's `__session` cookie on the same origin.
async fn clerk_user(
    clerk: &clerk::ClerkAuth,
    parts: &Parts,
    state: &AppState,
) -> Result<User, ApiError> {
    let token = match bearer(&parts.headers).transpose()? {
        Some(token) => token,
        None => {
            let token =
                cookie(&parts.headers, clerk::SESSION_COOKIE).ok_or(ApiError::Unauthenticated)?;
            // As with our own cookie: no cross-site form posts.
            if parts.method == Method::POST && !is_json_or_bodiless(&parts.headers) {
                return Err(ApiError::UnsupportedMediaType);
            }
            token
        }
    };
    Ok(clerk.authenticate(token, state.metadata.as_ref()).await?)
}

/// The value of the named cookie, if the request carries it.
pub fn cookie<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(|value| value.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(key, _)| *key == name)
        .map(|(_, value)| value)
}

/// Whether a cookie-authenticated POST cannot be a cross-site form post: it
/// has a JSON body, or no body and no content type at all (a body-less action
/// such as logout). Forms always send a content type, and a cross-site
/// `fetch` without one does not carry a SameSite=Lax cookie.
pub fn is_json_or_bodiless(headers: &HeaderMap) -> bool {
    if headers.contains_key(header::CONTENT_TYPE) {
        return is_json(headers);
    }
    let has_body = headers.contains_key(header::TRANSFER_ENCODING)
        || headers
            .get(header::CONTENT_LENGTH)
            .is_some_and(|length| length.as_bytes() != b"0");
    !has_body
}

fn is_json(headers: &HeaderMap) -> bool {
    headers
        .get(header::CONTENT_TYPE)
        .and_then(|value| value.to_str().ok())
        .and_then(|value| value.split(';').next())
        .is_some_and(|mime| mime.trim().eq_ignore_ascii_case("application/json"))
}
