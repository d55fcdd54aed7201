//! Together AI (or any OpenAI-compatible images endpoint) as a provider.
//!
//! Upstream failures are translated here into the four `ProviderError` kinds,
//! retrying only what a retry can fix, inside one deadline the gateway allows.

use std::{
    sync::Arc,
    time::{Duration, SystemTime},
};

use async_trait::async_trait;
use base64::Engine;
use bytes::{Bytes, BytesMut};
use reqwest::{
    Client, StatusCode, Url,
    header::{HeaderMap, RETRY_AFTER},
    redirect,
};
use secrecy::{ExposeSecret, SecretString};
use serde::{Deserialize, Serialize};
use tokio::time::Instant;

use crate::generation::{
    ImageProvider, ModelSpec, ProviderError, ProviderImage, ProviderJob, SizeRange, StepRange,
};

const USER_AGENT: &str = concat!("promptcanvas/", env!("CARGO_PKG_VERSION"));
/// Error bodies are only read for their message.
const MAX_ERROR_BODY_BYTES: usize = 64 * 1024;
const MAX_REDIRECTS: usize = 3;
/// When an overloaded upstream names no wait, clients are told to come back after this.
const DEFAULT_RETRY_AFTER: Duration = Duration::from_secs(5);
const MAX_BACKOFF: Duration = Duration::from_secs(8);
const MAX_MESSAGE_CHARS: usize = 500;

/// Everything the provider needs; built from [`crate::settings::Config`].
#[derive(Debug, Clone)]
pub struct TogetherSettings {
    pub api_key: SecretString,
    pub base_url: Url,
    pub models: Vec<ModelSpec>,
    /// One deadline for a whole generation: every attempt, wait and image fetch.
    pub timeout: Duration,
    /// Attempts per image, the first included.
    pub max_attempts: u32,
    /// The first retry waits about this long; each later one twice as long.
    pub base_backoff: Duration,
    /// Largest image accepted, whether inline (decoded) or fetched from a URL.
    pub max_image_bytes: usize,
    /// Extra hosts image URLs may come from (`cdn.example.com` or `*.example.com`), https only.
    pub image_hosts: Vec<String>,
}

impl TogetherSettings {
    /// Defaults for everything but the key, the address and the models.
    pub fn new(api_key: SecretString, base_url: Url) -> Self {
        Self {
            api_key,
            base_url,
            models: default_models(),
            timeout: Duration::from_secs(25),
            max_attempts: 3,
            base_backoff: Duration::from_millis(500),
            max_image_bytes: 20 * 1024 * 1024,
            image_hosts: Vec::new(),
        }
    }
}

/// Together's list price for FLUX.1 [schnell].
const SCHNELL_PRICE_PER_MEGAPIXEL_USD: f64 = 0.0027;

/// The models offered when no `TOGETHER_MODELS` file is given; the first is the default.
pub fn default_models() -> Vec<ModelSpec> {
    let side = SizeRange {
        min: 256,
        max: 1440,
        multiple_of: 16,
    };
    let schnell = ModelSpec {
        id: "black-forest-labs/FLUX.1-schnell".into(),
        label: "FLUX.1 [schnell]".into(),
        steps: StepRange {
            min: 1,
            max: 4,
            default: 4,
        },
        width: side,
        height: side,
        max_images: 4,
        negative_prompt: false,
        price_per_megapixel_usd: SCHNELL_PRICE_PER_MEGAPIXEL_USD,
    };
    let free = ModelSpec {
        id: "black-forest-labs/FLUX.1-schnell-Free".into(),
        label: "FLUX.1 [schnell] Free (withdrawn by Together in 2026)".into(),
        price_per_megapixel_usd: 0.0,
        ..schnell.clone()
    };
    vec![schnell, free]
}

/// Reads a model list (a JSON array of [`ModelSpec`]) and checks it is usable.
pub fn load_models(json: &[u8]) -> anyhow::Result<Vec<ModelSpec>> {
    let models: Vec<ModelSpec> = serde_json::from_slice::<Vec<ModelFileEntry>>(json)?
        .into_iter()
        .map(ModelSpec::from)
        .collect();
    anyhow::ensure!(!models.is_empty(), "the model list is empty");
    for (index, model) in models.iter().enumerate() {
        let name = &model.id;
        anyhow::ensure!(!name.trim().is_empty(), "model {index} has no id");
        anyhow::ensure!(
            models[..index].iter().all(|other| &other.id != name),
            "model {name} is listed twice"
        );
        let steps = model.steps;
        anyhow::ensure!(
            1 <= steps.min && steps.min <= steps.default && steps.default <= steps.max,
            "model {name}: steps need 1 <= min <= default <= max"
        );
        for (side, range) in [("width", model.width), ("height", model.height)] {
            anyhow::ensure!(
                range.multiple_of > 0
                    && range.min <= range.max
                    && (range.min..=range.max).any(|value| range.accepts(value)),
                "model {name}: {side} range accepts no size"
            );
        }
        anyhow::ensure!(
            model.max_images >= 1,
            "model {name}: max_images must be at least 1"
        );
        anyhow::ensure!(
            model.price_per_megapixel_usd.is_finite() && model.price_per_megapixel_usd >= 0.0,
            "model {name}: price_per_megapixel_usd must be 0 or more"
        );
    }
    Ok(models)
}

