//! Clerk sign-in: verifies Clerk session tokens the way Clerk's own backend
//! SDK does, and turns a verified token into one of our users.
//!
//! Order of checks: token size and shape; header (`alg` RS256 only, `typ`
//! JWT, `cat` a session token, no `crit`); the signing key by `kid`; the
//! signature; only then the claims (`sub`, `sid`, `exp`/`nbf`/`iat` with a
//! 5 s skew, `iss`, `azp`). Any failure is 401 `unauthenticated`; the reason
//! is logged at debug level, never sent.

use std::{
    collections::HashMap,
    sync::{Arc, RwLock},
    time::{Duration, Instant},
};

use anyhow::Context;
use base64::{
    Engine,
    engine::general_purpose::{STANDARD_NO_PAD, URL_SAFE_NO_PAD},
};
use secrecy::{ExposeSecret, SecretString};
use serde::Deserialize;
use time::OffsetDateTime;

use crate::{
    auth::jwks::{JwksEndpoint, RemoteKeys, RsaKey, SigningKeys},
    auth::{AuthError, AuthResult},
    settings::Config,
    store::metadata::{MetadataStore, User},
};

/// The cookie Clerk's front end keeps the session token in (same origin only).
pub const SESSION_COOKIE: &str = "__session";
/// Tokens longer than this are refused before any decoding.
pub const MAX_TOKEN_BYTES: usize = 8 * 1024;
/// Allowed clock difference between Clerk and us, as in Clerk's SDKs.
pub const CLOCK_SKEW_SECS: i64 = 5;
/// `cat` header values: Clerk's session tokens, and the value instances stamp
/// on every token when categories are switched off.
const CATEGORY_SESSION_TOKEN: &str = "cl_B7d4PD111AAA";
const CATEGORY_IGNORE: &str = "cl_I7d4PD111III";
/// How long a verified user's record is reused without reading the store.
const USER_CACHE_TTL: Duration = Duration::from_secs(60);
const USER_CACHE_MAX: usize = 10_000;
/// Domain of the stand-in email stored for users whose email we cannot learn
/// (`.invalid` is reserved: it can never receive mail or collide with a real address).
pub const PLACEHOLDER_EMAIL_DOMAIN: &str = "users.clerk.invalid";

/// Why a token was refused (logged, never sent to the client).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Rejection {
    #[error("token too large")]
    TooLarge,
    #[error("token malformed: {0}")]
    Malformed(&'static str),
    #[error("algorithm not allowed")]
    Algorithm,
    #[error("not a session token")]
    TokenType,
    #[error("no signing key for this kid")]
    UnknownKey,
    #[error("signature invalid")]
    Signature,
    #[error("token expired")]
    Expired,
    #[error("token not yet valid")]
    NotYetValid,
    #[error("token issued in the future")]
    IssuedInFuture,
    #[error("claim {0} missing or invalid")]
    Claim(&'static str),
    #[error("issuer not accepted")]
    Issuer,
    #[error("authorized party not accepted")]
    AuthorizedParty,
}

#[derive(Deserialize)]
struct Header {
    alg: String,
    typ: Option<String>,
    kid: Option<String>,
    cat: Option<String>,
    crit: Option<serde_json::Value>,
}

#[derive(Deserialize)]
struct RawClaims {
    sub: Option<serde_json::Value>,
    sid: Option<serde_json::Value>,
    exp: Option<serde_json::Value>,
    nbf: Option<serde_json::Value>,
    iat: Option<serde_json::Value>,
    iss: Option<serde_json::Value>,
    azp: Option<serde_json::Value>,
    email: Option<serde_json::Value>,
    name: Option<serde_json::Value>,
}

/// What a verified session token tells us.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SessionClaims {
    /// Clerk's user id (`user_…`), used as our user id.
    pub subject: String,
    pub session_id: String,
    /// Present when the instance adds it to its session token (custom claims).
    pub email: Option<String>,
    pub name: Option<String>,
}

