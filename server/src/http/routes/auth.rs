//! Local accounts: sign up, sign in, sign out, and who am I.

use axum::{
    Json, Router,
    extract::State,
    http::{HeaderMap, StatusCode, header},
    response::{IntoResponse, Response},
    routing::{get, post},
};
use secrecy::SecretString;
use serde::{Deserialize, Serialize};
use time::{Duration, OffsetDateTime};
use utoipa::ToSchema;

use crate::{
    auth::local,
    generation::usage,
    http::attempts,
    http::caller::{CurrentUser, cookie, is_json_or_bodiless},
    http::error::{ApiError, ApiResult, FieldError},
    http::security::{ClientIp, arrived_over_https},
    http::state::AppState,
    http::{
        json::ApiJson,
        routes::{images::rfc3339, no_content},
    },
    store::metadata::{NewSession, User},
};

pub(crate) const DISPLAY_NAME_MAX_CHARS: usize = 80;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/auth/signup", post(signup))
        .route("/auth/login", post(login))
        .route("/auth/logout", post(logout))
        .route("/me", get(me))
}

#[derive(Serialize, ToSchema, Debug, Clone)]
pub struct UserView {
    pub id: String,
    pub email: String,
    pub display_name: Option<String>,
    /// RFC 3339, UTC.
    pub created_at: String,
}

impl From<&User> for UserView {
    fn from(user: &User) -> Self {
        Self {
            id: user.id.clone(),
            email: user.email.clone(),
            display_name: user.display_name.clone(),
            created_at: rfc3339(user.created_at),
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct UserEnvelope {
    pub user: UserView,
}

#[derive(Serialize, ToSchema)]
pub struct UsageView {
    pub images: u64,
    pub storage_bytes: u64,
    pub generations_this_month: u64,
    pub monthly_quota: u32,
    /// Bytes of originals the user may keep; absent when unlimited.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub storage_quota_bytes: Option<u64>,
    /// Images in the trash (counted in `images` until deleted for good).
    pub trash_images: u64,
    /// Bytes of originals in the trash (counted in `storage_bytes` too).
    pub trash_bytes: u64,
    /// What this month's generations and drafts cost, in US dollars.
    #[schema(minimum = 0)]
    pub cost_this_month_usd: f64,
    pub drafts_this_month: u64,
    pub monthly_draft_quota: u32,
    /// Most this month's generations and drafts may cost (`MONTHLY_BUDGET_USD`);
    /// absent when there is no budget.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(minimum = 0)]
    pub monthly_budget_usd: Option<f64>,
    /// RFC 3339, UTC: when the month's counts start again.
    pub resets_at: String,
}

#[derive(Serialize, ToSchema)]
pub struct Me {
    pub user: UserView,
    pub usage: UsageView,
    /// Present, and true, for operators (`ADMIN_EMAILS`) only.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    #[schema(required = false)]
    pub admin: bool,
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SignupRequest {
    pub email: String,
    /// 8 to 128 characters.
    #[schema(value_type = String)]
    pub password: SecretString,
    #[serde(default)]
    pub display_name: Option<String>,
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct LoginRequest {
    pub email: String,
    #[schema(value_type = String)]
    pub password: SecretString,
}

#[utoipa::path(post, path = "/api/auth/signup", tag = "accounts", request_body = SignupRequest,
    responses(
        (status = 201, description = "Account created and signed in", body = UserEnvelope),
        (status = 404, description = "`local_auth_disabled`: Clerk sign-in is on", body = crate::http::error::Problem),
        (status = 409, description = "`email_taken`", body = crate::http::error::Problem),
        (status = 422, description = "`invalid_request`", body = crate::http::error::Problem),
        (status = 429, description = "`rate_limited`: too many attempts", body = crate::http::error::Problem),
        (status = 503, description = "`busy`: too many sign-ins at once; retry after `Retry-After`", body = crate::http::error::Problem)))]
pub async fn signup(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    headers: HeaderMap,
    ApiJson(request): ApiJson<SignupRequest>,
) -> ApiResult<Response> {
    let passwords = state.auth.passwords()?;
    attempts::guard(state.metadata.as_ref(), &state.config, ip, &request.email).await?;
    // Space around an email is dropped (the document's pattern allows it);
    // the other fields' rules apply to them as sent.
    let email = request.email.trim().to_owned();
    let mut errors = Vec::new();
    if !local::is_plausible_email(&email) {
        errors.push(FieldError::new("email", "is not a valid email address"));
    }
    let password_chars = secrecy::ExposeSecret::expose_secret(&request.password)
        .chars()
        .count();
    if !local::PASSWORD_CHARS.contains(&password_chars) {
        errors.push(FieldError::new(
            "password",
            format!(
                "must be {} to {} characters",
                local::PASSWORD_CHARS.start(),
                local::PASSWORD_CHARS.end()
            ),
        ));
    }
    if let Some(name) = &request.display_name
        && (name.chars().count() > DISPLAY_NAME_MAX_CHARS || name.chars().any(char::is_control))
    {
        errors.push(FieldError::new(
            "display_name",
            format!(
                "must be at most {DISPLAY_NAME_MAX_CHARS} characters, without control characters"
            ),
        ));
    }
    if !errors.is_empty() {
        return Err(ApiError::Validation(errors));
    }
    let display_name = request
        .display_name
        .map(|name| name.trim().to_owned())
        .filter(|name| !name.is_empty());

    let password_hash = local::hash_password(passwords, request.password).await?;
    let user = User {
        id: ulid::Ulid::new().to_string(),
        email,
        display_name,
        created_at: OffsetDateTime::now_utc()
            .replace_nanosecond(0)
            .unwrap_or(OffsetDateTime::now_utc()),
    };
    state
        .metadata
        .create_user(&user, Some(&password_hash))
        .await?;
    let https = arrived_over_https(&headers, &state.config);
    signed_in(&state, &user, StatusCode::CREATED, https).await
}

#[utoipa::path(post, path = "/api/auth/login", tag = "accounts", request_body = LoginRequest,
    responses(
        (status = 200, description = "Signed in", body = UserEnvelope),
        (status = 401, description = "`invalid_credentials`", body = crate::http::error::Problem),
        (status = 404, description = "`local_auth_disabled`: Clerk sign-in is on", body = crate::http::error::Problem),
        (status = 422, description = "`invalid_request`: the email is longer than any address can be", body = crate::http::error::Problem),
        (status = 429, description = "`rate_limited`: too many attempts", body = crate::http::error::Problem),
        (status = 503, description = "`busy`: too many sign-ins at once; retry after `Retry-After`", body = crate::http::error::Problem)))]
pub async fn login(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    headers: HeaderMap,
    ApiJson(request): ApiJson<LoginRequest>,
) -> ApiResult<Response> {
    let passwords = state.auth.passwords()?;
    attempts::guard(state.metadata.as_ref(), &state.config, ip, &request.email).await?;
    let credentials = state.metadata.credentials_by_email(&request.email).await?;
    let stored_hash = credentials
        .as_ref()
        .map(|found| found.password_hash.clone());
    if !local::verify_password(passwords, stored_hash, request.password).await? {
        return Err(ApiError::InvalidCredentials);
    }
    let user = credentials
        .expect("a verified password belongs to a user")
        .user;
    let https = arrived_over_https(&headers, &state.config);
    signed_in(&state, &user, StatusCode::OK, https).await
}

async fn signed_in(
    state: &AppState,
    user: &User,
    status: StatusCode,
    https: bool,
) -> ApiResult<Response> {
    let (token, token_hash) = local::new_session_token();
    let lifetime = Duration::days(state.config.server.session_ttl_days as i64);
    state
        .metadata
        .create_session(&NewSession {
            token_hash,
            user_id: user.id.clone(),
            expires_at: OffsetDateTime::now_utc() + lifetime,
        })
        .await?;
    let cookie = local::session_cookie(&token, lifetime.whole_seconds() as u64, https);
    Ok((
        status,
        [(header::SET_COOKIE, cookie)],
        Json(UserEnvelope { user: user.into() }),
    )
        .into_response())
}

#[utoipa::path(post, path = "/api/auth/logout", tag = "accounts",
    responses((status = 204, description = "Signed out; the session is revoked")))]
