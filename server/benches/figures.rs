//! `make bench`: the performance figures the README reports.
//!
//! Timings are medians over repeated runs on this machine, printed as a table;
//! the gallery figure comes from `wrk` driving the real server over loopback.

use std::{
    process::{Command, Stdio},
    time::{Duration, Instant},
};

use bytes::Bytes;
use promptcanvas::{
    Application,
    auth::local::new_session_token,
    generation::imaging,
    generation::pipeline::image_records,
    generation::{
        GenerationPlan, GenerationRequest, ImageProvider, OfflineProvider, ProviderImage, together,
    },
    settings::Config,
    store::metadata::{CollectionRecord, MetadataStore, NewSession, User},
};
use promptcanvas_offline::{RenderRequest, render_jpeg};
use time::OffsetDateTime;

#[path = "support/dynamodb_gallery.rs"]
mod dynamodb_gallery;
#[path = "support/export.rs"]
mod export_bench;
#[path = "load/mixed.rs"]
mod mixed_load;

#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

const PROMPT: &str = "sunset over the ocean with mountains, oil painting";

type Row = (&'static str, f64, &'static str);

/// Whether `BENCH_ONLY` (a comma list; unset means every section) names `section`.
fn wanted(section: &str) -> bool {
    std::env::var("BENCH_ONLY").map_or(true, |only| {
        only.split(',').any(|name| name.trim() == section)
    })
}

fn main() -> anyhow::Result<()> {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()?;
    let mut rows: Vec<Row> = Vec::new();
    if wanted("engine") {
        rows.push((
            "offline engine, 1024×1024 JPEG (ms, median, 1 core)",
            engine_ms(),
            "≤ 30",
        ));
    }
    if wanted("pipeline") {
        rows.extend(runtime.block_on(pipeline_rows())?);
    }
    if wanted("drafts") {
        rows.push((
            "offline draft, 512×512 at 1 step: the whole draft workflow on the server (ms, median)",
            runtime.block_on(draft_ms())?,
            "≤ 15",
        ));
    }
    if wanted("gallery") {
        rows.extend(runtime.block_on(gallery_rows())?);
    }
    if wanted("search") {
        rows.extend(runtime.block_on(search_rows())?);
    }
    if wanted("mixed") {
        rows.extend(runtime.block_on(mixed_rows())?);
    }
    if wanted("dynamodb") {
        rows.extend(runtime.block_on(dynamodb_rows())?);
    }
    if wanted("export") {
        rows.extend(runtime.block_on(export_rows())?);
    }
    if wanted("clerk") {
        rows.extend(runtime.block_on(clerk_rows())?);
    }
    if wanted("startup")
        && let Some(ms) = startup_ms()?
    {
        rows.push((
            "process start to first answer (ms, median of 10)",
            ms,
            "tens of ms",
        ));
    }
    println!("\n| figure | measured | target |\n|---|---:|---:|");
    for (name, value, target) in rows {
        println!("| {name} | {value:.2} | {target} |");
    }
    Ok(())
}

/// The image pipeline, fed a JPEG and a Together answer; the JPEG's rounds
/// alternate with Pillow doing the same work on the same bytes, so the ratio
/// of the two is measured under the same load.
async fn pipeline_rows() -> anyhow::Result<Vec<Row>> {
    let mut pillow = PillowReference::start(&pipeline_jpeg())?;
    let (ours, theirs) = pipeline_ms(Input::Jpeg, Some(&mut pillow)).await?;
    let theirs = theirs.expect("the JPEG rounds run beside Pillow's");
    let mut rows: Vec<Row> = Vec::new();
    rows.push((
        "pipeline per 1024×1024 JPEG: validate + thumbnail + placeholder + store + record (ms, median)",
        ours,
        "≤ ⅓ of Pillow's",
    ));
    rows.push((
        "Pillow on the same JPEG, same run: verify + draft thumbnail 512 + JPEG q80 + two files + one SQLite insert (ms, median)",
        theirs,
        "reference",
    ));
    rows.push(("pipeline ÷ Pillow (%)", 100.0 * ours / theirs, "≤ 33"));
    rows.push((
        "server overhead per Together image: answer JSON + base64 decode + the pipeline above (ms, median)",
        pipeline_ms(Input::TogetherAnswer, None).await?.0,
        "≤ 10",
    ));
    Ok(rows)
}

