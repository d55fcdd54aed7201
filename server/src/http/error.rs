//! One error type at the HTTP edge, rendered as RFC 9457 problem details.
//!
//! Every variant carries a stable `code` that clients branch on. Internal
//! failures are logged with their cause and answered with a body that reveals
//! nothing about the server (no paths, SQL or upstream messages).

use std::time::Duration;

use axum::{
    Json,
    http::{HeaderValue, StatusCode, header},
    response::{IntoResponse, Response},
};
use serde::Serialize;
use utoipa::ToSchema;

pub use crate::text::FieldError;

/// The problem+json body every error answer carries.
#[derive(Debug, Serialize, ToSchema)]
pub struct Problem {
    #[serde(rename = "type")]
    pub type_: String,
    pub title: String,
    pub status: u16,
    pub detail: String,
    pub code: String,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub errors: Vec<FieldError>,
}

#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    #[error("{0}")]
    BadRequest(String),
    #[error("{0}")]
    BadRequestFields(String, Vec<FieldError>),
    #[error("the request has invalid fields")]
    Validation(Vec<FieldError>),
    #[error("sign-in required")]
    Unauthenticated,
    #[error("wrong email or password")]
    InvalidCredentials,
    #[error("not found")]
    NotFound,
    #[error("an account with this email already exists")]
    EmailTaken,
    #[error("{0}")]
    IdempotencyConflict(&'static str),
    #[error("this image is a favourite: include favourites to move it to the trash")]
    FavoriteProtected,
    #[error("you already have a collection with that name")]
    NameTaken,
    #[error("a cover must be an image of the collection that is not in the trash")]
    CoverNotInCollection,
    #[error("request body too large")]
    PayloadTooLarge,
    #[error("unsupported media type")]
    UnsupportedMediaType,
    #[error("too many requests")]
    RateLimited { retry_after: Duration },
    #[error("monthly quota used up")]
    QuotaExceeded { retry_after: Duration },
    #[error("storage quota used up: delete images to make room")]
    StorageFull,
    #[error("this month's budget is spent: it starts again next month")]
    BudgetExceeded,
    #[error("the image provider failed: {0}")]
    Upstream(String),
    #[error("the image provider is unavailable")]
    UpstreamUnavailable { retry_after: Duration },
    #[error("the image provider did not answer in time")]
    UpstreamTimeout,
    #[error("the server is busy signing people in: please try again in a moment")]
    Busy { retry_after: Duration },
    #[error("this link is invalid or has expired")]
    Forbidden,
    #[error("this image's model is not offered by this server, so it cannot be made again here")]
    NotReproducible,
    #[error("an API key cannot manage API keys: sign in to do this")]
    KeyNotAllowed,
    #[error("you already have {0} API keys: revoke one to make another")]
    TooManyKeys(u32),
    #[error("an export holds at most {0} images: choose fewer")]
    TooManyImages(u32),
    #[error("there are no images to export in this selection")]
    NothingToExport,
    #[error("this API answers only through the site's own address")]
    NotThroughSite,
    #[error("local accounts are disabled")]
    LocalAuthDisabled,
    #[error("method not allowed")]
    MethodNotAllowed,
    #[error(transparent)]
    Internal(#[from] anyhow::Error),
}

impl From<crate::auth::AuthError> for ApiError {
    fn from(error: crate::auth::AuthError) -> Self {
        use crate::auth::AuthError;
        match error {
            AuthError::Unauthenticated => Self::Unauthenticated,
            AuthError::LocalAuthDisabled => Self::LocalAuthDisabled,
            AuthError::Busy { retry_after } => Self::Busy { retry_after },
            AuthError::Store(error) => error.into(),
            AuthError::Internal(cause) => Self::Internal(cause),
        }
    }
}

impl From<crate::gallery::GalleryError> for ApiError {
    fn from(error: crate::gallery::GalleryError) -> Self {
        match error {
            crate::gallery::GalleryError::NotFound => Self::NotFound,
            crate::gallery::GalleryError::Store(error) => error.into(),
            crate::gallery::GalleryError::Files(cause) => Self::Internal(cause),
        }
    }
}

impl From<crate::generation::GenerationError> for ApiError {
    fn from(error: crate::generation::GenerationError) -> Self {
        use crate::generation::GenerationError as Refused;
        match error {
            Refused::Invalid(fields) => Self::Validation(fields),
            Refused::RateLimited { retry_after } => Self::RateLimited { retry_after },
            Refused::QuotaExceeded { retry_after } => Self::QuotaExceeded { retry_after },
            Refused::StorageFull => Self::StorageFull,
            Refused::BudgetExceeded => Self::BudgetExceeded,
            Refused::IdempotencyConflict(message) => Self::IdempotencyConflict(message),
            Refused::Upstream(message) => Self::Upstream(message),
            Refused::UpstreamUnavailable { retry_after } => {
                Self::UpstreamUnavailable { retry_after }
            }
            Refused::UpstreamTimeout => Self::UpstreamTimeout,
            Refused::NotReproducible => Self::NotReproducible,
            Refused::Store(error) => error.into(),
            Refused::Internal(cause) => Self::Internal(cause),
        }
    }
}

impl ApiError {
    pub fn status(&self) -> StatusCode {
        match self {
            Self::BadRequest(_) | Self::BadRequestFields(..) => StatusCode::BAD_REQUEST,
            Self::Validation(_)
            | Self::TooManyKeys(_)
            | Self::TooManyImages(_)
            | Self::NothingToExport => StatusCode::UNPROCESSABLE_ENTITY,
            Self::Unauthenticated | Self::InvalidCredentials => StatusCode::UNAUTHORIZED,
            Self::NotFound | Self::LocalAuthDisabled => StatusCode::NOT_FOUND,
            Self::EmailTaken
            | Self::IdempotencyConflict(_)
            | Self::FavoriteProtected
            | Self::NameTaken
            | Self::CoverNotInCollection
            | Self::NotReproducible => StatusCode::CONFLICT,
            Self::PayloadTooLarge => StatusCode::PAYLOAD_TOO_LARGE,
            Self::UnsupportedMediaType => StatusCode::UNSUPPORTED_MEDIA_TYPE,
            Self::RateLimited { .. }
            | Self::QuotaExceeded { .. }
            | Self::StorageFull
            | Self::BudgetExceeded => StatusCode::TOO_MANY_REQUESTS,
            Self::Upstream(_) => StatusCode::BAD_GATEWAY,
            Self::UpstreamUnavailable { .. } | Self::Busy { .. } => StatusCode::SERVICE_UNAVAILABLE,
            Self::UpstreamTimeout => StatusCode::GATEWAY_TIMEOUT,
            Self::Forbidden | Self::NotThroughSite | Self::KeyNotAllowed => StatusCode::FORBIDDEN,
            Self::MethodNotAllowed => StatusCode::METHOD_NOT_ALLOWED,
            Self::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    pub fn code(&self) -> &'static str {
        match self {
            Self::BadRequest(_) | Self::BadRequestFields(..) | Self::Validation(_) => {
                "invalid_request"
            }
            Self::Unauthenticated => "unauthenticated",
            Self::InvalidCredentials => "invalid_credentials",
            Self::NotFound => "not_found",
            Self::EmailTaken => "email_taken",
            Self::IdempotencyConflict(_) => "idempotency_conflict",
            Self::FavoriteProtected => "favorite_protected",
            Self::NameTaken => "name_taken",
            Self::CoverNotInCollection => "cover_not_in_collection",
            Self::PayloadTooLarge => "payload_too_large",
            Self::UnsupportedMediaType => "unsupported_media_type",
            Self::RateLimited { .. } => "rate_limited",
            Self::QuotaExceeded { .. } | Self::StorageFull => "quota_exceeded",
            Self::BudgetExceeded => "budget_exceeded",
            Self::Upstream(_) => "upstream_error",
            Self::UpstreamUnavailable { .. } => "upstream_unavailable",
            Self::Busy { .. } => "busy",
            Self::UpstreamTimeout => "upstream_timeout",
            Self::Forbidden | Self::NotThroughSite => "forbidden",
            Self::KeyNotAllowed => "key_not_allowed",
            Self::NotReproducible => "not_reproducible",
            Self::TooManyKeys(_) => "too_many_keys",
            Self::TooManyImages(_) => "too_many_images",
            Self::NothingToExport => "nothing_to_export",
            Self::LocalAuthDisabled => "local_auth_disabled",
            Self::MethodNotAllowed => "method_not_allowed",
            Self::Internal(_) => "internal_error",
        }
    }

    fn detail(&self) -> String {
        match self {
            Self::Internal(_) => "Something went wrong on our side. Please try again.".into(),
            Self::Validation(errors) if errors.len() == 1 => {
                format!("{}: {}", errors[0].field, errors[0].message)
            }
            other => {
                let mut text = other.to_string();
                if let Some(first) = text.get_mut(0..1) {
                    first.make_ascii_uppercase();
                }
                if !text.ends_with('.') {
                    text.push('.');
                }
                text
            }
        }
    }

    fn retry_after(&self) -> Option<Duration> {
        match self {
            Self::RateLimited { retry_after }
            | Self::QuotaExceeded { retry_after }
            | Self::UpstreamUnavailable { retry_after }
            | Self::Busy { retry_after } => Some(*retry_after),
            _ => None,
        }
    }

    pub fn to_problem(&self) -> Problem {
        let status = self.status();
        let code = self.code();
        Problem {
            type_: format!("/problems/{}", code.replace('_', "-")),
            title: status.canonical_reason().unwrap_or("Error").to_owned(),
            status: status.as_u16(),
            detail: self.detail(),
            code: code.to_owned(),
            errors: match self {
                Self::Validation(errors) | Self::BadRequestFields(_, errors) => errors.clone(),
                _ => Vec::new(),
            },
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        if let Self::Internal(cause) = &self {
            tracing::error!(error = format!("{cause:#}"), "request failed");
        }
        let mut response = (self.status(), Json(self.to_problem())).into_response();
        response.extensions_mut().insert(ErrorCode(self.code()));
        let headers = response.headers_mut();
        headers.insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/problem+json"),
        );
        headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
        if let Some(after) = self.retry_after() {
            headers.insert(
                header::RETRY_AFTER,
                HeaderValue::from(after.as_secs().max(1)),
            );
        }
        response
    }
}

pub type ApiResult<T> = Result<T, ApiError>;

/// The problem `code` of an error response, kept on the response for the
/// layers above the handler (metrics count refusals by it).
#[derive(Debug, Clone, Copy)]
pub struct ErrorCode(pub &'static str);

impl From<crate::store::metadata::StoreError> for ApiError {
    fn from(error: crate::store::metadata::StoreError) -> Self {
        match error {
            crate::store::metadata::StoreError::EmailTaken => Self::EmailTaken,
            crate::store::metadata::StoreError::CollectionNameTaken => Self::NameTaken,
            crate::store::metadata::StoreError::StorageQuotaExceeded => Self::StorageFull,
            crate::store::metadata::StoreError::Backend(cause)
            | crate::store::metadata::StoreError::OutcomeUnknown(cause) => Self::Internal(cause),
        }
    }
}

impl ApiError {
    /// A bad query or path parameter: the request is malformed, not merely invalid.
    pub fn invalid_param(field: &str, message: impl Into<String>) -> Self {
        let message = message.into();
        Self::BadRequestFields(
            format!("{field}: {message}"),
            vec![FieldError::new(field, message)],
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{generation::GenerationError, store::metadata::StoreError};

    /// A failed generation is counted under the code its answer carries.
    #[test]
    fn a_generation_error_keeps_its_code_as_an_answer() {
        let wait = Duration::from_secs(3);
        let errors = [
            GenerationError::Invalid(vec![FieldError::new("prompt", "is empty")]),
            GenerationError::RateLimited { retry_after: wait },
            GenerationError::QuotaExceeded { retry_after: wait },
            GenerationError::StorageFull,
            GenerationError::BudgetExceeded,
            GenerationError::IdempotencyConflict("in use"),
            GenerationError::Upstream("broken".into()),
            GenerationError::UpstreamUnavailable { retry_after: wait },
            GenerationError::UpstreamTimeout,
            GenerationError::NotReproducible,
            GenerationError::Store(StoreError::StorageQuotaExceeded),
            GenerationError::Store(StoreError::Backend(anyhow::anyhow!("down"))),
            GenerationError::Internal(anyhow::anyhow!("broken")),
        ];
        for error in errors {
            let code = error.code();
            assert_eq!(ApiError::from(error).code(), code);
        }
    }
}
