//! Work that must finish once started, whether or not the client waits.
//!
//! axum drops a request's future when its connection closes. A workflow of
//! several steps dropped between them leaves state half done: a quota
//! reserved and never given back, an idempotency key claimed for ten
//! minutes, an image hidden but never deleted. Such workflows run as a task
//! of their own; the handler waits for its result as before.

use std::future::Future;

use tracing::Instrument;

use super::error::{ApiError, ApiResult};

/// Runs `work` to its end even if the request that started it is dropped,
/// and answers with its result. It runs in the request's span, so its log
/// lines carry the request id.
pub async fn to_completion<T, E, F>(work: F) -> ApiResult<T>
where
    T: Send + 'static,
    E: Into<ApiError> + Send + 'static,
    F: Future<Output = Result<T, E>> + Send + 'static,
{
    tokio::spawn(work.instrument(tracing::Span::current()))
        .await
        .map_err(|failed| {
            ApiError::Internal(anyhow::Error::new(failed).context("a request's workflow failed"))
        })?
        .map_err(Into::into)
}
