//! The backends under test, each opened fresh for one test: SQLite in a temp
//! folder and local files, or DynamoDB and S3 on the local moto server (tables
//! and bucket made by the product's own `init-aws` code).

use std::{sync::Arc, sync::OnceLock, time::Duration};

use promptcanvas::{
    store::aws,
    store::aws::init::{self as init_aws, AwsResources},
    store::media::{MediaStore, UrlSigner},
    store::metadata::{DynamoStore, MetadataStore, SqliteStore},
};
use tempfile::TempDir;

use crate::moto;

pub struct Backend {
    pub metadata: Arc<dyn MetadataStore>,
    pub media: MediaStore,
    _dir: TempDir,
    _turn: Option<tokio::sync::MutexGuard<'static, ()>>,
}

/// Every store under test keeps at most this many bytes per user.
pub const STORAGE_QUOTA: u64 = 1_000_000;

pub fn signer() -> UrlSigner {
    UrlSigner::new(vec![9; 32], Duration::from_secs(3600))
}

pub async fn local() -> Backend {
    let dir = tempfile::tempdir().expect("temp dir");
    Backend {
        metadata: Arc::new(
            SqliteStore::open(&dir.path().join("db.sqlite"))
                .expect("sqlite")
                .with_storage_quota(Some(STORAGE_QUOTA)),
        ),
        media: MediaStore::local(&dir.path().join("images"), signer()).expect("media"),
        _dir: dir,
        _turn: None,
    }
}

/// Tables and a bucket shared by the tests of one binary (tests never share
/// users, so they never see each other's data).
fn shared_names() -> &'static AwsResources {
    static NAMES: OnceLock<AwsResources> = OnceLock::new();
    NAMES.get_or_init(|| AwsResources {
        bucket: Some(moto::unique_name("images")),
        users_table: Some(moto::unique_name("users")),
        images_table: Some(moto::unique_name("images")),
    })
}

pub async fn aws() -> Backend {
    let turn = moto::take_turn().await;
    let sdk = moto::sdk_config().await;
    let names = shared_names().clone();
    let endpoint = moto::moto().endpoint.clone();
    // Idempotent: every test runs it, the first one creates.
    init_aws::init(&sdk, &names, Some(&endpoint))
        .await
        .expect("init-aws against moto");
    let (bucket, users, images) = (
        names.bucket.unwrap(),
        names.users_table.unwrap(),
        names.images_table.unwrap(),
    );
    let objects = aws::s3_object_store(&sdk, &bucket, Some(&endpoint)).expect("s3 store");
    let presigner = aws::S3Presigner::new(&sdk, &bucket, Some(&endpoint)).expect("presigner");
    Backend {
        metadata: Arc::new(
            DynamoStore::new(aws_sdk_dynamodb::Client::new(&sdk), &users, &images)
                .with_storage_quota(Some(STORAGE_QUOTA)),
        ),
        media: MediaStore::s3(Arc::new(objects), presigner, None, signer()),
        _dir: tempfile::tempdir().expect("temp dir"),
        _turn: Some(turn),
    }
}
