//! The request headers a generation reads besides its body: the client's
//! `Idempotency-Key` and the `Generation-Group` a single-image request of a
//! run names. Each answers 400 `invalid_request` when unusable.

use axum::http::HeaderMap;

use crate::http::error::{ApiError, ApiResult};

/// Names the run a single-image request belongs to (see
/// `Generator::check_rate_limit`).
pub const RUN_GROUP_HEADER: &str = "generation-group";

/// What [`run_group_from`] accepts, for the API document.
pub const RUN_GROUP_PATTERN: &str = "^[A-Za-z0-9._-]{1,64}$";

/// The request's `Generation-Group`, if it names one.
pub fn run_group_from(headers: &HeaderMap) -> ApiResult<Option<&str>> {
    let Some(value) = headers.get(RUN_GROUP_HEADER) else {
        return Ok(None);
    };
    match value.to_str() {
        Ok(group)
            if (1..=64).contains(&group.len())
                && group
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b"-_.".contains(&b)) =>
        {
            Ok(Some(group))
        }
        _ => Err(ApiError::invalid_param(
            "Generation-Group",
            "must be 1 to 64 letters, digits, '-', '_' or '.'",
        )),
    }
}

/// The request header that carries a client's key.
pub const IDEMPOTENCY_KEY_HEADER: &str = "idempotency-key";

/// The client's key, if the request has one; 400 when it is unusable.
pub fn idempotency_key_from(headers: &HeaderMap) -> ApiResult<Option<&str>> {
    let Some(value) = headers.get(IDEMPOTENCY_KEY_HEADER) else {
        return Ok(None);
    };
    match value.to_str() {
        Ok(key) if is_valid_key(key) => Ok(Some(key)),
        _ => Err(ApiError::invalid_param(
            "Idempotency-Key",
            "must be 1 to 255 visible ASCII characters",
        )),
    }
}

/// What [`is_valid_key`] accepts, for the API document: 1 to 255 visible ASCII characters.
pub const IDEMPOTENCY_KEY_PATTERN: &str = "^[\\u0021-\\u007e]{1,255}$";

/// Whether a client's key is usable.
fn is_valid_key(key: &str) -> bool {
    (1..=255).contains(&key.len()) && key.bytes().all(|b| b.is_ascii_graphic())
}

#[cfg(test)]
mod tests {
    use super::is_valid_key;

    #[test]
    fn keys_are_short_visible_ascii() {
        assert!(is_valid_key("retry-1"));
        assert!(!is_valid_key(""));
        assert!(!is_valid_key("has space"));
        assert!(!is_valid_key(&"k".repeat(256)));
    }
}
