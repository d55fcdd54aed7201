//! Serves the same router under AWS Lambda, behind API Gateway.
//!
//! The Lambda runtime hands the process API Gateway events (HTTP API payload
//! v2, or REST API v1) instead of TCP connections. `lambda_http` turns each
//! event into an HTTP request for [`crate::http::router`] and the answer back into
//! the event response API Gateway expects (binary bodies base64-encoded), so
//! every route behaves exactly as it does under `promptcanvas serve`.
//!
//! The same function also receives the hourly scheduled event
//! `{"promptcanvas": "sweep"}` (see the template's `SweepSchedule`) and runs
//! the orphan sweep for it, as `promptcanvas sweep` does on a server.

use std::{
    net::{IpAddr, Ipv4Addr, SocketAddr},
    path::PathBuf,
    sync::atomic::{AtomicU64, Ordering},
    time::{SystemTime, UNIX_EPOCH},
};

use axum::{Router, extract::ConnectInfo, http::Uri};
use lambda_http::{
    Adapter, LambdaEvent, Request, RequestExt, Service,
    request::{LambdaRequest, RequestContext},
    service_fn,
    tower::ServiceBuilder,
};

use serde_json::Value;

use crate::{
    app::{AppState, SAVE_FIGURES_EVERY, build_state, save_figures},
    gallery::sweep,
    http::router,
    settings::Config,
};

/// Set by the Lambda runtime in every function's environment.
pub const RUNTIME_API_VAR: &str = "AWS_LAMBDA_RUNTIME_API";

/// What the Lambda runtime sets and its client reads at start.
const RUNTIME_VARS: [&str; 4] = [
    RUNTIME_API_VAR,
    "AWS_LAMBDA_FUNCTION_NAME",
    "AWS_LAMBDA_FUNCTION_MEMORY_SIZE",
    "AWS_LAMBDA_FUNCTION_VERSION",
];

/// The only writable folder a Lambda function has.
pub const LAMBDA_DATA_DIR: &str = "/tmp/promptcanvas";

/// The serialized answer handed back to the runtime for one event.
pub type EventResponse = serde_json::Value;

/// Whether the Lambda runtime started this process.
pub fn started_by_lambda() -> bool {
    std::env::var_os(RUNTIME_API_VAR).is_some()
}

/// Lambda-specific defaults: data lives in `/tmp` unless `DATA_DIR` says
/// otherwise (the code folder is read-only), the web app is served by
/// CloudFront, never by the function, and metrics go to CloudWatch as
/// Embedded Metric Format lines, since nothing can scrape a function.
pub fn adapt_config(mut config: Config) -> Config {
    if config.server.data_dir == Config::defaults().server.data_dir {
        config.server.data_dir = PathBuf::from(LAMBDA_DATA_DIR);
    }
    config.server.serve_web_app = false;
    config.telemetry.metrics_emf = true;
    config
}

/// The scheduled event's field and the tasks it can name.
const TASK_FIELD: &str = "promptcanvas";
const SWEEP_TASK: &str = "sweep";

/// What one invocation asks the function to do.
#[derive(Debug)]
pub enum Invocation {
    /// An API Gateway event: answer it as the HTTP server would.
    Http(Box<LambdaRequest>),
    /// The scheduled orphan sweep.
    Sweep,
}

impl Invocation {
    /// Reads an invocation's payload. Only the function's invokers (API
    /// Gateway and the schedule) can send one, and an HTTP request arrives
    /// inside an API Gateway event, so a client cannot ask for a sweep.
    pub fn from_payload(payload: Value) -> Result<Self, lambda_http::Error> {
        if let Some(task) = payload.get(TASK_FIELD) {
            return match task.as_str() {
                Some(SWEEP_TASK) => Ok(Self::Sweep),
                _ => Err(format!("unknown scheduled task {task}").into()),
            };
        }
        let request: LambdaRequest = serde_json::from_value(payload)
            .map_err(|error| format!("not an API Gateway event: {error}"))?;
        Ok(Self::Http(Box::new(request)))
    }
}