/// Checks Clerk session tokens.
pub struct TokenVerifier {
    keys: SigningKeys,
    /// `https://<frontend-api>`, the `iss` every session token must carry.
    issuer: String,
    authorized_parties: Vec<String>,
}

impl TokenVerifier {
    pub fn new(keys: SigningKeys, issuer: String, authorized_parties: Vec<String>) -> Self {
        Self {
            keys,
            issuer,
            authorized_parties,
        }
    }

    /// Verifies `token` at unix time `now`.
    pub async fn verify(&self, token: &str, now: i64) -> Result<SessionClaims, Rejection> {
        if token.len() > MAX_TOKEN_BYTES {
            return Err(Rejection::TooLarge);
        }
        let mut parts = token.split('.');
        let (Some(header_b64), Some(payload_b64), Some(signature_b64), None) =
            (parts.next(), parts.next(), parts.next(), parts.next())
        else {
            return Err(Rejection::Malformed("not three parts"));
        };
        let header: Header = decode_json(header_b64).ok_or(Rejection::Malformed("header"))?;
        if header.alg != "RS256" {
            return Err(Rejection::Algorithm);
        }
        if header.typ.as_deref().is_some_and(|typ| typ != "JWT") {
            return Err(Rejection::TokenType);
        }
        if header
            .cat
            .as_deref()
            .is_some_and(|cat| cat != CATEGORY_SESSION_TOKEN && cat != CATEGORY_IGNORE)
        {
            return Err(Rejection::TokenType);
        }
        if header.crit.is_some() {
            return Err(Rejection::Malformed("unsupported critical header"));
        }
        let signature = URL_SAFE_NO_PAD
            .decode(signature_b64)
            .map_err(|_| Rejection::Malformed("signature encoding"))?;
        let key = self
            .keys
            .key(header.kid.as_deref())
            .await
            .ok_or(Rejection::UnknownKey)?;
        let signed = &token[..header_b64.len() + 1 + payload_b64.len()];
        if !key.verifies(signed.as_bytes(), &signature) {
            return Err(Rejection::Signature);
        }
        let claims: RawClaims = decode_json(payload_b64).ok_or(Rejection::Malformed("payload"))?;
        self.check_claims(claims, now)
    }

    fn check_claims(&self, claims: RawClaims, now: i64) -> Result<SessionClaims, Rejection> {
        let subject = non_empty_string(claims.sub).ok_or(Rejection::Claim("sub"))?;
        let expires = numeric_date(claims.exp, "exp")?.ok_or(Rejection::Claim("exp"))?;
        if expires <= now - CLOCK_SKEW_SECS {
            return Err(Rejection::Expired);
        }
        if numeric_date(claims.nbf, "nbf")?.is_some_and(|nbf| nbf > now + CLOCK_SKEW_SECS) {
            return Err(Rejection::NotYetValid);
        }
        if numeric_date(claims.iat, "iat")?.is_some_and(|iat| iat > now + CLOCK_SKEW_SECS) {
            return Err(Rejection::IssuedInFuture);
        }
        if non_empty_string(claims.iss).as_deref() != Some(self.issuer.as_str()) {
            return Err(Rejection::Issuer);
        }
        if !self.authorized_parties.is_empty() {
            let azp = non_empty_string(claims.azp).ok_or(Rejection::AuthorizedParty)?;
            if !self.authorized_parties.contains(&azp) {
                return Err(Rejection::AuthorizedParty);
            }
        }
        let session_id = non_empty_string(claims.sid).ok_or(Rejection::Claim("sid"))?;
        Ok(SessionClaims {
            subject,
            session_id,
            email: non_empty_string(claims.email)
                .filter(|email| crate::auth::local::is_plausible_email(email)),
            name: non_empty_string(claims.name),
        })
    }
}

fn decode_json<T: serde::de::DeserializeOwned>(part: &str) -> Option<T> {
    let bytes = URL_SAFE_NO_PAD.decode(part).ok()?;
    serde_json::from_slice(&bytes).ok()
}

