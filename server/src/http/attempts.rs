//! Limits on sign-in and sign-up attempts, checked before any password is
//! hashed or compared.
//!
//! Three counters, tightest first:
//! - per client address (an IPv6 client by its /64), checked first, so a
//!   refused flood writes nothing else;
//! - per email address *and* client address, the tight limit on guessing one
//!   account, which a stranger elsewhere cannot use to lock its owner out;
//! - per email address alone, a much looser hourly one against guessing spread
//!   over many addresses.
//!
//! A correct password does not pass a refused limit: the limits come before
//! the check. Keys hold a digest of the normalised email, never the address,
//! and an over-long email is refused before anything is counted.

use std::{net::IpAddr, time::Duration};

use sha2::{Digest, Sha256};
use time::OffsetDateTime;

use crate::{
    auth::local::EMAIL_MAX_CHARS,
    http::error::{ApiError, ApiResult, FieldError},
    http::security::limited_as,
    settings::Config,
    store::metadata::{Admission, MetadataStore, rules::normalise_email},
};

const MINUTE: u64 = 60;
const HOUR: u64 = 3600;

/// Refuses an email too long to be real, before anything is stored or counted.
pub fn check_email_length(email: &str) -> ApiResult<()> {
    if email.chars().count() > EMAIL_MAX_CHARS {
        return Err(ApiError::Validation(vec![FieldError::new(
            "email",
            format!("must be at most {EMAIL_MAX_CHARS} characters"),
        )]));
    }
    Ok(())
}

/// Counts one attempt for `email` from `ip`, or refuses it with 429 and the
/// time until the refusing window ends.
pub async fn guard(
    metadata: &dyn MetadataStore,
    config: &Config,
    ip: Option<IpAddr>,
    email: &str,
) -> ApiResult<()> {
    check_email_length(email)?;
    let email = hex::encode(&Sha256::digest(normalise_email(email).as_bytes())[..16]);
    let per_minute = config.limits.auth_attempts_per_minute;
    let mut counters = Vec::with_capacity(3);
    match ip.map(limited_as) {
        Some(ip) => {
            counters.push((format!("auth-ip:{ip}"), MINUTE, per_minute));
            let pair = hex::encode(&Sha256::digest(format!("{email}|{ip}").as_bytes())[..16]);
            counters.push((format!("auth-email-ip:{pair}"), MINUTE, per_minute));
        }
        // No address known: the per-email limit is the tight one.
        None => counters.push((format!("auth-email-min:{email}"), MINUTE, per_minute)),
    }
    counters.push((
        format!("auth-email:{email}"),
        HOUR,
        config.limits.auth_attempts_per_email_per_hour,
    ));
    let now = OffsetDateTime::now_utc().unix_timestamp();
    for (key, window, limit) in counters {
        let start = now - now.rem_euclid(window as i64);
        if let Admission::Refused { retry_after_secs } = metadata
            .hit_rate_limit(&key, start, window, limit, now)
            .await?
        {
            return Err(ApiError::RateLimited {
                retry_after: Duration::from_secs(retry_after_secs),
            });
        }
    }
    Ok(())
}