/// One model as written in a `TOGETHER_MODELS` file; a misspelt field is an error, not a silent default.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ModelFileEntry {
    id: String,
    label: String,
    steps: StepRange,
    width: SizeRange,
    height: SizeRange,
    max_images: u32,
    negative_prompt: bool,
    /// Unknown prices are taken as free: say it in the file to count costs.
    #[serde(default)]
    price_per_megapixel_usd: f64,
}

impl From<ModelFileEntry> for ModelSpec {
    fn from(entry: ModelFileEntry) -> Self {
        Self {
            id: entry.id,
            label: entry.label,
            steps: entry.steps,
            width: entry.width,
            height: entry.height,
            max_images: entry.max_images,
            negative_prompt: entry.negative_prompt,
            price_per_megapixel_usd: entry.price_per_megapixel_usd,
        }
    }
}

pub struct TogetherProvider {
    settings: TogetherSettings,
    endpoint: Url,
    api: Client,
    images: Client,
    image_rule: Arc<ImageUrlRule>,
}

impl std::fmt::Debug for TogetherProvider {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TogetherProvider")
            .field("settings", &self.settings)
            .finish_non_exhaustive()
    }
}

impl TogetherProvider {
    pub fn new(settings: TogetherSettings) -> anyhow::Result<Self> {
        anyhow::ensure!(
            matches!(settings.base_url.scheme(), "http" | "https")
                && settings.base_url.host_str().is_some(),
            "the Together base URL must be an http(s) address"
        );
        anyhow::ensure!(!settings.models.is_empty(), "no Together models configured");
        anyhow::ensure!(settings.max_attempts >= 1, "at least one attempt is needed");
        let mut endpoint = settings.base_url.clone();
        let path = format!(
            "{}/v1/images/generations",
            endpoint.path().trim_end_matches('/')
        );
        endpoint.set_path(&path);

        // The key goes only to the configured address: never follow a redirect with it.
        let api = Client::builder()
            .user_agent(USER_AGENT)
            .redirect(redirect::Policy::none())
            .connect_timeout(Duration::from_secs(5))
            .build()?;
        let image_rule = Arc::new(ImageUrlRule::new(
            &settings.base_url,
            settings.image_hosts.clone(),
        ));
        let rule = image_rule.clone();
        let images = Client::builder()
            .user_agent(USER_AGENT)
            .redirect(redirect::Policy::custom(move |attempt| {
                if attempt.previous().len() >= MAX_REDIRECTS {
                    attempt.error("too many redirects")
                } else if rule.allows(attempt.url()) {
                    attempt.follow()
                } else {
                    attempt.error("redirect to a host that is not allowed")
                }
            }))
            .connect_timeout(Duration::from_secs(5))
            .build()?;
        Ok(Self {
            settings,
            endpoint,
            api,
            images,
            image_rule,
        })
    }

    /// Asks for one image with one seed, retrying what a retry can fix.
    async fn generate_one(
        &self,
        job: &ProviderJob,
        model: &ModelSpec,
        seed: u64,
        deadline: Instant,
    ) -> Result<ProviderImage, ProviderError> {
        let body = RequestBody {
            model: &job.model,
            prompt: &job.prompt,
            width: job.width,
            height: job.height,
            steps: job.steps,
            n: 1,
            seed,
            negative_prompt: job
                .negative_prompt
                .as_deref()
                .filter(|_| model.negative_prompt),
            response_format: "base64",
            output_format: "jpeg",
        };
        let answer = with_retries(
            self.settings.max_attempts,
            self.settings.base_backoff,
            deadline,
            rand::random,
            RetryClock::runtime(),
            || self.attempt(&body),
        )
        .await?;
        self.first_image(answer, seed).await
    }

