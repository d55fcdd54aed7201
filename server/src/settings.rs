//! Typed settings read from the environment (or flags), once, at start-up.
//!
//! Every setting has a documented environment variable so `promptcanvas --help`
//! is the complete reference. Secrets are wrapped in [`SecretString`] so they
//! cannot reach a log line, an error body or `/api/config` by accident.

use std::{net::SocketAddr, path::PathBuf};

use clap::Args;
use secrecy::SecretString;

/// Settings shared by every way of running the server, in groups that
/// `--help` shows under their own headings.
#[derive(Debug, Clone, Args)]
pub struct Config {
    #[command(flatten, next_help_heading = "Server")]
    pub server: ServerOptions,

    #[command(flatten, next_help_heading = "Image URLs")]
    pub media: MediaOptions,

    #[command(flatten, next_help_heading = "Limits and quotas")]
    pub limits: LimitOptions,

    #[command(flatten, next_help_heading = "Together AI")]
    pub together: TogetherOptions,

    #[command(flatten, next_help_heading = "Clerk sign-in")]
    pub clerk: ClerkOptions,

    #[command(flatten, next_help_heading = "AWS storage")]
    pub aws: AwsOptions,

    #[command(flatten, next_help_heading = "Maintenance")]
    pub maintenance: MaintenanceOptions,

    #[command(flatten, next_help_heading = "Logs and metrics")]
    pub telemetry: TelemetryOptions,
}

/// Where the server listens, what it serves and who may call it.
#[derive(Debug, Clone, Args)]
pub struct ServerOptions {
    /// Address and port the HTTP server listens on.
    #[arg(long, env = "BIND_ADDR", default_value = "127.0.0.1:8080")]
    pub bind_addr: SocketAddr,

    /// Folder for the SQLite database, locally stored images and the generated signing key.
    #[arg(long, env = "DATA_DIR", default_value = "./data")]
    pub data_dir: PathBuf,

    /// How browsers reach this server (e.g. https://studio.example.com). Used for
    /// absolute media URLs and the Secure cookie flag. Default: http://BIND_ADDR.
    #[arg(long, env = "PUBLIC_BASE_URL")]
    pub public_base_url: Option<String>,

    /// Folder holding the built web app (index.html and assets/). Served when present.
    #[arg(long, env = "WEB_DIST_DIR", default_value = "web/dist")]
    pub web_dist_dir: PathBuf,

    /// Whether this server serves the web app at all; the Lambda entry turns
    /// it off, since the CDN serves the app's files there.
    #[arg(skip = true)]
    pub serve_web_app: bool,

    /// Browser origins (scheme://host[:port]) of a front end served elsewhere that may
    /// call the API with credentials, comma-separated. Same-origin needs nothing.
    #[arg(long, env = "CORS_ALLOWED_ORIGINS", value_delimiter = ',')]
    pub cors_allowed_origins: Vec<String>,

    /// How many reverse proxies in front of the server append to X-Forwarded-For.
    /// 0 (the default) ignores the header and uses the connection's address.
    #[arg(long, env = "TRUSTED_PROXY_HOPS", default_value_t = 0)]
    pub trusted_proxy_hops: usize,

    /// A shared secret the CDN in front of the API adds as `X-Origin-Secret`
    /// to every request (at least 32 characters). When set, `/api` requests
    /// without it are refused with 403, before anything else reads them, so
    /// the API's own endpoint cannot be called directly (and its callers
    /// cannot choose their `X-Forwarded-For`). Unset: no such check.
    #[arg(long, env = "ORIGIN_SECRET", hide_env_values = true, value_parser = parse_secret)]
    pub origin_secret: Option<SecretString>,

    /// How long a sign-in lasts, in days.
    #[arg(long, env = "SESSION_TTL_DAYS", default_value_t = 30)]
    pub session_ttl_days: u64,

    /// Emails of the operators, comma-separated, for local accounts and Clerk
    /// users alike: they see the Admin page and `GET /api/admin/stats`, which
    /// answer 404 to everyone else. Unset: no one.
    #[arg(long, env = "ADMIN_EMAILS", value_delimiter = ',')]
    pub admin_emails: Vec<String>,
}

