//! Shared AWS plumbing: one SDK configuration (region, credentials, endpoints
//! from the standard AWS variables and files), handed to the S3 object store and
//! the DynamoDB client, plus presigned S3 GET URLs for browsers.
//!
//! TLS goes through rustls with ring, which the server already uses, so the AWS
//! SDK adds no second crypto library to build. `init` creates the bucket and
//! tables themselves.

pub mod init;

use std::{
    sync::Arc,
    time::{Duration, SystemTime, UNIX_EPOCH},
};

use anyhow::Context;
use async_trait::async_trait;
use aws_config::{BehaviorVersion, SdkConfig};
use aws_credential_types::provider::{ProvideCredentials, SharedCredentialsProvider};
use aws_sigv4::{
    http_request::{
        PercentEncodingMode, SignableBody, SignableRequest, SignatureLocation, SigningSettings,
        UriPathNormalizationMode, sign,
    },
    sign::v4,
};
use aws_smithy_http_client::tls;
use object_store::{
    CredentialProvider,
    aws::{AmazonS3, AmazonS3Builder, AwsCredential},
};

/// Loads region, credentials and endpoint overrides the way every AWS tool
/// does (`AWS_REGION`, `AWS_PROFILE`, `AWS_ACCESS_KEY_ID`, web identity,
/// container and instance credentials, `AWS_ENDPOINT_URL[_DYNAMODB]`).
pub async fn load_sdk_config(region: Option<&str>) -> SdkConfig {
    let http_client = aws_smithy_http_client::Builder::new()
        .tls_provider(tls::Provider::Rustls(
            tls::rustls_provider::CryptoMode::Ring,
        ))
        .build_https();
    let mut loader = aws_config::defaults(BehaviorVersion::latest()).http_client(http_client);
    if let Some(region) = region {
        loader = loader.region(aws_config::Region::new(region.to_owned()));
    }
    loader.load().await
}

/// The region requests are signed for (`us-east-1` when nothing names one).
pub fn region_of(config: &SdkConfig) -> String {
    config
        .region()
        .map(|region| region.as_ref().to_owned())
        .unwrap_or_else(|| "us-east-1".to_owned())
}

/// The S3 endpoint override from the standard variables, if any: a local
/// S3-compatible server in tests, none on AWS.
pub fn s3_endpoint_override() -> Option<String> {
    ["AWS_ENDPOINT_URL_S3", "AWS_ENDPOINT_URL"]
        .iter()
        .find_map(|name| std::env::var(name).ok().filter(|value| !value.is_empty()))
}

/// An `object_store` S3 client for `bucket` that shares the SDK's credentials;
/// `endpoint` overrides where S3 is (path-style addressing).
pub fn s3_object_store(
    config: &SdkConfig,
    bucket: &str,
    endpoint: Option<&str>,
) -> anyhow::Result<AmazonS3> {
    let credentials = config
        .credentials_provider()
        .context("no AWS credentials provider could be configured")?;
    let mut builder = AmazonS3Builder::new()
        .with_bucket_name(bucket)
        .with_region(region_of(config))
        .with_credentials(Arc::new(SdkCredentials(credentials)));
    if let Some(endpoint) = endpoint {
        builder = builder
            .with_allow_http(endpoint.starts_with("http://"))
            .with_endpoint(endpoint);
    }
    builder.build().context("configuring the S3 client")
}

/// Hands the SDK's credential chain (refreshed and cached by the SDK) to `object_store`.
#[derive(Debug)]
struct SdkCredentials(SharedCredentialsProvider);

#[async_trait]
impl CredentialProvider for SdkCredentials {
    type Credential = AwsCredential;

    async fn get_credential(&self) -> object_store::Result<Arc<AwsCredential>> {
        let credentials =
            self.0
                .provide_credentials()
                .await
                .map_err(|error| object_store::Error::Generic {
                    store: "S3",
                    source: Box::new(error),
                })?;
        Ok(Arc::new(AwsCredential {
            key_id: credentials.access_key_id().to_owned(),
            secret_key: credentials.secret_access_key().to_owned(),
            token: credentials.session_token().map(str::to_owned),
        }))
    }
}

/// Makes presigned S3 GET URLs. The signing time is the start of the current
/// hour, so a URL stays the same for an hour and browsers can cache the image.
#[derive(Clone)]
pub struct S3Presigner {
    credentials: SharedCredentialsProvider,
    region: String,
    /// `https://bucket.s3.region.amazonaws.com` or `http://endpoint/bucket`.
    bucket_url: String,
}

impl std::fmt::Debug for S3Presigner {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("S3Presigner")
            .field("bucket_url", &self.bucket_url)
            .finish_non_exhaustive()
    }
}

impl S3Presigner {
    pub fn new(config: &SdkConfig, bucket: &str, endpoint: Option<&str>) -> anyhow::Result<Self> {
        let region = region_of(config);
        let bucket_url = match endpoint {
            // Local S3-compatible servers are addressed path-style.
            Some(endpoint) => format!("{}/{bucket}", endpoint.trim_end_matches('/')),
            None => format!("https://{bucket}.s3.{region}.amazonaws.com"),
        };
        Ok(Self {
            credentials: config
                .credentials_provider()
                .context("no AWS credentials provider could be configured")?,
            region,
            bucket_url,
        })
    }

    /// The origin (scheme://host[:port]) the URLs point at, for the CSP.
    pub fn origin(&self) -> String {
        origin_of(&self.bucket_url)
    }