    async fn attempt(&self, body: &RequestBody<'_>) -> Attempt<DecodedAnswer> {
        let sent = self
            .api
            .post(self.endpoint.clone())
            .bearer_auth(self.settings.api_key.expose_secret())
            .json(body)
            .send()
            .await;
        let response = match sent {
            Ok(response) => response,
            Err(error) if error.is_connect() => {
                tracing::warn!(error = %error.without_url(), "could not connect to Together");
                return Attempt::Retry {
                    retry_after: None,
                    error: ProviderError::Unavailable {
                        retry_after: DEFAULT_RETRY_AFTER,
                    },
                };
            }
            Err(error) => {
                // The request may have reached Together (and been billed): do not send it twice.
                tracing::warn!(error = %error.without_url(), "Together request failed");
                return Attempt::Final(ProviderError::Failed(
                    "the connection to the image provider failed".into(),
                ));
            }
        };
        let status = response.status();
        if status.is_success() {
            let cap = base64_len(self.settings.max_image_bytes) + MAX_ERROR_BODY_BYTES;
            return match read_capped(response, cap).await {
                Ok(body) => match decode_response(&body) {
                    Ok(answer) => Attempt::Done(answer),
                    Err(error) => Attempt::Final(error),
                },
                Err(ReadError::TooLarge) => Attempt::Final(ProviderError::Failed(
                    "the image provider's answer was too large".into(),
                )),
                Err(ReadError::Transport(error)) => {
                    tracing::warn!(error = %error.without_url(), "Together answer cut short");
                    Attempt::Final(ProviderError::Failed(
                        "the image provider's answer was cut short".into(),
                    ))
                }
            };
        }
        let retry_after = parse_retry_after(response.headers(), SystemTime::now());
        let body = read_capped(response, MAX_ERROR_BODY_BYTES)
            .await
            .unwrap_or_default();
        let upstream = UpstreamError::parse(&body);
        tracing::warn!(
            status = status.as_u16(),
            code = upstream.code.as_deref().unwrap_or(""),
            message = self.redact(upstream.message.as_deref().unwrap_or("")),
            request_id = upstream.id.as_deref().unwrap_or(""),
            "Together refused a request"
        );
        self.classify(status, retry_after, &upstream)
    }

    fn classify(
        &self,
        status: StatusCode,
        retry_after: Option<Duration>,
        upstream: &UpstreamError,
    ) -> Attempt<DecodedAnswer> {
        let message = upstream
            .message
            .as_deref()
            .map(|message| self.redact(message))
            .filter(|message| !message.is_empty());
        let failed = |text: String| Attempt::Final(ProviderError::Failed(text));
        match status.as_u16() {
            400 | 422 => Attempt::Final(ProviderError::Rejected(
                message.unwrap_or_else(|| "the image provider refused the request".into()),
            )),
            401 => failed(
                "the Together API key was refused (HTTP 401); check TOGETHER_AI_API_KEY".into(),
            ),
            402 => failed(
                "the Together account reached its spend limit or has no credit (HTTP 402)".into(),
            ),
            403 => failed(
                "the Together account may not use this model (HTTP 403); check its access".into(),
            ),
            404 => failed(
                "this model is not available on the image provider (HTTP 404); check TOGETHER_MODELS"
                    .into(),
            ),
            429 | 503 => Attempt::Retry {
                retry_after,
                error: ProviderError::Unavailable {
                    retry_after: retry_after
                        .map(round_up_to_second)
                        .unwrap_or(DEFAULT_RETRY_AFTER),
                },
            },
            code => failed(match message {
                Some(message) => format!("the image provider failed (HTTP {code}): {message}"),
                None => format!("the image provider failed (HTTP {code})"),
            }),
        }
    }

    /// With `n = 1` one image is expected; an endpoint sending more gets its first kept.
    async fn first_image(
        &self,
        answer: DecodedAnswer,
        seed: u64,
    ) -> Result<ProviderImage, ProviderError> {
        let Some(image) = answer.images.into_iter().next() else {
            return Err(ProviderError::Failed(
                "the image provider answered without an image".into(),
            ));
        };
        let bytes = match image.data {
            ImageData::Inline(bytes) => {
                if bytes.len() > self.settings.max_image_bytes {
                    return Err(ProviderError::Failed(
                        "the image provider's image was too large".into(),
                    ));
                }
                bytes
            }
            ImageData::Url(url) => self.fetch(&url).await?,
        };
        Ok(ProviderImage {
            bytes,
            seed,
            inference_ms: image.inference_ms,
            upstream_id: answer.upstream_id,
        })
    }