/// How image URLs are made: signed by the server, presigned by S3 or served by a CDN.
#[derive(Debug, Clone, Args)]
pub struct MediaOptions {
    /// Key for signing media URLs and gallery cursors (at least 32 characters).
    /// Default: a random key generated once and kept in DATA_DIR/signing.key.
    #[arg(long, env = "MEDIA_SIGNING_KEY", hide_env_values = true, value_parser = parse_secret)]
    pub media_signing_key: Option<SecretString>,

    /// How long signed image URLs stay valid, in seconds (they are re-issued with every listing).
    #[arg(long, env = "MEDIA_URL_TTL_SECS", default_value_t = 3600)]
    pub media_url_ttl_secs: u64,

    /// Base URL of a CDN (e.g. CloudFront) in front of the S3 bucket. When set,
    /// image URLs are CDN_BASE_URL/<key> instead of presigned S3 URLs.
    #[arg(long, env = "CDN_BASE_URL")]
    pub cdn_base_url: Option<String>,

    /// Secret (at least 32 characters) that signs CDN image URLs: each gets
    /// `exp` and `sig` query parameters, which the CDN's viewer-request
    /// function (`infra/cdn/signed-images.js`) checks, so a URL stops working
    /// when it expires, as presigned S3 URLs do. Unset: plain URLs.
    #[arg(long, env = "CDN_SIGNING_SECRET", hide_env_values = true, value_parser = parse_secret)]
    pub cdn_signing_secret: Option<SecretString>,
}

/// What one user or one client address may do, and how big a request may be.
#[derive(Debug, Clone, Args)]
pub struct LimitOptions {
    /// Longest accepted prompt, in characters.
    #[arg(long, env = "PROMPT_MAX_CHARS", default_value_t = 2000)]
    pub prompt_max_chars: usize,

    /// Generations (requests) one user may start per minute.
    #[arg(long, env = "RATE_LIMIT_GENERATIONS_PER_MINUTE", default_value_t = 10)]
    pub generations_per_minute: u32,

    /// Images one user may generate per calendar month (UTC).
    #[arg(long, env = "MONTHLY_GENERATION_QUOTA", default_value_t = 500)]
    pub monthly_generation_quota: u32,

    /// Drafts (live previews, `POST /api/drafts`) one user may make per minute.
    #[arg(long, env = "RATE_LIMIT_DRAFTS_PER_MINUTE", default_value_t = 60)]
    pub drafts_per_minute: u32,

    /// Drafts one user may make per calendar month (UTC).
    #[arg(long, env = "MONTHLY_DRAFT_QUOTA", default_value_t = 1000)]
    pub monthly_draft_quota: u32,

    /// How long a draft is kept before it is removed, in seconds; keeping it
    /// in the gallery is possible until then.
    #[arg(long, env = "DRAFT_TTL_SECS", default_value_t = 3600, value_parser = clap::value_parser!(u64).range(1..=30 * 24 * 3600))]
    pub draft_ttl_secs: u64,

    /// How long an export's ZIP can be downloaded, in hours (1 to 168); the
    /// sweep then removes it.
    #[arg(long, env = "EXPORT_TTL_HOURS", default_value_t = 24, value_parser = clap::value_parser!(u32).range(1..=168))]
    pub export_ttl_hours: u32,

    /// Most images one export may hold (1 to 100000); a larger selection is
    /// refused with 422 `too_many_images`.
    #[arg(long, env = "EXPORT_MAX_IMAGES", default_value_t = 1000, value_parser = clap::value_parser!(u32).range(1..=100_000))]
    pub export_max_images: u32,

    /// Most one user's generations and drafts may cost in a calendar month
    /// (UTC), in US dollars at the models' prices; a request that would pass
    /// it is refused with 429 `budget_exceeded`. Unset: no budget.
    #[arg(long, env = "MONTHLY_BUDGET_USD", value_parser = parse_budget)]
    pub monthly_budget_usd: Option<f64>,

    /// Bytes of original images one user may keep; 0 for no limit. Checked
    /// atomically as images are recorded.
    #[arg(long, env = "STORAGE_QUOTA_BYTES", default_value_t = 1 << 30)]
    pub storage_quota_bytes: u64,

