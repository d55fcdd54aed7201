//! API keys: secrets that act as their owner in scripts, sent as
//! `Authorization: Bearer pcp_…` in either sign-in mode.
//!
//! A secret is `pcp_`, 40 random letters and digits (238 bits), then the
//! key's id: the id finds the record with one lookup, and the random part is
//! checked against the record's SHA-256 in constant time, so neither a read
//! of the database nor the time a refusal takes gives a working key away.

use rand::{Rng, distr::Alphanumeric};
use sha2::{Digest, Sha256};
use subtle::ConstantTimeEq;
use time::OffsetDateTime;

use crate::store::metadata::ApiKeyRecord;

/// What every secret starts with: tells a key from a Clerk token at a glance.
pub const SECRET_PREFIX: &str = "pcp_";
/// The random part's length, in letters and digits.
const RANDOM_CHARS: usize = 40;
/// A key id's length: a ULID.
const ID_CHARS: usize = 26;
/// How many of the secret's first characters the key's list shows.
const SHOWN_CHARS: usize = SECRET_PREFIX.len() + 8;

/// Most keys one user may hold at once (expired ones do not count).
pub const MAX_LIVE_KEYS: u32 = 20;
/// Longest expiry a key can be given, in days.
pub const MAX_EXPIRY_DAYS: u32 = 365;
/// A key's last use is written at most this often.
pub const USE_RECORDED_EVERY: time::Duration = time::Duration::minutes(1);

/// A new key for `user_id`, and its secret (returned to the owner once,
/// never stored).
pub fn new_key(
    user_id: &str,
    name: String,
    now: OffsetDateTime,
    expires_at: Option<OffsetDateTime>,
) -> (ApiKeyRecord, String) {
    let id = ulid::Ulid::from_datetime(now.into()).to_string();
    // rand's thread generator is a CSPRNG seeded from the operating system.
    let random: String = rand::rng()
        .sample_iter(Alphanumeric)
        .take(RANDOM_CHARS)
        .map(char::from)
        .collect();
    let secret = format!("{SECRET_PREFIX}{random}{id}");
    let key = ApiKeyRecord {
        prefix: secret[..SHOWN_CHARS].to_owned(),
        secret_hash: secret_hash(&secret),
        id,
        user_id: user_id.to_owned(),
        name,
        created_at: now,
        expires_at,
        last_used_at: None,
    };
    (key, secret)
}

fn secret_hash(secret: &str) -> [u8; 32] {
    Sha256::digest(secret.as_bytes()).into()
}

/// Whether a bearer credential is an API key secret (rather than a Clerk
/// token): it is then judged as a key only.
pub fn is_key_secret(credential: &str) -> bool {
    credential.starts_with(SECRET_PREFIX)
}

/// The key id a well-formed secret carries.
pub fn key_id(secret: &str) -> Option<&str> {
    let rest = secret.strip_prefix(SECRET_PREFIX)?;
    let well_formed = rest.len() == RANDOM_CHARS + ID_CHARS
        && rest.bytes().all(|byte| byte.is_ascii_alphanumeric());
    well_formed.then(|| &rest[RANDOM_CHARS..])
}

/// Whether `secret` is this key's and the key still works at `now`.
pub fn admits(key: &ApiKeyRecord, secret: &str, now: OffsetDateTime) -> bool {
    let matches: bool = secret_hash(secret).ct_eq(&key.secret_hash).into();
    matches && !key.has_expired(now)
}

/// Whether the key's last use is old enough to be written again.
pub fn use_is_worth_recording(key: &ApiKeyRecord, now: OffsetDateTime) -> bool {
    key.last_used_at
        .is_none_or(|last| last <= now - USE_RECORDED_EVERY)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn now() -> OffsetDateTime {
        OffsetDateTime::from_unix_timestamp(1_800_000_000).unwrap()
    }

    #[test]
    fn a_secret_carries_its_key_id_and_only_its_hash_is_kept() {
        let (key, secret) = new_key("user-1", "ci".into(), now(), None);
        assert!(is_key_secret(&secret));
        assert_eq!(secret.len(), 4 + 40 + 26);
        assert_eq!(key_id(&secret), Some(key.id.as_str()));
        assert!(secret.starts_with(&key.prefix));
        assert_eq!(key.prefix.len(), 12);
        assert!(admits(&key, &secret, now()));
        let (_, other) = new_key("user-1", "ci".into(), now(), None);
        assert_ne!(secret, other);
        assert!(!admits(&key, &other, now()));
    }

    #[test]
    fn a_changed_character_or_an_expired_key_is_refused() {
        let expires = now() + time::Duration::days(1);
        let (key, secret) = new_key("user-1", "ci".into(), now(), Some(expires));
        let mut altered = secret.clone().into_bytes();
        altered[10] = if altered[10] == b'a' { b'b' } else { b'a' };
        let altered = String::from_utf8(altered).unwrap();
        assert_eq!(key_id(&altered), key_id(&secret));
        assert!(!admits(&key, &altered, now()));
        assert!(admits(&key, &secret, expires - time::Duration::seconds(1)));
        assert!(!admits(&key, &secret, expires));
    }

    #[test]
    fn malformed_secrets_carry_no_id() {
        for bad in [
            "pcp_",
            "pcp_short",
            "eyJhbGciOi.x.y",
            &format!("pcp_{}", "a".repeat(65)),
            &format!("pcp_{}-", "a".repeat(65)),
        ] {
            assert_eq!(key_id(bad), None, "{bad}");
        }
    }

    #[test]
    fn a_use_is_recorded_at_most_once_a_minute() {
        let (mut key, _) = new_key("user-1", "ci".into(), now(), None);
        assert!(use_is_worth_recording(&key, now()));
        key.last_used_at = Some(now());
        assert!(!use_is_worth_recording(
            &key,
            now() + time::Duration::seconds(59)
        ));
        assert!(use_is_worth_recording(
            &key,
            now() + time::Duration::seconds(60)
        ));
    }
}