    /// Fetches an image URL at once: such URLs expire within minutes. The
    /// generation's deadline (in `generate`) bounds the download too.
    async fn fetch(&self, url: &str) -> Result<Bytes, ProviderError> {
        let refused = || {
            ProviderError::Failed(
                "the image provider sent an image address we do not fetch from".into(),
            )
        };
        let url = Url::parse(url).map_err(|_| refused())?;
        if !self.image_rule.allows(&url) {
            tracing::warn!(
                host = url.host_str().unwrap_or(""),
                "image URL host not allowed"
            );
            return Err(refused());
        }
        let response = self.images.get(url).send().await.map_err(|error| {
            tracing::warn!(error = %error.without_url(), "image fetch failed");
            ProviderError::Failed("the image provider's image could not be fetched".into())
        })?;
        if !response.status().is_success() {
            tracing::warn!(status = response.status().as_u16(), "image fetch refused");
            return Err(ProviderError::Failed(format!(
                "the image provider's image could not be fetched (HTTP {})",
                response.status().as_u16()
            )));
        }
        read_capped(response, self.settings.max_image_bytes)
            .await
            .map_err(|error| match error {
                ReadError::TooLarge => {
                    ProviderError::Failed("the image provider's image was too large".into())
                }
                ReadError::Transport(_) => ProviderError::Failed(
                    "the image provider's image download was cut short".into(),
                ),
            })
    }

    /// Upstream messages are shown to users; make sure our own key is never among them.
    fn redact(&self, text: &str) -> String {
        // Redact before shortening, so a key cut in half cannot slip through.
        let key = self.settings.api_key.expose_secret();
        let text = if key.is_empty() {
            text.to_owned()
        } else {
            text.replace(key, "[redacted]")
        };
        text.chars().take(MAX_MESSAGE_CHARS).collect()
    }
}

#[async_trait]
impl ImageProvider for TogetherProvider {
    fn name(&self) -> &'static str {
        "together"
    }

    fn models(&self) -> &[ModelSpec] {
        &self.settings.models
    }

    async fn generate(&self, job: &ProviderJob) -> Result<Vec<ProviderImage>, ProviderError> {
        let model = self
            .settings
            .models
            .iter()
            .find(|model| model.id == job.model)
            .ok_or_else(|| ProviderError::Rejected(format!("unknown model {}", job.model)))?;
        let deadline = Instant::now() + self.settings.timeout;
        // One request per seed: each image is then reproducible from its own seed,
        // which Together does not promise for the images of one `n > 1` request.
        let requests = job
            .seeds
            .iter()
            .map(|&seed| self.generate_one(job, model, seed, deadline));
        tokio::time::timeout_at(deadline, futures::future::try_join_all(requests))
            .await
            .map_err(|_| {
                tracing::warn!(
                    timeout_ms = self.settings.timeout.as_millis() as u64,
                    "Together timed out"
                );
                ProviderError::Timeout
            })?
    }
}

/// What we send; `n` is always 1 (see `generate`).
#[derive(Debug, Serialize)]
struct RequestBody<'a> {
    model: &'a str,
    prompt: &'a str,
    width: u32,
    height: u32,
    steps: u32,
    n: u32,
    seed: u64,
    #[serde(skip_serializing_if = "Option::is_none")]
    negative_prompt: Option<&'a str>,
    response_format: &'static str,
    output_format: &'static str,
}

/// How one try ended, and whether another could help.
enum Attempt<T> {
    Done(T),
    Retry {
        retry_after: Option<Duration>,
        error: ProviderError,
    },
    Final(ProviderError),
}

/// A successful answer, decoded but not yet checked as an image.
#[derive(Debug)]
pub struct DecodedAnswer {
    pub upstream_id: Option<String>,
    pub images: Vec<DecodedImage>,
}

#[derive(Debug)]
pub struct DecodedImage {
    pub data: ImageData,
    pub inference_ms: Option<u64>,
}

#[derive(Debug)]
pub enum ImageData {
    Inline(Bytes),
    Url(String),
}

#[derive(Deserialize)]
struct WireAnswer {
    #[serde(default)]
    id: Option<String>,
    data: Vec<WireImage>,
    #[serde(default)]
    timings: Option<WireTimings>,
}

#[derive(Deserialize)]
struct WireImage {
    #[serde(default)]
    b64_json: Option<String>,
    #[serde(default)]
    url: Option<String>,
    #[serde(default)]
    timings: Option<WireTimings>,
}

#[derive(Deserialize, Clone, Copy)]
struct WireTimings {
    #[serde(default)]
    inference: Option<f64>,
}