    /// Fetches the current credentials once, for signing a page of URLs.
    pub async fn session(&self) -> anyhow::Result<PresignSession> {
        let credentials = self
            .credentials
            .provide_credentials()
            .await
            .context("loading AWS credentials")?;
        Ok(PresignSession {
            identity: credentials.into(),
            region: self.region.clone(),
            bucket_url: self.bucket_url.clone(),
        })
    }
}

/// Credentials in hand: signs any number of URLs without waiting.
pub struct PresignSession {
    identity: aws_smithy_runtime_api::client::identity::Identity,
    region: String,
    bucket_url: String,
}

impl PresignSession {
    /// A GET URL for `key`, valid from the start of the current hour until
    /// `expires_unix` (at most the 7 days SigV4 allows).
    pub fn url(&self, key: &str, now_unix: i64, expires_unix: i64) -> anyhow::Result<String> {
        let signed_at = now_unix.div_euclid(3600) * 3600;
        let lifetime = (expires_unix - signed_at).clamp(1, 7 * 24 * 3600) as u64;
        let path: String = key
            .split('/')
            .map(encode_segment)
            .collect::<Vec<_>>()
            .join("/");
        self.sign(
            &format!("{}/{path}", self.bucket_url),
            UNIX_EPOCH + Duration::from_secs(signed_at.max(0) as u64),
            Duration::from_secs(lifetime),
        )
    }

    fn sign(&self, url: &str, time: SystemTime, expires_in: Duration) -> anyhow::Result<String> {
        let mut settings = SigningSettings::default();
        settings.signature_location = SignatureLocation::QueryParams;
        settings.expires_in = Some(expires_in);
        settings.percent_encoding_mode = PercentEncodingMode::Single;
        settings.uri_path_normalization_mode = UriPathNormalizationMode::Disabled;
        let params = v4::SigningParams::builder()
            .identity(&self.identity)
            .region(&self.region)
            .name("s3")
            .time(time)
            .settings(settings)
            .build()
            .context("presign parameters")?
            .into();
        let request = SignableRequest::new(
            "GET",
            url,
            std::iter::empty(),
            SignableBody::UnsignedPayload,
        )
        .context("presign request")?;
        let (instructions, _signature) = sign(request, &params)
            .context("presigning an S3 URL")?
            .into_parts();
        let mut request = http::Request::get(url).body(()).context("presign URL")?;
        instructions.apply_to_request_http1x(&mut request);
        Ok(request.uri().to_string())
    }
}

/// Percent-encodes one path segment as S3 expects (RFC 3986 unreserved kept).
fn encode_segment(segment: &str) -> String {
    let mut out = String::with_capacity(segment.len());
    for byte in segment.bytes() {
        if byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'_' | b'.' | b'~') {
            out.push(byte as char);
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

/// `scheme://host[:port]` of a URL.
pub fn origin_of(url: &str) -> String {
    match url.find("://") {
        Some(scheme_end) => {
            let rest = &url[scheme_end + 3..];
            let host_end = rest.find('/').unwrap_or(rest.len());
            url[..scheme_end + 3 + host_end].to_owned()
        }
        None => url.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use aws_credential_types::Credentials;

    use super::*;

    /// The presigned-URL example of the S3 SigV4 documentation ("Authenticating
    /// Requests: Using Query Parameters"), signature included.
    #[test]
    fn presigned_urls_match_the_documented_sigv4_example() {
        let session = PresignSession {
            identity: Credentials::new(
                "AKIAIOSFODNN7EXAMPLE",
                "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
                None,
                None,
                "static",
            )
            .into(),
            region: "us-east-1".into(),
            bucket_url: "https://examplebucket.s3.amazonaws.com".into(),
        };
        // 2013-05-24T00:00:00Z
        let url = session
            .sign(
                "https://examplebucket.s3.amazonaws.com/test.txt",
                UNIX_EPOCH + Duration::from_secs(1_369_353_600),
                Duration::from_secs(86_400),
            )
            .unwrap();
        assert!(url.contains("X-Amz-Date=20130524T000000Z"), "{url}");
        assert!(url.contains("X-Amz-Expires=86400"), "{url}");
        assert!(
            url.ends_with(
                "X-Amz-Signature=aeeed9bbccd4d02ee5c0109b86d86835f995330da4c265957d157751f604d404"
            ),
            "{url}"
        );
    }

    #[test]
    fn urls_are_stable_within_an_hour_and_expire_where_asked() {
        let session = PresignSession {
            identity: Credentials::new("AKID", "secret", None, None, "static").into(),
            region: "eu-west-1".into(),
            bucket_url: "http://127.0.0.1:9/bucket".into(),
        };
        let first = session.url("users/u/i.png", 7_200 + 10, 14_400).unwrap();
        let later = session.url("users/u/i.png", 7_200 + 3_000, 14_400).unwrap();
        assert_eq!(first, later);
        assert!(first.starts_with("http://127.0.0.1:9/bucket/users/u/i.png?"));
        assert!(first.contains("X-Amz-Expires=7200"), "{first}");
        assert_ne!(first, session.url("users/u/j.png", 7_210, 14_400).unwrap());
    }

    #[test]
    fn origins_drop_the_path() {
        assert_eq!(
            origin_of("http://127.0.0.1:5000/b"),
            "http://127.0.0.1:5000"
        );
        assert_eq!(
            origin_of("https://b.s3.eu-west-1.amazonaws.com"),
            "https://b.s3.eu-west-1.amazonaws.com"
        );
    }
}
