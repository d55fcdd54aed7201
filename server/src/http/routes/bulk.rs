//! `POST /api/images/bulk`: one action over up to 100 of the caller's
//! images, answered id by id (the work is `gallery::bulk`'s).

use axum::{Json, Router, extract::State, routing::post};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::{
    gallery::bulk::{self, Action, Failure, MAX_IDS},
    http::caller::CurrentUser,
    http::completion::to_completion,
    http::error::{ApiError, ApiResult, FieldError},
    http::json::ApiJson,
    http::state::AppState,
};

pub fn router() -> Router<AppState> {
    Router::new().route("/images/bulk", post(bulk_action))
}

#[derive(Deserialize, ToSchema, Debug, Clone, Copy, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum BulkActionName {
    Favorite,
    Unfavorite,
    /// Move to the trash (favourites only with `include_favorites`).
    Trash,
    Restore,
    /// Delete for good, files included.
    Delete,
    /// Put into `collection_id` (images in the trash are not found).
    AddToCollection,
    /// Take out of `collection_id`.
    RemoveFromCollection,
}

#[derive(Deserialize, ToSchema, Debug)]
#[serde(deny_unknown_fields)]
pub struct BulkRequest {
    pub action: BulkActionName,
    /// 1 to 100 of your image ids; an id named twice is done once.
    pub ids: Vec<String>,
    /// With `trash`: move favourites too.
    #[serde(default)]
    pub include_favorites: bool,
    /// With `add_to_collection` and `remove_from_collection`: one of your collections.
    #[serde(default)]
    pub collection_id: Option<String>,
}

#[derive(Serialize, ToSchema, Debug, Clone, Copy, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum BulkFailureCode {
    NotFound,
    FavoriteProtected,
    /// The store failed for this id; repeating the request is safe.
    InternalError,
}

#[derive(Serialize, ToSchema, Debug)]
pub struct BulkFailure {
    pub id: String,
    pub code: BulkFailureCode,
}

#[derive(Serialize, ToSchema, Debug)]
pub struct BulkOutcome {
    /// Ids done (or already as asked), in the order given.
    pub succeeded: Vec<String>,
    pub failed: Vec<BulkFailure>,
}

#[utoipa::path(post, path = "/api/images/bulk", tag = "gallery", security(("session" = []), ("clerk" = [])), request_body = BulkRequest,
    responses(
        (status = 200, description = "What happened to each id", body = BulkOutcome),
        (status = 404, description = "`not_found`: no such collection of yours", body = crate::http::error::Problem),
        (status = 422, description = "`invalid_request`: no ids, or more than 100; a collection action without `collection_id`", body = crate::http::error::Problem)))]
pub async fn bulk_action(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
    ApiJson(request): ApiJson<BulkRequest>,
) -> ApiResult<Json<BulkOutcome>> {
    if !(1..=MAX_IDS).contains(&request.ids.len()) {
        return Err(ApiError::Validation(vec![FieldError::new(
            "ids",
            format!("must name 1 to {MAX_IDS} images"),
        )]));
    }
    let collection = |request: BulkRequest| {
        request.collection_id.ok_or_else(|| {
            ApiError::Validation(vec![FieldError::new(
                "collection_id",
                "is required with this action",
            )])
        })
    };
    let ids = request.ids.clone();
    let action = match request.action {
        BulkActionName::Favorite => Action::Favorite,
        BulkActionName::Unfavorite => Action::Unfavorite,
        BulkActionName::Trash => Action::Trash {
            include_favorites: request.include_favorites,
        },
        BulkActionName::Restore => Action::Restore,
        BulkActionName::Delete => Action::Delete,
        BulkActionName::AddToCollection => Action::AddToCollection(collection(request)?),
        BulkActionName::RemoveFromCollection => Action::RemoveFromCollection(collection(request)?),
    };
    if let Action::AddToCollection(collection_id) | Action::RemoveFromCollection(collection_id) =
        &action
        && !state
            .metadata
            .owns_collection(&user.id, collection_id)
            .await?
    {
        return Err(ApiError::NotFound);
    }
    let outcomes = to_completion(async move {
        bulk::apply(
            state.metadata.as_ref(),
            &state.media,
            &user.id,
            &action,
            &ids,
        )
        .await
    })
    .await?;
    let mut answer = BulkOutcome {
        succeeded: Vec::new(),
        failed: Vec::new(),
    };
    for (id, outcome) in outcomes {
        match outcome {
            Ok(()) => answer.succeeded.push(id),
            Err(failure) => answer.failed.push(BulkFailure {
                id,
                code: match failure {
                    Failure::NotFound => BulkFailureCode::NotFound,
                    Failure::FavoriteProtected => BulkFailureCode::FavoriteProtected,
                    Failure::Internal => BulkFailureCode::InternalError,
                },
            }),
        }
    }
    Ok(Json(answer))
}
