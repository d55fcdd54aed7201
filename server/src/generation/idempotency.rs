//! Idempotency keys: a retried request with the same key and body gets the
//! first answer back instead of running (and charging for) the work again.
//!
//! The store's own unique write decides who runs; the stored answer is
//! replayed byte for byte.

use std::future::Future;

use serde::Serialize;
use sha2::{Digest, Sha256};
use time::OffsetDateTime;

use crate::{
    generation::{GenerationError, GenerationResult},
    store::metadata::{IdempotencyClaim, MetadataStore},
};

/// What a keyed request answers with.
pub enum Outcome {
    /// The work ran now; its answer is stored for retries.
    Fresh(String),
    /// An earlier request with this key already answered this.
    Replayed(String),
}

/// The fingerprint of a request body, so a key reused for a different request is refused.
pub fn request_hash(request: &impl Serialize) -> anyhow::Result<String> {
    Ok(hex::encode(Sha256::digest(serde_json::to_vec(request)?)))
}

/// Runs `work` once per (user, key): replays a finished answer, refuses a key
/// still running or used for another request, and frees the key when the work
/// fails so the client may retry.
pub async fn run_once(
    metadata: &dyn MetadataStore,
    user_id: &str,
    key: &str,
    request_hash: &str,
    work: impl Future<Output = GenerationResult<String>>,
) -> GenerationResult<Outcome> {
    match metadata
        .claim_idempotency_key(user_id, key, request_hash, OffsetDateTime::now_utc())
        .await?
    {
        IdempotencyClaim::Claimed => {}
        IdempotencyClaim::Replay(body) => return Ok(Outcome::Replayed(body)),
        IdempotencyClaim::Mismatch => {
            return Err(GenerationError::IdempotencyConflict(
                "this Idempotency-Key was already used with a different request",
            ));
        }
        IdempotencyClaim::InProgress => {
            return Err(GenerationError::IdempotencyConflict(
                "a request with this Idempotency-Key is still running",
            ));
        }
    }
    match work.await {
        Ok(body) => {
            metadata
                .complete_idempotency_key(user_id, key, &body)
                .await?;
            Ok(Outcome::Fresh(body))
        }
        Err(error) => {
            // The answer is the failure itself; a key left claimed is taken
            // over once abandoned, so a failed release is only logged.
            if let Err(release_error) = metadata.release_idempotency_key(user_id, key).await {
                tracing::error!(error = %release_error, "could not free an idempotency key after a failure");
            }
            Err(error)
        }
    }
}
