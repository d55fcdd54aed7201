//! The gallery figure on DynamoDB + S3 (a local moto server from `.venv`).
//! moto answers far slower than DynamoDB does, so besides the load figures
//! this measures, one request at a time, the whole page and the same
//! DynamoDB round trips made bare with the SDK: the difference is the work
//! our server adds per page on top of the store.

use std::{
    path::PathBuf,
    process::{Child, Command, Stdio},
    sync::Arc,
    time::{Duration, Instant},
};

use aws_config::{BehaviorVersion, Region};
use aws_credential_types::Credentials;
use aws_sdk_dynamodb::types::AttributeValue;
use promptcanvas::{
    Application,
    auth::local::token_hash,
    settings::Config,
    store::aws,
    store::aws::init::{self as init_aws, AwsResources},
    store::backends::Backends,
    store::media::{MediaStore, UrlSigner},
    store::metadata::{DynamoStore, MetadataStore},
};

use super::{
    create_user, free_port, median, new_session, parse_wrk_duration_ms, run_wrk, seed_gallery,
    wrk_figure,
};

pub struct Figures {
    pub requests_per_sec: f64,
    pub p99_ms: f64,
    pub page_ms: f64,
    pub store_ms: f64,
}

/// moto_server, stopped when dropped.
pub struct Moto(Child);

impl Drop for Moto {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn start_moto() -> anyhow::Result<(Moto, String)> {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../.venv/bin/moto_server");
    anyhow::ensure!(
        path.exists(),
        "{} is missing: run `make venv`",
        path.display()
    );
    let port = free_port()?;
    let moto = Moto(
        Command::new(path)
            .args(["-H", "127.0.0.1", "-p", &port.to_string()])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()?,
    );
    let deadline = Instant::now() + Duration::from_secs(60);
    while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
        anyhow::ensure!(Instant::now() < deadline, "moto_server did not start");
        std::thread::sleep(Duration::from_millis(100));
    }
    Ok((moto, format!("http://127.0.0.1:{port}")))
}

/// DynamoDB tables and an S3 bucket on a fresh moto server, as `init-aws`
/// makes them; the server stops when this is dropped.
pub struct OnMoto {
    _moto: Moto,
    pub metadata: Arc<dyn MetadataStore>,
    pub media: MediaStore,
    client: aws_sdk_dynamodb::Client,
}

const USERS_TABLE: &str = "bench-users";
const IMAGES_TABLE: &str = "bench-images";

pub async fn stores_on_moto() -> anyhow::Result<OnMoto> {
    let (moto, endpoint) = start_moto()?;
    let http_client = aws_smithy_http_client::Builder::new()
        .tls_provider(aws_smithy_http_client::tls::Provider::Rustls(
            aws_smithy_http_client::tls::rustls_provider::CryptoMode::Ring,
        ))
        .build_https();
    let sdk = aws_config::defaults(BehaviorVersion::latest())
        .http_client(http_client)
        .region(Region::new("us-east-1"))
        .credentials_provider(Credentials::new("bench", "bench", None, None, "static"))
        .endpoint_url(&endpoint)
        .load()
        .await;
    let (users_table, images_table, bucket) = (USERS_TABLE, IMAGES_TABLE, "bench-media");
    init_aws::init(
        &sdk,
        &AwsResources {
            bucket: Some(bucket.into()),
            users_table: Some(users_table.into()),
            images_table: Some(images_table.into()),
        },
        Some(&endpoint),
    )
    .await?;
    let client = aws_sdk_dynamodb::Client::new(&sdk);
    let metadata: Arc<dyn MetadataStore> =
        Arc::new(DynamoStore::new(client.clone(), users_table, images_table));
    let media = MediaStore::s3(
        Arc::new(aws::s3_object_store(&sdk, bucket, Some(&endpoint))?),
        aws::S3Presigner::new(&sdk, bucket, Some(&endpoint))?,
        None,
        UrlSigner::new(vec![7; 32], Duration::from_secs(3600)),
    );

    Ok(OnMoto {
        _moto: moto,
        metadata,
        media,
        client,
    })
}

pub async fn gallery_on_dynamodb() -> anyhow::Result<Figures> {
    let OnMoto {
        _moto,
        metadata,
        media,
        client,
    } = stores_on_moto().await?;
    let (users_table, images_table) = (USERS_TABLE, IMAGES_TABLE);
    let user = create_user(metadata.as_ref()).await?;
    seed_gallery(metadata.as_ref(), &user, 1000).await?;
    let token = new_session(metadata.as_ref(), &user).await?;
    let hash = token_hash(&token);

    let data = tempfile::tempdir()?;
    let mut config = Config::for_data_dir(data.path());
    config.telemetry.log_filter = "error".into();
    config.limits.requests_per_second = u32::MAX;
    config.limits.request_burst = u32::MAX;
    let backends = Backends {
        media: Some(media),
        metadata: Some(metadata),
    };
    let app = Application::build_with(config, backends).await?;
    let url = format!("http://127.0.0.1:{}/api/images?limit=24", app.port());
    let server = tokio::spawn(app.run_until(std::future::pending()));

    let cookie = format!("Cookie: pc_session={token}");
    run_wrk(&url, &cookie, 2)?;
    let output = run_wrk(&url, &cookie, 10)?;
    let requests_per_sec = wrk_figure(&output, "Requests/sec:").unwrap_or(0.0);
    let p99_ms = output
        .lines()
        .find(|line| line.trim_start().starts_with("99%"))
        .and_then(|line| line.split_whitespace().nth(1))
        .map(parse_wrk_duration_ms)
        .unwrap_or(f64::NAN);
    let non_2xx = wrk_figure(&output, "Non-2xx or 3xx responses:").unwrap_or(0.0);
    anyhow::ensure!(
        non_2xx == 0.0,
        "gallery on DynamoDB answered {non_2xx} errors:\n{output}"
    );

    // One request at a time, alternating the whole page and its DynamoDB round
    // trips made bare, so moto's drift over time affects both alike.
    let http = reqwest::Client::new();
    let (mut page, mut store) = (Vec::new(), Vec::new());
    for _ in 0..100 {
        let started = Instant::now();
        let answer = http
            .get(&url)
            .header("Cookie", format!("pc_session={token}"))
            .send()
            .await?;
        anyhow::ensure!(
            answer.status().is_success(),
            "gallery answered {}",
            answer.status()
        );
        answer.bytes().await?;
        page.push(started.elapsed().as_secs_f64() * 1000.0);

        let started = Instant::now();
        client
            .get_item()
            .table_name(users_table)
            .key(
                "pk",
                AttributeValue::S(format!("SESSION#{}", hex::encode(hash))),
            )
            .key("sk", AttributeValue::S("SESSION".into()))
            .consistent_read(true)
            .send()
            .await?;
        client
            .get_item()
            .table_name(users_table)
            .key("pk", AttributeValue::S(format!("USER#{}", user.id)))
            .key("sk", AttributeValue::S("PROFILE".into()))
            .consistent_read(true)
            .send()
            .await?;
        client
            .query()
            .table_name(images_table)
            .key_condition_expression("user_id = :user")
            .filter_expression("attribute_not_exists(#hidden)")
            .expression_attribute_names("#hidden", "hidden")
            .expression_attribute_values(":user", AttributeValue::S(user.id.clone()))
            .scan_index_forward(false)
            .limit(25)
            .send()
            .await?;
        store.push(started.elapsed().as_secs_f64() * 1000.0);
    }
    server.abort();
    Ok(Figures {
        requests_per_sec,
        p99_ms,
        page_ms: median(page),
        store_ms: median(store),
    })
}