/// The gallery, trash and collection pages under `wrk`, local sign-in.
async fn gallery_rows() -> anyhow::Result<Vec<Row>> {
    let mut rows: Vec<Row> = Vec::new();
    let local = gallery_load(SignIn::Local).await?;
    rows.push((
        "gallery page, 24 of 1,000 images (250 of them in the trash), signed in, asked for again (requests/s)",
        local.gallery.0,
        "≥ 20,000",
    ));
    rows.push(("gallery page p99 latency (ms)", local.gallery.1, "≤ 5"));
    if let Some((rps, p99)) = local.health {
        rows.push((
            "/api/health through the same server and stack, same run (requests/s)",
            rps,
            "—",
        ));
        rows.push(("/api/health p99 latency (ms)", p99, "—"));
        rows.push((
            "  gallery page ÷ /api/health throughput (%)",
            100.0 * local.gallery.0 / rps,
            "≥ 50",
        ));
        rows.push((
            "  gallery page p99 ÷ /api/health p99",
            local.gallery.1 / p99,
            "≤ 2",
        ));
    }
    if let Some((rps, p99)) = local.afresh {
        rows.push((
            "gallery page read afresh each time (the first read after a change), same run (requests/s)",
            rps,
            "—",
        ));
        rows.push(("  that page's p99 latency (ms)", p99, "≤ 5"));
    }
    if let Some((rps, p99)) = local.trash {
        rows.push((
            "trash page, 24 of those 250, same run (requests/s)",
            rps,
            "≥ 80 % of the gallery page",
        ));
        rows.push((
            "  trash page ÷ gallery page throughput (%)",
            100.0 * rps / local.gallery.0,
            "≥ 80",
        ));
        rows.push(("trash page p99 latency (ms)", p99, "≤ 5"));
    }
    if let Some((rps, p99)) = local.collection {
        rows.push((
            "collection page, 24 of the 500 images of one collection, same run (requests/s)",
            rps,
            "≥ 80 % of the gallery page",
        ));
        rows.push((
            "  collection page ÷ gallery page throughput (%)",
            100.0 * rps / local.gallery.0,
            "≥ 80",
        ));
        rows.push(("collection page p99 latency (ms)", p99, "≤ 5"));
    }
    Ok(rows)
}

/// Words the search bench's prompts are made of, six to a prompt.
const SEARCH_VOCABULARY: [&str; 48] = [
    "golden",
    "harbour",
    "misty",
    "forest",
    "lighthouse",
    "sunset",
    "ocean",
    "mountain",
    "portrait",
    "robot",
    "castle",
    "river",
    "neon",
    "city",
    "street",
    "winter",
    "desert",
    "garden",
    "dragon",
    "ancient",
    "temple",
    "storm",
    "quiet",
    "village",
    "bridge",
    "night",
    "market",
    "painting",
    "sketch",
    "watercolour",
    "cinematic",
    "morning",
    "orchard",
    "canyon",
    "glacier",
    "meadow",
    "lantern",
    "harvest",
    "festival",
    "island",
    "volcano",
    "library",
    "station",
    "airship",
    "cathedral",
    "reef",
    "tundra",
    "bazaar",
];

/// A search among 20 users × 5,000 images while another of those users
/// pages their gallery: both under `wrk` at once, so the figures show what
/// a search costs the searcher and what it costs everyone else.
async fn search_rows() -> anyhow::Result<Vec<Row>> {
    let data = tempfile::tempdir()?;
    let mut config = Config::for_data_dir(data.path());
    config.telemetry.log_filter = "error".into();
    config.limits.requests_per_second = u32::MAX;
    config.limits.request_burst = u32::MAX;
    let app = Application::build(config).await?;
    let state = app.state().clone();
    let processed = bench_image()?;
    let mut users = Vec::new();
    let mut word = 0x2545_f491_u64;
    for number in 0..20 {
        let user = User {
            id: ulid::Ulid::new().to_string(),
            email: format!("searcher{number}@example.com"),
            display_name: None,
            created_at: OffsetDateTime::now_utc(),
        };
        state.metadata.create_user(&user, Some("unused")).await?;
        for _ in 0..50 {
            let mut batch = records(&user, &vec![processed.clone(); 100]);
            for record in &mut batch {
                record.prompt = (0..6)
                    .map(|_| {
                        // xorshift: the same prompts in every run.
                        word ^= word << 13;
                        word ^= word >> 7;
                        word ^= word << 17;
                        SEARCH_VOCABULARY[(word % 48) as usize]
                    })
                    .collect::<Vec<_>>()
                    .join(" ");
            }
            state.metadata.insert_images(&batch).await?;
        }
        users.push(user);
    }
    let searcher = format!(
        "Cookie: pc_session={}",
        new_session(state.metadata.as_ref(), &users[0]).await?
    );
    let browser = format!(
        "Cookie: pc_session={}",
        new_session(state.metadata.as_ref(), &users[1]).await?
    );
    let base = format!("http://127.0.0.1:{}/api/images?limit=24", app.port());
    let server = tokio::spawn(app.run_until(std::future::pending()));
    let search_url = format!("{base}&q=golden%20har");
    run_wrk(&search_url, &searcher, 2)?;
    run_wrk(&base, &browser, 2)?;
    let (search, gallery) = std::thread::scope(|scope| {
        let search = scope.spawn(|| measure_once(&search_url, &searcher, 10));
        let gallery = scope.spawn(|| measure_once(&base, &browser, 10));
        (search.join(), gallery.join())
    });
    server.abort();
    let ((search_rps, search_p99), (gallery_rps, gallery_p99)) = (
        search.map_err(|_| anyhow::anyhow!("the search load panicked"))??,
        gallery.map_err(|_| anyhow::anyhow!("the gallery load panicked"))??,
    );
    Ok(vec![
        (
            "search \"golden har\" in one of 20 galleries of 5,000 images (requests/s)",
            search_rps,
            "—",
        ),
        ("  search p99 latency (ms)", search_p99, "≤ 20"),
        (
            "another user's gallery page during those searches (requests/s)",
            gallery_rps,
            "—",
        ),
        ("  that gallery page's p99 latency (ms)", gallery_p99, "≤ 5"),
    ])
}