/// Decodes a 200 answer: base64 images become bytes, URLs are left for fetching.
/// Public so the benchmark can time the server's share of a Together image.
pub fn decode_response(body: &[u8]) -> Result<DecodedAnswer, ProviderError> {
    let unreadable =
        || ProviderError::Failed("the image provider sent an answer we could not read".into());
    let answer: WireAnswer = serde_json::from_slice(body).map_err(|error| {
        tracing::warn!(%error, "unreadable Together answer");
        unreadable()
    })?;
    let images = answer
        .data
        .into_iter()
        .map(|image| {
            let inference_ms = image
                .timings
                .or(answer.timings)
                .and_then(|timings| timings.inference)
                .filter(|seconds| seconds.is_finite() && *seconds >= 0.0)
                .map(|seconds| (seconds * 1000.0).round() as u64);
            let data = match (image.b64_json, image.url) {
                (Some(encoded), _) => {
                    ImageData::Inline(decode_base64(&encoded).ok_or_else(unreadable)?)
                }
                (None, Some(url)) => ImageData::Url(url),
                (None, None) => return Err(unreadable()),
            };
            Ok(DecodedImage { data, inference_ms })
        })
        .collect::<Result<_, _>>()?;
    Ok(DecodedAnswer {
        upstream_id: answer.id,
        images,
    })
}

fn decode_base64(encoded: &str) -> Option<Bytes> {
    // Some compatible endpoints send a data URL rather than bare base64.
    let encoded = match encoded.split_once(";base64,") {
        Some((prefix, rest)) if prefix.starts_with("data:") => rest,
        _ => encoded,
    };
    base64::engine::general_purpose::STANDARD
        .decode(encoded.trim())
        .ok()
        .map(Bytes::from)
}

#[derive(Debug, Default)]
struct UpstreamError {
    id: Option<String>,
    message: Option<String>,
    code: Option<String>,
}

impl UpstreamError {
    /// Together sends `{"error": {"message", "code"}}`; other endpoints vary, so read leniently.
    fn parse(body: &[u8]) -> Self {
        let Ok(value) = serde_json::from_slice::<serde_json::Value>(body) else {
            return Self::default();
        };
        let text = |value: &serde_json::Value| value.as_str().map(str::to_owned);
        let error = &value["error"];
        Self {
            id: text(&value["id"]),
            message: text(&error["message"])
                .or_else(|| text(error))
                .or_else(|| text(&value["message"])),
            code: text(&error["code"]).or_else(|| text(&error["type"])),
        }
    }
}

/// Where image URLs may point. The configured base origin is always allowed
/// (we already trust it with the key, and it is what tests and self-hosted
/// endpoints serve from, even over plain http); any other host must be https
/// and be the base host or on the allow-list.
#[derive(Debug)]
struct ImageUrlRule {
    base: Url,
    base_host: String,
    hosts: Vec<String>,
}

impl ImageUrlRule {
    fn new(base: &Url, hosts: Vec<String>) -> Self {
        Self {
            base: base.clone(),
            base_host: base.host_str().unwrap_or_default().to_ascii_lowercase(),
            hosts: hosts
                .into_iter()
                .map(|host| host.trim().to_ascii_lowercase())
                .filter(|host| !host.is_empty())
                .collect(),
        }
    }

    fn allows(&self, url: &Url) -> bool {
        if url.origin() == self.base.origin() {
            return true;
        }
        let Some(host) = url.host_str().map(str::to_ascii_lowercase) else {
            return false;
        };
        url.scheme() == "https"
            && (host == self.base_host
                || self
                    .hosts
                    .iter()
                    .any(|allowed| match allowed.strip_prefix("*.") {
                        Some(domain) => host
                            .strip_suffix(domain)
                            .is_some_and(|prefix| prefix.ends_with('.') && prefix.len() > 1),
                        None => &host == allowed,
                    }))
    }
}

enum ReadError {
    TooLarge,
    Transport(reqwest::Error),
}

/// Reads a body chunk by chunk, stopping as soon as it passes `cap` so a huge
/// answer is refused without being held in memory first.
async fn read_capped(mut response: reqwest::Response, cap: usize) -> Result<Bytes, ReadError> {
    if response
        .content_length()
        .is_some_and(|length| length > cap as u64)
    {
        return Err(ReadError::TooLarge);
    }
    let mut body = BytesMut::new();
    while let Some(chunk) = response.chunk().await.map_err(ReadError::Transport)? {
        if body.len() + chunk.len() > cap {
            return Err(ReadError::TooLarge);
        }
        body.extend_from_slice(&chunk);
    }
    Ok(body.freeze())
}

/// Where the retry loop reads the time and waits: the runtime's clock in the
/// product, a simulated one in the retry tests (so they need no paused
/// runtime, and the release build carries no test-only clock).
struct RetryClock<Now, Sleep> {
    now: Now,
    sleep: Sleep,
}

impl RetryClock<fn() -> Instant, fn(Duration) -> tokio::time::Sleep> {
    fn runtime() -> Self {
        Self {
            now: Instant::now,
            sleep: tokio::time::sleep,
        }
    }
}

