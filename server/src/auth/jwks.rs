//! Clerk's signing keys: where they come from, and a cache that a flood of
//! made-up key ids cannot turn into a flood of fetches.
//!
//! Keys come from `CLERK_JWT_KEY` (a PEM public key: no network at all) or
//! from a JWKS document fetched from Clerk. Fetched keys are kept for
//! [`KEY_TTL`]; a token naming an unknown `kid` triggers one refetch, at most
//! once per cooldown, and every request waiting for a key shares that one
//! fetch. When the JWKS cannot be reached, the keys already known keep
//! working. URLs named inside a token (`jku`, `x5u`, `jwk`) are never used.

use std::{
    collections::HashMap,
    sync::{Arc, RwLock},
    time::{Duration, Instant},
};

use base64::{
    Engine,
    engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD},
};
use futures::StreamExt;
use ring::signature::{RSA_PKCS1_2048_8192_SHA256, RsaPublicKeyComponents};
use secrecy::{ExposeSecret, SecretString};
use serde::Deserialize;

/// How long a fetched key set is trusted before it is refreshed.
pub const KEY_TTL: Duration = Duration::from_secs(5 * 60);
/// Longest one JWKS fetch may take (well inside any request's deadline).
pub const FETCH_TIMEOUT: Duration = Duration::from_secs(3);
/// A JWKS document larger than this is refused.
const MAX_JWKS_BYTES: usize = 256 * 1024;

/// One RSA public key, ready to check RS256 signatures.
#[derive(Debug, PartialEq, Eq)]
pub struct RsaKey {
    modulus: Vec<u8>,
    exponent: Vec<u8>,
}

impl RsaKey {
    /// A key from its big-endian modulus and exponent.
    pub fn from_components(modulus: &[u8], exponent: &[u8]) -> anyhow::Result<Self> {
        let modulus = strip_leading_zeros(modulus);
        let exponent = strip_leading_zeros(exponent);
        anyhow::ensure!(
            modulus.len() >= 256,
            "RSA keys shorter than 2048 bits are refused"
        );
        anyhow::ensure!(!exponent.is_empty(), "RSA exponent is empty");
        Ok(Self {
            modulus: modulus.to_vec(),
            exponent: exponent.to_vec(),
        })
    }

    /// A key from PEM text: `PUBLIC KEY` (SubjectPublicKeyInfo, what Clerk's
    /// dashboard shows) or `RSA PUBLIC KEY` (PKCS#1). Escaped `\n` sequences,
    /// as environment variables often carry them, are accepted.
    pub fn from_pem(pem: &str) -> anyhow::Result<Self> {
        let pem = pem.replace("\\n", "\n");
        let is_pkcs1 = pem.contains("BEGIN RSA PUBLIC KEY");
        anyhow::ensure!(
            is_pkcs1 || pem.contains("BEGIN PUBLIC KEY"),
            "expected a PEM public key (-----BEGIN PUBLIC KEY-----)"
        );
        let body: String = pem
            .lines()
            .filter(|line| !line.trim_start().starts_with("-----"))
            .flat_map(|line| line.chars().filter(|c| !c.is_whitespace()))
            .collect();
        let der = STANDARD
            .decode(body)
            .map_err(|_| anyhow::anyhow!("the PEM key is not valid base64"))?;
        let pkcs1 = if is_pkcs1 {
            der
        } else {
            spki_rsa_key(&der)?.to_vec()
        };
        let (modulus, exponent) = pkcs1_components(&pkcs1)?;
        Self::from_components(modulus, exponent)
    }

    /// Whether `signature` is this key's RS256 signature of `message`.
    pub fn verifies(&self, message: &[u8], signature: &[u8]) -> bool {
        RsaPublicKeyComponents {
            n: &self.modulus,
            e: &self.exponent,
        }
        .verify(&RSA_PKCS1_2048_8192_SHA256, message, signature)
        .is_ok()
    }
}

fn strip_leading_zeros(bytes: &[u8]) -> &[u8] {
    let start = bytes.iter().position(|&b| b != 0).unwrap_or(bytes.len());
    &bytes[start..]
}

/// Splits one DER element off `input`: (tag, content, rest).
fn der_element(input: &[u8]) -> anyhow::Result<(u8, &[u8], &[u8])> {
    let bad = || anyhow::anyhow!("malformed DER in the public key");
    let (&tag, input) = input.split_first().ok_or_else(bad)?;
    let (&first, mut input) = input.split_first().ok_or_else(bad)?;
    let length = if first < 0x80 {
        usize::from(first)
    } else {
        let count = usize::from(first & 0x7f);
        if count == 0 || count > 3 || input.len() < count {
            return Err(bad());
        }
        let (bytes, rest) = input.split_at(count);
        input = rest;
        bytes
            .iter()
            .fold(0usize, |acc, &b| (acc << 8) | usize::from(b))
    };
    if input.len() < length {
        return Err(bad());
    }
    let (content, rest) = input.split_at(length);
    Ok((tag, content, rest))
}