/// The release binary under a mixed read and generation load.
async fn mixed_rows() -> anyhow::Result<Vec<Row>> {
    let mut rows: Vec<Row> = Vec::new();
    let binary = release_binary();
    if binary.exists() {
        let load = mixed_load::run(&binary).await?;
        rows.extend([
            (
                "mixed load, 1,000 requests/s for 30 s: answered (requests/s)",
                load.throughput,
                "1,000",
            ),
            ("mixed load: read p50 (ms)", load.read_p50_ms, "—"),
            ("mixed load: read p99 (ms)", load.read_p99_ms, "≤ 25"),
            (
                "mixed load: generation p50, offline 1024×1024 (ms)",
                load.generation_p50_ms,
                "—",
            ),
            (
                "mixed load: generation p99 (ms)",
                load.generation_p99_ms,
                "—",
            ),
            (
                "mixed load: errors other than 429 (%)",
                load.error_rate,
                "0",
            ),
            ("mixed load: 5xx answers", load.server_errors as f64, "0"),
            ("mixed load: 429 answers", load.rate_limited as f64, "—"),
            (
                "mixed load: server peak RSS (MB)",
                load.peak_rss_mb,
                "≤ 150",
            ),
        ]);
    } else {
        eprintln!("skipping mixed load: build {} first", binary.display());
    }
    Ok(rows)
}

/// The gallery page on DynamoDB + S3 (moto), and our share of it.
async fn dynamodb_rows() -> anyhow::Result<Vec<Row>> {
    let mut rows: Vec<Row> = Vec::new();
    let dynamodb = dynamodb_gallery::gallery_on_dynamodb().await?;
    rows.push((
        "gallery page on DynamoDB + S3 (moto), 24 of 1,000 images (requests/s)",
        dynamodb.requests_per_sec,
        "moto-bound",
    ));
    rows.push((
        "gallery page on DynamoDB + S3 (moto) p99 latency (ms)",
        dynamodb.p99_ms,
        "moto-bound",
    ));
    rows.push((
        "  one at a time: whole page on DynamoDB (ms, median)",
        dynamodb.page_ms,
        "—",
    ));
    rows.push((
        "  of which the same 3 DynamoDB calls made bare with the SDK (ms, median)",
        dynamodb.store_ms,
        "—",
    ));
    rows.push((
        "  our share per page on DynamoDB: page − bare calls (ms)",
        dynamodb.page_ms - dynamodb.store_ms,
        "≤ 1",
    ));
    Ok(rows)
}

/// A 1,000-image export on local files and on S3 + DynamoDB (moto), and
/// the memory a quarter as many takes, which must be about the same.
async fn export_rows() -> anyhow::Result<Vec<Row>> {
    async fn on_local_files(count: usize) -> anyhow::Result<export_bench::ExportFigures> {
        let data = tempfile::tempdir()?;
        let metadata: std::sync::Arc<dyn MetadataStore> = std::sync::Arc::new(
            promptcanvas::store::metadata::SqliteStore::open(&data.path().join("db.sqlite"))?,
        );
        let media = promptcanvas::store::media::MediaStore::local(
            &data.path().join("images"),
            promptcanvas::store::media::UrlSigner::new(vec![7; 32], Duration::from_secs(3600)),
        )?;
        export_bench::export_figures(metadata, &media, count).await
    }
    let quarter = on_local_files(250).await?;
    let local = on_local_files(1000).await?;
    let moto = dynamodb_gallery::stores_on_moto().await?;
    let on_moto = export_bench::export_figures(moto.metadata.clone(), &moto.media, 1000).await?;
    Ok(vec![
        (
            "export of 1,000 1024² JPEGs, SQLite + local files (s)",
            local.seconds,
            "—",
        ),
        ("  its ZIP (MiB)", local.zip_mib, "—"),
        (
            "  memory it added at its peak (MiB)",
            local.peak_growth_mib,
            "—",
        ),
        (
            "  the same for 250 images (MiB)",
            quarter.peak_growth_mib,
            "—",
        ),
        (
            "  memory added, 1,000 images ÷ 250 images",
            local.peak_growth_mib / quarter.peak_growth_mib,
            "≤ 2 (proportional: 4)",
        ),
        (
            "export of 1,000 1024² JPEGs, DynamoDB + S3 on moto (s)",
            on_moto.seconds,
            "moto-bound",
        ),
        (
            "  memory it added at its peak (MiB)",
            on_moto.peak_growth_mib,
            "—",
        ),
    ])
}