    /// Largest image (width × height) accepted from a provider before decoding.
    #[arg(long, env = "MAX_IMAGE_PIXELS", default_value_t = 4096 * 4096)]
    pub max_image_pixels: u64,

    /// Sign-in and sign-up attempts per minute, counted per client address and
    /// per (email, client address). A window lasts one minute, so nobody is
    /// locked out for longer, and attempts from elsewhere never count against
    /// the owner's own address.
    #[arg(long, env = "RATE_LIMIT_AUTH_PER_MINUTE", default_value_t = 10)]
    pub auth_attempts_per_minute: u32,

    /// Sign-in and sign-up attempts per hour for one email address from all
    /// addresses together: a loose limit on guessing spread over many addresses.
    #[arg(
        long,
        env = "RATE_LIMIT_AUTH_PER_EMAIL_PER_HOUR",
        default_value_t = 100
    )]
    pub auth_attempts_per_email_per_hour: u32,

    /// Password hashes (sign-up, sign-in) that run at once; 0 = one per core.
    /// Each takes 19 MiB, so this bounds their memory under a flood.
    #[arg(long, env = "PASSWORD_HASHING_CONCURRENCY", default_value_t = 0)]
    pub password_hashing_concurrency: usize,

    /// How long a sign-in or sign-up waits for a hashing turn before it is
    /// refused with 503 `busy` and `Retry-After`.
    #[arg(long, env = "PASSWORD_HASHING_WAIT_MS", default_value_t = 2000)]
    pub password_hashing_wait_ms: u64,

    /// Requests per second one client IP may make to the API, on average (0 = no limit).
    /// Kept in memory per instance: a cheap first line against floods.
    #[arg(long, env = "RATE_LIMIT_REQUESTS_PER_SECOND", default_value_t = 50)]
    pub requests_per_second: u32,

    /// Requests one client IP may make at once before the per-second rate applies
    /// (a gallery page loads dozens of thumbnails together).
    #[arg(long, env = "RATE_LIMIT_BURST", default_value_t = 200)]
    pub request_burst: u32,

    /// Error reports one client IP may send from the web app per minute
    /// (`POST /api/client-errors`, a burst of as many at once; 0 = no limit).
    #[arg(
        long,
        env = "RATE_LIMIT_CLIENT_ERRORS_PER_MINUTE",
        default_value_t = 10
    )]
    pub client_errors_per_minute: u32,
}

/// Together AI, when its key is set; the offline engine otherwise.
#[derive(Debug, Clone, Args)]
pub struct TogetherOptions {
    /// Together AI API key. When set, Together generates the images (its first
    /// model is the default); without it the offline preview engine is used.
    #[arg(long, env = "TOGETHER_AI_API_KEY", hide_env_values = true, value_parser = parse_api_key)]
    pub together_api_key: Option<SecretString>,

    /// Where Together's API lives; any OpenAI-compatible images endpoint works.
    /// `/v1/images/generations` is appended.
    #[arg(
        long,
        env = "TOGETHER_API_BASE_URL",
        default_value = "https://api.together.xyz"
    )]
    pub together_base_url: String,

    /// Optional JSON file listing the Together models offered (the first is the default):
    /// `[{"id", "label", "steps": {"min","max","default"}, "width": {"min","max","multiple_of"},
    /// "height": {…}, "max_images", "negative_prompt", "price_per_megapixel_usd"?}]`
    /// (a missing price counts as free). Default: FLUX.1-schnell at $0.0027 a megapixel.
    #[arg(long, env = "TOGETHER_MODELS")]
    pub together_models: Option<PathBuf>,

    /// Longest a Together generation may take, retries and image downloads included, in seconds.
    #[arg(long, env = "TOGETHER_TIMEOUT_SECS", default_value_t = 25)]
    pub together_timeout_secs: u64,

    /// First retry delay for Together, in milliseconds; each later retry waits about twice as long.
    #[arg(long, env = "TOGETHER_RETRY_BASE_MS", default_value_t = 500)]
    pub together_retry_base_ms: u64,

    /// Extra hosts Together image URLs may be downloaded from, comma separated
    /// (`cdn.example.com` or `*.example.com`; https only). The base URL's host is always allowed.
    #[arg(long, env = "TOGETHER_IMAGE_HOSTS", value_delimiter = ',')]
    pub together_image_hosts: Vec<String>,

    /// Largest image accepted from Together, in bytes (inline or downloaded).
    #[arg(long, env = "TOGETHER_MAX_IMAGE_BYTES", default_value_t = 20 * 1024 * 1024)]
    pub together_max_image_bytes: usize,
}