pub async fn logout(State(state): State<AppState>, headers: HeaderMap) -> ApiResult<Response> {
    let https = arrived_over_https(&headers, &state.config);
    if let Some(token) = cookie(&headers, local::session_cookie_name(https)) {
        if !is_json_or_bodiless(&headers) {
            return Err(ApiError::UnsupportedMediaType);
        }
        state
            .metadata
            .delete_session(&local::token_hash(token))
            .await?;
    }
    let mut response = no_content();
    response.headers_mut().insert(
        header::SET_COOKIE,
        local::cleared_cookie(https)
            .parse()
            .expect("cookie text is a valid header"),
    );
    Ok(response)
}

#[utoipa::path(get, path = "/api/me", tag = "accounts", security(("session" = []), ("clerk" = [])),
    responses(
        (status = 200, description = "The signed-in user and their usage", body = Me),
        (status = 401, description = "`unauthenticated`", body = crate::http::error::Problem)))]
pub async fn me(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
) -> ApiResult<Json<Me>> {
    let usage = state
        .metadata
        .usage(&user.id, &usage::current_month())
        .await?;
    Ok(Json(Me {
        user: (&user).into(),
        usage: UsageView {
            images: usage.images,
            storage_bytes: usage.storage_bytes,
            generations_this_month: usage.generations_this_month,
            monthly_quota: state.config.limits.monthly_generation_quota,
            storage_quota_bytes: state.config.storage_quota(),
            trash_images: usage.trash_images,
            trash_bytes: usage.trash_bytes,
            cost_this_month_usd: crate::generation::cost::usd(usage.cost_this_month_micros),
            drafts_this_month: usage.drafts_this_month,
            monthly_draft_quota: state.config.limits.monthly_draft_quota,
            monthly_budget_usd: state.config.limits.monthly_budget_usd,
            resets_at: crate::http::routes::images::rfc3339(usage::next_month_start()),
        },
        admin: state.config.is_admin(&user.email),
    }))
}