/// Clerk token verification alone and the gallery page behind it.
async fn clerk_rows() -> anyhow::Result<Vec<Row>> {
    let mut rows: Vec<Row> = Vec::new();
    rows.push((
        "Clerk session token verification, cached key (µs, median)",
        clerk_bench::verify_us().await?,
        "≤ 25",
    ));
    let clerk = gallery_load(SignIn::Clerk).await?;
    rows.push((
        "gallery page as above, Clerk sign-in: token verified per request (requests/s)",
        clerk.gallery.0,
        "as local",
    ));
    rows.push((
        "gallery page p99 latency, Clerk sign-in (ms)",
        clerk.gallery.1,
        "≤ 5",
    ));
    Ok(rows)
}

fn median(mut samples: Vec<f64>) -> f64 {
    samples.sort_by(f64::total_cmp);
    samples[samples.len() / 2]
}

fn engine_ms() -> f64 {
    let request = |seed| RenderRequest {
        prompt: PROMPT,
        seed,
        width: 1024,
        height: 1024,
        steps: 4,
    };
    for seed in 0..3 {
        render_jpeg(&request(seed));
    }
    median(
        (0..21)
            .map(|seed| {
                let started = Instant::now();
                std::hint::black_box(render_jpeg(&request(seed)));
                started.elapsed().as_secs_f64() * 1000.0
            })
            .collect(),
    )
}

/// What the pipeline starts from: the JPEG itself, or Together's JSON answer carrying it.
#[derive(Clone, Copy)]
enum Input {
    Jpeg,
    TogetherAnswer,
}

/// The 1024×1024 JPEG the pipeline figures start from.
fn pipeline_jpeg() -> Bytes {
    Bytes::from(render_jpeg(&RenderRequest {
        prompt: PROMPT,
        seed: 1,
        width: 1024,
        height: 1024,
        steps: 4,
    }))
}

/// The median time of our pipeline and, given `pillow`, of Pillow's rounds
/// run in between (in A B B A order, so drift weighs on both alike).
async fn pipeline_ms(
    input: Input,
    mut pillow: Option<&mut PillowReference>,
) -> anyhow::Result<(f64, Option<f64>)> {
    let data = tempfile::tempdir()?;
    let app = Application::build(Config::for_data_dir(data.path())).await?;
    let state = app.state().clone();
    let user = create_user(state.metadata.as_ref()).await?;
    let jpeg = pipeline_jpeg();
    let answer = format!(
        r#"{{"id":"bench","model":"black-forest-labs/FLUX.1-schnell","object":"list","data":[{{"index":0,"b64_json":"{}","timings":{{"inference":0.61}}}}]}}"#,
        base64::Engine::encode(&base64::engine::general_purpose::STANDARD, &jpeg)
    );
    let mut samples = Vec::new();
    let mut reference = Vec::new();
    for round in 0..60 {
        let pillow_first = round % 2 == 1;
        let mut pillow_round = |pillow: &mut Option<&mut PillowReference>| -> anyhow::Result<()> {
            if let Some(pillow) = pillow.as_deref_mut() {
                let ms = pillow.round()?;
                if round >= 10 {
                    reference.push(ms);
                }
            }
            Ok(())
        };
        if pillow_first {
            pillow_round(&mut pillow)?;
        }
        let started = Instant::now();
        let bytes = match input {
            Input::Jpeg => jpeg.clone(),
            Input::TogetherAnswer => {
                let decoded = together::decode_response(answer.as_bytes())
                    .map_err(|error| anyhow::anyhow!("{error}"))?;
                match decoded.images.into_iter().next().map(|image| image.data) {
                    Some(together::ImageData::Inline(bytes)) => bytes,
                    _ => anyhow::bail!("answer without an inline image"),
                }
            }
        };
        let processed =
            tokio::task::spawn_blocking(move || imaging::process(bytes, 1 << 24)).await??;
        let records = records(&user, std::slice::from_ref(&processed));
        // Both files at once, as the generation's store step puts them.
        tokio::try_join!(
            state
                .media
                .put(&records[0].object_key, processed.original.clone()),
            state
                .media
                .put(&records[0].thumbnail_key, processed.thumbnail.clone()),
        )?;
        state.metadata.insert_images(&records).await?;
        if round >= 10 {
            samples.push(started.elapsed().as_secs_f64() * 1000.0);
        }
        if !pillow_first {
            pillow_round(&mut pillow)?;
        }
    }
    let reference = (!reference.is_empty()).then(|| median(reference));
    Ok((median(samples), reference))
}

/// Pillow doing the first server's pipeline on the same JPEG
/// (`tools/bench/pillow_pipeline.py`, run with `.venv`'s Python), one round
/// per request, timed by the script itself.
struct PillowReference {
    child: std::process::Child,
    answers: std::io::BufReader<std::process::ChildStdout>,
    _jpeg: tempfile::NamedTempFile,
}