/// Clerk sign-in, when its publishable key is set; local accounts otherwise.
#[derive(Debug, Clone, Args)]
pub struct ClerkOptions {
    /// Clerk publishable key (`pk_test_…` / `pk_live_…`). Setting it turns on Clerk
    /// sign-in: local sign-up and sign-in are disabled, API calls carry Clerk session tokens.
    #[arg(long, env = "CLERK_PUBLISHABLE_KEY")]
    pub clerk_publishable_key: Option<String>,

    /// Clerk secret key (`sk_…`). Optional: lets the server read new users' email and
    /// name from Clerk's Backend API, and fetch signing keys from it if the Frontend API fails.
    #[arg(long, env = "CLERK_SECRET_KEY", hide_env_values = true, value_parser = parse_api_key)]
    pub clerk_secret_key: Option<SecretString>,

    /// Clerk's PEM public key (Dashboard → API keys → JWT public key). When set, tokens are
    /// verified with it alone and no signing keys are ever fetched.
    #[arg(long, env = "CLERK_JWT_KEY", hide_env_values = true)]
    pub clerk_jwt_key: Option<String>,

    /// Front-end origins (e.g. https://studio.example.com) a Clerk token's `azp` must be one
    /// of, comma-separated. Empty: `azp` is not checked.
    #[arg(long, env = "CLERK_AUTHORIZED_PARTIES", value_delimiter = ',')]
    pub clerk_authorized_parties: Vec<String>,

    /// Where Clerk's signing keys (JWKS) are fetched. Default: the Frontend API named by the
    /// publishable key, `https://<frontend-api>/.well-known/jwks.json` (set this for a proxy).
    #[arg(long, env = "CLERK_JWKS_URL")]
    pub clerk_jwks_url: Option<String>,

    /// Clerk's Backend API, used with CLERK_SECRET_KEY.
    #[arg(long, env = "CLERK_API_URL", default_value = "https://api.clerk.com")]
    pub clerk_api_url: String,

    /// Least time between two signing-key fetches caused by unknown key ids, in seconds.
    #[arg(long, env = "CLERK_JWKS_COOLDOWN_SECS", default_value_t = 10)]
    pub clerk_jwks_cooldown_secs: u64,
}

/// S3 for images and DynamoDB for records, each when named; local files and SQLite otherwise.
#[derive(Debug, Clone, Args)]
pub struct AwsOptions {
    /// S3 bucket for image files. When set, images are stored there instead of
    /// DATA_DIR/images (credentials from the standard AWS chain; a local
    /// S3-compatible server through AWS_ENDPOINT_URL_S3 or AWS_ENDPOINT_URL).
    #[arg(long, env = "S3_BUCKET_NAME")]
    pub s3_bucket_name: Option<String>,

    /// DynamoDB table of users, sessions, usage, rate windows and idempotency
    /// records. With DYNAMODB_TABLE_IMAGES it replaces SQLite (endpoint override:
    /// AWS_ENDPOINT_URL_DYNAMODB or AWS_ENDPOINT_URL).
    #[arg(long, env = "DYNAMODB_TABLE_USERS")]
    pub dynamodb_table_users: Option<String>,

    /// DynamoDB table of image records (set together with DYNAMODB_TABLE_USERS).
    #[arg(long, env = "DYNAMODB_TABLE_IMAGES")]
    pub dynamodb_table_images: Option<String>,

    /// AWS region of the bucket and tables. Default: the AWS configuration's region.
    #[arg(long, env = "AWS_REGION")]
    pub aws_region: Option<String>,
}