fn non_empty_string(value: Option<serde_json::Value>) -> Option<String> {
    match value {
        Some(serde_json::Value::String(text)) if !text.trim().is_empty() => Some(text),
        _ => None,
    }
}

/// A JWT NumericDate: absent is fine here (the caller decides), anything but a number is not.
fn numeric_date(
    value: Option<serde_json::Value>,
    name: &'static str,
) -> Result<Option<i64>, Rejection> {
    match value {
        None => Ok(None),
        Some(serde_json::Value::Number(number)) => number
            .as_i64()
            .or_else(|| number.as_f64().map(|seconds| seconds.floor() as i64))
            .map(Some)
            .ok_or(Rejection::Claim(name)),
        Some(_) => Err(Rejection::Claim(name)),
    }
}

/// The Frontend API host a publishable key names: `pk_test_`/`pk_live_`
/// followed by base64 of `<host>$`.
pub fn frontend_api_host(publishable_key: &str) -> anyhow::Result<String> {
    let encoded = publishable_key
        .strip_prefix("pk_test_")
        .or_else(|| publishable_key.strip_prefix("pk_live_"))
        .context("CLERK_PUBLISHABLE_KEY must start with pk_test_ or pk_live_")?;
    let decoded = STANDARD_NO_PAD
        .decode(encoded.trim_end_matches('='))
        .ok()
        .and_then(|bytes| String::from_utf8(bytes).ok())
        .context("CLERK_PUBLISHABLE_KEY is not a valid Clerk publishable key")?;
    let host = decoded
        .strip_suffix('$')
        .context("CLERK_PUBLISHABLE_KEY is not a valid Clerk publishable key")?;
    anyhow::ensure!(
        !host.is_empty()
            && host
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | ':')),
        "CLERK_PUBLISHABLE_KEY names an invalid Frontend API host"
    );
    Ok(host.to_owned())
}

/// Everything Clerk mode needs: the verifier, and the users it has seen.
pub struct ClerkAuth {
    pub publishable_key: String,
    /// `https://<frontend-api>`: the token issuer, and an origin the web app loads Clerk from.
    pub frontend_api_origin: String,
    pub verifier: TokenVerifier,
    backend: Option<BackendApi>,
    users: RwLock<HashMap<String, (User, Instant)>>,
}

impl ClerkAuth {
    /// Clerk mode when `CLERK_PUBLISHABLE_KEY` is set; `None` otherwise.
    pub fn from_config(config: &Config) -> anyhow::Result<Option<Self>> {
        let Some(publishable_key) = config
            .clerk
            .clerk_publishable_key
            .as_deref()
            .map(str::trim)
            .filter(|key| !key.is_empty())
        else {
            return Ok(None);
        };
        let host = frontend_api_host(publishable_key)?;
        let frontend_api_origin = format!("https://{host}");
        let api_url = reqwest::Url::parse(&config.clerk.clerk_api_url)
            .context("CLERK_API_URL is not a valid URL")?;
        let backend = config
            .clerk
            .clerk_secret_key
            .clone()
            .map(|secret| BackendApi::new(api_url.clone(), secret))
            .transpose()?;
        let keys = match &config.clerk.clerk_jwt_key {
            Some(pem) => {
                SigningKeys::Local(Arc::new(RsaKey::from_pem(pem).context("CLERK_JWT_KEY")?))
            }
            None => {
                let jwks_url = match &config.clerk.clerk_jwks_url {
                    Some(url) => url.clone(),
                    None => format!("{frontend_api_origin}/.well-known/jwks.json"),
                };
                let mut endpoints = vec![JwksEndpoint {
                    url: reqwest::Url::parse(&jwks_url)
                        .context("CLERK_JWKS_URL is not a valid URL")?,
                    bearer: None,
                }];
                if let Some(secret) = &config.clerk.clerk_secret_key {
                    endpoints.push(JwksEndpoint {
                        url: api_url.join("v1/jwks")?,
                        bearer: Some(secret.clone()),
                    });
                }
                SigningKeys::Remote(Arc::new(RemoteKeys::new(
                    endpoints,
                    Duration::from_secs(config.clerk.clerk_jwks_cooldown_secs),
                )?))
            }
        };
        let authorized_parties = config
            .clerk
            .clerk_authorized_parties
            .iter()
            .map(|origin| origin.trim().trim_end_matches('/').to_owned())
            .filter(|origin| !origin.is_empty())
            .collect();
        tracing::info!(
            frontend_api = host,
            networkless = config.clerk.clerk_jwt_key.is_some(),
            "signing in with Clerk"
        );
        Ok(Some(Self {
            publishable_key: publishable_key.to_owned(),
            verifier: TokenVerifier::new(keys, frontend_api_origin.clone(), authorized_parties),
            frontend_api_origin,
            backend,
            users: RwLock::new(HashMap::new()),
        }))
    }

