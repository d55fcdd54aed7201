//! Reproducing an image over HTTP: `POST /api/images/{id}/reproduce` makes it
//! again from its recipe and answers how the new one compares.

use axum::{
    Json, Router,
    extract::{Path, State},
    routing::post,
};
use serde::Serialize;
use utoipa::ToSchema;

use crate::{
    http::caller::CurrentUser,
    http::completion::to_completion,
    http::error::{ApiError, ApiResult},
    http::state::AppState,
};

pub fn router() -> Router<AppState> {
    Router::new().route("/images/{id}/reproduce", post(reproduce_image))
}

#[derive(Serialize, ToSchema, Debug)]
pub struct ReproductionView {
    /// The same bytes as the original.
    pub identical: bool,
    /// Mean absolute difference per colour channel, 0 (the same pixels) to 1
    /// (1 also when the sizes differ).
    #[schema(minimum = 0.0, maximum = 1.0)]
    pub difference: f64,
    /// SHA-256 of the original, as stored (hex).
    pub sha256_original: String,
    /// SHA-256 of the image made again (hex).
    pub sha256_reproduced: String,
}

#[utoipa::path(post, path = "/api/images/{id}/reproduce", tag = "gallery", security(("session" = []), ("clerk" = [])),
    params(("id" = String, Path, description = "Image id")),
    responses(
        (status = 200, description = "The image made again from its recipe (one image of the month's quota; nothing is stored), compared with the original", body = ReproductionView),
        (status = 404, description = "`not_found`: missing or not yours", body = crate::http::error::Problem),
        (status = 409, description = "`not_reproducible`: this server no longer offers the image's model", body = crate::http::error::Problem),
        (status = 429, description = "`rate_limited`, `quota_exceeded` or `budget_exceeded`, as for a generation", body = crate::http::error::Problem),
        (status = 502, description = "`upstream_error`", body = crate::http::error::Problem),
        (status = 503, description = "`upstream_unavailable`", body = crate::http::error::Problem),
        (status = 504, description = "`upstream_timeout`", body = crate::http::error::Problem)))]
pub async fn reproduce_image(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
    Path(id): Path<String>,
) -> ApiResult<Json<ReproductionView>> {
    let image = state
        .metadata
        .get_image(&user.id, &id)
        .await?
        .ok_or(ApiError::NotFound)?;
    // Once its quota is reserved, it runs to the end even if the caller leaves.
    let result =
        to_completion(async move { state.generator().reproduce(&user, &image).await }).await?;
    Ok(Json(ReproductionView {
        identical: result.identical,
        difference: result.difference,
        sha256_original: result.sha256_original,
        sha256_reproduced: result.sha256_reproduced,
    }))
}
