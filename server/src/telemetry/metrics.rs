//! Operational figures: requests and latency per route, generations by
//! provider and outcome, upstream latency, images stored, rate-limit refusals,
//! the web app's error reports.
//!
//! Kept in the process with atomics (a series costs one map lookup under a
//! read lock once it exists) and rendered on demand as Prometheus text. On
//! Lambda nothing scrapes a process, so there each request and generation is
//! also written to stdout as a CloudWatch Embedded Metric Format line, which
//! CloudWatch turns into the same metrics without any API call. The HTTP side
//! (the middleware that counts requests, `GET /metrics`) is `http::metrics`.

use std::{
    collections::BTreeMap,
    fmt::Write as _,
    hash::Hash,
    io::Write as _,
    sync::{
        Arc, RwLock,
        atomic::{AtomicU64, Ordering::Relaxed},
    },
    time::{Duration, SystemTime, UNIX_EPOCH},
};

use serde_json::json;

/// Upper bounds of the latency buckets, in seconds.
const BUCKETS: [f64; 14] = [
    0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0,
];

/// Most `(release, route)` series of client errors; later pairs count as
/// `("other", "other")`.
pub const MAX_CLIENT_ERROR_SERIES: usize = 256;

/// The CloudWatch namespace of the Embedded Metric Format lines.
const EMF_NAMESPACE: &str = "PromptCanvas";

#[derive(Default)]
struct Histogram {
    /// One count per bucket plus the overflow (`+Inf`) bucket, not cumulative.
    buckets: [AtomicU64; BUCKETS.len() + 1],
    sum_micros: AtomicU64,
    count: AtomicU64,
}

impl Histogram {
    fn observe(&self, elapsed: Duration) {
        let seconds = elapsed.as_secs_f64();
        let bucket = BUCKETS
            .iter()
            .position(|bound| seconds <= *bound)
            .unwrap_or(BUCKETS.len());
        self.buckets[bucket].fetch_add(1, Relaxed);
        self.sum_micros
            .fetch_add(elapsed.as_micros() as u64, Relaxed);
        self.count.fetch_add(1, Relaxed);
    }

    fn render(&self, out: &mut String, name: &str, labels: &str) {
        let separator = if labels.is_empty() { "" } else { "," };
        let mut cumulative = 0;
        for (index, bound) in BUCKETS.iter().enumerate() {
            cumulative += self.buckets[index].load(Relaxed);
            let _ = writeln!(
                out,
                "{name}_bucket{{{labels}{separator}le=\"{bound}\"}} {cumulative}"
            );
        }
        let count = self.count.load(Relaxed);
        let _ = writeln!(
            out,
            "{name}_bucket{{{labels}{separator}le=\"+Inf\"}} {count}"
        );
        let sum = self.sum_micros.load(Relaxed) as f64 / 1_000_000.0;
        let _ = writeln!(out, "{name}_sum{{{labels}}} {sum}");
        let _ = writeln!(out, "{name}_count{{{labels}}} {count}");
    }
}

/// Series of one metric, keyed by their label values; ordered so the
/// rendered text is stable.
struct Family<K, V>(RwLock<BTreeMap<K, Arc<V>>>);

impl<K: Ord + Clone, V: Default> Family<K, V> {
    fn new() -> Self {
        Self(RwLock::new(BTreeMap::new()))
    }

    fn get(&self, key: &K) -> Arc<V> {
        if let Some(series) = self.0.read().ok().and_then(|map| map.get(key).cloned()) {
            return series;
        }
        let mut map = self
            .0
            .write()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        map.entry(key.clone()).or_default().clone()
    }

    fn snapshot(&self) -> Vec<(K, Arc<V>)> {
        let map = self
            .0
            .read()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        map.iter()
            .map(|(key, value)| (key.clone(), value.clone()))
            .collect()
    }
}

/// Which request a series counts: route template (never the raw path, so
/// ids do not explode the number of series), method and status.
#[derive(Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
struct RequestKey {
    route: String,
    method: &'static str,
    status: u16,
}

pub struct Metrics {
    requests: Family<RequestKey, Histogram>,
    generations: Family<(&'static str, &'static str), AtomicU64>,
    upstream: Family<&'static str, Histogram>,
    rate_limited: Family<(String, &'static str), AtomicU64>,
    client_errors: Family<(String, String), AtomicU64>,
    /// Refusals and client error reports not yet added to the store's daily
    /// figures (see [`Metrics::take_unsaved`]).
    unsaved_refusals: AtomicU64,
    unsaved_client_errors: AtomicU64,
    images_stored: AtomicU64,
    image_bytes_stored: AtomicU64,
    started_unix_secs: f64,
    emf: bool,
}

impl Metrics {
    /// `emf`: also write each figure as a CloudWatch Embedded Metric Format line.
    pub fn new(emf: bool) -> Self {
        Self {
            requests: Family::new(),
            generations: Family::new(),
            upstream: Family::new(),
            rate_limited: Family::new(),
            client_errors: Family::new(),
            unsaved_refusals: AtomicU64::new(0),
            unsaved_client_errors: AtomicU64::new(0),
            images_stored: AtomicU64::new(0),
            image_bytes_stored: AtomicU64::new(0),
            started_unix_secs: unix_now().as_secs_f64(),
            emf,
        }
    }