/// What `promptcanvas sweep` keeps and for how long.
#[derive(Debug, Clone, Args)]
pub struct MaintenanceOptions {
    /// How old an image file without a record, or a monthly reservation for
    /// images never made, must be before `promptcanvas sweep` removes it or
    /// gives it back, in seconds (newer ones may belong to a generation in progress).
    #[arg(long, env = "ORPHAN_GRACE_SECS", default_value_t = 3600)]
    pub orphan_grace_secs: u64,

    /// Days a trashed image stays restorable before `promptcanvas sweep` deletes it for good.
    #[arg(long, env = "TRASH_RETENTION_DAYS", default_value_t = 30,
          value_parser = clap::value_parser!(u32).range(1..=3650))]
    pub trash_retention_days: u32,

    /// How often `serve` runs the sweep itself, in seconds, the first time
    /// right after it starts; 0 never (then run `promptcanvas sweep` from a
    /// scheduler). The Lambda function ignores it: its sweep is a scheduled event.
    #[arg(long, env = "SWEEP_INTERVAL_SECS", default_value_t = 3600,
          value_parser = clap::value_parser!(u64).range(0..=604_800))]
    pub sweep_interval_secs: u64,
}

/// Logs and metrics.
#[derive(Debug, Clone, Args)]
pub struct TelemetryOptions {
    /// Log filter, e.g. `info` or `promptcanvas=debug,tower_http=info`.
    #[arg(long, env = "RUST_LOG", default_value = "info")]
    pub log_filter: String,

    /// Log format: `text` for people, `json` for log collectors.
    #[arg(long, env = "LOG_FORMAT", default_value = "text")]
    pub log_format: LogFormat,

    /// Log each generation's prompt at info level. Off by default: prompts are
    /// the users' own words and stay out of the logs unless an operator opts in.
    #[arg(long, env = "LOG_PROMPTS", default_value_t = false, action = clap::ArgAction::Set)]
    pub log_prompts: bool,

    /// Bearer token that opens `GET /metrics` (Prometheus text) on the main
    /// listener, at least 32 characters. Unset: `/metrics` answers 404 there.
    #[arg(long, env = "METRICS_TOKEN", hide_env_values = true, value_parser = parse_secret)]
    pub metrics_token: Option<SecretString>,

    /// A second listener serving only `GET /metrics`, without a token, e.g.
    /// `127.0.0.1:9464` for a scraper on the same host or private network.
    #[arg(long, env = "METRICS_BIND_ADDR")]
    pub metrics_bind_addr: Option<SocketAddr>,

    /// Also write metrics to stdout as CloudWatch Embedded Metric Format lines
    /// (always on under AWS Lambda).
    #[arg(long, env = "METRICS_EMF", default_value_t = false, action = clap::ArgAction::Set)]
    pub metrics_emf: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum LogFormat {
    Text,
    Json,
}

fn parse_api_key(value: &str) -> Result<SecretString, String> {
    let value = value.trim();
    if value.is_empty() {
        return Err("must not be empty".into());
    }
    Ok(SecretString::from(value.to_owned()))
}

fn parse_budget(value: &str) -> Result<f64, String> {
    match value.trim().parse::<f64>() {
        Ok(budget) if budget.is_finite() && budget >= 0.0 => Ok(budget),
        _ => Err("a number of US dollars, 0 or more (e.g. 5 or 2.50)".into()),
    }
}

fn parse_secret(value: &str) -> Result<SecretString, String> {
    if value.len() < 32 {
        return Err("must be at least 32 characters".into());
    }
    Ok(SecretString::from(value.to_owned()))
}

impl Config {
    /// Settings for tests and tools: everything default, data in `data_dir`,
    /// any free port, and only warnings logged.
    pub fn for_data_dir(data_dir: impl Into<PathBuf>) -> Self {
        let mut config = Self::defaults();
        config.server.bind_addr = SocketAddr::from(([127, 0, 0, 1], 0));
        config.server.data_dir = data_dir.into();
        config.telemetry.log_filter = "warn".into();
        // A test sweeps when it means to: one running on its own would race it.
        config.maintenance.sweep_interval_secs = 0;
        config
    }

