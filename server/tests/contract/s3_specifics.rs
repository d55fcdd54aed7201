//! What only the AWS backends have: what `init-aws` creates, how S3 objects
//! are stored and linked, how a lost DynamoDB answer is survived, and the
//! real binary running on S3 + DynamoDB.

use std::{
    net::TcpListener,
    process::{Command, Stdio},
    sync::Arc,
    time::{Duration, Instant},
};

use aws_sdk_dynamodb::types::{AttributeValue, BillingMode, KeyType, TimeToLiveStatus};
use bytes::Bytes;
use object_store::{ObjectStore, path::Path as ObjectPath};
use promptcanvas::{store::aws, store::aws::init as init_aws, store::metadata::StoreError};
use reqwest::{Client, StatusCode};
use serde_json::{Value, json};

use crate::{backends, metadata_cases, moto};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn init_aws_creates_keyed_tables_with_ttl_and_is_idempotent() {
    let _turn = moto::take_turn().await;
    let sdk = moto::sdk_config().await;
    let resources = init_aws::AwsResources {
        bucket: Some(moto::unique_name("init")),
        users_table: Some(moto::unique_name("users")),
        images_table: Some(moto::unique_name("images")),
    };
    let endpoint = moto::moto().endpoint.clone();
    let first = init_aws::init(&sdk, &resources, Some(&endpoint))
        .await
        .unwrap();
    assert!(
        first.iter().all(|line| !line.contains("already")),
        "{first:?}"
    );
    let second = init_aws::init(&sdk, &resources, Some(&endpoint))
        .await
        .unwrap();
    assert!(second[0].ends_with("already exists"), "{second:?}");
    assert!(second[1].ends_with("already on"), "{second:?}");

    let client = aws_sdk_dynamodb::Client::new(&sdk);
    for (table, hash, range) in [
        (resources.users_table.as_ref().unwrap(), "pk", "sk"),
        (
            resources.images_table.as_ref().unwrap(),
            "user_id",
            "image_id",
        ),
    ] {
        let described = client
            .describe_table()
            .table_name(table)
            .send()
            .await
            .unwrap();
        let table = described.table().unwrap();
        let keys: Vec<(String, KeyType)> = table
            .key_schema()
            .iter()
            .map(|key| (key.attribute_name().to_owned(), key.key_type().clone()))
            .collect();
        assert_eq!(
            keys,
            vec![
                (hash.to_owned(), KeyType::Hash),
                (range.to_owned(), KeyType::Range)
            ]
        );
        assert_eq!(
            table.billing_mode_summary().and_then(|b| b.billing_mode()),
            Some(&BillingMode::PayPerRequest)
        );
        assert!(table.global_secondary_indexes().is_empty());
    }
    let ttl = client
        .describe_time_to_live()
        .table_name(resources.users_table.as_ref().unwrap())
        .send()
        .await
        .unwrap();
    let ttl = ttl.time_to_live_description().unwrap();
    assert_eq!(ttl.time_to_live_status(), Some(&TimeToLiveStatus::Enabled));
    assert_eq!(ttl.attribute_name(), Some("expires_at"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn s3_objects_carry_their_type_and_cache_headers_through_presigned_urls() {
    let backend = backends::aws().await;
    let key = format!("users/{}/img.png", ulid::Ulid::new());
    let png = std::fs::read(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/corpus/small.png"
    ))
    .unwrap();
    backend
        .media
        .put(&key, Bytes::from(png.clone()))
        .await
        .unwrap();
    let now = time::OffsetDateTime::now_utc().unix_timestamp();
    let links = backend.media.links(now, "").await.unwrap();
    let (url, _) = links
        .urls(&key, &key.replace(".png", ".thumb.jpg"))
        .unwrap();
    assert!(url.starts_with(&moto::moto().endpoint), "{url}");
    assert!(url.contains("X-Amz-Signature="), "{url}");
    let loaded = reqwest::get(&url).await.unwrap();
    assert_eq!(loaded.status(), StatusCode::OK);
    assert_eq!(loaded.headers()["content-type"], "image/png");
    assert_eq!(
        loaded.headers()["cache-control"],
        promptcanvas::store::media::OBJECT_CACHE_CONTROL
    );
    assert_eq!(loaded.bytes().await.unwrap(), png);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_web_app_may_load_images_from_the_bucket_and_nowhere_else() {
    let backend = backends::aws().await;
    let app = crate::app::App::spawn(backend.media.clone(), backend.metadata.clone()).await;
    let page = reqwest::get(app.url("/")).await.unwrap();
    let csp = page.headers()["content-security-policy"]
        .to_str()
        .unwrap()
        .to_owned();
    let img_src = csp
        .split(';')
        .find(|d| d.trim().starts_with("img-src"))
        .unwrap()
        .trim()
        .to_owned();
    assert_eq!(
        img_src,
        format!("img-src 'self' data: blob: {}", moto::moto().endpoint)
    );
}

/// A free loopback port for the binary.
fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

fn binary(names: &init_aws::AwsResources, data_dir: &std::path::Path) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_promptcanvas"));
    command
        .env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .env("DATA_DIR", data_dir)
        .env("WEB_DIST_DIR", data_dir.join("no-web"))
        .env("S3_BUCKET_NAME", names.bucket.as_ref().unwrap())
        .env("DYNAMODB_TABLE_USERS", names.users_table.as_ref().unwrap())
        .env(
            "DYNAMODB_TABLE_IMAGES",
            names.images_table.as_ref().unwrap(),
        )
        .env("AWS_REGION", moto::REGION)
        .env("AWS_ENDPOINT_URL", &moto::moto().endpoint)
        .env("AWS_ACCESS_KEY_ID", "test")
        .env("AWS_SECRET_ACCESS_KEY", "test")
        .env("AWS_EC2_METADATA_DISABLED", "true")
        .env("RUST_LOG", "warn");
    command
}

/// Stops the server when the test ends, passed or not.
struct Running(std::process::Child);

impl Drop for Running {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_real_binary_runs_the_product_on_s3_and_dynamodb() {
    let _turn = moto::take_turn().await;
    let names = init_aws::AwsResources {
        bucket: Some(moto::unique_name("e2e")),
        users_table: Some(moto::unique_name("users")),
        images_table: Some(moto::unique_name("images")),
    };
    let data_dir = tempfile::tempdir().unwrap();
    for expected in ["created", "already exists"] {
        let output = binary(&names, data_dir.path())
            .arg("init-aws")
            .output()
            .unwrap();
        let stdout = String::from_utf8_lossy(&output.stdout);
        assert!(
            output.status.success(),
            "{stdout}{}",
            String::from_utf8_lossy(&output.stderr)
        );
        assert!(
            stdout.lines().next().unwrap().ends_with(expected),
            "{stdout}"
        );
    }

    let port = free_port();
    let _server = Running(
        binary(&names, data_dir.path())
            .env("BIND_ADDR", format!("127.0.0.1:{port}"))
            .arg("serve")
            .stdout(Stdio::null())
            .spawn()
            .unwrap(),
    );
    let base = format!("http://127.0.0.1:{port}");
    let client = Client::builder().cookie_store(true).build().unwrap();
    let deadline = Instant::now() + Duration::from_secs(30);
    while client
        .get(format!("{base}/api/health"))
        .send()
        .await
        .is_err()
    {
        assert!(Instant::now() < deadline, "the server did not start");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }

    let email = format!(
        "{}@Example.com",
        ulid::Ulid::new().to_string().to_lowercase()
    );
    let signup = client
        .post(format!("{base}/api/auth/signup"))
        .json(&json!({"email": email, "password": "correct horse battery"}))
        .send()
        .await
        .unwrap();
    assert_eq!(signup.status(), StatusCode::CREATED);
    let user_id = signup.json::<Value>().await.unwrap()["user"]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let generated = client
        .post(format!("{base}/api/generations"))
        .json(&json!({"prompt": "harbour lights", "width": 256, "height": 256, "n": 2}))
        .send()
        .await
        .unwrap();
    assert_eq!(generated.status(), StatusCode::CREATED);
    let generated: Value = generated.json().await.unwrap();
    let images = generated["generation"]["images"]
        .as_array()
        .unwrap()
        .clone();
    let page: Value = client
        .get(format!("{base}/api/images?q=harb"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(page["items"].as_array().unwrap().len(), 2);
    let thumbnail = reqwest::get(page["items"][0]["thumbnail_url"].as_str().unwrap())
        .await
        .unwrap();
    assert_eq!(thumbnail.status(), StatusCode::OK);
    let (deleted, kept) = (
        images[0]["id"].as_str().unwrap(),
        images[1]["id"].as_str().unwrap(),
    );
    let delete = client
        .delete(format!("{base}/api/images/{deleted}"))
        .send()
        .await
        .unwrap();
    assert_eq!(delete.status(), StatusCode::NO_CONTENT);

    // Straight to moto, past the product: the items and objects are where the layout says.
    let sdk = moto::sdk_config().await;
    let dynamodb = aws_sdk_dynamodb::Client::new(&sdk);
    let item = |table: &str, keys: [(&str, String); 2]| {
        let request = dynamodb.get_item().table_name(table).consistent_read(true);
        keys.into_iter()
            .fold(request, |request, (name, value)| {
                request.key(name, AttributeValue::S(value))
            })
            .send()
    };
    let users = names.users_table.as_ref().unwrap();
    let images_table = names.images_table.as_ref().unwrap();
    let profile = item(
        users,
        [("pk", format!("USER#{user_id}")), ("sk", "PROFILE".into())],
    )
    .await
    .unwrap();
    let profile = profile.item().unwrap();
    assert_eq!(profile["image_count"], AttributeValue::N("1".into()));
    assert!(profile.contains_key("password_hash"));
    let claim = item(
        users,
        [
            ("pk", format!("EMAIL#{}", email.to_lowercase())),
            ("sk", "EMAIL".into()),
        ],
    )
    .await
    .unwrap();
    assert_eq!(
        claim.item().unwrap()["user_id"],
        AttributeValue::S(user_id.clone())
    );
    let kept_item = item(
        images_table,
        [("user_id", user_id.clone()), ("image_id", kept.to_owned())],
    )
    .await
    .unwrap();
    assert_eq!(
        kept_item.item().unwrap()["prompt"],
        AttributeValue::S("harbour lights".into())
    );
    let deleted_item = item(
        images_table,
        [
            ("user_id", user_id.clone()),
            ("image_id", deleted.to_owned()),
        ],
    )
    .await
    .unwrap();
    assert!(deleted_item.item().is_none());

    let endpoint = moto::moto().endpoint.clone();
    let s3 = aws::s3_object_store(&sdk, names.bucket.as_ref().unwrap(), Some(&endpoint)).unwrap();
    let mut keys: Vec<String> = futures::TryStreamExt::try_collect::<Vec<_>>(
        s3.list(Some(&ObjectPath::from(format!("users/{user_id}")))),
    )
    .await
    .unwrap()
    .into_iter()
    .map(|meta| meta.location.to_string())
    .collect();
    keys.sort();
    let ext = if images[1]["content_type"] == "image/png" {
        "png"
    } else {
        "jpg"
    };
    assert_eq!(
        keys,
        vec![
            format!("users/{user_id}/{kept}.{ext}"),
            format!("users/{user_id}/{kept}.thumb.jpg")
        ]
    );
    // An orphan (a file no record names) is removed by `sweep`; recorded files stay.
    let orphan = format!("users/{user_id}/{}.png", ulid::Ulid::new());
    s3.put(
        &ObjectPath::from(orphan.as_str()),
        Bytes::from_static(b"orphan").into(),
    )
    .await
    .unwrap();
    let swept = binary(&names, data_dir.path())
        .env("ORPHAN_GRACE_SECS", "0")
        .arg("sweep")
        .output()
        .unwrap();
    assert!(
        swept.status.success(),
        "{}",
        String::from_utf8_lossy(&swept.stderr)
    );
    assert_eq!(
        String::from_utf8_lossy(&swept.stdout).trim(),
        "deleted 0 images whose time in the trash ran out; examined 3 files, removed 1 orphans"
    );
    assert!(s3.head(&ObjectPath::from(orphan.as_str())).await.is_err());
    assert!(s3.head(&ObjectPath::from(keys[0].as_str())).await.is_ok());

    // Nothing went to the local fallbacks.
    assert!(!data_dir.path().join("promptcanvas.db").exists());
    assert!(!data_dir.path().join("images").exists());
}

/// Stands between the client and moto and answers as S3 does for a role that
/// may not list the bucket: a GET of a missing key is `403 AccessDenied`, not
/// 404. Keys named `…expired…` get the 403 S3 gives for stale credentials.
async fn s3_without_list_permission(
    axum::extract::State(upstream): axum::extract::State<String>,
    request: axum::extract::Request,
) -> axum::response::Response {
    use axum::{http::header, response::IntoResponse};
    let (parts, body) = request.into_parts();
    let body = axum::body::to_bytes(body, usize::MAX).await.unwrap();
    let denied = |code: &str| {
        let xml = format!(
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error><Code>{code}</Code>\
             <Message>Access Denied</Message><RequestId>0123456789ABCDEF</RequestId></Error>"
        );
        (
            StatusCode::FORBIDDEN,
            [(header::CONTENT_TYPE, "application/xml")],
            xml,
        )
            .into_response()
    };
    if parts.uri.path().contains("expired") {
        return denied("ExpiredToken");
    }
    let path = parts.uri.path_and_query().map_or("/", |path| path.as_str());
    let mut forwarded = Client::new()
        .request(parts.method.clone(), format!("{upstream}{path}"))
        .body(body);
    for (name, value) in &parts.headers {
        if name != header::HOST {
            forwarded = forwarded.header(name, value);
        }
    }
    let answer = forwarded.send().await.unwrap();
    if parts.method == reqwest::Method::GET && answer.status() == StatusCode::NOT_FOUND {
        return denied("AccessDenied");
    }
    let mut response = axum::response::Response::builder().status(answer.status());
    for (name, value) in answer.headers() {
        response = response.header(name, value);
    }
    response
        .body(axum::body::Body::from(answer.bytes().await.unwrap()))
        .unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_missing_object_is_missing_even_when_s3_says_access_denied() {
    let _turn = moto::take_turn().await;
    let sdk = moto::sdk_config().await;
    let bucket = moto::unique_name("no-list");
    let names = init_aws::AwsResources {
        bucket: Some(bucket.clone()),
        users_table: None,
        images_table: None,
    };
    let endpoint = moto::moto().endpoint.clone();
    init_aws::init(&sdk, &names, Some(&endpoint)).await.unwrap();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let proxy = format!("http://{}", listener.local_addr().unwrap());
    let app = axum::Router::new()
        .fallback(s3_without_list_permission)
        .with_state(endpoint);
    tokio::spawn(async move { axum::serve(listener, app).await });

    let objects = aws::s3_object_store(&sdk, &bucket, Some(&proxy)).unwrap();
    let presigner = aws::S3Presigner::new(&sdk, &bucket, Some(&proxy)).unwrap();
    let media = promptcanvas::store::media::MediaStore::s3(
        Arc::new(objects),
        presigner,
        None,
        backends::signer(),
    );
    let key = "users/someone/01JDPRESENT.jpg";
    media
        .put(key, Bytes::from_static(b"\xff\xd8 bytes"))
        .await
        .unwrap();

    assert_eq!(
        media.get(key).await.unwrap().as_deref(),
        Some(&b"\xff\xd8 bytes"[..])
    );
    assert_eq!(
        media.get("users/someone/01JDGONE.jpg").await.unwrap(),
        None,
        "a 403 AccessDenied for a missing key reads as missing, so the API answers 404"
    );
    let stale = media.get("users/someone/expired.jpg").await;
    assert!(
        stale.is_err(),
        "other refusals, such as expired credentials, stay errors"
    );
}

/// Has the moto launcher apply the next `count` transactions and answer each
/// with DynamoDB's 500, as when an answer is lost.
async fn lose_transaction_answers(count: u32) {
    let answer = Client::new()
        .post(format!("{}/_faults/dynamodb", moto::moto().endpoint))
        .json(&json!({"lose_answers": count}))
        .send()
        .await
        .unwrap();
    assert_eq!(answer.status(), StatusCode::OK);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn images_whose_recording_answer_was_lost_are_recorded_once() {
    // Arrange
    let backend = backends::aws().await;
    let store = backend.metadata.clone();
    let user = metadata_cases::signed_up(&store).await;
    let generation = |bytes: u64| {
        let mut ids = ulid::Generator::new();
        (0..2)
            .map(|_| {
                let id = ids.generate().unwrap().to_string();
                metadata_cases::image(&user.id, &id, "a lost answer", bytes)
            })
            .collect::<Vec<_>>()
    };
    let (first, second) = (generation(100), generation(1000));

    // Act: the SDK sends the transaction again after the lost answer.
    lose_transaction_answers(1).await;
    let retried = store.insert_images(&first).await;
    // Every answer lost: the SDK gives up without knowing.
    lose_transaction_answers(10).await;
    let unknown = store.insert_images(&second).await;
    lose_transaction_answers(0).await;

    // Assert: the repeat found its own writes and succeeded, counted once.
    retried.expect("the repeat of an applied transaction succeeds");
    assert!(
        matches!(unknown, Err(StoreError::OutcomeUnknown(_))),
        "{unknown:?}"
    );
    for image in first.iter().chain(&second) {
        assert!(
            store
                .image_record_exists(&user.id, &image.id)
                .await
                .unwrap()
        );
    }
    let usage = store.usage(&user.id, "2026-12").await.unwrap();
    assert_eq!(usage.images, 4);
    assert_eq!(usage.storage_bytes, 2 * 100 + 2 * 1000);
}

/// Tables written by a version that kept no totals: `init-aws` counts them
/// from the profiles once, and the statistics read them from then on.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn init_aws_counts_the_totals_of_tables_from_before_the_statistics() {
    use promptcanvas::store::metadata::{DynamoStore, MetadataStore};

    let _turn = moto::take_turn().await;
    let sdk = moto::sdk_config().await;
    let resources = init_aws::AwsResources {
        bucket: None,
        users_table: Some(moto::unique_name("users")),
        images_table: Some(moto::unique_name("images")),
    };
    let fresh = init_aws::init(&sdk, &resources, None).await.unwrap();
    assert_eq!(
        fresh.len(),
        3,
        "a fresh table has nothing to count: {fresh:?}"
    );
    let (users, images) = (
        resources.users_table.clone().unwrap(),
        resources.images_table.clone().unwrap(),
    );
    let client = aws_sdk_dynamodb::Client::new(&sdk);
    let store: Arc<dyn MetadataStore> = Arc::new(DynamoStore::new(client.clone(), &users, &images));
    let user = metadata_cases::signed_up(&store).await;
    metadata_cases::record_images(&store, &user, 2, |_| "old harbour".into()).await;
    // As the previous version left it: no totals at all.
    for shard in 0..8 {
        client
            .delete_item()
            .table_name(&users)
            .key("pk", AttributeValue::S("STATS".into()))
            .key("sk", AttributeValue::S(format!("TOTAL#{shard}")))
            .send()
            .await
            .unwrap();
    }

    let upgraded = init_aws::init(&sdk, &resources, None).await.unwrap();
    let again = init_aws::init(&sdk, &resources, None).await.unwrap();

    assert_eq!(
        upgraded.last().unwrap(),
        "counted 1 users and 2 images (201 bytes) stored before the statistics"
    );
    assert_eq!(again.len(), 3, "{again:?}");
    let figures = store.statistics("2026-01-01", "2026-01-01").await.unwrap();
    assert_eq!(
        (figures.users, figures.images, figures.storage_bytes),
        (1, 2, 201)
    );
}