/// Answers one invocation of any kind: what the runtime calls.
pub async fn handle_invocation(
    app: Router,
    state: &AppState,
    event: LambdaEvent<Value>,
) -> Result<EventResponse, lambda_http::Error> {
    let (payload, context) = event.into_parts();
    match Invocation::from_payload(payload)? {
        Invocation::Http(request) => {
            let answer = handle_event(app, LambdaEvent::new(*request, context)).await;
            save_figures_when_due(state).await;
            answer
        }
        Invocation::Sweep => {
            let report =
                sweep::sweep_everything(state.metadata.as_ref(), &state.media, &state.config)
                    .await
                    .map_err(|error| format!("sweep failed: {error:#}"))?;
            report.log();
            Ok(serde_json::json!({
                "examined": report.examined,
                "removed": report.removed.len(),
                "expired": report.expired,
            }))
        }
    }
}

/// Adds the refusals and error reports counted here to the daily figures,
/// at most every [`SAVE_FIGURES_EVERY`]: nothing runs between invocations, so
/// this is done at the end of one (an environment AWS reclaims loses at most
/// that long's counts).
async fn save_figures_when_due(state: &AppState) {
    static LAST_SAVED: AtomicU64 = AtomicU64::new(0);
    let now = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap_or_default()
        .as_secs();
    let last = LAST_SAVED.load(Ordering::Relaxed);
    if now.saturating_sub(last) >= SAVE_FIGURES_EVERY.as_secs()
        && LAST_SAVED
            .compare_exchange(last, now, Ordering::Relaxed, Ordering::Relaxed)
            .is_ok()
    {
        save_figures(state).await;
    }
}

/// Answers one API Gateway event: what the tests feed recorded events through. The answer is the JSON document
/// API Gateway expects back.
pub async fn handle_event(
    app: Router,
    event: LambdaEvent<LambdaRequest>,
) -> Result<EventResponse, lambda_http::Error> {
    // A router is always ready, so no `poll_ready` is needed before `call`.
    let answer = {
        let http = ServiceBuilder::new()
            .map_request(as_served_request)
            .service(app);
        let mut adapter: Adapter<'static, _, _> = Adapter::from(http);
        adapter.call(event)
    };
    let response = answer.await.map_err(lambda_http::Error::from)?;
    Ok(serde_json::to_value(response)?)
}

/// Builds the application and answers events until the runtime stops the
/// process. Start-up opens the stores and nothing else: no network calls.
pub async fn run(config: Config) -> anyhow::Result<()> {
    // The runtime client panics without its environment; say what is missing instead.
    let missing: Vec<&str> = RUNTIME_VARS
        .into_iter()
        .filter(|name| std::env::var_os(name).is_none())
        .collect();
    if !missing.is_empty() {
        anyhow::bail!(
            "`promptcanvas lambda` runs under the AWS Lambda runtime, which sets {}",
            missing.join(", ")
        );
    }
    if config.together.together_api_key.is_none() {
        tracing::warn!("TOGETHER_AI_API_KEY is not set: images come from the offline engine");
    }
    if config.aws.s3_bucket_name.is_none() {
        tracing::warn!(
            data_dir = %config.server.data_dir.display(),
            "no S3_BUCKET_NAME: data is kept in DATA_DIR, which lasts only as long as this execution environment"
        );
    }
    let state = build_state(config).await?;
    let app = router(state.clone())?;
    lambda_http::lambda_runtime::run(service_fn(move |event: LambdaEvent<Value>| {
        let app = app.clone();
        let state = state.clone();
        async move { handle_invocation(app, &state, event).await }
    }))
    .await
    .map_err(|error| anyhow::anyhow!("Lambda runtime stopped: {error}"))
}

