//! Error reports from the web app (`POST /api/client-errors`): checked,
//! stripped of anything that could identify a person or open an account,
//! logged as one structured line (fewer when they come in bursts) and
//! counted by release and route pattern.
//!
//! Anyone may send one, so nothing a report says is trusted: its labels are
//! bounded (a known route pattern, a well-formed release), its text is
//! scrubbed again here whatever the web app did, and it is never stored.

use std::{
    sync::Mutex,
    time::{Duration, Instant},
};

use serde::Deserialize;
use utoipa::ToSchema;

use crate::{
    telemetry::metrics::Metrics,
    text::{FORBIDDEN_IN_PROMPTS, FieldError, is_in},
};

/// Largest report body read.
pub const MAX_REPORT_BYTES: usize = 8 * 1024;
pub const MESSAGE_MAX_CHARS: usize = 1000;
pub const STACK_MAX_CHARS: usize = 6000;
pub const ROUTE_MAX_CHARS: usize = 200;
pub const RELEASE_MAX_CHARS: usize = 64;
pub const USER_AGENT_MAX_CHARS: usize = 200;

/// The web app's route patterns: a report's route is counted under one of
/// these, or `other`.
pub const WEB_ROUTES: &[&str] = &[
    "/",
    "/sign-in",
    "/sign-up",
    "/generate",
    "/gallery",
    "/gallery/:id",
    "/trash",
    "/collections",
    "/collections/:collectionId",
    "/collections/:collectionId/:id",
    "/compare",
    "/profile",
    "/admin",
];

/// Lines logged per minute per process; past it, reports are counted and
/// summed up in the next line logged.
const LOG_LINES_PER_MINUTE: u32 = 60;

/// One error the web app saw.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ClientErrorReport {
    /// What went wrong, not blank.
    pub message: String,
    pub stack: Option<String>,
    /// The page's route pattern (`/gallery/:id`) or path.
    pub route: Option<String>,
    /// The web app's release, letters, digits and `._+-`.
    pub release: Option<String>,
}

/// A report as it is logged and counted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CheckedReport {
    pub message: String,
    pub stack: Option<String>,
    pub route: &'static str,
    pub release: String,
}

/// Checks a report and makes it safe to log: every character class a log
/// line could be forged with is replaced, and emails, tokens, signatures and
/// URL queries are taken out.
pub fn check(report: ClientErrorReport) -> Result<CheckedReport, Vec<FieldError>> {
    let mut errors = Vec::new();
    let chars = |text: &str| text.chars().count();
    if report.message.trim().is_empty() {
        errors.push(FieldError::new("message", "must not be blank"));
    } else if chars(&report.message) > MESSAGE_MAX_CHARS {
        errors.push(FieldError::new(
            "message",
            format!("must be at most {MESSAGE_MAX_CHARS} characters"),
        ));
    }
    if report
        .stack
        .as_deref()
        .is_some_and(|stack| chars(stack) > STACK_MAX_CHARS)
    {
        errors.push(FieldError::new(
            "stack",
            format!("must be at most {STACK_MAX_CHARS} characters"),
        ));
    }
    if report
        .route
        .as_deref()
        .is_some_and(|route| chars(route) > ROUTE_MAX_CHARS)
    {
        errors.push(FieldError::new(
            "route",
            format!("must be at most {ROUTE_MAX_CHARS} characters"),
        ));
    }
    if let Some(release) = &report.release
        && !is_release(release)
    {
        errors.push(FieldError::new(
            "release",
            format!(
                "must be 1 to {RELEASE_MAX_CHARS} letters, digits, dots, dashes, underscores or pluses"
            ),
        ));
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    Ok(CheckedReport {
        message: scrub(&report.message),
        stack: report.stack.as_deref().map(scrub),
        route: route_pattern(report.route.as_deref().unwrap_or("")),
        release: report.release.unwrap_or_else(|| "unknown".to_owned()),
    })
}

/// The pattern `RELEASE_PATTERN` in the API document says the same.
pub fn is_release(release: &str) -> bool {
    (1..=RELEASE_MAX_CHARS).contains(&release.len())
        && release
            .bytes()
            .all(|byte| byte.is_ascii_alphanumeric() || b"._+-".contains(&byte))
}

pub const RELEASE_PATTERN: &str = "^[A-Za-z0-9._+-]{1,64}$";

/// The web app's route pattern a reported route or path names, or `other`.
pub fn route_pattern(route: &str) -> &'static str {
    let path = route.split(['?', '#']).next().unwrap_or("");
    let path = if path.len() > 1 {
        path.trim_end_matches('/')
    } else {
        path
    };
    if let Some(known) = WEB_ROUTES.iter().find(|known| **known == path) {
        return known;
    }
    let segments: Vec<&str> = path.split('/').collect();
    WEB_ROUTES
        .iter()
        .find(|known| {
            let pattern: Vec<&str> = known.split('/').collect();
            pattern.len() == segments.len()
                && pattern.iter().zip(&segments).all(|(expected, actual)| {
                    if expected.starts_with(':') {
                        !actual.is_empty()
                            && actual
                                .bytes()
                                .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
                    } else {
                        expected == actual
                    }
                })
        })
        .copied()
        .unwrap_or("other")
}

