//! Starting the product: `Application::build` turns settings into bound
//! listeners, the application state and the router. The binary, the Lambda
//! entry, the tests and the benches all start the server through it
//! (`build_with` when they bring a store of their own).

pub mod lambda;

use std::{future::Future, io::Write, path::Path, sync::Arc, time::Duration};

use anyhow::Context;
use axum::Router;
use secrecy::ExposeSecret;
use tokio::net::TcpListener;

use crate::{
    auth,
    gallery::sweep::sweep_everything,
    generation::{ImageProvider, OfflineProvider, TogetherProvider, TogetherSettings, together},
    http::{self, limiter, router},
    operations::{client_errors::ReportLog, stats},
    settings::Config,
    store::{
        backends::{self, Backends},
        media::UrlSigner,
    },
    telemetry::metrics::Metrics,
};

pub use crate::http::state::{AppState, Services};

/// A built application: listening, not yet serving.
pub struct Application {
    listener: TcpListener,
    /// The optional second listener that serves only `/metrics`.
    metrics_listener: Option<TcpListener>,
    router: Router,
    state: AppState,
}

impl Application {
    pub async fn build(config: Config) -> anyhow::Result<Self> {
        Self::build_with(config, Backends::default()).await
    }

    /// As `build`, over the stores in `backends` where it holds one.
    pub async fn build_with(config: Config, backends: Backends) -> anyhow::Result<Self> {
        let state = build_state_with(config, backends).await?;
        let listener = TcpListener::bind(state.config.server.bind_addr)
            .await
            .with_context(|| format!("binding {}", state.config.server.bind_addr))?;
        let metrics_listener = match state.config.telemetry.metrics_bind_addr {
            Some(addr) => Some(
                TcpListener::bind(addr)
                    .await
                    .with_context(|| format!("binding METRICS_BIND_ADDR {addr}"))?,
            ),
            None => None,
        };
        Ok(Self {
            router: router(state.clone())?,
            listener,
            metrics_listener,
            state,
        })
    }

    /// The port of the metrics listener, when there is one.
    pub fn metrics_port(&self) -> Option<u16> {
        let listener = self.metrics_listener.as_ref()?;
        listener.local_addr().ok().map(|addr| addr.port())
    }

    pub fn port(&self) -> u16 {
        self.listener
            .local_addr()
            .map(|addr| addr.port())
            .unwrap_or(0)
    }

    pub fn state(&self) -> &AppState {
        &self.state
    }

    /// Serves until `shutdown` completes, then finishes in-flight requests.
    pub async fn run_until(
        self,
        shutdown: impl Future<Output = ()> + Send + 'static,
    ) -> anyhow::Result<()> {
        // Refusals and error reports reach the daily figures every few seconds
        // rather than one write each (a flood must not become one).
        let state = self.state.clone();
        let saver = tokio::spawn(async move {
            let mut every = tokio::time::interval(SAVE_FIGURES_EVERY);
            every.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
            loop {
                every.tick().await;
                save_figures(&state).await;
            }
        });
        let sweeper = self
            .state
            .config
            .sweep_interval()
            .map(|every| Sweeper::start(self.state.clone(), every));
        let metrics_server = self.metrics_listener.map(|listener| {
            tokio::spawn(
                axum::serve(listener, http::metrics::router(self.state.metrics.clone()))
                    .into_future(),
            )
        });
        let served = axum::serve(
            self.listener,
            self.router
                .into_make_service_with_connect_info::<std::net::SocketAddr>(),
        )
        .with_graceful_shutdown(shutdown)
        .await
        .context("serving HTTP");
        if let Some(task) = metrics_server {
            task.abort();
        }
        if let Some(sweeper) = sweeper {
            sweeper.stop();
        }
        saver.abort();
        save_figures(&self.state).await;
        served
    }
}

/// The scheduled sweep, on a thread of its own driven by the server's
/// runtime: the sweep's future borrows the stores in ways the compiler
/// cannot prove `Send` for `tokio::spawn`, and `Handle::block_on` does not
/// need that.
struct Sweeper {
    stop: tokio::sync::watch::Sender<bool>,
}

impl Sweeper {
    fn start(state: AppState, every: Duration) -> Self {
        let (stop, stopped) = tokio::sync::watch::channel(false);
        let runtime = tokio::runtime::Handle::current();
        std::thread::Builder::new()
            .name("sweep".into())
            .spawn(move || runtime.block_on(sweep_periodically(state, every, stopped)))
            .expect("starting the sweep thread");
        Self { stop }
    }

    /// Ends the loop at its next wait (a sweep under way finishes first).
    fn stop(self) {
        let _ = self.stop.send(true);
    }
}

/// Runs the sweep now and then every `every` for as long as the server
/// runs, so a server left running keeps its own house: expired drafts,
/// exports and trash, and what a crash left. Stopping it half-way is safe
/// (the sweep is written to survive a crash), and so is another sweep
/// running at the same time (`promptcanvas sweep`, another instance).
async fn sweep_periodically(
    state: AppState,
    every: Duration,
    mut stop: tokio::sync::watch::Receiver<bool>,
) {
    let mut ticks = tokio::time::interval(every);
    ticks.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        tokio::select! {
            _ = ticks.tick() => {}
            _ = stop.changed() => return,
        }
        match sweep_everything(state.metadata.as_ref(), &state.media, &state.config).await {
            Ok(report) => report.log(),
            Err(error) => tracing::warn!(
                error = format!("{error:#}"),
                next_in_secs = every.as_secs(),
                "the scheduled sweep failed"
            ),
        }
    }
}