/// The PKCS#1 RSAPublicKey inside a SubjectPublicKeyInfo.
fn spki_rsa_key(der: &[u8]) -> anyhow::Result<&[u8]> {
    const RSA_ENCRYPTION_OID: &[u8] = &[0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x01];
    let (tag, spki, _) = der_element(der)?;
    anyhow::ensure!(tag == 0x30, "the public key is not a DER sequence");
    let (tag, algorithm, rest) = der_element(spki)?;
    anyhow::ensure!(tag == 0x30, "the public key has no algorithm");
    let (tag, oid, _) = der_element(algorithm)?;
    anyhow::ensure!(
        tag == 0x06 && oid == RSA_ENCRYPTION_OID,
        "the public key is not an RSA key"
    );
    let (tag, bits, _) = der_element(rest)?;
    anyhow::ensure!(
        tag == 0x03 && bits.first() == Some(&0),
        "the public key has no key bits"
    );
    Ok(&bits[1..])
}

/// (modulus, exponent) of a PKCS#1 RSAPublicKey.
fn pkcs1_components(der: &[u8]) -> anyhow::Result<(&[u8], &[u8])> {
    let (tag, sequence, _) = der_element(der)?;
    anyhow::ensure!(tag == 0x30, "the RSA key is not a DER sequence");
    let (tag, modulus, rest) = der_element(sequence)?;
    anyhow::ensure!(tag == 0x02, "the RSA key has no modulus");
    let (tag, exponent, _) = der_element(rest)?;
    anyhow::ensure!(tag == 0x02, "the RSA key has no exponent");
    Ok((modulus, exponent))
}

/// A JWKS document, as Clerk serves it.
#[derive(Deserialize)]
struct JwkSet {
    keys: Vec<Jwk>,
}

#[derive(Deserialize)]
struct Jwk {
    kty: String,
    kid: Option<String>,
    alg: Option<String>,
    #[serde(rename = "use")]
    use_: Option<String>,
    n: Option<String>,
    e: Option<String>,
}

/// The RS256 signing keys of a JWKS document, by `kid`. Keys of other types
/// or uses are skipped; a document with no usable key is an error.
pub fn parse_jwks(body: &[u8]) -> anyhow::Result<HashMap<String, Arc<RsaKey>>> {
    let set: JwkSet = serde_json::from_slice(body)?;
    let mut keys = HashMap::new();
    for jwk in set.keys {
        let usable = jwk.kty == "RSA"
            && jwk.alg.as_deref().is_none_or(|alg| alg == "RS256")
            && jwk.use_.as_deref().is_none_or(|use_| use_ == "sig");
        let (Some(kid), Some(n), Some(e), true) = (jwk.kid, jwk.n, jwk.e, usable) else {
            continue;
        };
        let (Ok(n), Ok(e)) = (URL_SAFE_NO_PAD.decode(n), URL_SAFE_NO_PAD.decode(e)) else {
            continue;
        };
        match RsaKey::from_components(&n, &e) {
            Ok(key) => {
                keys.insert(kid, Arc::new(key));
            }
            Err(error) => tracing::warn!(kid, %error, "skipping a Clerk signing key"),
        }
    }
    anyhow::ensure!(!keys.is_empty(), "the JWKS holds no RS256 signing key");
    Ok(keys)
}

/// One place a JWKS document can be fetched from.
#[derive(Clone)]
pub struct JwksEndpoint {
    pub url: reqwest::Url,
    /// Sent as `Authorization: Bearer` (Clerk's Backend API needs the secret key).
    pub bearer: Option<SecretString>,
}

impl std::fmt::Debug for JwksEndpoint {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("JwksEndpoint")
            .field("url", &self.url.as_str())
            .field("authenticated", &self.bearer.is_some())
            .finish()
    }
}

/// Where verification keys come from.
pub enum SigningKeys {
    /// `CLERK_JWT_KEY`: one key, any `kid`, no network.
    Local(Arc<RsaKey>),
    Remote(Arc<RemoteKeys>),
}

impl SigningKeys {
    /// The key for a token's `kid`, fetching Clerk's keys when needed.
    pub async fn key(&self, kid: Option<&str>) -> Option<Arc<RsaKey>> {
        match self {
            Self::Local(key) => Some(key.clone()),
            Self::Remote(remote) => remote.key(kid?).await,
        }
    }
}

#[derive(Default)]
struct Cache {
    keys: HashMap<String, Arc<RsaKey>>,
    /// When the keys were last fetched successfully.
    fetched_at: Option<Instant>,
    /// When a fetch was last tried, successful or not (the cooldown counts from here).
    attempted_at: Option<Instant>,
    /// Fetches tried so far: a waiter that sees it change knows a fetch finished.
    attempts: u64,
}

/// Keys fetched from Clerk's JWKS endpoints, cached.
pub struct RemoteKeys {
    endpoints: Vec<JwksEndpoint>,
    http: reqwest::Client,
    cache: RwLock<Cache>,
    /// Held by the one request fetching; the others wait for its result.
    refresh: Arc<tokio::sync::Mutex<()>>,
    cooldown: Duration,
}

