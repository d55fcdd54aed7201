//! Chooses where images and metadata live from the settings: local files and
//! SQLite by default, S3 when `S3_BUCKET_NAME` is set, DynamoDB when both
//! table names are set. Each choice is independent, and the rest of the server
//! sees only `MediaStore` and `dyn MetadataStore`.

use std::sync::Arc;

use anyhow::Context;
use secrecy::ExposeSecret;

use crate::{
    settings::Config,
    store::aws,
    store::media::{Cdn, MediaStore, UrlSigner},
    store::metadata::{MetadataStore, SqliteStore, dynamodb},
};

/// Stores the caller made itself, used instead of the ones the settings name:
/// the tests and benches run the whole application over a store they seeded
/// or pointed at a stand-in server.
#[derive(Default)]
pub struct Backends {
    pub media: Option<MediaStore>,
    pub metadata: Option<Arc<dyn MetadataStore>>,
}

/// Opens the media and metadata stores the settings ask for, except those
/// `chosen` already holds.
pub async fn open(
    config: &Config,
    signer: UrlSigner,
    chosen: Backends,
) -> anyhow::Result<(MediaStore, Arc<dyn MetadataStore>)> {
    let sdk = match config.uses_aws() && (chosen.media.is_none() || chosen.metadata.is_none()) {
        true => Some(aws::load_sdk_config(config.aws.aws_region.as_deref()).await),
        false => None,
    };
    let media = match chosen.media {
        Some(media) => media,
        None => open_media(config, signer, sdk.as_ref())?,
    };
    let metadata = match chosen.metadata {
        Some(metadata) => metadata,
        None => open_metadata(config, sdk.as_ref())?,
    };
    Ok((media, metadata))
}

fn open_media(
    config: &Config,
    signer: UrlSigner,
    sdk: Option<&aws_config::SdkConfig>,
) -> anyhow::Result<MediaStore> {
    Ok(match (&config.aws.s3_bucket_name, sdk) {
        (Some(bucket), Some(sdk)) => {
            let endpoint = aws::s3_endpoint_override();
            let objects = aws::s3_object_store(sdk, bucket, endpoint.as_deref())?;
            let presigner = aws::S3Presigner::new(sdk, bucket, endpoint.as_deref())?;
            tracing::info!(bucket = %bucket, "storing images in S3");
            MediaStore::s3(
                Arc::new(objects),
                presigner,
                config.media.cdn_base_url.as_deref().map(|base| {
                    let secret = config.media.cdn_signing_secret.as_ref();
                    if secret.is_none() {
                        tracing::warn!(
                            "CDN_BASE_URL is set without CDN_SIGNING_SECRET: image URLs are \
                             unsigned and never expire"
                        );
                    }
                    Cdn::new(base, secret.map(|secret| secret.expose_secret().as_bytes()))
                }),
                signer,
            )
        }
        _ => MediaStore::local(&config.server.data_dir.join("images"), signer)?,
    })
}

fn open_metadata(
    config: &Config,
    sdk: Option<&aws_config::SdkConfig>,
) -> anyhow::Result<Arc<dyn MetadataStore>> {
    Ok(
        match (
            &config.aws.dynamodb_table_users,
            &config.aws.dynamodb_table_images,
            sdk,
        ) {
            (Some(users), Some(images), Some(sdk)) => {
                tracing::info!(users = %users, images = %images, "keeping metadata in DynamoDB");
                Arc::new(
                    dynamodb::from_sdk_config(sdk, users, images)?
                        .with_storage_quota(config.storage_quota()),
                )
            }
            (None, None, _) => Arc::new(
                SqliteStore::open(&config.server.data_dir.join("promptcanvas.db"))?
                    .with_storage_quota(config.storage_quota()),
            ),
            _ => {
                anyhow::bail!("set both DYNAMODB_TABLE_USERS and DYNAMODB_TABLE_IMAGES, or neither")
            }
        },
    )
}

/// The resources `init-aws` creates for these settings.
pub fn aws_resources(config: &Config) -> crate::store::aws::init::AwsResources {
    crate::store::aws::init::AwsResources {
        bucket: config.aws.s3_bucket_name.clone(),
        users_table: config.aws.dynamodb_table_users.clone(),
        images_table: config.aws.dynamodb_table_images.clone(),
    }
}

/// Runs `init-aws` for these settings.
pub async fn init_aws(config: &Config) -> anyhow::Result<Vec<String>> {
    anyhow::ensure!(
        config.uses_aws(),
        "set S3_BUCKET_NAME and/or DYNAMODB_TABLE_USERS and DYNAMODB_TABLE_IMAGES"
    );
    let sdk = aws::load_sdk_config(config.aws.aws_region.as_deref()).await;
    let endpoint = aws::s3_endpoint_override();
    crate::store::aws::init::init(&sdk, &aws_resources(config), endpoint.as_deref())
        .await
        .context("creating the AWS resources")
}