/// How often the refusals and error reports a process counted are added to
/// the store's daily figures.
pub const SAVE_FIGURES_EVERY: Duration = Duration::from_secs(10);

/// Adds what this process counted to the daily figures; a failure is only
/// logged (the counts wait for the next try).
pub async fn save_figures(state: &AppState) {
    if let Err(error) = stats::save_unsaved(state.metadata.as_ref(), &state.metrics).await {
        tracing::warn!(%error, "could not save today's refusals and error reports");
    }
}

/// Opens the stores and the provider the settings ask for.
pub async fn build_state(config: Config) -> anyhow::Result<AppState> {
    build_state_with(config, Backends::default()).await
}

async fn build_state_with(config: Config, backends: Backends) -> anyhow::Result<AppState> {
    std::fs::create_dir_all(&config.server.data_dir)
        .with_context(|| format!("creating data folder {}", config.server.data_dir.display()))?;
    let signing_key = match &config.media.media_signing_key {
        Some(key) => key.expose_secret().as_bytes().to_vec(),
        None => load_or_create_signing_key(&config.server.data_dir.join("signing.key"))?,
    };
    let signer = UrlSigner::new(
        signing_key,
        Duration::from_secs(config.media.media_url_ttl_secs),
    );
    let (media, metadata) = backends::open(&config, signer, backends).await?;
    let provider = build_provider(&config)?;
    let auth = auth::Auth::from_config(&config)?;
    Ok(AppState::new(Services {
        auth,
        ip_limiter: limiter::IpLimiter::new(
            config.limits.requests_per_second,
            config.limits.request_burst,
        ),
        client_error_limiter: limiter::IpLimiter::per_minute(
            config.limits.client_errors_per_minute,
        ),
        client_error_log: ReportLog::default(),
        gallery_pages: Default::default(),
        openapi_json: Default::default(),
        metrics: Arc::new(Metrics::new(config.telemetry.metrics_emf)),
        config: Arc::new(config),
        metadata,
        media,
        provider,
    }))
}

/// The API document for this configuration (its models and prompt limit),
/// as `GET /api/openapi.json` serves it; nothing is started or contacted.
pub fn openapi_document(config: &Config) -> anyhow::Result<serde_json::Value> {
    let provider = build_provider(config)?;
    Ok(crate::http::openapi::document(
        &crate::http::openapi::RequestLimits {
            models: provider.models(),
            prompt_max_chars: config.limits.prompt_max_chars,
        },
    ))
}

/// Together when its key is set, the offline engine otherwise.
fn build_provider(config: &Config) -> anyhow::Result<Arc<dyn ImageProvider>> {
    let Some(api_key) = &config.together.together_api_key else {
        return Ok(Arc::new(OfflineProvider::new()));
    };
    let base_url = reqwest::Url::parse(&config.together.together_base_url)
        .context("TOGETHER_API_BASE_URL is not a valid URL")?;
    let mut settings = TogetherSettings::new(api_key.clone(), base_url);
    if let Some(path) = &config.together.together_models {
        let json = std::fs::read(path)
            .with_context(|| format!("reading TOGETHER_MODELS file {}", path.display()))?;
        settings.models = together::load_models(&json)
            .with_context(|| format!("TOGETHER_MODELS file {}", path.display()))?;
    }
    settings.timeout = Duration::from_secs(config.together.together_timeout_secs);
    settings.base_backoff = Duration::from_millis(config.together.together_retry_base_ms);
    settings.image_hosts = config.together.together_image_hosts.clone();
    settings.max_image_bytes = config.together.together_max_image_bytes;
    if settings.base_url.scheme() == "http" && !is_loopback(&settings.base_url) {
        tracing::warn!("TOGETHER_API_BASE_URL uses plain http: the API key travels unencrypted");
    }
    let provider = TogetherProvider::new(settings)?;
    tracing::info!(
        models = provider.models().len(),
        "generating images with Together"
    );
    Ok(Arc::new(provider))
}

fn is_loopback(url: &reqwest::Url) -> bool {
    let host = url.host_str().unwrap_or_default();
    host == "localhost"
        || host
            .trim_start_matches('[')
            .trim_end_matches(']')
            .parse::<std::net::IpAddr>()
            .is_ok_and(|ip| ip.is_loopback())
}

/// The signing key kept in the data folder, made on first start. Only the
/// owner may read it.
fn load_or_create_signing_key(path: &Path) -> anyhow::Result<Vec<u8>> {
    if let Ok(existing) = std::fs::read(path)
        && existing.len() >= 32
    {
        return Ok(existing);
    }
    let key = rand::random::<[u8; 32]>().to_vec();
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create(true).truncate(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    options
        .open(path)
        .and_then(|mut file| file.write_all(&key))
        .with_context(|| format!("writing signing key {}", path.display()))?;
    Ok(key)
}