    pub(crate) fn record_request(
        &self,
        route: String,
        method: &'static str,
        status: u16,
        elapsed: Duration,
        refusal: Option<&'static str>,
    ) {
        if self.emf {
            emit_emf(&request_emf(&route, method, status, elapsed, refusal));
        }
        if let Some(code) = refusal {
            self.unsaved_refusals.fetch_add(1, Relaxed);
            self.rate_limited
                .get(&(route.clone(), code))
                .fetch_add(1, Relaxed);
        }
        self.requests
            .get(&RequestKey {
                route,
                method,
                status,
            })
            .observe(elapsed);
    }

    /// How long one call to the image provider took, retries included,
    /// whether it succeeded or not.
    pub fn record_upstream(&self, provider: &'static str, elapsed: Duration) {
        self.upstream.get(&provider).observe(elapsed);
        if self.emf {
            emit_emf(&upstream_emf(provider, elapsed));
        }
    }

    /// One generation's end, after its quota was reserved: `outcome` is `ok`
    /// or the error's code; `images` the byte sizes of the images it stored.
    pub fn record_generation(&self, provider: &'static str, outcome: &'static str, images: &[u64]) {
        self.generations
            .get(&(provider, outcome))
            .fetch_add(1, Relaxed);
        let bytes: u64 = images.iter().sum();
        self.images_stored.fetch_add(images.len() as u64, Relaxed);
        self.image_bytes_stored.fetch_add(bytes, Relaxed);
        if self.emf {
            emit_emf(&generation_emf(provider, outcome, images.len(), bytes));
        }
    }

    /// One error report from the web app. Both labels come from the client,
    /// so the caller bounds them (a known route, a well-formed release) and
    /// past [`MAX_CLIENT_ERROR_SERIES`] series new pairs share one.
    pub fn record_client_error(&self, release: &str, route: &str) {
        let key = (release.to_owned(), route.to_owned());
        let known = self.client_errors.0.read().is_ok_and(|series| {
            series.contains_key(&key) || series.len() < MAX_CLIENT_ERROR_SERIES
        });
        let key = if known {
            key
        } else {
            ("other".to_owned(), "other".to_owned())
        };
        self.client_errors.get(&key).fetch_add(1, Relaxed);
        self.unsaved_client_errors.fetch_add(1, Relaxed);
        if self.emf {
            emit_emf(&client_error_emf(&key.0, &key.1));
        }
    }

    /// Takes the refusals and client error reports counted since the last
    /// call (`(refusals, client errors)`), for the store's daily figures;
    /// [`Metrics::keep_unsaved`] puts them back when that write fails.
    pub fn take_unsaved(&self) -> (u64, u64) {
        (
            self.unsaved_refusals.swap(0, Relaxed),
            self.unsaved_client_errors.swap(0, Relaxed),
        )
    }

    pub fn keep_unsaved(&self, (refusals, client_errors): (u64, u64)) {
        self.unsaved_refusals.fetch_add(refusals, Relaxed);
        self.unsaved_client_errors.fetch_add(client_errors, Relaxed);
    }