impl RemoteKeys {
    /// Keys from the first of `endpoints` that answers, tried in order.
    pub fn new(endpoints: Vec<JwksEndpoint>, cooldown: Duration) -> anyhow::Result<Self> {
        anyhow::ensure!(!endpoints.is_empty(), "no JWKS endpoint to fetch keys from");
        let http = reqwest::Client::builder()
            .timeout(FETCH_TIMEOUT)
            .redirect(reqwest::redirect::Policy::none())
            .user_agent(concat!("promptcanvas/", env!("CARGO_PKG_VERSION")))
            .build()?;
        Ok(Self {
            endpoints,
            http,
            cache: RwLock::new(Cache::default()),
            refresh: Arc::new(tokio::sync::Mutex::new(())),
            cooldown,
        })
    }

    fn cached(&self, kid: &str) -> (Option<Arc<RsaKey>>, bool, u64) {
        let cache = self.cache.read().expect("key cache lock");
        let fresh = cache.fetched_at.is_some_and(|at| at.elapsed() < KEY_TTL);
        (cache.keys.get(kid).cloned(), fresh, cache.attempts)
    }

    fn cooling_down(&self) -> bool {
        let cache = self.cache.read().expect("key cache lock");
        cache
            .attempted_at
            .is_some_and(|at| at.elapsed() < self.cooldown)
    }

    async fn key(self: &Arc<Self>, kid: &str) -> Option<Arc<RsaKey>> {
        let (known, fresh, attempts) = self.cached(kid);
        if let Some(key) = known {
            if !fresh && !self.cooling_down() {
                // Refresh in the background; this request keeps the key it has.
                if let Ok(guard) = self.refresh.clone().try_lock_owned() {
                    let keys = self.clone();
                    tokio::spawn(async move {
                        keys.fetch().await;
                        drop(guard);
                    });
                }
            }
            return Some(key);
        }
        let _guard = self.refresh.lock().await;
        let (known, _, attempts_now) = self.cached(kid);
        if known.is_some() || attempts_now != attempts || self.cooling_down() {
            // Another request fetched while we waited, or one did moments ago.
            return known;
        }
        self.fetch().await;
        self.cached(kid).0
    }

    /// Fetches the key set, replacing the cached one on success and keeping it on failure.
    async fn fetch(&self) {
        let mut fetched = None;
        for endpoint in &self.endpoints {
            match self.fetch_from(endpoint).await {
                Ok(keys) => {
                    fetched = Some(keys);
                    break;
                }
                Err(error) => tracing::warn!(
                    url = endpoint.url.as_str(),
                    error = format!("{error:#}"),
                    "fetching Clerk signing keys failed"
                ),
            }
        }
        let mut cache = self.cache.write().expect("key cache lock");
        let now = Instant::now();
        cache.attempts += 1;
        cache.attempted_at = Some(now);
        if let Some(keys) = fetched {
            tracing::info!(keys = keys.len(), "loaded Clerk signing keys");
            cache.keys = keys;
            cache.fetched_at = Some(now);
        }
    }

    async fn fetch_from(
        &self,
        endpoint: &JwksEndpoint,
    ) -> anyhow::Result<HashMap<String, Arc<RsaKey>>> {
        let mut request = self
            .http
            .get(endpoint.url.clone())
            .header(reqwest::header::ACCEPT, "application/json");
        if let Some(secret) = &endpoint.bearer {
            request = request.bearer_auth(secret.expose_secret());
        }
        let response = request.send().await?;
        anyhow::ensure!(
            response.status().is_success(),
            "answered {}",
            response.status()
        );
        let mut body = Vec::new();
        let mut stream = response.bytes_stream();
        while let Some(chunk) = stream.next().await {
            let chunk = chunk?;
            anyhow::ensure!(
                body.len() + chunk.len() <= MAX_JWKS_BYTES,
                "the JWKS is larger than {MAX_JWKS_BYTES} bytes"
            );
            body.extend_from_slice(&chunk);
        }
        parse_jwks(&body)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn der_lengths_that_overrun_are_refused() {
        assert!(der_element(&[0x30, 0x05, 0x01]).is_err());
        assert!(der_element(&[0x30, 0x84, 0, 0, 0, 1]).is_err());
        assert!(der_element(&[0x30]).is_err());
    }

    #[test]
    fn non_pem_text_is_refused() {
        assert!(RsaKey::from_pem("not a key").is_err());
        assert!(
            RsaKey::from_pem("-----BEGIN PUBLIC KEY-----\n!!!\n-----END PUBLIC KEY-----").is_err()
        );
    }

    #[test]
    fn short_keys_are_refused() {
        assert!(RsaKey::from_components(&[0xff; 128], &[1, 0, 1]).is_err());
    }

    #[test]
    fn jwks_without_usable_keys_is_an_error() {
        assert!(parse_jwks(br#"{"keys":[]}"#).is_err());
        assert!(parse_jwks(br#"{"keys":[{"kty":"EC","kid":"a"}]}"#).is_err());
        assert!(parse_jwks(b"garbage").is_err());
    }
}