    /// The user a session token belongs to, created on first sight.
    pub async fn authenticate(
        &self,
        token: &str,
        metadata: &dyn MetadataStore,
    ) -> AuthResult<User> {
        let now = OffsetDateTime::now_utc().unix_timestamp();
        let claims = self.verifier.verify(token, now).await.map_err(|reason| {
            tracing::debug!(%reason, "Clerk token refused");
            AuthError::Unauthenticated
        })?;
        if let Some(user) = self.cached_user(&claims.subject) {
            return Ok(user);
        }
        let user = match metadata.user_by_id(&claims.subject).await? {
            Some(user) => user,
            None => self.create_user(&claims, metadata).await?,
        };
        self.remember(&user);
        Ok(user)
    }

    fn cached_user(&self, id: &str) -> Option<User> {
        let users = self.users.read().expect("user cache lock");
        users
            .get(id)
            .filter(|(_, at)| at.elapsed() < USER_CACHE_TTL)
            .map(|(user, _)| user.clone())
    }

    fn remember(&self, user: &User) {
        let mut users = self.users.write().expect("user cache lock");
        if users.len() >= USER_CACHE_MAX {
            users.retain(|_, (_, at)| at.elapsed() < USER_CACHE_TTL);
            if users.len() >= USER_CACHE_MAX {
                users.clear();
            }
        }
        users.insert(user.id.clone(), (user.clone(), Instant::now()));
    }

    /// First sight of a Clerk user: their record, with the email and name the
    /// token or Clerk's Backend API give, or a stand-in email when neither
    /// does or the email already belongs to another account.
    async fn create_user(
        &self,
        claims: &SessionClaims,
        metadata: &dyn MetadataStore,
    ) -> AuthResult<User> {
        let mut profile = Profile {
            email: claims.email.clone(),
            name: claims.name.clone(),
        };
        if (profile.email.is_none() || profile.name.is_none())
            && let Some(backend) = &self.backend
        {
            match backend.profile(&claims.subject).await {
                Ok(fetched) => {
                    profile.email = profile.email.or(fetched.email);
                    profile.name = profile.name.or(fetched.name);
                }
                Err(error) => tracing::warn!(
                    error = format!("{error:#}"),
                    "reading a new user's profile from Clerk failed; storing a stand-in email"
                ),
            }
        }
        let created_at = OffsetDateTime::now_utc()
            .replace_nanosecond(0)
            .unwrap_or(OffsetDateTime::now_utc());
        let placeholder = placeholder_email(&claims.subject);
        let mut emails = vec![profile.email.unwrap_or_else(|| placeholder.clone())];
        if emails[0] != placeholder {
            emails.push(placeholder);
        }
        for email in emails {
            let user = User {
                id: claims.subject.clone(),
                email,
                display_name: profile
                    .name
                    .clone()
                    .map(|name| name.chars().take(80).collect()),
                created_at,
            };
            match metadata.create_user(&user, None).await {
                Ok(()) => {
                    tracing::info!(user_id = user.id, "created the record of a Clerk user");
                    return Ok(user);
                }
                // A concurrent request for the same user may have created it.
                Err(_) => {
                    if let Some(existing) = metadata.user_by_id(&claims.subject).await? {
                        return Ok(existing);
                    }
                }
            }
        }
        Err(AuthError::Internal(anyhow::anyhow!(
            "could not create the record of Clerk user {}",
            claims.subject
        )))
    }
}