/// Runs `attempt` up to `max_attempts` times, waiting between tries as
/// [`retry_delay`] says, and gives up early rather than sleep past `deadline`.
async fn with_retries<T, Fut, Now, Sleep, Wait>(
    max_attempts: u32,
    base_backoff: Duration,
    deadline: Instant,
    jitter: impl Fn() -> f64,
    clock: RetryClock<Now, Sleep>,
    mut attempt: impl FnMut() -> Fut,
) -> Result<T, ProviderError>
where
    Fut: std::future::Future<Output = Attempt<T>>,
    Now: Fn() -> Instant,
    Sleep: Fn(Duration) -> Wait,
    Wait: std::future::Future<Output = ()>,
{
    let mut tries = 1;
    loop {
        let (retry_after, error) = match attempt().await {
            Attempt::Done(value) => return Ok(value),
            Attempt::Final(error) => return Err(error),
            Attempt::Retry { retry_after, error } => (retry_after, error),
        };
        let delay = retry_delay(tries, base_backoff, retry_after, jitter());
        if tries >= max_attempts || (clock.now)() + delay >= deadline {
            tracing::warn!(attempts = tries, "Together stayed unavailable");
            return Err(error);
        }
        tracing::info!(
            attempt = tries,
            delay_ms = delay.as_millis() as u64,
            "retrying Together"
        );
        (clock.sleep)(delay).await;
        tries += 1;
    }
}

/// Reads `Retry-After` as seconds (whole or fractional) or an HTTP date.
pub fn parse_retry_after(headers: &HeaderMap, now: SystemTime) -> Option<Duration> {
    let value = headers.get(RETRY_AFTER)?.to_str().ok()?.trim();
    if let Ok(seconds) = value.parse::<f64>() {
        return (seconds.is_finite() && seconds >= 0.0).then(|| Duration::from_secs_f64(seconds));
    }
    let date = httpdate::parse_http_date(value).ok()?;
    Some(date.duration_since(now).unwrap_or(Duration::ZERO))
}

/// The wait before retry number `attempt` (1 = the first retry): exponential
/// backoff with "equal jitter" (half fixed, half random, so concurrent clients
/// spread out but never retry at once), and never shorter than `Retry-After`.
/// `jitter` is a random number in `0..1`.
pub fn retry_delay(
    attempt: u32,
    base: Duration,
    retry_after: Option<Duration>,
    jitter: f64,
) -> Duration {
    let exponential = base
        .saturating_mul(1 << attempt.saturating_sub(1).min(16))
        .min(MAX_BACKOFF);
    let backoff = exponential / 2 + exponential.mul_f64(jitter.clamp(0.0, 1.0) / 2.0);
    backoff.max(retry_after.unwrap_or(Duration::ZERO))
}

fn round_up_to_second(duration: Duration) -> Duration {
    Duration::from_secs(duration.as_secs() + u64::from(duration.subsec_nanos() > 0))
        .max(Duration::from_secs(1))
}

