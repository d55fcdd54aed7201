//! API keys over HTTP: make one (its secret answered once), list them with
//! their last use, revoke one. Only a signed-in session may do this: a key
//! cannot make or revoke keys (403 `key_not_allowed`).

use axum::{
    Json, Router,
    extract::{Path, State},
    http::StatusCode,
    response::{IntoResponse, Response},
    routing::{delete, get},
};
use serde::{Deserialize, Serialize};
use time::{Duration, OffsetDateTime};
use utoipa::ToSchema;

use crate::{
    auth::api_keys::{self, MAX_EXPIRY_DAYS, MAX_LIVE_KEYS},
    generation::plan::whole_number,
    http::caller::SessionUser,
    http::error::{ApiError, ApiResult, FieldError},
    http::json::ApiJson,
    http::routes::{collections::valid_name, images::rfc3339, no_content},
    http::state::AppState,
    store::metadata::{
        ApiKeyRecord,
        rules::{from_millis, millis},
    },
};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/keys", get(list_keys).post(create_key))
        .route("/keys/{id}", delete(revoke_key))
}

#[derive(Serialize, ToSchema, Debug, Clone)]
pub struct ApiKeyView {
    pub id: String,
    pub name: String,
    /// The secret's first characters (`pcp_` and 8 more), to tell keys apart.
    pub prefix: String,
    /// RFC 3339, UTC.
    pub created_at: String,
    /// RFC 3339, UTC; recorded at most once a minute. Null: never used.
    pub last_used_at: Option<String>,
    /// RFC 3339, UTC. Null: works until revoked.
    pub expires_at: Option<String>,
}

impl From<&ApiKeyRecord> for ApiKeyView {
    fn from(key: &ApiKeyRecord) -> Self {
        Self {
            id: key.id.clone(),
            name: key.name.clone(),
            prefix: key.prefix.clone(),
            created_at: rfc3339(key.created_at),
            last_used_at: key.last_used_at.map(rfc3339),
            expires_at: key.expires_at.map(rfc3339),
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct ApiKeyList {
    /// Newest first; expired keys stay listed until the next key is made.
    pub items: Vec<ApiKeyView>,
}

#[derive(Deserialize, ToSchema, Debug)]
#[serde(deny_unknown_fields)]
pub struct NewApiKeyRequest {
    /// 1 to 80 characters, not only space, no control characters; stored trimmed.
    pub name: String,
    /// Days until the key stops working, 1 to 365; absent or null: never.
    #[serde(default, deserialize_with = "whole_number")]
    #[schema(minimum = 1, maximum = 365)]
    pub expires_in_days: Option<i64>,
}

#[derive(Serialize, ToSchema)]
pub struct NewApiKeyEnvelope {
    pub key: ApiKeyView,
    /// `pcp_…`: send it as `Authorization: Bearer <secret>`. Shown this once;
    /// the server keeps only its hash.
    pub secret: String,
}

#[utoipa::path(get, path = "/api/keys", tag = "keys", security(("session" = []), ("clerk" = [])),
    responses(
        (status = 200, description = "Your API keys, newest first", body = ApiKeyList),
        (status = 403, description = "`key_not_allowed`: an API key cannot list keys", body = crate::http::error::Problem)))]
pub async fn list_keys(
    State(state): State<AppState>,
    SessionUser(user): SessionUser,
) -> ApiResult<Json<ApiKeyList>> {
    let keys = state.metadata.list_api_keys(&user.id).await?;
    Ok(Json(ApiKeyList {
        items: keys.iter().map(ApiKeyView::from).collect(),
    }))
}

#[utoipa::path(post, path = "/api/keys", tag = "keys", security(("session" = []), ("clerk" = [])), request_body = NewApiKeyRequest,
    responses(
        (status = 201, description = "The new key and its secret, shown this once", body = NewApiKeyEnvelope),
        (status = 403, description = "`key_not_allowed`: an API key cannot make keys", body = crate::http::error::Problem),
        (status = 422, description = "`invalid_request`: bad name or expiry; `too_many_keys`: you have 20 keys that have not expired", body = crate::http::error::Problem)))]
pub async fn create_key(
    State(state): State<AppState>,
    SessionUser(user): SessionUser,
    ApiJson(request): ApiJson<NewApiKeyRequest>,
) -> ApiResult<Response> {
    let mut errors = Vec::new();
    let name = valid_name(&request.name, &mut errors);
    if request
        .expires_in_days
        .is_some_and(|days| !(1..=i64::from(MAX_EXPIRY_DAYS)).contains(&days))
    {
        errors.push(FieldError::new(
            "expires_in_days",
            format!(
                "must be 1 to {MAX_EXPIRY_DAYS} days, or left out for a key that does not expire"
            ),
        ));
    }
    if !errors.is_empty() {
        return Err(ApiError::Validation(errors));
    }
    // Stores keep milliseconds: answer with the time a later read gives.
    let now = from_millis(millis(OffsetDateTime::now_utc()));
    let expires_at = request
        .expires_in_days
        .map(|days| now + Duration::days(days));
    let (key, secret) = api_keys::new_key(&user.id, name, now, expires_at);
    if !state
        .metadata
        .create_api_key(&key, MAX_LIVE_KEYS, now)
        .await?
    {
        return Err(ApiError::TooManyKeys(MAX_LIVE_KEYS));
    }
    let envelope = NewApiKeyEnvelope {
        key: (&key).into(),
        secret,
    };
    Ok((StatusCode::CREATED, Json(envelope)).into_response())
}

#[utoipa::path(delete, path = "/api/keys/{id}", tag = "keys", security(("session" = []), ("clerk" = [])),
    params(("id" = String, Path, description = "API key id")),
    responses(
        (status = 204, description = "Revoked: the key stops working at once"),
        (status = 403, description = "`key_not_allowed`: an API key cannot revoke keys", body = crate::http::error::Problem),
        (status = 404, description = "`not_found`: missing or not yours", body = crate::http::error::Problem)))]
pub async fn revoke_key(
    State(state): State<AppState>,
    SessionUser(user): SessionUser,
    Path(id): Path<String>,
) -> ApiResult<Response> {
    if !state.metadata.revoke_api_key(&user.id, &id).await? {
        return Err(ApiError::NotFound);
    }
    Ok(no_content())
}
