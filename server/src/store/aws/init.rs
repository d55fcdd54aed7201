//! `promptcanvas init-aws`: creates the S3 bucket and the two DynamoDB tables
//! the server expects, when they are missing, and leaves existing ones alone,
//! so it can be run any number of times (first deployment, local set-up,
//! tests). The CloudFormation template creates the same resources.

use std::time::Duration;

use anyhow::{Context, bail};
use aws_config::SdkConfig;
use aws_credential_types::provider::ProvideCredentials;
use aws_sdk_dynamodb::{
    Client,
    error::{DisplayErrorContext, ProvideErrorMetadata},
    types::{
        AttributeDefinition, BillingMode, KeySchemaElement, KeyType, ScalarAttributeType,
        TableStatus, TimeToLiveSpecification, TimeToLiveStatus,
    },
};
use aws_sigv4::{
    http_request::{
        PayloadChecksumKind, PercentEncodingMode, SignableBody, SignableRequest, SigningSettings,
        UriPathNormalizationMode, sign,
    },
    sign::v4,
};

use crate::store::{aws::region_of, metadata::DynamoStore};

/// What to create; any part left `None` is skipped.
#[derive(Debug, Clone, Default)]
pub struct AwsResources {
    pub bucket: Option<String>,
    pub users_table: Option<String>,
    pub images_table: Option<String>,
}

/// The TTL attribute of the users table (sessions, rate windows, idempotency records).
pub const TTL_ATTRIBUTE: &str = "expires_at";

/// Creates whatever is missing and reports each resource on its own line.
/// `s3_endpoint` overrides where S3 is (a local S3-compatible server).
pub async fn init(
    config: &SdkConfig,
    resources: &AwsResources,
    s3_endpoint: Option<&str>,
) -> anyhow::Result<Vec<String>> {
    let mut report = Vec::new();
    let dynamodb = Client::new(config);
    if let Some(table) = &resources.users_table {
        report.push(ensure_table(&dynamodb, table, "pk", "sk").await?);
        report.push(ensure_ttl(&dynamodb, table).await?);
    }
    if let Some(table) = &resources.images_table {
        report.push(ensure_table(&dynamodb, table, "user_id", "image_id").await?);
    }
    if let Some(bucket) = &resources.bucket {
        report.push(ensure_bucket(config, bucket, s3_endpoint).await?);
    }
    if let (Some(users), Some(images)) = (&resources.users_table, &resources.images_table) {
        let store = DynamoStore::new(dynamodb, users, images);
        let counted = store
            .count_totals_from_records()
            .await
            .context("counting the stored users and images")?;
        // Only an upgraded table has anything to report.
        if let Some((users, images, bytes)) = counted.filter(|counted| *counted != (0, 0, 0)) {
            report.push(format!(
                "counted {users} users and {images} images ({bytes} bytes) stored before the statistics"
            ));
        }
    }
    Ok(report)
}

async fn ensure_table(
    client: &Client,
    table: &str,
    hash: &str,
    range: &str,
) -> anyhow::Result<String> {
    let attribute = |name: &str| {
        AttributeDefinition::builder()
            .attribute_name(name)
            .attribute_type(ScalarAttributeType::S)
            .build()
    };
    let key = |name: &str, kind: KeyType| {
        KeySchemaElement::builder()
            .attribute_name(name)
            .key_type(kind)
            .build()
    };
    let created = client
        .create_table()
        .table_name(table)
        .billing_mode(BillingMode::PayPerRequest)
        .attribute_definitions(attribute(hash)?)
        .attribute_definitions(attribute(range)?)
        .key_schema(key(hash, KeyType::Hash)?)
        .key_schema(key(range, KeyType::Range)?)
        .send()
        .await;
    let outcome = match created {
        Ok(_) => "created",
        Err(error) if error.code() == Some("ResourceInUseException") => "already exists",
        Err(error) => bail!("creating table {table}: {}", DisplayErrorContext(&error)),
    };
    wait_until_active(client, table).await?;
    Ok(format!("table {table} ({hash}, {range}): {outcome}"))
}

async fn wait_until_active(client: &Client, table: &str) -> anyhow::Result<()> {
    for _ in 0..120 {
        let described = client
            .describe_table()
            .table_name(table)
            .send()
            .await
            .map_err(|error| anyhow::anyhow!("{}", DisplayErrorContext(&error)))
            .with_context(|| format!("describing table {table}"))?;
        if described.table().and_then(|t| t.table_status()) == Some(&TableStatus::Active) {
            return Ok(());
        }
        tokio::time::sleep(Duration::from_millis(500)).await;
    }
    bail!("table {table} did not become active within a minute")
}