/// Undoes what API Gateway adds to a request: the router sees the path the
/// browser asked for (without a named stage's `/{stage}` prefix, which
/// `lambda_http` puts back in) and the client's address as its connection
/// address, for the per-IP limiter and `TRUSTED_PROXY_HOPS`.
fn as_served_request(mut request: Request) -> Request {
    let (source_ip, stage) = match request.request_context_ref() {
        Some(RequestContext::ApiGatewayV2(context)) => {
            (context.http.source_ip.clone(), context.stage.clone())
        }
        Some(RequestContext::ApiGatewayV1(context)) => {
            (context.identity.source_ip.clone(), context.stage.clone())
        }
        _ => (None, None),
    };
    let ip = source_ip
        .and_then(|ip| ip.parse::<IpAddr>().ok())
        .unwrap_or(IpAddr::V4(Ipv4Addr::UNSPECIFIED));
    request
        .extensions_mut()
        .insert(ConnectInfo(SocketAddr::new(ip, 0)));
    if let Some(uri) = stage.and_then(|stage| without_stage(request.uri(), &stage)) {
        *request.uri_mut() = uri;
    }
    request
}

/// The URI without its leading `/{stage}` segment, if it has one.
fn without_stage(uri: &Uri, stage: &str) -> Option<Uri> {
    if stage.is_empty() || stage == "$default" {
        return None;
    }
    let rest = uri.path().strip_prefix('/')?.strip_prefix(stage)?;
    let path = match rest {
        "" => "/",
        rest if rest.starts_with('/') => rest,
        _ => return None,
    };
    let path_and_query = match uri.query() {
        Some(query) => format!("{path}?{query}"),
        None => path.to_owned(),
    };
    let mut parts = uri.clone().into_parts();
    parts.path_and_query = Some(path_and_query.parse().ok()?);
    Uri::from_parts(parts).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_named_stage_is_taken_off_the_path_and_the_query_kept() {
        let uri: Uri = "https://api.example.com/prod/api/images?limit=2"
            .parse()
            .unwrap();
        let served = without_stage(&uri, "prod").unwrap();
        assert_eq!(served.path(), "/api/images");
        assert_eq!(served.query(), Some("limit=2"));
        assert_eq!(served.host(), Some("api.example.com"));
        let root: Uri = "/prod".parse().unwrap();
        assert_eq!(without_stage(&root, "prod").unwrap().path(), "/");
    }

    #[test]
    fn the_default_stage_and_lookalike_paths_are_left_alone() {
        let uri: Uri = "/api/images".parse().unwrap();
        assert!(without_stage(&uri, "$default").is_none());
        assert!(without_stage(&uri, "").is_none());
        let lookalike: Uri = "/production/api".parse().unwrap();
        assert!(without_stage(&lookalike, "prod").is_none());
    }

    #[test]
    fn the_scheduled_event_asks_for_a_sweep_and_nothing_else_does() {
        let sweep = Invocation::from_payload(serde_json::json!({"promptcanvas": "sweep"}));
        assert!(matches!(sweep, Ok(Invocation::Sweep)));
        let unknown = Invocation::from_payload(serde_json::json!({"promptcanvas": "drop-tables"}));
        assert!(
            unknown
                .unwrap_err()
                .to_string()
                .contains("unknown scheduled task")
        );
        let stray = Invocation::from_payload(serde_json::json!({"hello": "world"}));
        assert!(
            stray
                .unwrap_err()
                .to_string()
                .contains("not an API Gateway event")
        );
    }

    #[test]
    fn lambda_keeps_data_in_tmp_unless_told_otherwise() {
        let default = adapt_config(Config::for_data_dir("./data"));
        assert_eq!(default.server.data_dir, PathBuf::from(LAMBDA_DATA_DIR));
        assert!(
            default.telemetry.metrics_emf,
            "Lambda reports metrics as EMF lines"
        );
        assert!(!default.server.serve_web_app, "the CDN serves the web app");
        let chosen = adapt_config(Config::for_data_dir("/mnt/efs/promptcanvas"));
        assert_eq!(
            chosen.server.data_dir,
            PathBuf::from("/mnt/efs/promptcanvas")
        );
    }
}
