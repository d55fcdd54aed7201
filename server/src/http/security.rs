//! Rules every answer follows to be safe to expose: security headers, CORS for
//! known origins only, and who the client is (for per-IP limits).

use std::net::{IpAddr, SocketAddr};

use axum::{
    extract::{ConnectInfo, FromRequestParts, Request, State},
    http::{Extensions, HeaderMap, HeaderName, HeaderValue, Method, header, request::Parts},
    middleware::Next,
    response::{IntoResponse, Response},
};
use secrecy::{ExposeSecret, SecretString};
use sha2::{Digest, Sha256};
use subtle::ConstantTimeEq;
use tower_http::cors::{AllowOrigin, CorsLayer};

use crate::{http::error::ApiError, http::state::AppState, settings::Config};

/// The header the CDN adds to every request it forwards to the API.
pub const ORIGIN_SECRET_HEADER: &str = "x-origin-secret";

/// Whether `presented` is the secret, in time that does not depend on how
/// much of it matches: digests first, so neither the length nor a common
/// prefix shows.
pub fn secret_matches(presented: &str, secret: &SecretString) -> bool {
    let expected = Sha256::digest(secret.expose_secret().as_bytes());
    bool::from(Sha256::digest(presented.as_bytes()).ct_eq(&expected))
}

/// Refuses `/api` requests that did not come through the CDN when
/// `ORIGIN_SECRET` is set. It runs before the per-IP limiter, so a direct
/// caller's `X-Forwarded-For` is never read, and answers 403 `forbidden`
/// without saying what is missing.
pub async fn require_origin_secret(
    State(state): State<AppState>,
    request: Request,
    next: Next,
) -> Response {
    if let Some(secret) = &state.config.server.origin_secret {
        let presented = request
            .headers()
            .get(ORIGIN_SECRET_HEADER)
            .and_then(|value| value.to_str().ok())
            .unwrap_or_default();
        if !secret_matches(presented, secret) {
            return ApiError::NotThroughSite.into_response();
        }
    }
    next.run(request).await
}

/// The web app's policy: only its own scripts, styles, images and API, and
/// nothing may frame it. Images may also come from the bucket or CDN when
/// media lives there (`media_origin`). In Clerk mode it also lets in what
/// Clerk's components load: clerk-js and its API calls from the Frontend API
/// (`clerk_origin`), avatars, the bot-protection challenge, their inline
/// styles and workers.
pub fn web_app_csp(
    clerk_origin: Option<&str>,
    media_origin: Option<&str>,
) -> anyhow::Result<HeaderValue> {
    let media = media_origin
        .map(|origin| format!(" {origin}"))
        .unwrap_or_default();
    let policy = match clerk_origin {
        None => format!(
            "default-src 'self'; script-src 'self'; style-src 'self'; \
             img-src 'self' data: blob:{media}; font-src 'self'; connect-src 'self'; \
             object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'"
        ),
        Some(origin) => {
            let challenges = "https://challenges.cloudflare.com";
            format!(
                "default-src 'self'; script-src 'self' {origin} {challenges}; \
                 style-src 'self' 'unsafe-inline'; \
                 img-src 'self' data: blob: https://img.clerk.com{media}; \
                 font-src 'self'; connect-src 'self' {origin}; worker-src 'self' blob:; \
                 frame-src {challenges}; object-src 'none'; base-uri 'self'; \
                 form-action 'self'; frame-ancestors 'none'"
            )
        }
    };
    HeaderValue::from_str(&policy)
        .map_err(|_| anyhow::anyhow!("the Content-Security-Policy {policy:?} cannot be a header"))
}

/// API answers are data, never documents to render.
const API_CSP: &str = "default-src 'none'; frame-ancestors 'none'";

/// Adds the security headers; `https` turns on HSTS; `web_csp` is [`web_app_csp`].
pub async fn security_headers(
    https: bool,
    web_csp: HeaderValue,
    request: Request,
    next: Next,
) -> Response {
    let path = request.uri().path();
    let is_api = path.starts_with("/api/");
    // A share link's page states its own, stricter policy.
    let is_share_page = path.starts_with("/s/");
    let mut response = next.run(request).await;
    let headers = response.headers_mut();
    let csp = if is_api {
        HeaderValue::from_static(API_CSP)
    } else {
        web_csp
    };
    if !(is_share_page && headers.contains_key(header::CONTENT_SECURITY_POLICY)) {
        headers.insert(header::CONTENT_SECURITY_POLICY, csp);
    }
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    headers.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    headers.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("strict-origin-when-cross-origin"),
    );
    if https {
        headers.insert(
            header::STRICT_TRANSPORT_SECURITY,
            HeaderValue::from_static("max-age=31536000; includeSubDomains"),
        );
    }
    response
}