    /// The Prometheus text exposition of every figure.
    pub fn render(&self) -> String {
        let mut out = String::with_capacity(8 * 1024);
        header(
            &mut out,
            "promptcanvas_http_requests_total",
            "counter",
            "HTTP requests answered, by route template, method and status.",
        );
        let requests = self.requests.snapshot();
        for (key, histogram) in &requests {
            let _ = writeln!(
                out,
                "promptcanvas_http_requests_total{{{}}} {}",
                request_labels(key),
                histogram.count.load(Relaxed)
            );
        }
        header(
            &mut out,
            "promptcanvas_http_request_duration_seconds",
            "histogram",
            "Time from request to response headers, by route template, method and status.",
        );
        for (key, histogram) in &requests {
            histogram.render(
                &mut out,
                "promptcanvas_http_request_duration_seconds",
                &request_labels(key),
            );
        }
        header(
            &mut out,
            "promptcanvas_generations_total",
            "counter",
            "Generation requests that reached a provider or failed on the way, by provider and outcome (ok or the error code).",
        );
        for ((provider, outcome), count) in self.generations.snapshot() {
            let _ = writeln!(
                out,
                "promptcanvas_generations_total{{provider=\"{provider}\",outcome=\"{outcome}\"}} {}",
                count.load(Relaxed)
            );
        }
        header(
            &mut out,
            "promptcanvas_upstream_duration_seconds",
            "histogram",
            "Time the image provider took per generation, retries included.",
        );
        for (provider, histogram) in self.upstream.snapshot() {
            histogram.render(
                &mut out,
                "promptcanvas_upstream_duration_seconds",
                &format!("provider=\"{provider}\""),
            );
        }
        header(
            &mut out,
            "promptcanvas_images_stored_total",
            "counter",
            "Images stored since the process started.",
        );
        let _ = writeln!(
            out,
            "promptcanvas_images_stored_total {}",
            self.images_stored.load(Relaxed)
        );
        header(
            &mut out,
            "promptcanvas_image_bytes_stored_total",
            "counter",
            "Bytes of original images stored since the process started.",
        );
        let _ = writeln!(
            out,
            "promptcanvas_image_bytes_stored_total {}",
            self.image_bytes_stored.load(Relaxed)
        );
        header(
            &mut out,
            "promptcanvas_rate_limit_rejections_total",
            "counter",
            "Requests refused by a rate limit or quota, by route template and error code.",
        );
        for ((route, code), count) in self.rate_limited.snapshot() {
            let _ = writeln!(
                out,
                "promptcanvas_rate_limit_rejections_total{{route=\"{}\",code=\"{code}\"}} {}",
                escape_label(&route),
                count.load(Relaxed)
            );
        }
        header(
            &mut out,
            "promptcanvas_client_errors_total",
            "counter",
            "Errors the web app reported, by its release and route pattern.",
        );
        for ((release, route), count) in self.client_errors.snapshot() {
            let _ = writeln!(
                out,
                "promptcanvas_client_errors_total{{release=\"{}\",route=\"{}\"}} {}",
                escape_label(&release),
                escape_label(&route),
                count.load(Relaxed)
            );
        }
        header(
            &mut out,
            "process_start_time_seconds",
            "gauge",
            "When the process started, in seconds since the Unix epoch.",
        );
        let _ = writeln!(out, "process_start_time_seconds {}", self.started_unix_secs);
        out
    }
}

fn header(out: &mut String, name: &str, kind: &str, help: &str) {
    let _ = writeln!(out, "# HELP {name} {help}\n# TYPE {name} {kind}");
}

fn request_labels(key: &RequestKey) -> String {
    format!(
        "route=\"{}\",method=\"{}\",status=\"{}\"",
        escape_label(&key.route),
        key.method,
        key.status
    )
}

fn escape_label(value: &str) -> String {
    value
        .replace('\\', "\\\\")
        .replace('"', "\\\"")
        .replace('\n', "\\n")
}

fn unix_now() -> Duration {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap_or_default()
}

fn request_emf(
    route: &str,
    method: &str,
    status: u16,
    elapsed: Duration,
    refusal: Option<&str>,
) -> serde_json::Value {
    json!({
        "_aws": {
            "Timestamp": unix_now().as_millis() as u64,
            "CloudWatchMetrics": [{
                "Namespace": EMF_NAMESPACE,
                "Dimensions": [["Route", "Method"]],
                "Metrics": [
                    {"Name": "Requests", "Unit": "Count"},
                    {"Name": "Latency", "Unit": "Milliseconds"},
                    {"Name": "ServerErrors", "Unit": "Count"},
                    {"Name": "RateLimited", "Unit": "Count"},
                ],
            }],
        },
        "Route": route,
        "Method": method,
        "Status": status,
        "Requests": 1,
        "Latency": elapsed.as_secs_f64() * 1000.0,
        "ServerErrors": u8::from(status >= 500),
        "RateLimited": u8::from(refusal.is_some()),
    })
}

fn generation_emf(provider: &str, outcome: &str, images: usize, bytes: u64) -> serde_json::Value {
    json!({
        "_aws": {
            "Timestamp": unix_now().as_millis() as u64,
            "CloudWatchMetrics": [{
                "Namespace": EMF_NAMESPACE,
                "Dimensions": [["Provider", "Outcome"]],
                "Metrics": [
                    {"Name": "Generations", "Unit": "Count"},
                    {"Name": "ImagesStored", "Unit": "Count"},
                    {"Name": "ImageBytesStored", "Unit": "Bytes"},
                ],
            }],
        },
        "Provider": provider,
        "Outcome": outcome,
        "Generations": 1,
        "ImagesStored": images,
        "ImageBytesStored": bytes,
    })
}

fn client_error_emf(release: &str, route: &str) -> serde_json::Value {
    json!({
        "_aws": {
            "Timestamp": unix_now().as_millis() as u64,
            "CloudWatchMetrics": [{
                "Namespace": EMF_NAMESPACE,
                "Dimensions": [["Release", "Route"]],
                "Metrics": [{"Name": "ClientErrors", "Unit": "Count"}],
            }],
        },
        "Release": release,
        "Route": route,
        "ClientErrors": 1,
    })
}

fn upstream_emf(provider: &str, elapsed: Duration) -> serde_json::Value {
    json!({
        "_aws": {
            "Timestamp": unix_now().as_millis() as u64,
            "CloudWatchMetrics": [{
                "Namespace": EMF_NAMESPACE,
                "Dimensions": [["Provider"]],
                "Metrics": [{"Name": "UpstreamLatency", "Unit": "Milliseconds"}],
            }],
        },
        "Provider": provider,
        "UpstreamLatency": elapsed.as_secs_f64() * 1000.0,
    })
}

/// One line on stdout, written whole so concurrent requests do not interleave.
fn emit_emf(line: &serde_json::Value) {
    let mut text = line.to_string();
    text.push('\n');
    let _ = std::io::stdout().lock().write_all(text.as_bytes());
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn histogram_buckets_are_cumulative_and_end_with_the_count() {
        let histogram = Histogram::default();
        histogram.observe(Duration::from_micros(500));
        histogram.observe(Duration::from_millis(3));
        histogram.observe(Duration::from_secs(60));
        let mut out = String::new();
        histogram.render(&mut out, "x", "route=\"/a\"");
        assert!(
            out.contains("x_bucket{route=\"/a\",le=\"0.001\"} 1\n"),
            "{out}"
        );
        assert!(
            out.contains("x_bucket{route=\"/a\",le=\"0.005\"} 2\n"),
            "{out}"
        );
        assert!(
            out.contains("x_bucket{route=\"/a\",le=\"30\"} 2\n"),
            "{out}"
        );
        assert!(
            out.contains("x_bucket{route=\"/a\",le=\"+Inf\"} 3\n"),
            "{out}"
        );
        assert!(out.contains("x_count{route=\"/a\"} 3\n"), "{out}");
        assert!(out.contains("x_sum{route=\"/a\"} 60.0035\n"), "{out}");
    }

    #[test]
    fn label_values_cannot_break_out_of_their_quotes() {
        assert_eq!(escape_label("a\"b\\c\nd"), "a\\\"b\\\\c\\nd");
    }

    /// CloudWatch rejects a whole EMF line when a declared metric has no value
    /// or a dimension is missing, so check each declaration has its member.
    #[test]
    fn emf_lines_declare_only_members_they_carry() {
        let lines = [
            request_emf(
                "/api/images",
                "GET",
                429,
                Duration::from_millis(2),
                Some("rate_limited"),
            ),
            generation_emf("offline", "ok", 2, 1000),
            generation_emf("together", "upstream_timeout", 0, 0),
            upstream_emf("together", Duration::from_millis(900)),
            client_error_emf("0.1.0", "/gallery/:id"),
        ];
        for line in lines {
            let directive = &line["_aws"]["CloudWatchMetrics"][0];
            assert_eq!(directive["Namespace"], EMF_NAMESPACE);
            assert!(line["_aws"]["Timestamp"].as_u64().unwrap() > 1_600_000_000_000);
            for dimension in directive["Dimensions"][0].as_array().unwrap() {
                assert!(line[dimension.as_str().unwrap()].is_string(), "{line}");
            }
            for metric in directive["Metrics"].as_array().unwrap() {
                assert!(line[metric["Name"].as_str().unwrap()].is_number(), "{line}");
            }
        }
        let refused = request_emf("/api/x", "POST", 429, Duration::ZERO, Some("rate_limited"));
        assert_eq!(refused["RateLimited"], 1);
        assert_eq!(refused["ServerErrors"], 0);
    }

    #[test]
    fn client_error_series_are_bounded_and_saved_once() {
        let metrics = Metrics::new(false);
        for index in 0..MAX_CLIENT_ERROR_SERIES + 5 {
            metrics.record_client_error(&format!("r{index}"), "/");
        }
        metrics.record_client_error("r0", "/");
        let text = metrics.render();
        let series = text
            .lines()
            .filter(|line| line.starts_with("promptcanvas_client_errors_total{"))
            .count();
        assert_eq!(series, MAX_CLIENT_ERROR_SERIES + 1, "{text}");
        assert!(
            text.contains("promptcanvas_client_errors_total{release=\"other\",route=\"other\"} 5")
        );
        assert!(text.contains("promptcanvas_client_errors_total{release=\"r0\",route=\"/\"} 2"));
        let unsaved = metrics.take_unsaved();
        assert_eq!(unsaved, (0, MAX_CLIENT_ERROR_SERIES as u64 + 6));
        assert_eq!(metrics.take_unsaved(), (0, 0));
        metrics.keep_unsaved(unsaved);
        assert_eq!(metrics.take_unsaved(), unsaved);
    }
}