/// The stand-in email of a Clerk user whose real one we do not know.
pub fn placeholder_email(subject: &str) -> String {
    format!("{}@{PLACEHOLDER_EMAIL_DOMAIN}", subject.to_lowercase())
}

#[derive(Debug, Default)]
struct Profile {
    email: Option<String>,
    name: Option<String>,
}

/// Clerk's Backend API, read with the secret key.
struct BackendApi {
    base: reqwest::Url,
    secret: SecretString,
    http: reqwest::Client,
}

#[derive(Deserialize)]
struct ClerkUser {
    primary_email_address_id: Option<String>,
    #[serde(default)]
    email_addresses: Vec<ClerkEmail>,
    first_name: Option<String>,
    last_name: Option<String>,
    username: Option<String>,
}

#[derive(Deserialize)]
struct ClerkEmail {
    id: String,
    email_address: String,
}

impl BackendApi {
    fn new(base: reqwest::Url, secret: SecretString) -> anyhow::Result<Self> {
        let http = reqwest::Client::builder()
            .timeout(crate::auth::jwks::FETCH_TIMEOUT)
            .redirect(reqwest::redirect::Policy::none())
            .user_agent(concat!("promptcanvas/", env!("CARGO_PKG_VERSION")))
            .build()?;
        Ok(Self { base, secret, http })
    }

    async fn profile(&self, user_id: &str) -> anyhow::Result<Profile> {
        anyhow::ensure!(
            user_id
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '_'),
            "unexpected characters in the user id"
        );
        let response = self
            .http
            .get(self.base.join(&format!("v1/users/{user_id}"))?)
            .bearer_auth(self.secret.expose_secret())
            .send()
            .await?;
        anyhow::ensure!(
            response.status().is_success(),
            "Clerk's Backend API answered {}",
            response.status()
        );
        let user: ClerkUser = response.json().await?;
        let email = user
            .email_addresses
            .iter()
            .find(|email| Some(&email.id) == user.primary_email_address_id.as_ref())
            .or(user.email_addresses.first())
            .map(|email| email.email_address.clone())
            .filter(|email| crate::auth::local::is_plausible_email(email));
        let full_name = [user.first_name, user.last_name]
            .into_iter()
            .flatten()
            .map(|part| part.trim().to_owned())
            .filter(|part| !part.is_empty())
            .collect::<Vec<_>>()
            .join(" ");
        let name = Some(full_name)
            .filter(|name| !name.is_empty())
            .or(user.username.filter(|name| !name.trim().is_empty()));
        Ok(Profile { email, name })
    }
}

#[cfg(test)]
mod tests {
    use base64::engine::general_purpose::STANDARD;

    use super::*;

    #[test]
    fn the_frontend_api_host_is_read_from_the_publishable_key() {
        let key = format!("pk_test_{}", STANDARD.encode("clerk.example.com$"));
        assert_eq!(frontend_api_host(&key).unwrap(), "clerk.example.com");
        let live = format!("pk_live_{}", STANDARD.encode("clerk.studio.example$"));
        assert_eq!(frontend_api_host(&live).unwrap(), "clerk.studio.example");
        for bad in [
            "sk_test_abc".to_owned(),
            "pk_test_".to_owned(),
            format!("pk_test_{}", STANDARD.encode("no-dollar.example.com")),
            format!("pk_test_{}", STANDARD.encode("evil.com/path$")),
        ] {
            assert!(frontend_api_host(&bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn numeric_dates_must_be_numbers() {
        assert_eq!(numeric_date(None, "exp"), Ok(None));
        assert_eq!(
            numeric_date(Some(serde_json::json!(12)), "exp"),
            Ok(Some(12))
        );
        assert_eq!(
            numeric_date(Some(serde_json::json!("12")), "exp"),
            Err(Rejection::Claim("exp"))
        );
    }
}