impl PillowReference {
    fn start(jpeg: &[u8]) -> anyhow::Result<Self> {
        use std::io::{BufRead, Write};
        let repo = std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..");
        let python = repo.join(".venv/bin/python");
        anyhow::ensure!(
            python.exists(),
            "{} is missing: run `make venv` (the pipeline figure is a ratio against Pillow)",
            python.display()
        );
        let mut file = tempfile::NamedTempFile::new()?;
        file.write_all(jpeg)?;
        let mut child = Command::new(&python)
            .arg(repo.join("tools/bench/pillow_pipeline.py"))
            .arg(file.path())
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .spawn()?;
        let mut answers = std::io::BufReader::new(child.stdout.take().expect("piped"));
        let mut line = String::new();
        answers.read_line(&mut line)?;
        if line.trim() != "ready" {
            let _ = child.kill();
            let _ = child.wait();
            anyhow::bail!(
                "the Pillow reference did not start (is pillow in .venv? run `make venv`)"
            );
        }
        Ok(Self {
            child,
            answers,
            _jpeg: file,
        })
    }

    /// Runs one round; its time in milliseconds.
    fn round(&mut self) -> anyhow::Result<f64> {
        use std::io::{BufRead, Write};
        let stdin = self.child.stdin.as_mut().expect("piped");
        stdin.write_all(b"round\n")?;
        stdin.flush()?;
        let mut line = String::new();
        self.answers.read_line(&mut line)?;
        line.trim()
            .parse()
            .map_err(|_| anyhow::anyhow!("the Pillow reference answered {line:?}"))
    }
}

impl Drop for PillowReference {
    fn drop(&mut self) {
        // End of input ends the script, which removes its folder.
        drop(self.child.stdin.take());
        let _ = self.child.wait();
    }
}

/// A draft as live mode asks for it, through the same workflow the handler
/// runs: limits, reservation, the offline engine, checks, file and record.
async fn draft_ms() -> anyhow::Result<f64> {
    let data = tempfile::tempdir()?;
    let mut config = Config::for_data_dir(data.path());
    config.limits.drafts_per_minute = u32::MAX;
    config.limits.monthly_draft_quota = u32::MAX;
    let app = Application::build(config).await?;
    let state = app.state().clone();
    let user = create_user(state.metadata.as_ref()).await?;
    let mut samples = Vec::new();
    for round in 0..70u32 {
        let request: GenerationRequest = serde_json::from_value(serde_json::json!({
            "prompt": format!("{PROMPT} {round}"), "width": 512, "height": 512, "steps": 1
        }))?;
        let started = Instant::now();
        let generator = state.generator();
        let plan = generator
            .plan(&request)
            .map_err(|error| anyhow::anyhow!("{error}"))?;
        std::hint::black_box(
            generator
                .run_draft(&user, plan)
                .await
                .map_err(|error| anyhow::anyhow!("{error}"))?,
        );
        if round >= 10 {
            samples.push(started.elapsed().as_secs_f64() * 1000.0);
        }
    }
    Ok(median(samples))
}

async fn create_user(metadata: &dyn MetadataStore) -> anyhow::Result<User> {
    create_user_with_id(metadata, ulid::Ulid::new().to_string()).await
}

async fn create_user_with_id(metadata: &dyn MetadataStore, id: String) -> anyhow::Result<User> {
    let user = User {
        id,
        email: "bench@example.com".into(),
        display_name: None,
        created_at: OffsetDateTime::now_utc(),
    };
    metadata.create_user(&user, Some("unused")).await?;
    Ok(user)
}

/// Records `count` (a multiple of 25) 512×512 images for `user`, 25 per
/// generation, as the gallery benches' content. Returns their ids.
async fn seed_gallery(
    metadata: &dyn MetadataStore,
    user: &User,
    count: usize,
) -> anyhow::Result<Vec<String>> {
    let processed = bench_image()?;
    let mut ids = Vec::with_capacity(count);
    for _ in 0..count / 25 {
        let batch = records(user, &vec![processed.clone(); 25]);
        ids.extend(batch.iter().map(|record| record.id.clone()));
        metadata.insert_images(&batch).await?;
    }
    Ok(ids)
}

/// The 512×512 image every seeded record stands for.
fn bench_image() -> anyhow::Result<imaging::ProcessedImage> {
    Ok(imaging::process(
        Bytes::from(render_jpeg(&RenderRequest {
            prompt: PROMPT,
            seed: 1,
            width: 512,
            height: 512,
            steps: 1,
        })),
        1 << 24,
    )?)
}

/// A two-hour session for `user`; returns the token its cookie carries.
async fn new_session(metadata: &dyn MetadataStore, user: &User) -> anyhow::Result<String> {
    let (token, hash) = new_session_token();
    metadata
        .create_session(&NewSession {
            token_hash: hash,
            user_id: user.id.clone(),
            expires_at: OffsetDateTime::now_utc() + time::Duration::hours(2),
        })
        .await?;
    Ok(token)
}

