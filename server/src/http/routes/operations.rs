//! What the operator runs the service with, over HTTP: the web app's error
//! reports (anyone may send one) and the statistics (operators only).

use std::time::{Duration, Instant};

use axum::{
    Json, Router,
    extract::{DefaultBodyLimit, State},
    http::{HeaderMap, StatusCode, header},
    response::{IntoResponse, Response},
    routing::{get, post},
};
use time::OffsetDateTime;

use crate::{
    http::caller::CurrentUser,
    http::error::{ApiError, ApiResult},
    http::json::ApiJson,
    http::security::{ClientIp, limited_as},
    http::state::AppState,
    operations::{
        client_errors::{self, ClientErrorReport, MAX_REPORT_BYTES},
        stats::{self, OperatorStats},
    },
};

pub fn router() -> Router<AppState> {
    Router::new()
        .route(
            "/client-errors",
            post(report_client_error).layer(DefaultBodyLimit::max(MAX_REPORT_BYTES)),
        )
        .route("/admin/stats", get(admin_stats))
}

#[utoipa::path(post, path = "/api/client-errors", tag = "operations", request_body = ClientErrorReport,
    responses(
        (status = 202, description = "Reported: logged (fewer lines in a burst) and counted, never stored"),
        (status = 413, description = "`payload_too_large`: more than 8 KiB", body = crate::http::error::Problem),
        (status = 422, description = "`validation_failed`: blank or too long a message, too long a stack or route, a malformed release", body = crate::http::error::Problem),
        (status = 429, description = "`rate_limited`: too many reports from this address; see `Retry-After`", body = crate::http::error::Problem)))]
pub async fn report_client_error(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    headers: HeaderMap,
    ApiJson(report): ApiJson<ClientErrorReport>,
) -> ApiResult<Response> {
    if let (Some(limiter), Some(ip)) = (&state.client_error_limiter, ip)
        && let Err(wait) = limiter.check(limited_as(ip), Instant::now())
    {
        return Err(ApiError::RateLimited {
            retry_after: Duration::from_secs(wait.as_secs_f64().ceil() as u64),
        });
    }
    let report = client_errors::check(report).map_err(ApiError::Validation)?;
    let user_agent = headers
        .get(header::USER_AGENT)
        .and_then(|value| value.to_str().ok());
    state
        .client_error_log
        .record(&report, user_agent, &state.metrics);
    Ok(StatusCode::ACCEPTED.into_response())
}

// No `security` in the document: the answer to anyone but an operator,
// signed in or not, is the same 404, so nothing tells the page exists.
#[utoipa::path(get, path = "/api/admin/stats", tag = "operations",
    responses(
        (status = 200, description = "For an operator (signed in with an email in `ADMIN_EMAILS`): users, images, storage, the last 30 days' generations and errors, and every model's use", body = OperatorStats),
        (status = 404, description = "`not_found`: not an operator (`ADMIN_EMAILS`), or not signed in", body = crate::http::error::Problem)))]
pub async fn admin_stats(
    State(state): State<AppState>,
    caller: Result<CurrentUser, ApiError>,
) -> ApiResult<Json<OperatorStats>> {
    // Everyone else learns nothing, not even that the page exists.
    let Ok(CurrentUser(user)) = caller else {
        return Err(ApiError::NotFound);
    };
    if !state.config.is_admin(&user.email) {
        return Err(ApiError::NotFound);
    }
    let today = OffsetDateTime::now_utc().date();
    let stats = stats::operator_stats(state.metadata.as_ref(), &state.metrics, today).await?;
    Ok(Json(stats))
}