async fn ensure_ttl(client: &Client, table: &str) -> anyhow::Result<String> {
    let current = client
        .describe_time_to_live()
        .table_name(table)
        .send()
        .await
        .map_err(|error| anyhow::anyhow!("{}", DisplayErrorContext(&error)))
        .with_context(|| format!("reading the TTL of {table}"))?;
    let description = current.time_to_live_description();
    let enabled = matches!(
        description.and_then(|d| d.time_to_live_status()),
        Some(TimeToLiveStatus::Enabled | TimeToLiveStatus::Enabling)
    );
    if enabled {
        let attribute = description.and_then(|d| d.attribute_name()).unwrap_or("");
        if attribute != TTL_ATTRIBUTE {
            bail!("table {table} already expires items by `{attribute}`, not `{TTL_ATTRIBUTE}`");
        }
        return Ok(format!("TTL on {table}.{TTL_ATTRIBUTE}: already on"));
    }
    client
        .update_time_to_live()
        .table_name(table)
        .time_to_live_specification(
            TimeToLiveSpecification::builder()
                .enabled(true)
                .attribute_name(TTL_ATTRIBUTE)
                .build()?,
        )
        .send()
        .await
        .map_err(|error| anyhow::anyhow!("{}", DisplayErrorContext(&error)))
        .with_context(|| format!("turning on the TTL of {table}"))?;
    Ok(format!("TTL on {table}.{TTL_ATTRIBUTE}: turned on"))
}

/// Creates the bucket (private: every public access blocked) when missing.
async fn ensure_bucket(
    config: &SdkConfig,
    bucket: &str,
    endpoint: Option<&str>,
) -> anyhow::Result<String> {
    let s3 = SignedS3::new(config, endpoint).await?;
    let bucket_url = s3.bucket_url(bucket);
    let head = s3.send("HEAD", &bucket_url, Vec::new()).await?;
    let outcome = match head.status().as_u16() {
        200 => "already exists",
        404 => {
            let region = region_of(config);
            // us-east-1 is the one region that refuses a location constraint.
            let body = if region == "us-east-1" {
                Vec::new()
            } else {
                format!(
                    "<CreateBucketConfiguration xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\">\
                     <LocationConstraint>{region}</LocationConstraint></CreateBucketConfiguration>"
                )
                .into_bytes()
            };
            let created = s3.send("PUT", &bucket_url, body).await?;
            if !created.status().is_success() {
                bail!(
                    "creating bucket {bucket}: HTTP {} {}",
                    created.status(),
                    created.text().await.unwrap_or_default()
                );
            }
            "created"
        }
        status => bail!("checking bucket {bucket}: HTTP {status}"),
    };
    let block = "<PublicAccessBlockConfiguration xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\">\
        <BlockPublicAcls>true</BlockPublicAcls><IgnorePublicAcls>true</IgnorePublicAcls>\
        <BlockPublicPolicy>true</BlockPublicPolicy><RestrictPublicBuckets>true</RestrictPublicBuckets>\
        </PublicAccessBlockConfiguration>";
    let blocked = s3
        .send(
            "PUT",
            &format!("{bucket_url}?publicAccessBlock"),
            block.as_bytes().to_vec(),
        )
        .await?;
    if !blocked.status().is_success() {
        bail!(
            "blocking public access to {bucket}: HTTP {}",
            blocked.status()
        );
    }
    Ok(format!("bucket {bucket}: {outcome}, public access blocked"))
}

/// Just enough of the S3 REST API for set-up, signed with the SDK's SigV4 signer.
struct SignedS3 {
    http: reqwest::Client,
    identity: aws_smithy_runtime_api::client::identity::Identity,
    region: String,
    endpoint: String,
}

impl SignedS3 {
    async fn new(config: &SdkConfig, endpoint: Option<&str>) -> anyhow::Result<Self> {
        let credentials = config
            .credentials_provider()
            .context("no AWS credentials provider could be configured")?
            .provide_credentials()
            .await
            .context("loading AWS credentials")?;
        let region = region_of(config);
        let endpoint = endpoint
            .map(|endpoint| endpoint.trim_end_matches('/').to_owned())
            .unwrap_or_else(|| format!("https://s3.{region}.amazonaws.com"));
        Ok(Self {
            http: reqwest::Client::new(),
            identity: credentials.into(),
            region,
            endpoint,
        })
    }

    fn bucket_url(&self, bucket: &str) -> String {
        format!("{}/{bucket}", self.endpoint)
    }

    async fn send(
        &self,
        method: &str,
        url: &str,
        body: Vec<u8>,
    ) -> anyhow::Result<reqwest::Response> {
        let mut settings = SigningSettings::default();
        settings.percent_encoding_mode = PercentEncodingMode::Single;
        settings.uri_path_normalization_mode = UriPathNormalizationMode::Disabled;
        settings.payload_checksum_kind = PayloadChecksumKind::XAmzSha256;
        let params = v4::SigningParams::builder()
            .identity(&self.identity)
            .region(&self.region)
            .name("s3")
            .time(std::time::SystemTime::now())
            .settings(settings)
            .build()?
            .into();
        let signable =
            SignableRequest::new(method, url, std::iter::empty(), SignableBody::Bytes(&body))?;
        let (instructions, _) = sign(signable, &params)?.into_parts();
        let mut request = http::Request::builder()
            .method(method)
            .uri(url)
            .body(body.clone())?;
        instructions.apply_to_request_http1x(&mut request);
        let mut outgoing = self
            .http
            .request(reqwest::Method::from_bytes(method.as_bytes())?, url)
            .body(body);
        for (name, value) in request.headers() {
            outgoing = outgoing.header(name.as_str(), value.as_bytes());
        }
        outgoing
            .send()
            .await
            .with_context(|| format!("{method} {url}"))
    }
}