/// Records for `processed` images as a generation of the bench prompt would make them.
fn records(
    user: &User,
    processed: &[imaging::ProcessedImage],
) -> Vec<promptcanvas::store::metadata::ImageRecord> {
    let request = GenerationRequest {
        prompt: PROMPT.into(),
        negative_prompt: None,
        model: None,
        width: None,
        height: None,
        steps: None,
        seed: Some(1),
        n: None,
        style: None,
    };
    let plan: GenerationPlan =
        promptcanvas::generation::plan(&request, OfflineProvider::new().models(), 2000, || 1)
            .expect("the bench request is valid");
    let delivered: Vec<ProviderImage> = processed
        .iter()
        .map(|image| ProviderImage {
            bytes: image.original.clone(),
            seed: 1,
            inference_ms: Some(20),
            upstream_id: None,
        })
        .collect();
    image_records(
        user,
        &plan,
        &ulid::Ulid::new().to_string(),
        OffsetDateTime::now_utc(),
        &delivered,
        processed,
        "offline",
    )
}

/// How the gallery bench's client signs in.
#[derive(Clone, Copy, PartialEq, Eq)]
enum SignIn {
    /// Our own session cookie (one database read per request).
    Local,
    /// A Clerk session token, verified per request against a cached JWKS key.
    Clerk,
}

/// Requests per second and p99 latency (ms) of each page measured in one run.
struct GalleryFigures {
    gallery: (f64, f64),
    /// `/api/health` through the same server, the framework's own cost:
    /// measured with local sign-in only.
    health: Option<(f64, f64)>,
    /// The gallery page read afresh each time (no kept page answers it):
    /// the first read after a change. Local sign-in only.
    afresh: Option<(f64, f64)>,
    /// Measured with local sign-in only.
    trash: Option<(f64, f64)>,
    /// Measured with local sign-in only.
    collection: Option<(f64, f64)>,
}

/// Seeds 1,000 records, moves every fourth to the trash and puts every
/// second into a collection, then lets `wrk` ask for the newest gallery page
/// for 10 s, and with local sign-in the newest trash page and the newest
/// page of the collection for as long.
async fn gallery_load(sign_in: SignIn) -> anyhow::Result<GalleryFigures> {
    let data = tempfile::tempdir()?;
    let mut config = Config::for_data_dir(data.path());
    let clerk = match sign_in {
        SignIn::Local => None,
        SignIn::Clerk => Some(clerk_bench::Issuer::start().await?),
    };
    if let Some(clerk) = &clerk {
        clerk.configure(&mut config);
    }
    config.telemetry.log_filter = "error".into();
    // One load generator is one client IP: keep the per-IP limiter running but
    // out of the way, so its cost is measured and it refuses nothing.
    config.limits.requests_per_second = u32::MAX;
    config.limits.request_burst = u32::MAX;
    let app = Application::build(config).await?;
    let state = app.state().clone();
    let user = match &clerk {
        None => create_user(state.metadata.as_ref()).await?,
        Some(_) => {
            create_user_with_id(state.metadata.as_ref(), clerk_bench::SUBJECT.into()).await?
        }
    };
    let ids = seed_gallery(state.metadata.as_ref(), &user, 1000).await?;
    let start = OffsetDateTime::now_utc();
    for (step, id) in ids.iter().step_by(4).enumerate() {
        let at = start + time::Duration::seconds(step as i64);
        state.metadata.trash_image(&user.id, id, true, at).await?;
    }
    let collection = CollectionRecord {
        id: ulid::Ulid::new().to_string(),
        user_id: user.id.clone(),
        name: "Harbour".into(),
        description: None,
        cover_image_id: None,
        image_count: 0,
        created_at: start,
        updated_at: start,
    };
    state.metadata.create_collection(&collection).await?;
    for id in ids.iter().skip(1).step_by(2) {
        state
            .metadata
            .add_to_collection(&user.id, &collection.id, id, start)
            .await?;
    }
    let token = new_session(state.metadata.as_ref(), &user).await?;
    let app_port = app.port();
    let base = format!("http://127.0.0.1:{app_port}/api/images?limit=24");
    let server = tokio::spawn(app.run_until(std::future::pending()));
    let cookie = match &clerk {
        None => format!("Cookie: pc_session={token}"),
        Some(clerk) => format!("Authorization: Bearer {}", clerk.token()),
    };
    let mut urls = vec![base.clone()];
    if let SignIn::Local = sign_in {
        urls.push(format!("{base}&trashed=true"));
        urls.push(format!("{base}&collection={}", collection.id));
        urls.push(format!("http://127.0.0.1:{app_port}/api/health"));
        urls.push(format!("{base}{AFRESH}"));
    }
    let mut figures = measure_pages(&urls, &cookie)?.into_iter();
    let gallery = figures.next().expect("the gallery was measured");
    let (trash, collection, health, afresh) = (
        figures.next(),
        figures.next(),
        figures.next(),
        figures.next(),
    );
    server.abort();
    Ok(GalleryFigures {
        gallery,
        health,
        afresh,
        trash,
        collection,
    })
}

