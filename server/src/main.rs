//! The `promptcanvas` command: serve the product, or print its API document.

use clap::{Parser, Subcommand};
use promptcanvas::{
    Application,
    settings::{Config, LogFormat},
};
use tracing_subscriber::EnvFilter;

// The API allocates many small strings per request; mimalloc handles that
// pattern markedly faster than the system allocator.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// PromptCanvas Pro: describe a picture, get it generated, keep a gallery.
///
/// With no cloud settings everything runs offline: SQLite and image files in
/// DATA_DIR, built-in accounts, and the offline preview engine.
#[derive(Parser)]
#[command(version, about, long_about)]
struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
}

// Parsed once at start-up: boxing the settings would save nothing that matters.
#[allow(clippy::large_enum_variant)]
#[derive(Subcommand)]
enum Command {
    /// Start the HTTP server (the default).
    Serve(Config),
    /// Print the OpenAPI 3.1 document of the HTTP API, with the limits of this
    /// configuration (its models and prompt length), as the server serves it.
    Openapi(Config),
    /// Answer API Gateway events from the AWS Lambda runtime (chosen automatically
    /// when AWS_LAMBDA_RUNTIME_API is set). DATA_DIR defaults to /tmp/promptcanvas.
    Lambda(Config),
    /// Create the S3 bucket and DynamoDB tables named by the settings when they
    /// are missing (keys, TTL, public access block); safe to run again.
    InitAws(Config),
    /// Remove image files that no record names and that are older than
    /// ORPHAN_GRACE_SECS (left behind by crashes or failed clean-ups).
    Sweep(Config),
    /// Print the operators' statistics (what the Admin page shows): users,
    /// images, storage, the last 30 days' generations and errors, models.
    Stats(StatsArgs),
    /// Load an export (a ZIP from "Download as ZIP") into a user's gallery on
    /// this instance: originals, prompts, settings, seeds, favourites and
    /// collections. Every file's SHA-256 is checked first; images already
    /// imported are skipped, so it is safe to run again.
    Import(ImportArgs),
    /// Make every image of an export again from its recipe with this
    /// configuration's provider, and print whether each is identical or how
    /// much it differs. Outside any user's quota.
    Reproduce(ReproduceArgs),
    /// Draw one picture with the offline engine into a JPEG file, without a
    /// server or database: the same picture the offline model makes for
    /// these settings.
    Render(RenderArgs),
    /// Print, as JSON, what the offline engine understood of a prompt (scene,
    /// subjects and their colours, palette, style, time of day): the plan it
    /// draws from.
    Explain(ExplainArgs),
}

#[derive(clap::Args)]
struct RenderArgs {
    #[arg(long, default_value_t = 1024, value_parser = clap::value_parser!(u32).range(16..=8192))]
    width: u32,
    #[arg(long, default_value_t = 1024, value_parser = clap::value_parser!(u32).range(16..=8192))]
    height: u32,
    /// Detail, 1 to 8.
    #[arg(long, default_value_t = 4, value_parser = clap::value_parser!(u32).range(1..=8))]
    steps: u32,
    #[arg(long, default_value_t = 0)]
    seed: u64,
    /// The JPEG file to write.
    #[arg(long)]
    out: std::path::PathBuf,
    prompt: String,
}

#[derive(clap::Args)]
struct ImportArgs {
    #[command(flatten)]
    config: Config,
    /// The email of the local account to import into.
    #[arg(long, required_unless_present = "user_id", conflicts_with = "user_id")]
    email: Option<String>,
    /// The id of the account to import into (a Clerk account's `user_…`).
    #[arg(long)]
    user_id: Option<String>,
    /// The export's ZIP.
    zip: std::path::PathBuf,
}

#[derive(clap::Args)]
struct ReproduceArgs {
    #[command(flatten)]
    config: Config,
    /// The export's ZIP.
    zip: std::path::PathBuf,
}

#[derive(clap::Args)]
struct ExplainArgs {
    prompt: String,
}

#[derive(clap::Args)]
struct StatsArgs {
    #[command(flatten)]
    config: Config,
    /// Print the JSON `GET /api/admin/stats` answers instead of text.
    #[arg(long)]
    json: bool,
}