/// CORS for the configured origins, matched exactly (so `null`, look-alike
/// suffixes and prefixes never match); `None` when no origin is configured.
pub fn cors(config: &Config) -> anyhow::Result<Option<CorsLayer>> {
    let origins = config
        .server.cors_allowed_origins
        .iter()
        .map(|origin| origin.trim().trim_end_matches('/'))
        .filter(|origin| !origin.is_empty())
        .map(|origin| {
            anyhow::ensure!(
                origin != "*" && origin != "null" && origin.contains("://"),
                "CORS_ALLOWED_ORIGINS holds {origin:?}: list exact origins like https://app.example.com"
            );
            Ok(HeaderValue::from_str(origin)?)
        })
        .collect::<anyhow::Result<Vec<_>>>()?;
    if origins.is_empty() {
        return Ok(None);
    }
    Ok(Some(
        CorsLayer::new()
            .allow_origin(AllowOrigin::list(origins))
            .allow_credentials(true)
            .allow_methods([Method::GET, Method::POST, Method::PATCH, Method::DELETE])
            .allow_headers([
                header::CONTENT_TYPE,
                header::AUTHORIZATION,
                HeaderName::from_static("idempotency-key"),
                HeaderName::from_static("generation-group"),
            ])
            .expose_headers([
                header::RETRY_AFTER,
                HeaderName::from_static("idempotent-replayed"),
            ])
            .max_age(std::time::Duration::from_secs(600)),
    ))
}

/// The client's address: the connection's, or — behind `trusted_proxy_hops`
/// proxies that each append to X-Forwarded-For — the entry the outermost
/// trusted proxy saw. Entries further left are client-controlled and ignored.
pub fn client_ip(
    headers: &HeaderMap,
    extensions: &Extensions,
    trusted_proxy_hops: usize,
) -> Option<IpAddr> {
    let socket = extensions
        .get::<ConnectInfo<SocketAddr>>()
        .map(|ConnectInfo(addr)| addr.ip());
    if trusted_proxy_hops == 0 {
        return socket;
    }
    let forwarded: Vec<&str> = headers
        .get_all("x-forwarded-for")
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(|value| value.split(','))
        .map(str::trim)
        .collect();
    forwarded
        .len()
        .checked_sub(trusted_proxy_hops)
        .and_then(|index| forwarded.get(index))
        .and_then(|entry| entry.parse().ok())
        .or(socket)
}

/// The address a per-client limit counts a caller under: an IPv6 client by
/// its /64, the block one subscriber or host gets (counting single addresses
/// would let it rotate through 2⁶⁴ of them), an IPv4-mapped address as IPv4.
pub fn limited_as(ip: IpAddr) -> IpAddr {
    match ip {
        IpAddr::V4(_) => ip,
        IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
            Some(v4) => IpAddr::V4(v4),
            None => IpAddr::V6(std::net::Ipv6Addr::from(
                v6.to_bits() & !((1u128 << 64) - 1),
            )),
        },
    }
}

/// Whether the browser reached us over HTTPS: the deployment says so
/// (`PUBLIC_BASE_URL`), or a trusted proxy in front says the browser used it
/// (`X-Forwarded-Proto`, whose first entry is what the outermost proxy saw).
/// Decides the session cookie's name and its `Secure` flag.
pub fn arrived_over_https(headers: &HeaderMap, config: &Config) -> bool {
    config.served_over_https()
        || (config.server.trusted_proxy_hops > 0
            && headers
                .get("x-forwarded-proto")
                .and_then(|value| value.to_str().ok())
                .and_then(|value| value.split(',').next())
                .is_some_and(|proto| proto.trim().eq_ignore_ascii_case("https")))
}

/// The caller's address as [`client_ip`] decides it, for per-IP limits.
#[derive(Debug, Clone, Copy)]
pub struct ClientIp(pub Option<IpAddr>);

impl FromRequestParts<AppState> for ClientIp {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        Ok(Self(client_ip(
            &parts.headers,
            &parts.extensions,
            state.config.server.trusted_proxy_hops,
        )))
    }
}

#[cfg(test)]
mod tests {
    use axum::http::Request;

    use super::*;

    #[test]
    fn ipv6_clients_are_limited_by_their_64_block() {
        let ip = |text: &str| text.parse::<IpAddr>().unwrap();
        assert_eq!(
            limited_as(ip("2001:db8:1:2:aaaa:bbbb:cccc:dddd")),
            ip("2001:db8:1:2::")
        );
        assert_eq!(
            limited_as(ip("2001:db8:1:2::1")),
            limited_as(ip("2001:db8:1:2:ffff::9"))
        );
        assert_ne!(
            limited_as(ip("2001:db8:1:2::1")),
            limited_as(ip("2001:db8:1:3::1"))
        );
        assert_eq!(limited_as(ip("::ffff:192.0.2.7")), ip("192.0.2.7"));
        assert_eq!(limited_as(ip("192.0.2.7")), ip("192.0.2.7"));
    }

    fn parts(forwarded: &str) -> Parts {
        let mut request = Request::builder()
            .header("x-forwarded-for", forwarded)
            .body(())
            .unwrap();
        request
            .extensions_mut()
            .insert(ConnectInfo(SocketAddr::from(([10, 0, 0, 9], 443))));
        request.into_parts().0
    }

    #[test]
    fn forwarded_addresses_count_only_behind_trusted_proxies() {
        let ip = |parts: &Parts, hops| client_ip(&parts.headers, &parts.extensions, hops);
        let spoofed = parts("6.6.6.6, 203.0.113.7");
        assert_eq!(ip(&spoofed, 0), Some("10.0.0.9".parse().unwrap()));
        assert_eq!(ip(&spoofed, 1), Some("203.0.113.7".parse().unwrap()));
        assert_eq!(ip(&spoofed, 2), Some("6.6.6.6".parse().unwrap()));
        assert_eq!(ip(&parts("garbage"), 1), Some("10.0.0.9".parse().unwrap()));
    }
}
