//! Built-in accounts: argon2id password hashes and server-side sessions.
//!
//! A session is a random 256-bit token in an HttpOnly cookie; the database
//! keeps only its SHA-256, so a leaked database cannot sign anyone in.

use std::{
    sync::{Arc, OnceLock},
    time::Duration,
};

use argon2::{
    Algorithm, Argon2, Params, PasswordHash, PasswordHasher, PasswordVerifier, Version,
    password_hash::SaltString,
};
use base64::{Engine, engine::general_purpose::URL_SAFE_NO_PAD};
use secrecy::{ExposeSecret, SecretString};
use sha2::{Digest, Sha256};
use tokio::sync::{OwnedSemaphorePermit, Semaphore};

use crate::{
    auth::{AuthError, AuthResult},
    text::{CONTROL, WHITESPACE, regex_class},
};

/// The longest email address there can be (RFC 5321's path limit).
pub const EMAIL_MAX_CHARS: usize = 254;

/// The longest part before an email's `@` (RFC 5321).
pub const EMAIL_LOCAL_MAX_CHARS: usize = 64;

/// New passwords' length, in characters.
pub const PASSWORD_CHARS: std::ops::RangeInclusive<usize> = 8..=128;

pub const SESSION_COOKIE: &str = "pc_session";

/// The session cookie's name over HTTPS. Browsers accept a `__Host-` cookie
/// only with `Secure`, `Path=/` and no `Domain`, so a sibling subdomain cannot
/// plant a session; over HTTPS only this name is read.
pub const HOST_SESSION_COOKIE: &str = "__Host-pc_session";

/// The session cookie's name for a request that arrived over HTTPS or not.
pub fn session_cookie_name(https: bool) -> &'static str {
    if https {
        HOST_SESSION_COOKIE
    } else {
        SESSION_COOKIE
    }
}

/// OWASP's argon2id baseline: 19 MiB of memory, 2 passes, 1 lane.
fn hasher() -> Argon2<'static> {
    let params = Params::new(19 * 1024, 2, 1, None).expect("valid argon2 parameters");
    Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
}

/// How many password hashes run at once. Each takes 19 MiB and tens of
/// milliseconds by design, so a flood of sign-ups could otherwise exhaust
/// memory and the blocking pool: extra ones wait a moment for a turn, then
/// are refused with 503 `busy` and `Retry-After`.
#[derive(Clone)]
pub struct PasswordGate {
    turns: Arc<Semaphore>,
    wait: Duration,
}

impl PasswordGate {
    /// `concurrency` 0 means one at a time per core.
    pub fn new(concurrency: usize, wait: Duration) -> Self {
        let concurrency = match concurrency {
            0 => std::thread::available_parallelism().map_or(2, usize::from),
            n => n,
        };
        Self {
            turns: Arc::new(Semaphore::new(concurrency)),
            wait,
        }
    }

    async fn turn(&self) -> AuthResult<OwnedSemaphorePermit> {
        match tokio::time::timeout(self.wait, self.turns.clone().acquire_owned()).await {
            Ok(Ok(permit)) => Ok(permit),
            _ => Err(AuthError::Busy {
                retry_after: Duration::from_secs(1),
            }),
        }
    }
}

/// Hashes a password on the blocking pool, in its turn.
pub async fn hash_password(gate: &PasswordGate, password: SecretString) -> AuthResult<String> {
    let turn = gate.turn().await?;
    let hashed = tokio::task::spawn_blocking(move || {
        let _turn = turn;
        let salt = new_salt();
        hasher()
            .hash_password(password.expose_secret().as_bytes(), &salt)
            .map(|hash| hash.to_string())
            .map_err(|error| anyhow::anyhow!("hashing password: {error}"))
    })
    .await
    .map_err(anyhow::Error::from)?;
    Ok(hashed?)
}

/// Checks a password against a stored hash. With no hash (unknown email) it
/// still does the same work, so timing does not reveal which emails exist.
pub async fn verify_password(
    gate: &PasswordGate,
    stored: Option<String>,
    password: SecretString,
) -> AuthResult<bool> {
    let turn = gate.turn().await?;
    let verified = tokio::task::spawn_blocking(move || {
        let _turn = turn;
        let known = stored.is_some();
        let stored = stored.unwrap_or_else(|| decoy_hash().to_owned());
        let hash = PasswordHash::new(&stored)
            .map_err(|error| anyhow::anyhow!("stored password hash unreadable: {error}"))?;
        let matches = hasher()
            .verify_password(password.expose_secret().as_bytes(), &hash)
            .is_ok();
        anyhow::Ok(known && matches)
    })
    .await
    .map_err(anyhow::Error::from)?;
    Ok(verified?)
}