/// Text with what must never reach a log taken out: controls that could
/// forge a line, emails, bearer and JSON web tokens, URL queries and
/// fragments (signed image links carry their signature there) and long runs
/// of letters and digits (keys, hashes, signatures).
pub fn scrub(text: &str) -> String {
    let clean: String = text
        .chars()
        .map(|c| {
            if is_in(FORBIDDEN_IN_PROMPTS, c) {
                '\u{fffd}'
            } else {
                c
            }
        })
        .collect();
    let mut out = String::with_capacity(clean.len());
    let mut after_bearer = false;
    for piece in clean.split_inclusive(char::is_whitespace) {
        let word = piece.trim_end_matches(char::is_whitespace);
        let space = &piece[word.len()..];
        let scrubbed = if after_bearer && !word.is_empty() {
            "[token]".to_owned()
        } else {
            scrub_word(word)
        };
        after_bearer = word.eq_ignore_ascii_case("bearer");
        out.push_str(&scrubbed);
        out.push_str(space);
    }
    out
}

fn scrub_word(word: &str) -> String {
    // URL queries and fragments go, up to the word's end.
    let mut word = word.to_owned();
    if let Some(scheme) = word.find("://")
        && let Some(cut) = word[scheme..].find(['?', '#'])
    {
        let cut = scheme + cut;
        // Keep what closes the URL in a stack frame: `)` or a quote.
        let kept = word[cut..]
            .trim_end_matches([')', '"', '\'', ']', ','])
            .len();
        word = format!("{}{}", &word[..cut], &word[cut + kept..]);
    }
    let mut out = String::with_capacity(word.len());
    let mut run = String::new();
    let flush = |run: &mut String, out: &mut String| {
        if !run.is_empty() {
            out.push_str(&scrub_run(run));
            run.clear();
        }
    };
    for c in word.chars() {
        if c.is_ascii_alphanumeric() || "._%+-@=/~".contains(c) {
            run.push(c);
        } else {
            flush(&mut run, &mut out);
            out.push(c);
        }
    }
    flush(&mut run, &mut out);
    out
}

/// One run of URL-ish characters.
fn scrub_run(run: &str) -> String {
    // `name@host.tld`, where the name starts after any `/` and the host
    // ends at one: `@scope/package` and `lib@2.0/x.js` are not emails.
    for (at, _) in run.match_indices('@') {
        let local_start = run[..at].rfind('/').map_or(0, |slash| slash + 1);
        let host_end = run[at + 1..]
            .find('/')
            .map_or(run.len(), |slash| at + 1 + slash);
        let (local, host) = (&run[local_start..at], &run[at + 1..host_end]);
        let top_level = host.rsplit('.').next().unwrap_or_default();
        if !local.is_empty()
            && host.contains('.')
            && !host.starts_with('.')
            && top_level.len() >= 2
            && top_level.bytes().all(|b| b.is_ascii_alphabetic())
        {
            return format!(
                "{}[email]{}",
                redact_parts(&run[..local_start]),
                scrub_run(&run[host_end..])
            );
        }
    }
    if run.starts_with("eyJ") && run.matches('.').count() >= 2 {
        return "[token]".to_owned();
    }
    redact_parts(run)
}

/// Each part between separators that cannot be inside a key, judged alone.
fn redact_parts(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut part = String::new();
    for c in text.chars() {
        if "/.@~%".contains(c) {
            out.push_str(redacted(&part));
            part.clear();
            out.push(c);
        } else {
            part.push(c);
        }
    }
    out.push_str(redacted(&part));
    out
}

/// `[redacted]` for what looks like a key, hash or signature: 32 or more
/// characters mixing letters and digits (names in code have no digits).
fn redacted(part: &str) -> &str {
    let secret_like = part.len() >= 32
        && part.bytes().any(|b| b.is_ascii_digit())
        && part.bytes().any(|b| b.is_ascii_alphabetic());
    if secret_like { "[redacted]" } else { part }
}

/// Text on one log line: breaks and tabs written as `\n`, `\t`.
fn one_line(text: &str) -> String {
    text.replace('\\', "\\\\")
        .replace('\n', "\\n")
        .replace('\t', "\\t")
}

/// Keeps a burst of reports from flooding the log: every report is counted,
/// at most [`LOG_LINES_PER_MINUTE`] are logged a minute, and the next line
/// logged says how many were left out.
pub struct ReportLog {
    window: Mutex<LogWindow>,
}

struct LogWindow {
    started: Instant,
    logged: u32,
    left_out: u64,
}