/// Warms each URL up, then measures them for 10 s each in two 5 s halves,
/// in the order A B C C B A, so a drift of the machine over the run (caches,
/// clock speed, another process) weighs on every URL alike and the ratios
/// between them stay fair. Gives requests per second (the mean of the two
/// halves) and p99 in ms (the worse half) per URL.
fn measure_pages(urls: &[String], cookie: &str) -> anyhow::Result<Vec<(f64, f64)>> {
    for url in urls {
        run_wrk(url, cookie, 2)?;
    }
    let mut figures = vec![(0.0, 0.0_f64); urls.len()];
    let there_and_back = (0..urls.len()).chain((0..urls.len()).rev());
    for index in there_and_back {
        let (rps, p99) = measure_once(&urls[index], cookie, 5)?;
        figures[index].0 += rps / 2.0;
        figures[index].1 = figures[index].1.max(p99);
    }
    Ok(figures)
}

/// One `wrk` run: requests per second and p99 (ms); any error answer fails it.
fn measure_once(url: &str, cookie: &str, seconds: u32) -> anyhow::Result<(f64, f64)> {
    let output = run_wrk(url, cookie, seconds)?;
    let rps = wrk_figure(&output, "Requests/sec:").unwrap_or(0.0);
    let p99 = output
        .lines()
        .find(|line| line.trim_start().starts_with("99%"))
        .and_then(|line| line.split_whitespace().nth(1))
        .map(parse_wrk_duration_ms)
        .unwrap_or(f64::NAN);
    let non_2xx = wrk_figure(&output, "Non-2xx or 3xx responses:").unwrap_or(0.0);
    anyhow::ensure!(
        non_2xx == 0.0,
        "{url} answered {non_2xx} errors under load:\n{output}"
    );
    Ok((rps, p99))
}

/// Marks a URL whose every request must be read afresh: `wrk` adds a number
/// no request had before, so no kept page can answer it.
const AFRESH: &str = "&afresh=";

fn run_wrk(url: &str, cookie: &str, seconds: u32) -> anyhow::Result<String> {
    let mut wrk = Command::new("wrk");
    wrk.args([
        "-t1",
        "-c16",
        &format!("-d{seconds}s"),
        "--latency",
        "-H",
        cookie,
    ]);
    let script = tempfile::NamedTempFile::new()?;
    if url.ends_with(AFRESH) {
        std::fs::write(
            script.path(),
            "local n = 0\nrequest = function()\n  n = n + 1\n  \
             return wrk.format(nil, wrk.path .. n)\nend\n",
        )?;
        wrk.arg("-s").arg(script.path());
    }
    let output = wrk
        .arg(url)
        .stderr(Stdio::inherit())
        .output()
        .map_err(|error| anyhow::anyhow!("running wrk (make bench installs it): {error}"))?;
    Ok(String::from_utf8_lossy(&output.stdout).into_owned())
}

fn wrk_figure(output: &str, label: &str) -> Option<f64> {
    output
        .lines()
        .find_map(|line| line.trim().strip_prefix(label))
        .and_then(|rest| rest.trim().parse().ok())
}

fn parse_wrk_duration_ms(text: &str) -> f64 {
    let (number, factor) = if let Some(us) = text.strip_suffix("us") {
        (us, 0.001)
    } else if let Some(ms) = text.strip_suffix("ms") {
        (ms, 1.0)
    } else if let Some(s) = text.strip_suffix('s') {
        (s, 1000.0)
    } else {
        (text, f64::NAN)
    };
    number
        .parse::<f64>()
        .map(|value| value * factor)
        .unwrap_or(f64::NAN)
}

/// Starts the release binary against an existing data folder and times the
/// first answer to `/api/health`: the cost a restart or a cold start pays.
fn startup_ms() -> anyhow::Result<Option<f64>> {
    let binary = release_binary();
    if !binary.exists() {
        eprintln!("skipping start-up figure: build {} first", binary.display());
        return Ok(None);
    }
    let data = tempfile::tempdir()?;
    let client = health_probe::answers;
    let mut samples = Vec::new();
    for round in 0..11 {
        let port = free_port()?;
        let started = Instant::now();
        let mut child = Command::new(&binary)
            .arg("serve")
            .env("BIND_ADDR", format!("127.0.0.1:{port}"))
            .env("DATA_DIR", data.path())
            .env("RUST_LOG", "error")
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()?;
        let deadline = Instant::now() + Duration::from_secs(10);
        while !client(port) {
            anyhow::ensure!(Instant::now() < deadline, "server did not start");
            std::thread::sleep(Duration::from_micros(200));
        }
        let elapsed = started.elapsed().as_secs_f64() * 1000.0;
        child.kill()?;
        child.wait()?;
        // The first start creates the database; later ones are what a restart costs.
        if round > 0 {
            samples.push(elapsed);
        }
    }
    Ok(Some(median(samples)))
}

/// The server binary of this very build, which the process-level figures start.
fn release_binary() -> std::path::PathBuf {
    std::path::PathBuf::from(env!("CARGO_BIN_EXE_promptcanvas"))
}

fn free_port() -> anyhow::Result<u16> {
    Ok(std::net::TcpListener::bind("127.0.0.1:0")?
        .local_addr()?
        .port())
}