fn main() -> anyhow::Result<()> {
    let cli = Cli::parse();
    match cli.command {
        Some(Command::Openapi(config)) => {
            let document = promptcanvas::app::openapi_document(&config)?;
            println!("{}", serde_json::to_string_pretty(&document)?);
            Ok(())
        }
        Some(Command::Serve(config)) => serve(config),
        Some(Command::Lambda(config)) => serve_lambda(config),
        None if promptcanvas::app::lambda::started_by_lambda() => {
            serve_lambda(Config::parse_from_env())
        }
        Some(Command::InitAws(config)) => run_once(&config, async {
            for line in promptcanvas::store::backends::init_aws(&config).await? {
                println!("{line}");
            }
            Ok(())
        }),
        Some(Command::Sweep(config)) => run_once(&config.clone(), async {
            let state = promptcanvas::build_state(config).await?;
            let report = promptcanvas::gallery::sweep::sweep_everything(
                state.metadata.as_ref(),
                &state.media,
                &state.config,
            )
            .await?;
            println!(
                "deleted {} images whose time in the trash ran out; examined {} files, removed {} orphans",
                report.expired,
                report.examined,
                report.removed.len()
            );
            if report.finished_deletes > 0 {
                println!(
                    "finished {} deletes a crash or a timeout had stopped half-way",
                    report.finished_deletes
                );
            }
            if report.expired_drafts > 0 {
                println!("removed {} expired drafts", report.expired_drafts);
            }
            if report.expired_exports > 0 {
                println!("removed {} expired exports", report.expired_exports);
            }
            if report.released_reservations > 0 {
                println!(
                    "gave back {} generations a crash had left reserved",
                    report.released_reservations
                );
            }
            Ok(())
        }),
        Some(Command::Stats(StatsArgs { config, json })) => run_once(&config.clone(), async {
            let state = promptcanvas::build_state(config).await?;
            let stats = promptcanvas::operations::stats::operator_stats(
                state.metadata.as_ref(),
                &state.metrics,
                time::OffsetDateTime::now_utc().date(),
            )
            .await?;
            if json {
                println!("{}", serde_json::to_string_pretty(&stats)?);
            } else {
                print!("{}", promptcanvas::operations::stats::as_text(&stats));
            }
            Ok(())
        }),
        Some(Command::Import(args)) => run_once(&args.config.clone(), import(args)),
        Some(Command::Reproduce(args)) => run_once(&args.config.clone(), reproduce(args)),
        Some(Command::Render(args)) => {
            let jpeg = promptcanvas_offline::render_jpeg(&promptcanvas_offline::RenderRequest {
                prompt: &args.prompt,
                seed: args.seed,
                width: args.width,
                height: args.height,
                steps: args.steps,
            });
            std::fs::write(&args.out, &jpeg)
                .map_err(|error| anyhow::anyhow!("writing {}: {error}", args.out.display()))?;
            println!(
                "wrote {} ({}×{}, {} bytes)",
                args.out.display(),
                args.width,
                args.height,
                jpeg.len()
            );
            Ok(())
        }
        Some(Command::Explain(args)) => {
            let plan = promptcanvas_offline::understand(&args.prompt).to_json();
            let plan: serde_json::Value = serde_json::from_str(&plan)?;
            println!("{}", serde_json::to_string_pretty(&plan)?);
            Ok(())
        }
        None => serve(Config::parse_from_env()),
    }
}

async fn import(args: ImportArgs) -> anyhow::Result<()> {
    let archive = open_export(&args.zip)?;
    let state = promptcanvas::build_state(args.config).await?;
    let user = match (&args.email, &args.user_id) {
        (Some(email), _) => state
            .metadata
            .credentials_by_email(email)
            .await?
            .map(|credentials| credentials.user)
            .ok_or_else(|| {
                anyhow::anyhow!(
                    "no local account has the email {email}: sign up first, or give --user-id for a Clerk account"
                )
            })?,
        (None, Some(user_id)) => state
            .metadata
            .user_by_id(user_id)
            .await?
            .ok_or_else(|| anyhow::anyhow!("no account has the id {user_id}: sign in once first"))?,
        (None, None) => unreachable!("clap requires --email or --user-id"),
    };
    let report = promptcanvas::gallery::import::import(
        state.metadata.as_ref(),
        &state.media,
        &user.id,
        &archive,
        state.config.limits.max_image_pixels,
    )
    .await?;
    println!(
        "imported {} images into the gallery of {}; {} were there already; made {} collections",
        report.imported, user.email, report.skipped, report.collections_made
    );
    Ok(())
}

async fn reproduce(args: ReproduceArgs) -> anyhow::Result<()> {
    let archive = open_export(&args.zip)?;
    let state = promptcanvas::build_state(args.config).await?;
    let results = promptcanvas::gallery::export::check::check(&state.generator(), &archive).await?;
    print!("{}", promptcanvas::gallery::export::check::table(&results));
    Ok(())
}

fn open_export(
    path: &std::path::Path,
) -> anyhow::Result<promptcanvas::gallery::export::archive::ExportArchive<std::fs::File>> {
    let file = std::fs::File::open(path)
        .map_err(|error| anyhow::anyhow!("opening {}: {error}", path.display()))?;
    promptcanvas::gallery::export::archive::ExportArchive::open(file)
}

fn serve(config: Config) -> anyhow::Result<()> {
    init_logging(&config);
    tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?
        .block_on(async {
            let app = Application::build(config).await?;
            tracing::info!(
                "listening on http://{}",
                app.state().config.server.bind_addr.ip().to_string()
                    + ":"
                    + &app.port().to_string()
            );
            app.run_until(shutdown_signal()).await
        })
}

/// One event at a time: a single-threaded runtime starts fastest.
fn serve_lambda(config: Config) -> anyhow::Result<()> {
    let config = promptcanvas::app::lambda::adapt_config(config);
    init_logging(&config);
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?
        .block_on(promptcanvas::app::lambda::run(config))
}

/// Runs one administrative task to completion.
fn run_once(
    config: &Config,
    task: impl std::future::Future<Output = anyhow::Result<()>>,
) -> anyhow::Result<()> {
    init_logging(config);
    tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?
        .block_on(task)
}

fn init_logging(config: &Config) {
    let filter =
        EnvFilter::try_new(&config.telemetry.log_filter).unwrap_or_else(|_| EnvFilter::new("info"));
    let builder = tracing_subscriber::fmt().with_env_filter(filter);
    match config.telemetry.log_format {
        LogFormat::Json => builder.json().init(),
        LogFormat::Text => builder.init(),
    }
}

/// Completes on Ctrl-C or SIGTERM (what container and service managers send).
async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        if let Ok(mut signal) =
            tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())
        {
            signal.recv().await;
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = terminate => {},
    }
    tracing::info!("shutting down");
}