impl Default for ReportLog {
    fn default() -> Self {
        Self {
            window: Mutex::new(LogWindow {
                started: Instant::now(),
                logged: 0,
                left_out: 0,
            }),
        }
    }
}

impl ReportLog {
    /// Logs and counts one checked report.
    pub fn record(&self, report: &CheckedReport, user_agent: Option<&str>, metrics: &Metrics) {
        metrics.record_client_error(&report.release, report.route);
        let left_out = {
            let mut window = self
                .window
                .lock()
                .unwrap_or_else(|poisoned| poisoned.into_inner());
            let now = Instant::now();
            if now.duration_since(window.started) >= Duration::from_secs(60) {
                window.started = now;
                window.logged = 0;
            }
            if window.logged >= LOG_LINES_PER_MINUTE {
                window.left_out += 1;
                return;
            }
            window.logged += 1;
            std::mem::take(&mut window.left_out)
        };
        let user_agent: String = scrub(user_agent.unwrap_or(""))
            .chars()
            .take(USER_AGENT_MAX_CHARS)
            .collect();
        tracing::warn!(
            target: "promptcanvas::client_error",
            release = %report.release,
            route = report.route,
            user_agent = %user_agent,
            error = %one_line(&report.message),
            stack = %one_line(report.stack.as_deref().unwrap_or("")),
            left_out_before = left_out,
            "the web app reported an error"
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn report(message: &str) -> ClientErrorReport {
        ClientErrorReport {
            message: message.to_owned(),
            stack: None,
            route: None,
            release: None,
        }
    }

    #[test]
    fn emails_tokens_and_url_queries_are_taken_out() {
        let text = "Failed for ada.lovelace@example.com: Authorization: Bearer sk_live_abc \
                    token eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ1In0.c2lnbmF0dXJl at \
                    (https://app.example.com/media/a.jpg?sig=0a1b2c&exp=99) key \
                    9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08";
        let scrubbed = scrub(text);
        assert_eq!(
            scrubbed,
            "Failed for [email]: Authorization: Bearer [token] \
             token [token] at \
             (https://app.example.com/media/a.jpg) key \
             [redacted]"
        );
    }

    #[test]
    fn package_paths_and_versions_are_not_emails() {
        let frame = "at f (webpack://app/node_modules/@scope/pkg/dist/lib@2.0/x.js:1:2)";
        assert_eq!(scrub(frame), frame);
        assert_eq!(
            scrub("see https://site.example/u/grace.hopper@navy.mil/profile"),
            "see https://site.example/u/[email]/profile"
        );
        assert_eq!(
            scrub("node_modules/@scope/ada@example.com"),
            "node_modules/@scope/[email]"
        );
    }

    #[test]
    fn stack_frames_keep_their_files_and_functions() {
        let frame = "at renderWithHooksAgainAfterSomethingLongName (https://app.example.com/assets/index-BxY12abc.js:12:345)";
        assert_eq!(scrub(frame), frame);
    }

    #[test]
    fn a_line_cannot_be_forged_with_control_characters() {
        assert_eq!(
            scrub("one\u{1b}[2Jtwo\rthree"),
            "one\u{fffd}[2Jtwo\u{fffd}three"
        );
        assert_eq!(scrub("kept\nnewline"), "kept\nnewline");
    }

    #[test]
    fn routes_are_counted_under_the_web_apps_patterns() {
        assert_eq!(route_pattern("/gallery/:id"), "/gallery/:id");
        assert_eq!(
            route_pattern("/gallery/01HZX3W1QK5D2N7Y8E9F0G1H2J?x=1"),
            "/gallery/:id"
        );
        assert_eq!(
            route_pattern("/collections/abc/def/"),
            "/collections/:collectionId/:id"
        );
        assert_eq!(route_pattern("/"), "/");
        assert_eq!(route_pattern("/wp-admin.php"), "other");
        assert_eq!(route_pattern("/gallery/<script>"), "other");
        assert_eq!(route_pattern(""), "other");
    }

    #[test]
    fn bad_reports_are_refused_field_by_field() {
        let errors = check(ClientErrorReport {
            message: " \n".into(),
            stack: Some("x".repeat(STACK_MAX_CHARS + 1)),
            route: Some("/".repeat(ROUTE_MAX_CHARS + 1)),
            release: Some("1.0 beta".into()),
        })
        .unwrap_err();
        let fields: Vec<&str> = errors.iter().map(|error| error.field.as_str()).collect();
        assert_eq!(fields, ["message", "stack", "route", "release"]);
        let long = check(report(&"é".repeat(MESSAGE_MAX_CHARS))).unwrap();
        assert_eq!(long.release, "unknown");
        assert_eq!(long.route, "other");
        assert!(check(report(&"é".repeat(MESSAGE_MAX_CHARS + 1))).is_err());
    }
}