fn decoy_hash() -> &'static str {
    static DECOY: OnceLock<String> = OnceLock::new();
    DECOY.get_or_init(|| {
        let salt = new_salt();
        hasher()
            .hash_password(b"decoy password for unknown accounts", &salt)
            .expect("hashing a constant succeeds")
            .to_string()
    })
}

fn new_salt() -> SaltString {
    SaltString::encode_b64(&rand::random::<[u8; 16]>()).expect("16 bytes make a valid salt")
}

/// A fresh session token (for the cookie) and its hash (for the database).
pub fn new_session_token() -> (String, [u8; 32]) {
    // rand's thread generator is a CSPRNG seeded from the operating system.
    let raw: [u8; 32] = rand::random();
    let token = URL_SAFE_NO_PAD.encode(raw);
    let hash = token_hash(&token);
    (token, hash)
}

pub fn token_hash(token: &str) -> [u8; 32] {
    Sha256::digest(token.as_bytes()).into()
}

/// The `Set-Cookie` value that signs the browser in for `max_age_secs`.
pub fn session_cookie(token: &str, max_age_secs: u64, https: bool) -> String {
    format!(
        "{}={token}; Path=/; HttpOnly; SameSite=Lax; Max-Age={max_age_secs}{}",
        session_cookie_name(https),
        if https { "; Secure" } else { "" }
    )
}

/// The `Set-Cookie` value that removes the session cookie.
pub fn cleared_cookie(https: bool) -> String {
    session_cookie("", 0, https)
}

/// A deliberately simple email check: one `@`, something before it, a dot in
/// the domain, no spaces. Delivery is the only real test of an address.
pub fn is_plausible_email(email: &str) -> bool {
    let Some((local, domain)) = email.split_once('@') else {
        return false;
    };
    let unfit = |c: char| c.is_whitespace() || c.is_control();
    email.chars().count() <= EMAIL_MAX_CHARS
        && !local.is_empty()
        && local.chars().count() <= EMAIL_LOCAL_MAX_CHARS
        && !domain.contains('@')
        && domain.contains('.')
        && !domain.starts_with('.')
        && !domain.ends_with('.')
        && !email.chars().any(unfit)
}

/// The API document's `pattern` for a new account's email: exactly what
/// [`is_plausible_email`] accepts once the space around it is trimmed (its
/// length limit is `maxLength`).
pub fn email_pattern() -> String {
    let space = regex_class(&[WHITESPACE]);
    let unfit = regex_class(&[WHITESPACE, CONTROL]);
    let unfit_or_dot = regex_class(&[WHITESPACE, CONTROL, &['.'..='.']]);
    format!(
        "^[{space}]*[^@{unfit}]{{1,{EMAIL_LOCAL_MAX_CHARS}}}@[^@{unfit_or_dot}][^@{unfit}]*\\.[^@{unfit}]*[^@{unfit_or_dot}][{space}]*$"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_hashed_password_verifies_and_a_wrong_one_does_not() {
        let gate = PasswordGate::new(0, Duration::from_secs(5));
        let hash = hash_password(&gate, SecretString::from("correct horse"))
            .await
            .unwrap();
        assert!(hash.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"));
        assert!(
            verify_password(
                &gate,
                Some(hash.clone()),
                SecretString::from("correct horse")
            )
            .await
            .unwrap()
        );
        assert!(
            !verify_password(&gate, Some(hash), SecretString::from("wrong horse"))
                .await
                .unwrap()
        );
        assert!(
            !verify_password(&gate, None, SecretString::from("correct horse"))
                .await
                .unwrap()
        );
    }

    #[test]
    fn tokens_are_random_and_only_their_hash_is_kept() {
        let (a, hash_a) = new_session_token();
        let (b, _) = new_session_token();
        assert_ne!(a, b);
        assert_eq!(a.len(), 43);
        assert_eq!(token_hash(&a), hash_a);
    }

    #[test]
    fn emails_are_checked_for_shape() {
        assert!(is_plausible_email("ada@example.com"));
        for bad in [
            "",
            "ada",
            "ada@",
            "@example.com",
            "ada@example",
            "a da@example.com",
            "a@b@c.com",
        ] {
            assert!(!is_plausible_email(bad), "{bad}");
        }
    }
}