mod health_probe {
    use std::io::{Read, Write};

    /// A minimal blocking health probe, so timing needs no HTTP client start-up.
    pub fn answers(port: u16) -> bool {
        let Ok(mut stream) = std::net::TcpStream::connect(("127.0.0.1", port)) else {
            return false;
        };
        let request = "GET /api/health HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n";
        if stream.write_all(request.as_bytes()).is_err() {
            return false;
        }
        let mut answer = String::new();
        stream.read_to_string(&mut answer).is_ok() && answer.starts_with("HTTP/1.1 200")
    }
}

/// A local stand-in for Clerk's JWKS and tokens signed the way Clerk signs them.
mod clerk_bench {
    use std::{sync::Arc, time::Duration};

    use base64::{
        Engine,
        engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD},
    };
    use promptcanvas::{
        auth::{
            clerk::TokenVerifier,
            jwks::{JwksEndpoint, RemoteKeys, SigningKeys},
        },
        settings::Config,
    };
    use rsa::{
        RsaPrivateKey,
        pkcs1v15::SigningKey,
        signature::{SignatureEncoding, Signer},
        traits::PublicKeyParts,
    };
    use serde_json::json;
    use sha2::Sha256;

    pub const SUBJECT: &str = "user_2benchuser";
    const HOST: &str = "clerk.bench.test";
    const KID: &str = "ins_bench";
    const ORIGIN: &str = "http://localhost:5173";

    pub struct Issuer {
        key: RsaPrivateKey,
        jwks_url: String,
    }

    impl Issuer {
        /// Makes a key and serves its JWKS on a free loopback port.
        pub async fn start() -> anyhow::Result<Self> {
            let key = RsaPrivateKey::new(&mut rsa::rand_core::OsRng, 2048)?;
            let jwks = json!({"keys": [{
                "use": "sig", "kty": "RSA", "kid": KID, "alg": "RS256",
                "n": URL_SAFE_NO_PAD.encode(key.n().to_bytes_be()),
                "e": URL_SAFE_NO_PAD.encode(key.e().to_bytes_be()),
            }]});
            let router = axum::Router::new().route(
                "/.well-known/jwks.json",
                axum::routing::get(move || {
                    let jwks = jwks.clone();
                    async move { axum::Json(jwks) }
                }),
            );
            let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
            let jwks_url = format!("http://{}/.well-known/jwks.json", listener.local_addr()?);
            tokio::spawn(async move { axum::serve(listener, router).await });
            Ok(Self { key, jwks_url })
        }

        pub fn configure(&self, config: &mut Config) {
            config.clerk.clerk_publishable_key =
                Some(format!("pk_test_{}", STANDARD.encode(format!("{HOST}$"))));
            config.clerk.clerk_jwks_url = Some(self.jwks_url.clone());
            config.clerk.clerk_authorized_parties = vec![ORIGIN.into()];
        }

        /// A session token with Clerk's header and claims, valid for the bench's run.
        pub fn token(&self) -> String {
            let now = time::OffsetDateTime::now_utc().unix_timestamp();
            let header =
                json!({"alg": "RS256", "cat": "cl_B7d4PD111AAA", "kid": KID, "typ": "JWT"});
            let claims = json!({
                "azp": ORIGIN, "exp": now + 120, "fva": [0, -1], "iat": now,
                "iss": format!("https://{HOST}"), "nbf": now - 10,
                "sid": "sess_2benchsession", "sub": SUBJECT, "v": 2,
            });
            let input = format!(
                "{}.{}",
                URL_SAFE_NO_PAD.encode(header.to_string()),
                URL_SAFE_NO_PAD.encode(claims.to_string())
            );
            let signature = SigningKey::<Sha256>::new(self.key.clone()).sign(input.as_bytes());
            format!("{input}.{}", URL_SAFE_NO_PAD.encode(signature.to_bytes()))
        }
    }

    /// Median time of one verification with the key already cached.
    pub async fn verify_us() -> anyhow::Result<f64> {
        let issuer = Issuer::start().await?;
        let keys = RemoteKeys::new(
            vec![JwksEndpoint {
                url: issuer.jwks_url.parse()?,
                bearer: None,
            }],
            Duration::from_secs(10),
        )?;
        let verifier = TokenVerifier::new(
            SigningKeys::Remote(Arc::new(keys)),
            format!("https://{HOST}"),
            vec![ORIGIN.into()],
        );
        let token = issuer.token();
        let now = time::OffsetDateTime::now_utc().unix_timestamp();
        verifier
            .verify(&token, now)
            .await
            .map_err(|reason| anyhow::anyhow!("bench token refused: {reason}"))?;
        let mut samples = Vec::with_capacity(2000);
        for _ in 0..2000 {
            let started = std::time::Instant::now();
            let claims = verifier.verify(&token, now).await;
            samples.push(started.elapsed().as_secs_f64() * 1e6);
            anyhow::ensure!(claims.is_ok(), "bench token refused");
        }
        Ok(super::median(samples))
    }
}