    /// Every setting at its documented default, whatever the environment
    /// holds: the defaults are written once, in the attributes above.
    pub fn defaults() -> Self {
        use clap::{CommandFactory, FromArgMatches};
        let command = SettingsOnly::command().mut_args(|arg| arg.env(None));
        let matches = command
            .try_get_matches_from(["promptcanvas"])
            .expect("every setting has a default or is optional");
        SettingsOnly::from_arg_matches(&matches)
            .expect("defaults parse")
            .config
    }

    /// How often `serve` sweeps, `None` when it never does.
    pub fn sweep_interval(&self) -> Option<std::time::Duration> {
        let secs = self.maintenance.sweep_interval_secs;
        (secs > 0).then(|| std::time::Duration::from_secs(secs))
    }

    /// How long a trashed image stays restorable.
    pub fn trash_retention(&self) -> time::Duration {
        time::Duration::days(i64::from(self.maintenance.trash_retention_days))
    }

    /// The per-user storage cap, `None` when unlimited.
    /// Whether an account with this email is an operator's (`ADMIN_EMAILS`,
    /// compared without regard to case).
    pub fn is_admin(&self, email: &str) -> bool {
        let email = email.trim();
        !email.is_empty()
            && self
                .server
                .admin_emails
                .iter()
                .any(|admin| admin.trim().eq_ignore_ascii_case(email))
    }

    pub fn storage_quota(&self) -> Option<u64> {
        let bytes = self.limits.storage_quota_bytes;
        (bytes > 0).then_some(bytes)
    }

    /// Whether any setting asks for an AWS backend.
    pub fn uses_aws(&self) -> bool {
        let aws = &self.aws;
        aws.s3_bucket_name.is_some()
            || aws.dynamodb_table_users.is_some()
            || aws.dynamodb_table_images.is_some()
    }

    /// Whether browsers reach us over HTTPS (decides the cookie's Secure flag).
    pub fn served_over_https(&self) -> bool {
        self.server
            .public_base_url
            .as_deref()
            .is_some_and(|url| url.starts_with("https://"))
    }
}

impl Config {
    /// Settings from the environment alone (what `promptcanvas` with no subcommand uses).
    pub fn parse_from_env() -> Self {
        <SettingsOnly as clap::Parser>::parse_from(["promptcanvas"]).config
    }
}

/// The settings as a command of their own, with no subcommand or flag.
#[derive(clap::Parser)]
struct SettingsOnly {
    #[command(flatten)]
    config: Config,
}

#[cfg(test)]
mod tests {
    use clap::CommandFactory;

    use super::*;

    #[test]
    fn defaults_are_the_documented_ones() {
        let defaults = Config::defaults();
        assert_eq!(defaults.server.bind_addr.to_string(), "127.0.0.1:8080");
        assert_eq!(defaults.server.data_dir, PathBuf::from("./data"));
        assert!(defaults.server.serve_web_app);
        assert_eq!(defaults.limits.monthly_generation_quota, 500);
        assert_eq!(defaults.telemetry.log_filter, "info");
        assert!(defaults.together.together_api_key.is_none());

        let for_tests = Config::for_data_dir("/tmp/somewhere");
        assert_eq!(for_tests.server.bind_addr.port(), 0);
        assert_eq!(for_tests.server.data_dir, PathBuf::from("/tmp/somewhere"));
        assert_eq!(for_tests.limits.requests_per_second, 50);
    }

    #[test]
    fn help_documents_every_setting_under_its_group() {
        let mut command = SettingsOnly::command();
        let help = command.render_long_help().to_string();
        for heading in [
            "Server:",
            "Image URLs:",
            "Limits and quotas:",
            "Together AI:",
            "Clerk sign-in:",
            "AWS storage:",
            "Maintenance:",
            "Logs and metrics:",
        ] {
            assert!(help.contains(heading), "no {heading} group in:\n{help}");
        }
        for arg in command.get_arguments().filter(|arg| arg.get_id() != "help") {
            let env = arg
                .get_env()
                .unwrap_or_else(|| panic!("{} has no variable", arg.get_id()));
            assert!(
                arg.get_help().is_some(),
                "{} is not described",
                arg.get_id()
            );
            assert!(
                help.contains(&format!("[env: {}", env.to_string_lossy())),
                "{env:?} is missing from --help"
            );
        }
    }
}