fn base64_len(bytes: usize) -> usize {
    bytes.div_ceil(3) * 4
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(retry_after: &str) -> HeaderMap {
        let mut headers = HeaderMap::new();
        headers.insert(RETRY_AFTER, retry_after.parse().unwrap());
        headers
    }

    #[test]
    fn retry_after_is_read_as_seconds_or_as_an_http_date() {
        let now = httpdate::parse_http_date("Wed, 21 Oct 2026 07:28:00 GMT").unwrap();

        assert_eq!(
            parse_retry_after(&headers("3"), now),
            Some(Duration::from_secs(3))
        );
        assert_eq!(
            parse_retry_after(&headers(" 0.5 "), now),
            Some(Duration::from_millis(500))
        );
        assert_eq!(
            parse_retry_after(&headers("Wed, 21 Oct 2026 07:28:30 GMT"), now),
            Some(Duration::from_secs(30))
        );
        assert_eq!(
            parse_retry_after(&headers("Wed, 21 Oct 2026 07:27:00 GMT"), now),
            Some(Duration::ZERO),
            "a date in the past means now"
        );
        assert_eq!(parse_retry_after(&headers("-1"), now), None);
        assert_eq!(parse_retry_after(&headers("soon"), now), None);
        assert_eq!(parse_retry_after(&HeaderMap::new(), now), None);
    }

    #[test]
    fn backoff_doubles_per_retry_with_half_of_it_random() {
        let base = Duration::from_millis(500);

        assert_eq!(retry_delay(1, base, None, 0.0), Duration::from_millis(250));
        assert_eq!(retry_delay(1, base, None, 1.0), Duration::from_millis(500));
        assert_eq!(retry_delay(2, base, None, 0.0), Duration::from_millis(500));
        assert_eq!(retry_delay(2, base, None, 1.0), Duration::from_millis(1000));
        assert_eq!(retry_delay(3, base, None, 0.5), Duration::from_millis(1500));
        assert_eq!(retry_delay(30, base, None, 1.0), MAX_BACKOFF, "capped");
    }

    #[test]
    fn backoff_never_waits_less_than_retry_after() {
        let base = Duration::from_millis(500);

        assert_eq!(
            retry_delay(1, base, Some(Duration::from_secs(2)), 1.0),
            Duration::from_secs(2)
        );
        assert_eq!(
            retry_delay(1, base, Some(Duration::ZERO), 1.0),
            Duration::from_millis(500)
        );
    }

    fn unavailable(retry_after: Option<u64>) -> Attempt<&'static str> {
        Attempt::Retry {
            retry_after: retry_after.map(Duration::from_secs),
            error: ProviderError::Unavailable {
                retry_after: Duration::from_secs(retry_after.unwrap_or(5)),
            },
        }
    }

    /// Runs `with_retries` over scripted outcomes on a simulated clock; returns
    /// the result, how many tries were made and how long it all took.
    async fn run_script(
        script: Vec<Attempt<&'static str>>,
        deadline_in: Duration,
    ) -> (Result<&'static str, ProviderError>, usize, Duration) {
        let started = Instant::now();
        let waited = std::cell::Cell::new(Duration::ZERO);
        let clock = RetryClock {
            now: || started + waited.get(),
            sleep: |delay| {
                waited.set(waited.get() + delay);
                std::future::ready(())
            },
        };
        let script = std::sync::Mutex::new(std::collections::VecDeque::from(script));
        let tries = std::sync::atomic::AtomicUsize::new(0);
        let result = with_retries(
            3,
            Duration::from_millis(500),
            started + deadline_in,
            || 0.0,
            clock,
            || {
                tries.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
                let next = script.lock().unwrap().pop_front().expect("scripted");
                async move { next }
            },
        )
        .await;
        (result, tries.into_inner(), waited.get())
    }

    #[tokio::test]
    async fn a_rate_limit_is_retried_after_retry_after_then_succeeds() {
        let (result, tries, took) = run_script(
            vec![unavailable(Some(2)), Attempt::Done("image")],
            Duration::from_secs(25),
        )
        .await;

        assert_eq!(result.unwrap(), "image");
        assert_eq!(tries, 2);
        assert_eq!(took, Duration::from_secs(2));
    }

    #[tokio::test]
    async fn without_retry_after_the_waits_grow_exponentially_and_stop_after_three_tries() {
        let (result, tries, took) = run_script(
            vec![unavailable(None), unavailable(None), unavailable(None)],
            Duration::from_secs(25),
        )
        .await;

        assert!(matches!(result, Err(ProviderError::Unavailable { .. })));
        assert_eq!(tries, 3);
        // 250 ms then 500 ms with no jitter drawn.
        assert_eq!(took, Duration::from_millis(750));
    }

    #[tokio::test]
    async fn a_wait_that_would_pass_the_deadline_is_not_taken() {
        let (result, tries, took) = run_script(
            vec![unavailable(Some(30)), Attempt::Done("never")],
            Duration::from_secs(25),
        )
        .await;

        assert!(matches!(
            result,
            Err(ProviderError::Unavailable { retry_after }) if retry_after == Duration::from_secs(30)
        ));
        assert_eq!(tries, 1);
        assert_eq!(took, Duration::ZERO);
    }

    #[tokio::test]
    async fn a_final_error_is_not_retried() {
        let (result, tries, _) = run_script(
            vec![Attempt::Final(ProviderError::Failed("refused".into()))],
            Duration::from_secs(25),
        )
        .await;

        assert!(matches!(result, Err(ProviderError::Failed(_))));
        assert_eq!(tries, 1);
    }

    #[test]
    fn answers_are_decoded_with_or_without_type_and_with_url_or_base64() {
        let jpeg_b64 = base64::engine::general_purpose::STANDARD.encode([0xFF, 0xD8, 0xFF, 0xE0]);
        let body = serde_json::json!({
            "id": "abc", "model": "m", "object": "list",
            "data": [
                {"index": 0, "b64_json": jpeg_b64, "timings": {"inference": 0.6125}},
                {"index": 1, "type": "image", "url": "https://api.together.xyz/img/1.jpg"},
                {"index": 2, "b64_json": format!("data:image/jpeg;base64,{jpeg_b64}")}
            ]
        });

        let answer = decode_response(body.to_string().as_bytes()).unwrap();

        assert_eq!(answer.upstream_id.as_deref(), Some("abc"));
        assert_eq!(answer.images.len(), 3);
        assert!(
            matches!(&answer.images[0].data, ImageData::Inline(bytes) if bytes[..] == [0xFF, 0xD8, 0xFF, 0xE0])
        );
        assert_eq!(answer.images[0].inference_ms, Some(613));
        assert!(matches!(&answer.images[1].data, ImageData::Url(url) if url.ends_with("1.jpg")));
        assert_eq!(answer.images[1].inference_ms, None);
        assert!(matches!(&answer.images[2].data, ImageData::Inline(bytes) if bytes.len() == 4));
    }

    #[test]
    fn broken_answers_are_failures() {
        for body in [
            &b"{\"id\": \"x\", \"data\": [{\"b64_json\": \"/9j/"[..],
            b"<html>",
            b"{\"data\": [{\"b64_json\": \"not base64!\"}]}",
            b"{\"data\": [{\"index\": 0}]}",
            b"{\"id\": \"x\"}",
        ] {
            assert!(
                matches!(decode_response(body), Err(ProviderError::Failed(_))),
                "{}",
                String::from_utf8_lossy(body)
            );
        }
    }

    #[test]
    fn image_urls_must_come_from_the_base_origin_or_an_allowed_https_host() {
        let rule = ImageUrlRule::new(
            &Url::parse("https://api.together.xyz").unwrap(),
            vec!["cdn.example.com".into(), "*.images.example.net".into()],
        );
        let allows = |url: &str| rule.allows(&Url::parse(url).unwrap());

        assert!(allows("https://api.together.xyz/shrt/abc"));
        assert!(allows("https://cdn.example.com/a.jpg"));
        assert!(allows("https://eu.images.example.net/a.jpg"));
        assert!(!allows("http://api.together.xyz/a.jpg"), "plain http");
        assert!(!allows("http://cdn.example.com/a.jpg"), "plain http");
        assert!(
            !allows("https://images.example.net/a.jpg"),
            "the wildcard covers subdomains only"
        );
        assert!(!allows("https://evilimages.example.net/a.jpg"));
        assert!(!allows("https://cdn.example.com.evil.org/a.jpg"));
        assert!(!allows("https://169.254.169.254/latest/meta-data"));
        assert!(!allows("file:///etc/passwd"));
    }

    #[test]
    fn a_plain_http_base_allows_only_its_own_origin() {
        let rule = ImageUrlRule::new(&Url::parse("http://127.0.0.1:4010").unwrap(), Vec::new());
        let allows = |url: &str| rule.allows(&Url::parse(url).unwrap());

        assert!(allows("http://127.0.0.1:4010/files/a.jpg"));
        assert!(!allows("http://127.0.0.1:4011/files/a.jpg"), "another port");
        assert!(
            !allows("http://localhost:4010/files/a.jpg"),
            "another host name"
        );
    }

    #[test]
    fn a_models_file_is_checked_before_use() {
        let good = br#"[{"id": "m", "label": "M", "steps": {"min": 1, "max": 4, "default": 4},
            "width": {"min": 256, "max": 1024, "multiple_of": 16},
            "height": {"min": 256, "max": 1024, "multiple_of": 16},
            "max_images": 2, "negative_prompt": true}]"#;
        let models = load_models(good).unwrap();
        assert_eq!(models[0].max_images, 2);
        assert_eq!(models[0].price_per_megapixel_usd, 0.0, "no price: free");
        let text = String::from_utf8_lossy(good);
        let priced = text.replace(
            "\"max_images\": 2",
            "\"max_images\": 2, \"price_per_megapixel_usd\": 0.0035",
        );
        assert_eq!(
            load_models(priced.as_bytes()).unwrap()[0].price_per_megapixel_usd,
            0.0035
        );

        for broken in [
            "[]".to_owned(),
            text.replace("\"default\": 4", "\"default\": 5"),
            text.replace("\"max_images\": 2", "\"max_images\": 0"),
            text.replace("\"multiple_of\": 16}", "\"multiple_of\": 0}"),
            text.replace("\"label\"", "\"lable\""),
            text.replace(
                "\"max_images\": 2",
                "\"max_images\": 2, \"price_per_megapixel_usd\": -1",
            ),
            format!(
                "[{0}, {0}]",
                text.trim().trim_start_matches('[').trim_end_matches(']')
            ),
        ] {
            assert!(load_models(broken.as_bytes()).is_err(), "{broken}");
        }
    }

    #[test]
    fn the_default_models_are_schnell_then_the_withdrawn_free_one() {
        let models = default_models();

        assert_eq!(models[0].id, "black-forest-labs/FLUX.1-schnell");
        assert_eq!(
            (
                models[0].steps.min,
                models[0].steps.max,
                models[0].steps.default
            ),
            (1, 4, 4)
        );
        assert_eq!(models[1].id, "black-forest-labs/FLUX.1-schnell-Free");
        assert!(models[1].label.contains("withdrawn"));
    }
}
